"""/dhr redact: add a term to the review's redaction list. The term is never stored or shown back."""
from bot.workflow.panel import redaction_use_cases as cases
from handlers.slack.platform import listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import open_form
from handlers.submission import submit
from messages.panel import panel as msgs
from messages.slack.ids import CallbackId
from messages.slack.render import read_state


@subcommand("redact", "redaction")
def _redact_command(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, SlackInteraction(None, command, client, respond), "Redaction list",
              lambda s: msgs.redaction_form(cases.redaction_form(s, command["channel_id"], actor)))


def redaction_submitted(svc: Services, ack, body, view, client):
    """The form says it was added, and how many entries the list now has."""
    ui, actor = SlackInteraction(ack, body, client), actor_of(body)

    def run() -> int:
        with svc.db.session() as s:
            return cases.add_term(s, metadata_id(view) or 0, actor, read_state(view), svc.redactions.key,
                                  now=svc.clock.now())
    count = submit(ui, "Redaction list", run)
    if count is not None:
        ui.replace_form(msgs.redaction_added(count))


LISTENERS = [("view", CallbackId.REDACTION, redaction_submitted)]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
