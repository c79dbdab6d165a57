"""audit on Teams: the latest entries of a review's log, privately (coordinator or chair). Exporting the
full log as CSV comes later on Teams: its button says so."""
from bot.workflow.views import audit_use_cases as audit_log
from handlers.teams.platform.context import Teams
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.use_case import run
from messages.slack.ids import ActionId

EXPORT_LATER = "Exporting the audit log as CSV is not available on Teams yet: it comes in a later release."


def audit(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: audit_log.show_audit(s, ui.activity.conversation_id, actor))


def export(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.close(EXPORT_LATER)


LISTENERS = [("command", "audit", audit), ("action", ActionId.EXPORT_AUDIT, export)]
