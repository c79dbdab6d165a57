"""/dhr family: contacts by relationship only, and the perpetrator interview (chair, coordinator).
One form: the summary with buttons; a button swaps in a form; saving swaps the summary back."""
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.text import text
from bot.workflow.evidence import family_use_cases as cases
from handlers.slack.evidence.evidence import finish, open_form
from handlers.slack.platform import listeners, modals
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from messages.evidence import evidence as msgs
from messages.slack import render
from messages.slack.ids import EvidenceActionId, EvidenceCallbackId
from messages.slack.render import read_state

TITLE = "Family and friends"


@subcommand("family")
def _family(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, client, command["trigger_id"], TITLE,
              lambda s: msgs.family_view(cases.open_summary(s, command["channel_id"], actor)))


def _swap(svc: Services, body, client, build) -> None:
    """A button inside the form: build(session, review id, actor) -> the form swapped in; the review
    comes from the form's metadata and is checked again by the use case."""
    view = body.get("view") or {}
    try:
        with svc.db.session() as s:
            new_view = build(s, metadata_id(view) or 0, actor_of(body))
    except WorkflowError as err:
        new_view = msgs.said(TITLE, err.rich or text(err.message))
    modals.replace(client, view, render.modal(new_view))


def add(svc: Services, body, client):
    _swap(svc, body, client, lambda s, review_id, actor: msgs.contact_form(
        cases.contact_form(s, review_id, actor, None)))


def edit(svc: Services, body, action, client):
    contact_id = int_value(action.get("value")) or 0
    _swap(svc, body, client, lambda s, review_id, actor: msgs.contact_form(
        cases.contact_form(s, review_id, actor, contact_id)))


def interview(svc: Services, body, client):
    _swap(svc, body, client, lambda s, review_id, actor: msgs.interview_form(
        cases.interview_form(s, review_id, actor)))


def open_step(svc: Services, body, client):
    _swap(svc, body, client, lambda s, review_id, actor: msgs.step_form(cases.step_form(s, review_id, actor)))


def step_saved(svc: Services, ack, body, view, client):
    finish(svc, SlackInteraction(ack, body, client), TITLE, metadata_id(view),
           lambda s, actor, review_id: cases.record_step(s, review_id, actor, read_state(view), now=svc.clock.now(),
                                                         today=svc.clock.today()), msgs.family_view)


def contact_saved(svc: Services, ack, body, view, client):
    contact_id = metadata_id(view, "contact_id")
    finish(svc, SlackInteraction(ack, body, client), TITLE, metadata_id(view),
           lambda s, actor, review_id: cases.save_contact(s, review_id, actor, contact_id, read_state(view),
                                                          now=svc.clock.now(), today=svc.clock.today()),
           msgs.family_view)


def interview_saved(svc: Services, ack, body, view, client):
    finish(svc, SlackInteraction(ack, body, client), TITLE, metadata_id(view),
           lambda s, actor, review_id: cases.save_interview(s, review_id, actor, read_state(view),
                                                            now=svc.clock.now(), today=svc.clock.today()),
           msgs.family_view)


LISTENERS = [
    ("action", EvidenceActionId.FAMILY_ADD, add),
    ("action", EvidenceActionId.FAMILY_EDIT, edit),
    ("action", EvidenceActionId.FAMILY_INTERVIEW, interview),
    ("action", EvidenceActionId.FAMILY_STEP, open_step),
    ("view", EvidenceCallbackId.FAMILY_STEP, step_saved),
    ("view", EvidenceCallbackId.FAMILY_CONTACT, contact_saved),
    ("view", EvidenceCallbackId.FAMILY_INTERVIEW, interview_saved),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
