"""report [template] on Teams: the drafts' templates by file consent card in the person's 1:1 chat, as on
Slack (handlers/slack/report/drafts.py). The drafts come back in that chat (evidence/uploads.py)."""
from bot.workflow.report import report_check_use_cases as drafts
from handlers.teams.platform.context import Teams
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.use_case import run
from messages.report.report_documents import TEMPLATES


def report_command(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: drafts.templates_by_command(
        s, ui.activity.conversation_id, actor, templates=TEMPLATES, dm_space=ui.port.open_dm))


LISTENERS = [("command", "report", report_command)]
