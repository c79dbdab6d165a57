"""Terms of reference, evidence requests, the coordinator's marks and scoping answers: each use case
checks, records, and returns what should happen (an Outcome); the handler delivers it and shows
what the form says next (`Done.shown`, rendered by messages/evidence).
"""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.workflow.clock.due import coordinators_by_review
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.fields import sentence_start
from bot.workflow.core.kernel import Actor
from bot.workflow.core.notices import EvidenceRequest, RequestedItem, TermsPosted, TermsToConfirm
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Mention, Text, join, text
from bot.workflow.evidence import evidence_items, evidence_requests, scoping_record, terms
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.intake import suicide
from storage.models import Review
from storage.terms import ScopingAnswer, TermsOfReference


@dataclass(frozen=True)
class Done:
    """A submission went through: what to deliver, and what the form shows in its place."""

    outcome: Outcome
    shown: Any


def space_of(review: Review) -> SpaceRef | None:
    return SpaceRef(review.space_id) if review.space_id else None


def me(actor: Actor) -> PersonRef:
    return PersonRef(actor.user_id)


def mentions(users) -> list[Text]:
    return [text(Mention(PersonRef(u))) for u in users]


# ---------------------------------------------------------------- terms of reference

@dataclass(frozen=True)
class TermsFormData:
    review_id: int
    reference: str
    agencies: list[tuple[int, str]]
    current: TermsOfReference | None
    readers: Text | None          # who confirmed reading the latest agreed version
    pseudonyms: str
    lines: list[str]


@dataclass(frozen=True)
class TermsSaved:
    reference: str
    version: int
    agreed: bool
    asked: int
    stage_note: str | None


def terms_form(session: Session, space_id: str, actor: Actor) -> TermsFormData:
    review = kernel.review_in_space(session, space_id)
    kernel.authorize(session, review, actor, Operation.EDIT_TERMS_OF_REFERENCE)
    current = terms.current_terms(session, review.id)
    agencies = terms.workspace_agencies(session, review, current.agency_ids if current else [])
    agreed = terms.latest_agreed(session, review.id)
    readers = readers_text(agreed, terms.readers(session, agreed.id)) if agreed else None
    pseudonyms = f"{review.victim_pseudonym}: the victim" + (
        f"\n{review.perpetrator_pseudonym}: the {suicide.perpetrator_word(review)}"
        if review.perpetrator_pseudonym else "")
    return TermsFormData(review.id, review.reference, [(a.id, a.name) for a in agencies], current, readers,
                         pseudonyms, suicide.default_lines(review, current))


def readers_text(agreed: TermsOfReference, seen: terms.Readers) -> Text:
    said = text(f"Version {agreed.version} (agreed {kernel.show_date(agreed.agreed_on)}) read and confirmed by ",
                join(", ", mentions(seen.confirmed[:30])) if seen.confirmed else "nobody yet")
    if seen.awaiting:
        said += text("; awaiting ", join(", ", mentions(seen.awaiting[:30])))
    return said + "."


def save_terms(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime, today: date) -> Done:
    """A new version: the terms go to the review's space; once agreed, each member who may confirm
    is asked by DM to confirm they have read it."""
    review = kernel.get_review(session, review_id)
    saved = terms.save(session, review, actor, raw, now=now, today=today)
    t = saved.terms
    agreed = kernel.show_date(t.agreed_on) if t.agreed_on else None
    posted = TermsPosted(actor.user_id, review.reference, t.version, agreed,
                         f"{kernel.show_date(t.scope_from)} to {kernel.show_date(t.scope_to)}",
                         terms.agency_names(session, t.agency_ids), terms.lines_text(t), t.other_lines, t.pseudonyms)
    dms = [out.dm(PersonRef(user), TermsToConfirm(cid, review.reference, t.version, agreed or "", review.space_id,
                                                  actor.user_id)) for user, cid in saved.to_ask]
    outcome = out.post(space_of(review), posted) + sum(dms, out.NOTHING) + out.refresh(review.id)
    return Done(outcome, TermsSaved(review.reference, t.version, bool(agreed), len(dms), saved.stage_note))


def confirm_terms(session: Session, confirmation_id: int, actor: Actor, *, now: datetime) -> Outcome:
    """The request's buttons give way to the thanks."""
    review, t = terms.confirm(session, confirmation_id, actor, now)
    said = text(Icon("white_check_mark"), f" Thank you: you confirmed you have read version {t.version} of the "
                                          f"terms of reference of review {review.reference}.")
    return out.reply(said, replace_source=True) + out.refresh(review.id)


# ---------------------------------------------------------------- requests

@dataclass(frozen=True)
class RequestFormData:
    review_id: int
    reference: str
    agencies: list[tuple[int, str]]
    in_scope: list[int]
    due_iso: str


def request_form(session: Session, space_id: str, actor: Actor, *, today: date,
                 calendar: WorkingCalendar) -> RequestFormData:
    review = kernel.review_in_space(session, space_id)
    kernel.authorize(session, review, actor, Operation.REQUEST_EVIDENCE)
    agencies = evidence_requests.requestable_agencies(session, review)
    if not agencies:
        raise WorkflowError(text("No agencies are set up yet: a CSP admin adds them with ", Command("agencies"), "."))
    current = terms.current_terms(session, review.id)
    due = evidence_requests.default_due(today, calendar)
    return RequestFormData(review.id, review.reference, [(a.id, a.name) for a in agencies],
                           current.agency_ids if current else [], due.isoformat())


def request_evidence(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime,
                     today: date) -> Done:
    """Each agency lead gets one DM per agency listing what it owes; the space is told."""
    review = kernel.get_review(session, review_id)
    done = evidence_requests.request(session, review, actor, raw, now=now, today=today)
    due = kernel.show_date(done.due_on)
    dms = [out.dm(PersonRef(lead), EvidenceRequest(done.reference, done.space_id, a.agency, due,
                                                   [RequestedItem(i, k, Kind(k).label) for i, k in a.items],
                                                   actor.user_id))
           for a in done.agencies for lead in a.leads]
    many = len(done.agencies)
    note = text(Mention(me(actor)), f" requested evidence from {many} agenc{'y' if many == 1 else 'ies'}, "
                                    f"due {due}. ", Command("evidence"), " shows the grid.")
    return Done(out.post(space_of(review), note) + sum(dms, out.NOTHING) + out.refresh(review.id), done)


@dataclass(frozen=True)
class GridData:
    reference: str
    rows: list[evidence_items.GridRow]
    own_items: list


def grid(session: Session, space_id: str, actor: Actor, *, today: date) -> Outcome:
    """Every member reads the grid, only to them; an agency lead gets a button per item they owe."""
    review = kernel.review_in_space(session, space_id)
    kernel.authorize(session, review, actor, Operation.VIEW_REVIEW)
    return out.reply(GridData(review.reference, evidence_items.grid(session, review.id, today),
                              evidence_requests.own_open_items(session, review, actor)))


@dataclass(frozen=True)
class MarkFormData:
    review_id: int
    reference: str
    items: list[tuple[int, str]]


def mark_form(session: Session, space_id: str, actor: Actor, *, again: bool = False) -> MarkFormData:
    """`again`: the form as it was submitted, to show beside its errors, even with nothing left to mark
    (its metadata may name another review): `mark` then says what is wrong, under the item."""
    review = kernel.review_in_space(session, space_id)
    items = evidence_requests.markable_items(session, review, actor)
    if not items and not again:
        raise WorkflowError(text("Nothing has been requested yet: ", Command("request"),
                                 " asks agencies for evidence."))
    return MarkFormData(review.id, review.reference, items)


def marked_text(m: evidence_requests.Marked) -> Text:
    return text(Icon("white_check_mark"), f" {m.agency}: {sentence_start(m.label)} recorded as ",
                Bold(m.status.lower()), ".")


def mark(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime) -> Done:
    review = kernel.get_review(session, review_id)
    done = evidence_requests.mark(session, review, actor, raw, now=now)
    said = marked_text(done)
    return Done(out.post(space_of(review), text(Mention(me(actor)), ": ", said)) + out.refresh(review.id), said)


# ---------------------------------------------------------------- scoping answers

@dataclass(frozen=True)
class ScopingFormData:
    item_id: int
    reference: str
    agency: str
    period: str | None


def check_scoping(session: Session, item_id: int | None, actor: Actor) -> None:
    """Refused (a private reply) before any form opens when the button is not the actor's to press."""
    evidence_requests.item_for(session, item_id, actor, Operation.SUBMIT_AGENCY_EVIDENCE, Kind.SCOPING)


def scoping_form(session: Session, item_id: int | None, actor: Actor
                 ) -> ScopingFormData | scoping_record.RecordedScoping:
    """The blank form, or (an old button) what is recorded, with Revise."""
    settled = scoping_record.recorded(session, item_id, actor)
    if settled is not None:
        return settled
    ctx = evidence_requests.item_for(session, item_id, actor, Operation.SUBMIT_AGENCY_EVIDENCE, Kind.SCOPING)
    current = terms.current_terms(session, ctx.review.id)
    period = (f"{kernel.show_date(current.scope_from)} to {kernel.show_date(current.scope_to)}"
              if current else None)
    return ScopingFormData(ctx.item.id, ctx.review.reference, ctx.agency, period)


@dataclass(frozen=True)
class ScopingDone:
    outcome: evidence_requests.ScopingOutcome
    redraw: EvidenceRequest | None      # the request the button was pressed in, as it stands now


def answers_text(answer: ScopingAnswer) -> str:
    yes_no = {True: "yes", False: "no"}
    return (f"contact with the victim {yes_no[answer.contact_victim]}, the perpetrator "
            f"{yes_no[answer.contact_perpetrator]}, children {yes_no[answer.contact_children]}")


def answer_scoping(session: Session, item_id: int | None, actor: Actor, raw: dict, *, now: datetime,
                   request_items: list[int] = ()) -> Done:
    """No contact: the agency's other items are not required and its coordinators are named in the
    space. `request_items`: the items of the request the form came from, re-drawn as they now stand."""
    done = evidence_requests.answer_scoping(session, item_id, actor, raw, now=now)
    if done.no_contact:
        coordinators = coordinators_by_review(session, [done.review.id]).get(done.review.id, ())
        said = text(f"{done.agency} had no contact with the victim, the perpetrator or children in the scoping "
                    "period" + (f"; marked not required: {', '.join(sentence_start(x) for x in done.not_required)}"
                                if done.not_required else "") + ". ", join(" ", mentions(coordinators)))
    else:
        said = text(f"{done.agency} answered the scoping questions: {answers_text(done.answer)}.")
    redraw = _redraw(session, list(request_items), actor)
    return Done(out.post(space_of(done.review), text(Mention(me(actor)), ": ", said)) + out.refresh(done.review.id),
                ScopingDone(done, redraw))


def _redraw(session: Session, item_ids: list[int], actor: Actor) -> EvidenceRequest | None:
    if not item_ids:
        return None
    try:
        return scoping_record.request_again(session, item_ids, actor)
    except WorkflowError:       # an item gone or no longer theirs: the old DM stays as it was
        return None


def revise_form(session: Session, item_id: int | None, actor: Actor) -> scoping_record.RecordedScoping:
    settled = scoping_record.recorded(session, item_id, actor)
    if settled is None:
        raise WorkflowError("This scoping answer hasn't been recorded yet: use Answer instead.")
    return settled


def revise_scoping(session: Session, item_id: int | None, actor: Actor, raw: dict, *, now: datetime) -> Done:
    rec, reason = scoping_record.revise(session, item_id, actor, raw, now=now)
    review = kernel.get_review(session, rec.review_id)
    note = text(Mention(me(actor)), f" revised {rec.agency}'s scoping answer: {answers_text(rec.answer)}. "
                                    f"Why: {reason}")
    return Done(out.post(space_of(review), note) + out.refresh(review.id), rec)
