"""report [template] on Teams: the drafts' templates by file consent card in the person's 1:1 chat, as on
Slack (handlers/slack/report/drafts.py). The drafts come back in that chat (evidence/uploads.py). guide approve:
the chair approves the one-minute guide."""
from bot.workflow.report import report_check_use_cases as drafts
from bot.workflow.report.report_use_cases import guide_command
from handlers.teams.platform.context import Teams
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.use_case import run
from messages.report.report_documents import TEMPLATES


def report_command(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: drafts.templates_by_command(
        s, ui.activity.conversation_id, actor, templates=TEMPLATES, dm_space=ui.port.open_dm))


def guide(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: guide_command(s, ui.activity.conversation_id, actor, words,
                                                  now=teams.svc.clock.now()))


LISTENERS = [("command", "report", report_command), ("command", "guide", guide)]
