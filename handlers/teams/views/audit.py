"""audit on Teams: the latest entries of a review's log, privately (coordinator or chair), and its Export
button: the full log as CSV, by file consent card in the requester's 1:1 chat."""
from bot.workflow.views import audit_use_cases as audit_log
from handlers.teams.platform.context import Teams
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.use_case import int_or_zero, run
from messages.core.exports import csv_bytes
from messages.slack.ids import ActionId


def audit(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: audit_log.show_audit(s, ui.activity.conversation_id, actor))


def export(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    svc = teams.svc
    run(teams, ui, lambda s, actor: audit_log.export_audit(
        s, int_or_zero(value), actor, to_csv=csv_bytes, today=svc.clock.today(), now=svc.clock.now()))


LISTENERS = [("command", "audit", audit), ("action", ActionId.EXPORT_AUDIT, export)]
