"""/dhr tor, /dhr request, /dhr evidence, the scoping answer and the "I have read them" button.
Each listener parses, runs one use case, delivers its outcome and renders."""
import logging
from collections.abc import Callable

from bot.workflow.core.deliver import Delivered, deliver
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.outcome import Outcome, Reply
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import MessageRef, SpaceRef
from bot.workflow.core.text import text
from bot.workflow.evidence import evidence_use_cases as cases
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.evidence.evidence_use_cases import Done
from bot.workflow.views import provisioning
from handlers.slack.platform import listeners, modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.port import slack_port
from handlers.slack.platform.use_case import run
from handlers.submission import submit
from messages.evidence import evidence as msgs
from messages.slack import render
from messages.slack.ids import EvidenceActionId, EvidenceCallbackId
from messages.slack.render import read_state

log = logging.getLogger("dhr.evidence")
EXPIRED = "This form is out of date. Run the command again in the review channel."


def open_form(svc, client, trigger_id: str, title: str, build) -> None:
    """Loading at once, then build(session) -> a form, or why it can't open (with its command hints)."""
    view = modals.open_loading(client, trigger_id, title, "dhr.loading")
    try:
        with svc.db.session() as s:
            form = build(s)
    except WorkflowError as err:
        form = msgs.said(title, err.rich or text(err.message))
    modals.replace(client, view, render.modal(form))


def deliver_here(svc: Services, ui: SlackInteraction, outcome: Outcome) -> Delivered:
    """Posts, DMs, the summary card, then the reply; one failure does not stop the others."""
    port = slack_port(ui.client)

    def reply(answer: Reply) -> None:
        ui.reply(answer.body, replace_source=answer.replace_source)

    def card(review_id: int) -> None:
        provisioning.refresh_card(svc.db, review_id, port, today=svc.clock.today(), calendar=svc.calendar)
    return deliver(outcome, port, reply=reply, refresh_card=card, strict=False)


def finish(svc: Services, ui: SlackInteraction, title: str, review_id: int | None, case: Callable,
           show: Callable) -> Done | None:
    """A submission: case(session, actor, review_id) -> Done; the form then shows `show(done.shown)`."""
    if review_id is None:
        ui.replace_form(msgs.said(title, EXPIRED))
        return None
    actor = actor_of(ui.body)

    def attempt() -> Done:
        with svc.db.session() as s:
            return case(s, actor, review_id)
    done = submit(ui, title, attempt, notice=msgs.said)
    if done is not None:
        ui.ack(response_action="update", view=render.modal(show(done.shown)))
        deliver_here(svc, ui, done.outcome)
    return done


def send_dms(chat: SlackChat, dms) -> None:
    """(user, notice) DMs, one failure not stopping the others (panel changes use it too)."""
    for user, notice in dms:
        try:
            chat.dm(user, notice)
        except (ChatError, WorkflowError) as err:
            log.warning("could not deliver an evidence message: %s", getattr(err, "code", type(err).__name__))


# ---------------------------------------------------------------- terms of reference

@subcommand("tor", "terms")
def _tor(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, client, command["trigger_id"], "Terms of reference",
              lambda s: msgs.terms_form(cases.terms_form(s, command["channel_id"], actor)))


def terms_saved(svc: Services, ack, body, view, client):
    finish(svc, SlackInteraction(ack, body, client), "Terms of reference", metadata_id(view),
           lambda s, actor, review_id: cases.save_terms(s, review_id, actor, read_state(view), now=svc.clock.now(),
                                                        today=svc.clock.today()), msgs.terms_saved)


def confirm(svc: Services, body, action, client, respond):
    ui = SlackInteraction(None, body, client, respond)
    with svc.db.session() as s:
        outcome = cases.confirm_terms(s, int_value(action.get("value")) or 0, actor_of(body), now=svc.clock.now())
    deliver_here(svc, ui, outcome)


# ---------------------------------------------------------------- requests and the grid

@subcommand("request", "requests")
def _request(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, client, command["trigger_id"], "Request evidence", lambda s: msgs.request_form(
        cases.request_form(s, command["channel_id"], actor, today=svc.clock.today(), calendar=svc.calendar)))


def request_sent(svc: Services, ack, body, view, client):
    finish(svc, SlackInteraction(ack, body, client), "Request evidence", metadata_id(view),
           lambda s, actor, review_id: cases.request_evidence(s, review_id, actor, read_state(view),
                                                              now=svc.clock.now(), today=svc.clock.today()),
           msgs.request_done)


@subcommand("evidence", "grid")
def _evidence(svc, command, client, respond):
    actor = actor_of(command)
    if command.get("args", "").lower() == "mark":
        return open_form(svc, client, command["trigger_id"], "Evidence received",
                         lambda s: msgs.mark_form(cases.mark_form(s, command["channel_id"], actor)))
    run(svc, SlackInteraction(None, command, client, respond),
        lambda s, actor: cases.grid(s, command["channel_id"], actor, today=svc.clock.today()))


def marked(svc: Services, ack, body, view, client):
    finish(svc, SlackInteraction(ack, body, client), "Evidence received", metadata_id(view),
           lambda s, actor, review_id: cases.mark(s, review_id, actor, read_state(view), now=svc.clock.now()),
           msgs.marked)


# ---------------------------------------------------------------- scoping answers

def open_scoping(svc: Services, body, action, client):
    actor, item_id = actor_of(body), int_value(action.get("value"))
    with svc.db.session() as s:   # refused here (a private reply) before any form opens
        cases.check_scoping(s, item_id, actor)

    def build(s):
        form = cases.scoping_form(s, item_id, actor)
        if isinstance(form, cases.ScopingFormData):
            return msgs.scoping_form(form, _origin(body))
        return msgs.scoping_recorded(form)     # an old button: what is recorded, with Revise
    open_form(svc, client, body["trigger_id"], "Scoping answer", build)


def _origin(body) -> dict:
    """The request DM a button was pressed in (its items), so it can be re-drawn once the answer is in."""
    container, message = body.get("container") or {}, body.get("message") or {}
    items = [int(b["block_id"][5:]) for b in message.get("blocks", [])
             if str(b.get("block_id", "")).startswith("item-") and b["block_id"][5:].isdigit()]
    if container.get("type") != "message" or not items:
        return {}
    return {"dm": [container.get("channel_id"), container.get("message_ts")], "items": items[:40]}


def _request_items(view) -> list[int]:
    meta = metadata(view)
    items = meta.get("items") if meta.get("dm") else None
    return [i for i in items if isinstance(i, int)] if isinstance(items, list) else []


def scoping_sent(svc: Services, ack, body, view, client):
    ui = SlackInteraction(ack, body, client)
    done = finish(svc, ui, "Scoping answer", metadata_id(view, "item_id") or 0,
                  lambda s, actor, item_id: cases.answer_scoping(s, item_id, actor, read_state(view),
                                                                 now=svc.clock.now(),
                                                                 request_items=_request_items(view)),
                  lambda shown: msgs.scoping_done(shown.outcome))
    if done is not None and done.shown.redraw is not None:
        _redraw(client, metadata(view).get("dm"), done.shown.redraw)


def _redraw(client, dm, notice) -> None:
    """The request DM the answer came from, its button replaced by what is recorded."""
    try:
        slack_port(client).update(SpaceRef(str(dm[0])), MessageRef(str(dm[1])), notice)
    except (ChatError, WorkflowError, TypeError, IndexError, KeyError) as err:
        log.warning("could not re-draw a request DM: %s", getattr(err, "code", type(err).__name__))


def open_revise(svc: Services, body, action, client):
    actor, item_id = actor_of(body), int_value(action.get("value"))
    try:
        with svc.db.session() as s:
            form = msgs.scoping_revise_form(cases.revise_form(s, item_id, actor))
    except WorkflowError as err:
        form = msgs.said("Scoping answer", err.rich or text(err.message))
    modals.replace(client, body["view"], render.modal(form))


def revised(svc: Services, ack, body, view, client):
    finish(svc, SlackInteraction(ack, body, client), "Revise scoping answer", metadata_id(view, "item_id") or 0,
           lambda s, actor, item_id: cases.revise_scoping(s, item_id, actor, read_state(view), now=svc.clock.now()),
           msgs.scoping_revised)


# Evidence kind -> the function opening its submission form from a button whose value is the item
# id (the request DM and App Home's "Open"). The chronology and IMR handler modules add theirs.
FORM_OPENERS = {Kind.SCOPING.value: open_scoping}

LISTENERS = [
    ("view", EvidenceCallbackId.TERMS, terms_saved),
    ("action", EvidenceActionId.CONFIRM_TERMS, confirm),
    ("view", EvidenceCallbackId.REQUEST, request_sent),
    ("view", EvidenceCallbackId.MARK, marked),
    ("action", EvidenceActionId.OPEN_SCOPING, open_scoping),
    ("view", EvidenceCallbackId.SCOPING, scoping_sent),
    ("action", EvidenceActionId.REVISE_SCOPING, open_revise),
    ("view", EvidenceCallbackId.SCOPING_REVISE, revised),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
