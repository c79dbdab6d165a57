"""/dhr audit: the latest entries, and the full log as CSV in the review channel. Each listener
parses, runs one use case, renders."""
from bot.workflow.views import audit_use_cases as audit_log
from handlers.slack.platform import listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services
from handlers.slack.platform.forms import int_value
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import run
from messages.core.exports import csv_bytes
from messages.slack.ids import ActionId


@subcommand("audit")
def _audit_command(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond),
        lambda s, actor: audit_log.show_audit(s, command["channel_id"], actor))


def export(svc: Services, body, action, client, respond):
    run(svc, SlackInteraction(None, body, client, respond), lambda s, actor: audit_log.export_audit(
        s, int_value(action.get("value")) or 0, actor, to_csv=csv_bytes, today=svc.clock.today(),
        now=svc.clock.now()))


LISTENERS = [("action", ActionId.EXPORT_AUDIT, export)]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
