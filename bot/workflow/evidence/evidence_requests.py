"""Asking agencies for evidence (the request form), their scoping answers, the evidence grid's
summary, and the reminder sources for open requests and unanswered confidentiality agreements.

Cells live in evidence_items.py; this module decides what to ask, of whom, and what a scoping
answer of "no contact" means (the agency's remaining items are not required).
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.clock.due import (
    DueItem,
    DueWindow,
    due_source,
    is_fixed,
    leads_by_review,
    members_by_review,
    one_of,
)
from bot.workflow.clock.holds import held_agencies
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import fields
from bot.workflow.core.agency_access import agency_leads, authorize_agency, memberships
from bot.workflow.core.errors import NotFound, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec
from bot.workflow.core.form_spec import Kind as FieldKind
from bot.workflow.core.kernel import ACTIVE, Actor, audit, authorize, show_date
from bot.workflow.core.permissions import Operation, Role
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, text
from bot.workflow.evidence import evidence_items as cells
from bot.workflow.evidence.evidence_items import Kind, Status
from storage.evidence import EvidenceItem
from storage.models import Membership, Person, Review
from storage.panel import Agency, Agreement
from storage.terms import ScopingAnswer

DEFAULT_WORKING_DAYS = 30          # six weeks
MAX_AHEAD_DAYS = 366
YES_NO = {"yes": "Yes", "no": "No"}
AGREEMENT_WORKING_DAYS = 5         # an invitation to the confidentiality statement is due a working week after it went
LIVE = tuple(s.value for s in Stage if s not in (Stage.CONCLUDED, Stage.NOT_COMMISSIONED))


class RequestForm(FormSpec):
    """Agencies are offered when the form is built (the workspace's active ones)."""

    agencies = Field("Agencies", FieldKind.MULTI_SELECT,
                     hint="The agencies in scope of the terms of reference are chosen already.")
    items = Field("What each agency should send", FieldKind.CHECKBOX, options={k.value: k.label for k in Kind})
    due_on = Field("Due date", FieldKind.DATE,
                   hint="Six weeks (30 working days) from today unless you choose another date.")


class ScopingForm(FormSpec):
    victim = Field("Did your agency have contact with the victim in the scoping period?", FieldKind.RADIO,
                   options=YES_NO)
    perpetrator = Field("Did your agency have contact with the perpetrator in the scoping period?",
                        FieldKind.RADIO, options=YES_NO)
    children = Field("Did your agency have contact with any children of the household in the scoping period?",
                     FieldKind.RADIO, options=YES_NO)


def scoping_errors(raw: dict) -> dict[str, str]:
    return {f.key: "Answer yes or no." for f in (ScopingForm.victim, ScopingForm.perpetrator, ScopingForm.children)
            if f.of(raw) not in YES_NO}


def scoping_answer(raw: dict, **recorded) -> ScopingAnswer:
    return ScopingAnswer(contact_victim=ScopingForm.victim.of(raw) == "yes",
                         contact_perpetrator=ScopingForm.perpetrator.of(raw) == "yes",
                         contact_children=ScopingForm.children.of(raw) == "yes", **recorded)


def default_due(today: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(today, DEFAULT_WORKING_DAYS)


# ---------------------------------------------------------------- requests

@dataclass(frozen=True)
class AgencyRequest:
    agency_id: int
    agency: str
    items: list[tuple[int, str]]      # (evidence item id, kind)
    leads: list[str]                  # the leads' platform ids, told by DM
    pending: list[str] = field(default_factory=list)   # leads added who have not yet agreed to the statement


@dataclass(frozen=True)
class Requested:
    reference: str
    space_id: str | None
    due_on: date
    agencies: list[AgencyRequest]

    @property
    def without_lead(self) -> list[str]:
        return [a.agency for a in self.agencies if not a.leads and not a.pending]

    @property
    def lead_pending(self) -> list[AgencyRequest]:
        return [a for a in self.agencies if not a.leads and a.pending]


def requestable_agencies(session: Session, review: Review) -> list[Agency]:
    return list(session.exec(select(Agency).where(Agency.tenant_id == review.tenant_id, Agency.active)
                             .order_by(Agency.name)))


def validate_request(raw: dict, *, agencies: dict[str, int], today: date) -> tuple[list[int], list[str], date]:
    f, errors = RequestForm, {}
    chosen, err = fields.choices(f.agencies.of(raw), list(agencies), label="agencies")
    if err or not chosen:
        errors[f.agencies.key] = err or "Choose at least one agency."
    kinds, err = fields.choices(f.items.of(raw), [k.value for k in Kind], label="items")
    if err or not kinds:
        errors[f.items.key] = err or "Choose what the agencies should send."
    due_on, err = fields.iso_date(f.due_on.of(raw), label="due date")
    if err:
        errors[f.due_on.key] = err
    elif due_on <= today:
        errors[f.due_on.key] = "The due date must be after today."
    elif due_on > today + timedelta(days=MAX_AHEAD_DAYS):
        errors[f.due_on.key] = "The due date is more than a year away; check the year."
    if errors:
        raise f.invalid(errors)
    return [agencies[c] for c in chosen], kinds, due_on


def request(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime, today: date) -> Requested:
    """Creates (or re-opens, with the new due date) each agency x item cell; all or nothing."""
    authorize(session, review, actor, Operation.REQUEST_EVIDENCE)
    if review.stage not in LIVE:
        raise WorkflowError(f"{review.reference} is {Stage(review.stage).label.lower()}: "
                            "there is no evidence to ask for.")
    agencies = {str(a.id): a for a in requestable_agencies(session, review)}
    agency_ids, kinds, due_on = validate_request(raw, agencies={k: a.id for k, a in agencies.items()}, today=today)
    names = {a.id: a.name for a in agencies.values()}
    waiting = []
    for agency_id in agency_ids:
        for kind in kinds:
            item = cells.find(session, review.id, agency_id, kind)
            if item is not None and item.status == Status.SUBMITTED.value:
                waiting.append(f"{names[agency_id]}'s {Kind(kind).phrase}")
    if waiting:
        raise RequestForm.invalid({RequestForm.items.key: "Already submitted and awaiting review: "
                                   + "; ".join(waiting[:5]) + ". Accept or return it first, or leave it out of "
                                   "this request."})
    leads = agency_leads(session, review.id, agency_ids)
    pending = agency_leads(session, review.id, agency_ids, status="invited")
    out = []
    try:
        for agency_id in agency_ids:
            made = [cells.request(session, review.id, agency_id, kind, due_on, actor.user_id, now) for kind in kinds]
            session.flush()
            out.append(AgencyRequest(agency_id, names[agency_id], [(i.id, i.kind) for i in made], leads[agency_id],
                                     pending[agency_id]))
    except IntegrityError:   # someone else asked for the same item at the same moment; nothing of ours is kept
        raise WorkflowError(text("Someone else requested evidence from these agencies a moment ago; nothing was "
                                 "sent. See ", Command("evidence"), ", then request again if anything is missing.")
                            ) from None
    return Requested(review.reference, review.space_id, due_on, out)


# ---------------------------------------------------------------- scoping answers

@dataclass(frozen=True)
class ItemContext:
    review: Review
    item: EvidenceItem
    agency: str


def item_for(session: Session, item_id: int | None, actor: Actor, op: Operation,
             kind: Kind | None = None) -> ItemContext:
    """The evidence item a button or form names, after checking the actor may act for its agency
    on its review (a value copied from another review, or another agency, is refused)."""
    item = session.get(EvidenceItem, item_id) if item_id else None
    review = session.get(Review, item.review_id) if item else None
    if item is None or review is None or (kind is not None and item.kind != kind.value):
        raise NotFound("That button no longer points at an evidence request.")
    authorize_agency(session, review, actor, op, item.agency_id)
    return ItemContext(review, item, session.get(Agency, item.agency_id).name)


def latest_scoping(session: Session, review_id: int, agency_id: int) -> ScopingAnswer | None:
    return session.exec(select(ScopingAnswer).where(ScopingAnswer.review_id == review_id,
                                                    ScopingAnswer.agency_id == agency_id)
                        .order_by(ScopingAnswer.id.desc())).first()


@dataclass(frozen=True)
class ScopingOutcome:
    review: Review
    agency: str
    answer: ScopingAnswer
    not_required: list[str]           # labels of the items marked not required

    @property
    def no_contact(self) -> bool:
        a = self.answer
        return not (a.contact_victim or a.contact_perpetrator or a.contact_children)


def answer_scoping(session: Session, item_id: int | None, actor: Actor, raw: dict, *, now: datetime) -> ScopingOutcome:
    ctx = item_for(session, item_id, actor, Operation.SUBMIT_AGENCY_EVIDENCE, Kind.SCOPING)
    errors = scoping_errors(raw)
    if errors:
        raise ScopingForm.invalid(errors)
    if Status(ctx.item.status) not in cells.OPEN:   # a form opened before the answer settled
        raise WorkflowError(f"{ctx.agency}'s scoping answer is already recorded "
                            f"({cells.LABELS[ctx.item.status].lower()}), so this form changed nothing. To correct "
                            "it, use Revise on the request, with the reason.")
    review = ctx.review
    answer = scoping_answer(raw, review_id=review.id, agency_id=ctx.item.agency_id, answered_by=actor.user_id,
                            answered_at=now)
    session.add(answer)
    cells.move(session, review.id, ctx.item.agency_id, Kind.SCOPING, Status.SUBMITTED, actor.user_id, now)
    audit(session, actor.user_id, "scoping.answered", now, review.id, agency_id=ctx.item.agency_id,
          victim=answer.contact_victim, perpetrator=answer.contact_perpetrator, children=answer.contact_children)
    marked = []
    if not (answer.contact_victim or answer.contact_perpetrator or answer.contact_children):
        others = session.exec(select(EvidenceItem).where(
            EvidenceItem.review_id == review.id, EvidenceItem.agency_id == ctx.item.agency_id,
            EvidenceItem.kind != Kind.SCOPING.value,
            EvidenceItem.status.in_([s.value for s in cells.OPEN]))).all()
        for other in sorted(others, key=lambda i: list(Kind).index(Kind(i.kind))):
            cells.move(session, review.id, other.agency_id, other.kind, Status.NOT_REQUIRED, actor.user_id, now)
            marked.append(Kind(other.kind).label)
    session.flush()
    return ScopingOutcome(review, ctx.agency, answer, marked)


# ---------------------------------------------------------------- what the card and the grid show

@dataclass(frozen=True)
class EvidenceSummary:
    counts: dict[str, int]               # shown status -> number of cells
    overdue: list[str]                   # "Northshire Police (chronology)"
    returned: list[str]


def summary(session: Session, review_id: int, today: date) -> EvidenceSummary | None:
    rows = cells.grid(session, review_id, today)
    if not rows:
        return None
    counts: dict[str, int] = defaultdict(int)
    overdue, returned = [], []
    for row in rows:
        for kind, status in row.cells.items():
            if not status:
                continue
            counts[status] += 1
            if status == "overdue":
                overdue.append(f"{row.agency} ({Kind(kind).phrase})")
            elif status == "returned":
                returned.append(f"{row.agency} ({Kind(kind).phrase})")
    return EvidenceSummary(dict(counts), overdue, returned)


def own_open_items(session: Session, review: Review, actor: Actor) -> list[tuple[EvidenceItem, str]]:
    """The open items the actor can act on as an agency lead (for buttons under the grid)."""
    mine = {a for role, a in memberships(session, review, actor) if role == Role.AGENCY_LEAD and a}
    if not mine:
        return []
    rows = session.exec(select(EvidenceItem, Agency.name).join(Agency, Agency.id == EvidenceItem.agency_id)
                        .where(EvidenceItem.review_id == review.id, EvidenceItem.agency_id.in_(list(mine)),
                               EvidenceItem.status.in_([s.value for s in cells.OPEN]))
                        .order_by(Agency.name, EvidenceItem.id)).all()
    return list(rows)


def open_items_of_agency(session: Session, review: Review, agency_id: int) -> list[EvidenceItem]:
    """What an agency still owes a live review (requested or returned), in the grid's order: what a
    new agency lead is told about when they join after the request went."""
    if review.stage not in LIVE:
        return []
    rows = session.exec(select(EvidenceItem).where(
        EvidenceItem.review_id == review.id, EvidenceItem.agency_id == agency_id,
        EvidenceItem.status.in_([s.value for s in cells.OPEN]))).all()
    return sorted(rows, key=lambda i: (i.due_on or date.max, list(Kind).index(Kind(i.kind))))


# ---------------------------------------------------------------- reminder sources

@due_source("request")
def open_requests(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """Open evidence requests (requested or returned) due by the window's end. The agency's leads
    are reminded (the coordinators when it has none); once overdue, coordinators, chairs and the
    agency's panel members too. An agency whose evidence is held (holds.py) is sent none; a hold on
    any other activity changes nothing here. The label names the item and agency only."""
    # Columns, not EvidenceItem objects: the sweep reads thousands of rows every minute and
    # building ORM instances for them cost more than the query.
    rows = session.exec(
        select(EvidenceItem.review_id, EvidenceItem.agency_id, EvidenceItem.kind, EvidenceItem.due_on,
               EvidenceItem.requested_at, Review.reference, Review.space_id, Agency.name)
        .join(Review, Review.id == EvidenceItem.review_id).join(Agency, Agency.id == EvidenceItem.agency_id)
        .where(is_fixed(EvidenceItem.status, *sorted(s.value for s in cells.OPEN)), EvidenceItem.due_on.is_not(None),
               EvidenceItem.due_on <= window.due_until, Review.stage.in_(LIVE),
               window.reviews(EvidenceItem.review_id))).all()
    if not rows:
        return []
    ids = sorted({item.review_id for item in rows})
    held = held_agencies(session, ids)
    leads = leads_by_review(session, ids)
    coordinators = members_by_review(session, ids, (Role.COORDINATOR,))
    by_agency = _agency_members(session, ids)
    items = []
    labels = {k.value: k.label for k in Kind}
    for item in rows:
        reference, space_id, agency = item.reference, item.space_id, item.name
        if (item.review_id, item.agency_id) in held:
            continue
        agency_leads_ = by_agency.get((item.review_id, item.agency_id, Role.AGENCY_LEAD.value), ())
        owners = agency_leads_ or coordinators.get(item.review_id, ())
        panel = by_agency.get((item.review_id, item.agency_id, Role.PANEL_MEMBER.value), ())
        escalate = tuple(dict.fromkeys(leads.get(item.review_id, ()) + panel))
        if not owners and not escalate:
            continue
        since = item.requested_at.astimezone(window.tz).date() if item.requested_at else None
        items.append(DueItem(review_id=item.review_id, reference=reference, space_id=space_id, kind="request",
                             key=f"{item.agency_id}-{item.kind}", label=f"{labels[item.kind]} from {agency}"[:120],
                             due=item.due_on, owners=tuple(owners), escalate_to=escalate, since=since))
    return items


def _agency_members(session: Session, review_ids: list[int]) -> dict[tuple[int, int, str], tuple[str, ...]]:
    out: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    rows = session.exec(
        select(Membership.review_id, Membership.agency_id, Membership.role, Person.user_id)
        .join(Person, Person.id == Membership.person_id)
        .where(one_of(session, Membership.review_id, review_ids), Membership.status == ACTIVE,
               Membership.agency_id.is_not(None),
               Membership.role.in_([Role.AGENCY_LEAD.value, Role.PANEL_MEMBER.value]))
        .order_by(Membership.id))
    for review_id, agency_id, role, user in rows:
        if user not in out[(review_id, agency_id, role)]:
            out[(review_id, agency_id, role)].append(user)
    return {k: tuple(v) for k, v in out.items()}


@due_source("agreement")
def unanswered_agreements(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """Invitations to a review's confidentiality statement not yet answered: due 5 working days after
    they went (the window's calendar); the invited person is reminded (without a link to a space
    they are not in yet), and the coordinators once it is overdue, told whose answer it is."""
    # n working days after a day are at least n calendar days after it: a cheap superset in SQL
    latest_asked = datetime.combine(window.due_until - timedelta(days=AGREEMENT_WORKING_DAYS - 1),
                                    datetime.min.time(), tzinfo=window.tz)
    rows = session.exec(
        select(Agreement.id, Agreement.review_id, Agreement.asked_at, Person.user_id,
               Review.reference, Review.space_id)
        .join(Membership, Membership.id == Agreement.membership_id)
        .join(Person, Person.id == Membership.person_id).join(Review, Review.id == Agreement.review_id)
        .where(is_fixed(Agreement.status, "pending"), Membership.status == "invited",
               Agreement.asked_at < latest_asked, Review.stage.in_(LIVE),
               window.reviews(Agreement.review_id))).all()
    if not rows:
        return []
    coordinators = members_by_review(session, [r.review_id for r in rows], (Role.COORDINATOR,))
    items = []
    for r in rows:
        asked_on = r.asked_at.astimezone(window.tz).date()
        due = window.add_working_days(asked_on, AGREEMENT_WORKING_DAYS)
        if due > window.due_until:
            continue
        items.append(DueItem(review_id=r.review_id, reference=r.reference, space_id=r.space_id,
                             kind="agreement", key=f"agreement-{r.id}", label="Answer to the confidentiality statement",
                             due=due, owners=(r.user_id,), escalate_to=coordinators.get(r.review_id, ()),
                             since=asked_on, about=r.user_id, owners_outside=True))
    return items


def show_due(d: date) -> str:
    return show_date(d)


# ---------------------------------------------------------------- the coordinator records what arrived

# What the coordinator or chair may record on an item (a short report sent to them, an item
# accepted, a request withdrawn); evidence_items.NEXT says which steps are allowed from where.
MARKS = {Status.SUBMITTED.value: "Received", Status.ACCEPTED.value: "Accepted",
         Status.NOT_REQUIRED.value: "Not required (request withdrawn)"}


class MarkForm(FormSpec):
    """The items are offered when the form is built (this review's)."""

    item = Field("Agency and item", FieldKind.SELECT)
    status = Field("What happened", FieldKind.RADIO, options=MARKS)


@dataclass(frozen=True)
class Marked:
    reference: str
    space_id: str | None
    agency: str
    label: str          # "Short report"
    status: str         # "Received"


def markable_items(session: Session, review: Review, actor: Actor) -> list[tuple[int, str]]:
    """(item id, "Agency: item (status)") for the form, agencies by name."""
    authorize(session, review, actor, Operation.REQUEST_EVIDENCE)
    rows = session.exec(select(EvidenceItem, Agency.name).join(Agency, Agency.id == EvidenceItem.agency_id)
                        .where(EvidenceItem.review_id == review.id).order_by(Agency.name, EvidenceItem.kind)).all()
    return [(item.id, f"{name}: {Kind(item.kind).label} ({cells.LABELS[item.status].lower()})"[:75])
            for item, name in rows]


def mark(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime) -> Marked:
    """Records by hand what arrived outside the bot (a short report by e-mail), an acceptance or a
    withdrawn request. The item must be this review's; the step must be allowed from its status."""
    authorize(session, review, actor, Operation.REQUEST_EVIDENCE)
    f = MarkForm
    value, status = str(f.item.of(raw) or ""), f.status.of(raw)
    item = session.get(EvidenceItem, int(value)) if value.isascii() and value.isdigit() else None
    errors = {}
    if item is None or item.review_id != review.id:
        errors[f.item.key] = "Choose one of this review's evidence items."
    if status not in MARKS:
        errors[f.status.key] = "Choose what happened to it."
    if errors:
        raise f.invalid(errors)
    try:
        cells.move(session, review.id, item.agency_id, item.kind, status, actor.user_id, now)
    except WorkflowError as err:
        raise f.invalid({f.status.key: err.message}) from None
    return Marked(review.reference, review.space_id, session.get(Agency, item.agency_id).name,
                  Kind(item.kind).label, MARKS[status])
