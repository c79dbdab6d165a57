"""board [report] [2026-Q3] on Teams, and the My work card's *Board report* button: the quarterly board report
(DOCX with its charts) by file consent card in the requester's 1:1 chat, as on Slack (handlers/slack/views/board.py)."""
from bot.workflow.views import board_use_cases as board
from handlers.teams.platform.context import Teams
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.use_case import run
from messages.slack.ids import PlanActionId
from messages.views import board_report


def report(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    svc = teams.svc
    run(teams, ui, lambda s, actor: board.board_report(
        s, actor, words, env_admins=teams.admins, today=svc.clock.today(), now=svc.clock.now(),
        calendar=svc.calendar, render=lambda f: board_report.docx_bytes(f, svc.settings.csp_name),
        dm_space=ui.port.open_dm))


def from_home(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    report(teams, ui, "")


LISTENERS = [("command", "board", report), ("action", PlanActionId.BOARD_REPORT, from_home)]
