"""/dhr report [template]: the overview report, executive summary and action plan templates, sent to the
person's DM. The drafts come back as files in the review channel (uploads.py), checked there.
/dhr guide approve: the chair approves the one-minute guide whose latest upload passed its check."""
from bot.workflow.report import report_check_use_cases as drafts
from bot.workflow.report.report_use_cases import guide_command
from handlers.slack.platform import files, listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import run
from messages.report.report_documents import TEMPLATES


@subcommand("report")
def _report(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond), lambda s, actor: drafts.templates_by_command(
        s, command["channel_id"], actor, templates=TEMPLATES, dm_space=files.dm_space(client)))


@subcommand("guide")
def _guide(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond), lambda s, actor: guide_command(
        s, command["channel_id"], actor, command.get("args", ""), now=svc.clock.now()))


LISTENERS: list = []


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
