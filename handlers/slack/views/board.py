"""/dhr board [report] [2026-Q3] and the Home tab's *Board report* button: the quarterly board report (DOCX
with its charts) uploaded to the requester's DM. Each listener parses, runs one use case, renders."""
from bot.workflow.views import board_use_cases as board
from handlers.slack.platform import files, listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import run
from messages.slack.ids import PlanActionId
from messages.views import board_report


def _report(svc: Services, ui: SlackInteraction, client, words: str) -> None:
    run(svc, ui, lambda s, actor: board.board_report(
        s, actor, words, env_admins=svc.settings.admins, today=svc.clock.today(), now=svc.clock.now(),
        calendar=svc.calendar, render=lambda f: board_report.docx_bytes(f, svc.settings.csp_name),
        dm_space=files.dm_space(client)))


@subcommand("board")
def _board(svc, command, client, respond):
    _report(svc, SlackInteraction(None, command, client, respond), client, command["args"])


def from_home(svc: Services, body, action, client, respond):
    _report(svc, SlackInteraction(None, body, client, respond), client, "")


LISTENERS = [("action", PlanActionId.BOARD_REPORT, from_home)]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
