"""/dhr imr [template], the IMR request button, the author's declarations and the chair's decision.
Each listener parses, runs one use case, renders."""
from bot.workflow.evidence import imr_use_cases as imr
from bot.workflow.evidence.evidence_items import Kind
from handlers.slack.evidence.evidence import FORM_OPENERS
from handlers.slack.platform import files, listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import open_form, run, submitted
from messages.evidence import documents
from messages.evidence import imr as msgs
from messages.slack.ids import EvidenceId
from messages.slack.render import read_state


@subcommand("imr")
def _imr_command(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond), lambda s, actor: imr.template_by_command(
        s, command["channel_id"], actor, template=documents.imr_template, dm_space=files.dm_space(client)))


def send_template(svc: Services, body, action, client):
    run(svc, SlackInteraction(None, body, client), lambda s, actor: imr.template_by_button(
        s, int_value(action.get("value")) or 0, actor, template=documents.imr_template,
        dm_space=files.dm_space(client)))


def open_from_request(svc: Services, body, action, client) -> None:
    """How to send the IMR of the request a button names (request DM, App Home)."""
    open_form(svc, SlackInteraction(None, body, client), "IMR", lambda s: msgs.imr_info(
        imr.info(s, int_value(action.get("value")) or 0, actor_of(body))))


FORM_OPENERS[Kind.IMR.value] = open_from_request


def open_declare(svc: Services, body, action, client):
    today = svc.clock.today().isoformat()
    open_form(svc, SlackInteraction(None, body, client), "Submit IMR", lambda s: msgs.declarations_form(
        imr.declarations_form(s, int_value(action.get("value")) or 0, actor_of(body)), today))


def declared(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Submit IMR", lambda s, actor: imr.submit(
        s, metadata_id(view, "version_id") or 0, actor, read_state(view), now=svc.clock.now(),
        today=svc.clock.today()))


def accept(svc: Services, body, action, client, respond):
    run(svc, SlackInteraction(None, body, client, respond), lambda s, actor: imr.accept(
        s, int_value(action.get("value")) or 0, actor, now=svc.clock.now()))


def open_return(svc: Services, body, action, client):
    open_form(svc, SlackInteraction(None, body, client), "Return IMR", lambda s: msgs.return_form(
        imr.decision_form(s, int_value(action.get("value")) or 0, actor_of(body))))


def returned(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Return IMR", lambda s, actor: imr.send_back(
        s, metadata_id(view, "version_id") or 0, actor, read_state(view), now=svc.clock.now()))


LISTENERS = [
    ("action", EvidenceId.OPEN_IMR, open_from_request),
    ("action", EvidenceId.SEND_IMR_TEMPLATE, send_template),
    ("action", EvidenceId.OPEN_DECLARE, open_declare),
    ("view", EvidenceId.IMR_DECLARE, declared),
    ("action", EvidenceId.ACCEPT_IMR, accept),
    ("action", EvidenceId.OPEN_RETURN, open_return),
    ("view", EvidenceId.IMR_RETURN, returned),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
