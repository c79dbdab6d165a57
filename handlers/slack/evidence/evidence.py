"""/dhr tor, /dhr request, /dhr evidence, the scoping answer and the "I have read them" button."""
import json
import logging

from bot.workflow.clock.due import coordinators_by_review
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.fields import sentence_start
from bot.workflow.core.notices import (
    EvidenceNote,
    EvidenceRequest,
    RequestedItem,
    TermsPosted,
    TermsToConfirm,
)
from bot.workflow.core.permissions import Operation
from bot.workflow.core.ports import ChatError
from bot.workflow.evidence import evidence_items, evidence_requests, scoping_record, terms
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.intake import suicide
from bot.workflow.views import provisioning
from handlers.slack.platform import modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import int_value, metadata_id, state_values
from messages.evidence import evidence as msgs
from messages.slack.ids import EvidenceActionId, EvidenceCallbackId

log = logging.getLogger("dhr.evidence")
EXPIRED = "This form is out of date. Run the command again in the review channel."


def open_form(svc, client, trigger_id: str, title: str, build) -> None:
    modals.open_built(svc, client, trigger_id, title, build, notice=msgs.result)


def refused(ack, title: str, err: WorkflowError, view: dict):
    """Field errors inline, or the form kept with the message; anything else replaces the form with
    the message. Nothing was stored."""
    return refuse_submission(ack, title, err, view, notice=msgs.result)


def after(svc, client, review_id: int, *, post=None, dms=()) -> None:
    """After the ack: the channel post, the DMs (one failure does not stop the others), the card."""
    chat = SlackChat(client)
    with svc.db.session() as s:
        channel = kernel.get_review(s, review_id).space_id
    sends = ([lambda: chat.post(channel, post)] if post and channel else []) + \
        [lambda user=user, notice=notice: chat.dm(user, notice) for user, notice in dms]
    _each(sends)
    provisioning.refresh_card(svc.db, review_id, chat, today=svc.clock.today(), calendar=svc.calendar)


def send_dms(chat: SlackChat, dms) -> None:
    """(user, notice) DMs, one failure not stopping the others (panel changes use it too)."""
    _each([lambda user=user, notice=notice: chat.dm(user, notice) for user, notice in dms])


def _each(sends) -> None:
    for send in sends:
        try:
            send()
        except (ChatError, WorkflowError) as err:
            log.warning("could not deliver an evidence message: %s", getattr(err, "code", type(err).__name__))


# ---------------------------------------------------------------- terms of reference

@subcommand("tor", "terms")
def _tor(svc, command, client, respond):
    actor = actor_of(command)

    def build(s):
        review = kernel.review_in_channel(s, command["channel_id"])
        kernel.authorize(s, review, actor, Operation.EDIT_TERMS_OF_REFERENCE)
        current = terms.current_terms(s, review.id)
        agencies = terms.workspace_agencies(s, review, current.agency_ids if current else [])
        agreed = terms.latest_agreed(s, review.id)
        seen = terms.readers(s, agreed.id) if agreed else None
        shown = msgs.readers_text(agreed.version, kernel.show_date(agreed.agreed_on), seen.confirmed,
                                  seen.awaiting) if agreed else None
        pseudonyms = f"{review.victim_pseudonym}: the victim" + (
            f"\n{review.perpetrator_pseudonym}: the {suicide.perpetrator_word(review)}"
            if review.perpetrator_pseudonym else "")
        return msgs.terms_form(review.id, review.reference, [(a.id, a.name) for a in agencies], current, shown,
                               pseudonyms, suicide.default_lines(review, current))
    open_form(svc, client, command["trigger_id"], "Terms of reference", build)


def _terms_saved(svc, ack, body, view, client):
    actor, title = actor_of(body), "Terms of reference"
    review_id = metadata_id(view)
    if review_id is None:
        return ack(response_action="update", view=msgs.result(title, EXPIRED))
    try:
        with svc.db.session() as s:
            review = kernel.get_review(s, review_id)
            saved = terms.save(s, review, actor, state_values(view), now=svc.clock.now(), today=svc.clock.today())
            t = saved.terms
            agreed = kernel.show_date(t.agreed_on) if t.agreed_on else None
            post = TermsPosted(actor.user_id, review.reference, t.version, agreed,
                               f"{kernel.show_date(t.scope_from)} to {kernel.show_date(t.scope_to)}",
                               terms.agency_names(s, t.agency_ids), terms.lines_text(t), t.other_lines, t.pseudonyms)
            dms = [(user, TermsToConfirm(cid, review.reference, t.version, agreed, review.space_id, actor.user_id))
                   for user, cid in saved.to_ask]
    except WorkflowError as err:
        return refused(ack, title, err, view)
    ack(response_action="update", view=msgs.result(title, msgs.terms_saved(review.reference, t.version,
                                                                           bool(agreed), len(dms),
                                                                           saved.stage_note)))
    after(svc, client, review_id, post=post, dms=dms)


def _confirm(svc, body, action, client, respond):
    with svc.db.session() as s:
        review, t = terms.confirm(s, int_value(action.get("value")) or 0, actor_of(body), svc.clock.now())
    respond(replace_original=True, **msgs.terms_confirmed(review.reference, t.version))
    after(svc, client, review.id)


# ---------------------------------------------------------------- requests

@subcommand("request", "requests")
def _request(svc, command, client, respond):
    actor = actor_of(command)

    def build(s):
        review = kernel.review_in_channel(s, command["channel_id"])
        kernel.authorize(s, review, actor, Operation.REQUEST_EVIDENCE)
        agencies = evidence_requests.requestable_agencies(s, review)
        if not agencies:
            raise WorkflowError("No agencies are set up yet: a CSP admin adds them with `/dhr agencies`.")
        current = terms.current_terms(s, review.id)
        due = evidence_requests.default_due(svc.clock.today(), svc.calendar)
        return msgs.request_form(review.id, review.reference, [(a.id, a.name) for a in agencies],
                                 current.agency_ids if current else [], due.isoformat())
    open_form(svc, client, command["trigger_id"], "Request evidence", build)


def _request_sent(svc, ack, body, view, client):
    actor, title = actor_of(body), "Request evidence"
    review_id = metadata_id(view)
    if review_id is None:
        return ack(response_action="update", view=msgs.result(title, EXPIRED))
    try:
        with svc.db.session() as s:
            review = kernel.get_review(s, review_id)
            done = evidence_requests.request(s, review, actor, state_values(view), now=svc.clock.now(),
                                             today=svc.clock.today())
    except WorkflowError as err:
        return refused(ack, title, err, view)
    ack(response_action="update", view=msgs.request_done(done))
    due = kernel.show_date(done.due_on)
    dms = [(lead, EvidenceRequest(done.reference, done.space_id, a.agency, due,
                                  [RequestedItem(i, k, Kind(k).label) for i, k in a.items], actor.user_id))
           for a in done.agencies for lead in a.leads]
    post = EvidenceNote(f"<@{actor.user_id}> requested evidence from {len(done.agencies)} "
                        f"agenc{'y' if len(done.agencies) == 1 else 'ies'}, due {due}. `/dhr evidence` shows the grid.")
    after(svc, client, review_id, post=post, dms=dms)


@subcommand("evidence", "grid")
def _evidence(svc, command, client, respond):
    actor = actor_of(command)
    if command.get("args", "").lower() == "mark":
        return _open_mark(svc, command, client)
    with svc.db.session() as s:
        review = kernel.review_in_channel(s, command["channel_id"])
        kernel.authorize(s, review, actor, Operation.VIEW_REVIEW)
        rows = evidence_items.grid(s, review.id, svc.clock.today())
        mine = evidence_requests.own_open_items(s, review, actor)
        message = msgs.grid_message(review.reference, rows, mine)
    respond(response_type="ephemeral", **message)


def _open_mark(svc, command, client):
    def build(s):
        review = kernel.review_in_channel(s, command["channel_id"])
        items = evidence_requests.markable_items(s, review, actor_of(command))
        if not items:
            raise WorkflowError("Nothing has been requested yet: `/dhr request` asks agencies for evidence.")
        return msgs.mark_form(review.id, review.reference, items)
    open_form(svc, client, command["trigger_id"], "Evidence received", build)


def _marked(svc, ack, body, view, client):
    actor, title = actor_of(body), "Evidence received"
    review_id = metadata_id(view)
    if review_id is None:
        return ack(response_action="update", view=msgs.result(title, EXPIRED))
    try:
        with svc.db.session() as s:
            done = evidence_requests.mark(s, kernel.get_review(s, review_id), actor, state_values(view),
                                          now=svc.clock.now())
    except WorkflowError as err:
        return refused(ack, title, err, view)
    ack(response_action="update", view=msgs.result(title, msgs.marked(done)))
    after(svc, client, review_id, post=EvidenceNote(f"<@{actor.user_id}>: {msgs.marked(done)}"))


# ---------------------------------------------------------------- scoping answers

def _open_scoping(svc, body, action, client):
    actor, item_id = actor_of(body), int_value(action.get("value"))
    with svc.db.session() as s:   # refused here (an ephemeral reply) before any modal opens
        evidence_requests.item_for(s, item_id, actor, Operation.SUBMIT_AGENCY_EVIDENCE, Kind.SCOPING)

    def build(s):
        settled = scoping_record.recorded(s, item_id, actor)   # an old button: show what is recorded
        if settled is not None:
            return msgs.scoping_recorded(settled)
        ctx = evidence_requests.item_for(s, item_id, actor, Operation.SUBMIT_AGENCY_EVIDENCE, Kind.SCOPING)
        current = terms.current_terms(s, ctx.review.id)
        period = (f"{kernel.show_date(current.scope_from)} to {kernel.show_date(current.scope_to)}"
                  if current else None)
        return msgs.scoping_form(ctx.item.id, ctx.review.reference, ctx.agency, period, _origin(body))
    open_form(svc, client, body["trigger_id"], "Scoping answer", build)


def _origin(body) -> dict:
    """The request DM a button was pressed in (its items), so it can be re-drawn once the answer is in."""
    container, message = body.get("container") or {}, body.get("message") or {}
    items = [int(b["block_id"][5:]) for b in message.get("blocks", [])
             if str(b.get("block_id", "")).startswith("item-") and b["block_id"][5:].isdigit()]
    if container.get("type") != "message" or not items:
        return {}
    return {"dm": [container.get("channel_id"), container.get("message_ts")], "items": items[:40]}


def _redraw_request(svc, client, view, actor) -> None:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        if not meta.get("dm") or not meta.get("items"):
            return
        with svc.db.session() as s:
            notice = scoping_record.request_again(s, [int(i) for i in meta["items"]], actor)
        if notice is not None:
            SlackChat(client).update(meta["dm"][0], meta["dm"][1], notice)
    except (ChatError, WorkflowError, ValueError, TypeError, AttributeError, IndexError) as err:
        log.warning("could not re-draw a request DM: %s", getattr(err, "code", type(err).__name__))


def _scoping_sent(svc, ack, body, view, client):
    actor, title = actor_of(body), "Scoping answer"
    item_id = metadata_id(view, "item_id")
    try:
        with svc.db.session() as s:
            done = evidence_requests.answer_scoping(s, item_id, actor, state_values(view), now=svc.clock.now())
            coordinators = coordinators_by_review(s, [done.review.id]).get(done.review.id, ())
    except WorkflowError as err:
        return refused(ack, title, err, view)
    ack(response_action="update", view=msgs.result(title, msgs.scoping_done(done)))
    _redraw_request(svc, client, view, actor)
    a = done.answer
    if done.no_contact:
        text = (f"{done.agency} had no contact with the victim, the perpetrator or children in the scoping period"
                + (f"; marked not required: {', '.join(sentence_start(x) for x in done.not_required)}"
                   if done.not_required else "") + ". " + " ".join(f"<@{u}>" for u in coordinators))
    else:
        yes_no = {True: "yes", False: "no"}
        text = (f"{done.agency} answered the scoping questions: contact with the victim {yes_no[a.contact_victim]}, "
                f"the perpetrator {yes_no[a.contact_perpetrator]}, children {yes_no[a.contact_children]}.")
    after(svc, client, done.review.id, post=EvidenceNote(f"<@{actor.user_id}>: {text}"))


def _open_revise(svc, body, action, client):
    actor, item_id = actor_of(body), int_value(action.get("value"))
    try:
        with svc.db.session() as s:
            settled = scoping_record.recorded(s, item_id, actor)
            form = msgs.scoping_revise_form(settled) if settled else msgs.result(
                "Scoping answer", "This scoping answer hasn't been recorded yet: use Answer instead.")
    except WorkflowError as err:
        form = msgs.result("Scoping answer", err.message)
    modals.replace(client, body["view"], form)


def _revised(svc, ack, body, view, client):
    actor, title = actor_of(body), "Revise scoping answer"
    try:
        with svc.db.session() as s:
            rec, reason = scoping_record.revise(s, metadata_id(view, "item_id"), actor, state_values(view),
                                                now=svc.clock.now())
    except WorkflowError as err:
        return refused(ack, title, err, view)
    ack(response_action="update", view=msgs.result(title, "The revised answer is recorded; the channel is told."))
    after(svc, client, rec.review_id, post=EvidenceNote(msgs.scoping_revised_note(actor.user_id, rec, reason)))


# Evidence kind -> the function opening its submission form from a button whose value is the item
# id (the request DM and App Home's "Open"). The chronology and IMR handler modules add theirs.
FORM_OPENERS = {Kind.SCOPING.value: _open_scoping}


def register(app, svc: Services) -> None:
    @app.view(EvidenceCallbackId.TERMS)
    @reporting
    def terms_saved(ack, body, view, client):
        _terms_saved(svc, ack, body, view, client)

    @app.action(EvidenceActionId.CONFIRM_TERMS)
    @reporting
    def confirm(ack, body, action, client, respond):
        ack()
        _confirm(svc, body, action, client, respond)

    @app.view(EvidenceCallbackId.REQUEST)
    @reporting
    def request_sent(ack, body, view, client):
        _request_sent(svc, ack, body, view, client)

    @app.view(EvidenceCallbackId.MARK)
    @reporting
    def marked(ack, body, view, client):
        _marked(svc, ack, body, view, client)

    @app.action(EvidenceActionId.OPEN_SCOPING)
    @reporting
    def open_scoping(ack, body, action, client):
        ack()
        _open_scoping(svc, body, action, client)

    @app.view(EvidenceCallbackId.SCOPING)
    @reporting
    def scoping_sent(ack, body, view, client):
        _scoping_sent(svc, ack, body, view, client)

    @app.action(EvidenceActionId.REVISE_SCOPING)
    @reporting
    def open_revise(ack, body, action, client):
        ack()
        _open_revise(svc, body, action, client)

    @app.view(EvidenceCallbackId.SCOPING_REVISE)
    @reporting
    def revised(ack, body, view, client):
        _revised(svc, ack, body, view, client)
