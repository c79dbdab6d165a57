"""Terms of reference: versioned (each save is a new version, old ones kept and audited); once a
version is agreed, the members who may confirm it (permissions.py) are asked to confirm they have
read it, and who did is recorded. Other modules read the scoping period through current_terms().
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.clock.transitions import ReviewFacts, Transition, apply
from bot.workflow.core import fields
from bot.workflow.core.errors import (
    NotFound,
    PermissionDenied,
    TransitionRefused,
    WorkflowError,
)
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import ACTIVE, Actor, audit, authorize, move_once, person_for, show_date
from bot.workflow.core.notices import TermsToConfirm
from bot.workflow.core.permissions import PERMISSIONS, Operation, Role
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, text
from storage.models import Membership, Person, Review
from storage.panel import Agency
from storage.terms import TermsConfirmation, TermsOfReference

LINES_OF_ENQUIRY = {
    "risk_marac": "Risk assessment and MARAC",
    "coercive_control": "Coercive control",
    "economic_abuse": "Economic abuse",
    "suicide": "Suicide",
    "equality_diversity": "Equality and diversity",
    "barriers": "Barriers to seeking help",
}
MAX_OTHER_LINES = 3000
MAX_PSEUDONYMS = 1000
EARLIEST = date(1900, 1, 1)


class TermsForm(FormSpec):
    """Agencies are offered, and the latest version's answers filled in, when the form is built."""

    scope_from = Field("Scoping period: from", Kind.DATE)
    scope_to = Field("Scoping period: to", Kind.DATE, hint="Usually the date of death.")
    agencies = Field("Agencies in scope", Kind.MULTI_SELECT)
    lines = Field("Key lines of enquiry", Kind.CHECKBOX, required=False, options=LINES_OF_ENQUIRY,
                  hint="At least one, here or below.")
    other_lines = Field("Other lines of enquiry", Kind.MULTILINE, required=False, max_length=MAX_OTHER_LINES,
                        hint="One per line. Pseudonyms only, never a real name.")
    pseudonyms = Field("Pseudonyms", Kind.MULTILINE, required=False, max_length=MAX_PSEUDONYMS,
                       hint="Who is called what in the review, e.g. \u201cAdult A: the victim\u201d.")
    agreed_on = Field("Date agreed by the panel", Kind.DATE, required=False,
                      hint="Leave empty while the terms are a draft.")


@dataclass(frozen=True)
class TermsInput:
    scope_from: date
    scope_to: date
    agency_ids: list[int]
    lines: list[str]
    other_lines: str | None
    pseudonyms: str | None
    agreed_on: date | None


@dataclass(frozen=True)
class Saved:
    terms: TermsOfReference
    to_ask: list[tuple[str, int]]     # (person's platform id, confirmation id) asked to confirm reading it
    stage_note: str | None = None     # what agreeing did to the stage, or what still holds it in set-up


def validate(raw: dict, *, agencies: dict[str, int], notified_on: date, today: date) -> TermsInput:
    """Field errors, all at once; nothing is stored unless every field is good."""
    f, errors = TermsForm, {}
    scope_from, err = fields.iso_date(f.scope_from.of(raw), label="start of the scoping period")
    if err:
        errors[f.scope_from.key] = err
    scope_to, err = fields.iso_date(f.scope_to.of(raw), label="end of the scoping period")
    if err:
        errors[f.scope_to.key] = err
    if scope_from and scope_from < EARLIEST:
        errors[f.scope_from.key] = "The scoping period can't start before 1900; check the year."
    if scope_to and scope_to > today:
        errors[f.scope_to.key] = "The scoping period can't end in the future; it usually ends at the death."
    if scope_from and scope_to and scope_from > scope_to and f.scope_to.key not in errors:
        errors[f.scope_to.key] = (f"The scoping period ends ({show_date(scope_to)}) before it starts "
                                  f"({show_date(scope_from)}).")
    chosen, err = fields.choices(f.agencies.of(raw), list(agencies), label="agencies")
    if err or not chosen:
        errors[f.agencies.key] = err or "Choose the agencies in scope."
    lines, err = fields.choices(f.lines.of(raw), list(LINES_OF_ENQUIRY), label="lines of enquiry")
    if err:
        errors[f.lines.key] = err
    other, err = fields.text(f.other_lines.of(raw), label="other lines of enquiry", max_len=MAX_OTHER_LINES,
                             required=False)
    if err:
        errors[f.other_lines.key] = err
    if not lines and not other and f.lines.key not in errors and f.other_lines.key not in errors:
        errors[f.lines.key] = "Choose at least one key line of enquiry, or write your own below."
    pseudonyms, err = fields.text(f.pseudonyms.of(raw), label="pseudonyms", max_len=MAX_PSEUDONYMS,
                                  required=False)
    if err:
        errors[f.pseudonyms.key] = err
    agreed_on, err = fields.iso_date(f.agreed_on.of(raw), label="date agreed", required=False)
    if err:
        errors[f.agreed_on.key] = err
    elif agreed_on and agreed_on > today:
        errors[f.agreed_on.key] = "The date agreed can't be in the future; leave it empty until the panel agrees."
    elif agreed_on and agreed_on < notified_on:
        errors[f.agreed_on.key] = f"The date agreed is before the review was notified ({show_date(notified_on)})."
    if errors:
        raise f.invalid(errors)
    return TermsInput(scope_from, scope_to, [agencies[c] for c in chosen], lines, other, pseudonyms, agreed_on)


def current_terms(session: Session, review_id: int) -> TermsOfReference | None:
    """The latest saved version (scope_from, scope_to, agency_ids, agreed_on...), or None."""
    return session.exec(select(TermsOfReference).where(TermsOfReference.review_id == review_id)
                        .order_by(TermsOfReference.version.desc())).first()


def latest_agreed(session: Session, review_id: int) -> TermsOfReference | None:
    return session.exec(select(TermsOfReference).where(TermsOfReference.review_id == review_id,
                                                       TermsOfReference.agreed_on.is_not(None))
                        .order_by(TermsOfReference.version.desc())).first()


def version_count(session: Session, review_id: int) -> int:
    return session.exec(select(func.count()).select_from(TermsOfReference)
                        .where(TermsOfReference.review_id == review_id)).one()


def workspace_agencies(session: Session, review: Review, keep: list[int] = ()) -> list[Agency]:
    """Active agencies of the workspace, plus retired ones an earlier version already named."""
    rows = session.exec(select(Agency).where(Agency.tenant_id == review.tenant_id)
                        .order_by(Agency.name)).all()
    return [a for a in rows if a.active or a.id in set(keep)]


def save(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime, today: date) -> Saved:
    authorize(session, review, actor, Operation.EDIT_TERMS_OF_REFERENCE)
    before = current_terms(session, review.id)
    agencies = {str(a.id): a.id for a in workspace_agencies(session, review, before.agency_ids if before else [])}
    data = validate(raw, agencies=agencies, notified_on=review.notified_on, today=today)
    row = TermsOfReference(review_id=review.id, version=(before.version + 1) if before else 1,
                           scope_from=data.scope_from, scope_to=data.scope_to, agency_ids=data.agency_ids,
                           lines_of_enquiry=data.lines, other_lines=data.other_lines, pseudonyms=data.pseudonyms,
                           agreed_on=data.agreed_on, saved_by=actor.user_id, saved_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:   # two people saved at the same moment: the unique (review, version) decided
        raise WorkflowError(text("Someone else saved a new version of the terms of reference a moment ago. Open ",
                                 Command("tor"), " again to see it; nothing you entered was saved.")) from None
    audit(session, actor.user_id, "terms.saved", now, review.id, version=row.version,
          agreed_on=data.agreed_on.isoformat() if data.agreed_on else None,
          scope_from=data.scope_from.isoformat(), scope_to=data.scope_to.isoformat(),
          agencies=len(data.agency_ids))
    to_ask = _ask_to_confirm(session, review, row, actor, now) if row.agreed_on else []
    note = _open_evidence_gathering(session, review, row, actor, now) if row.agreed_on else None
    return Saved(row, to_ask, note)


def _open_evidence_gathering(session: Session, review: Review, row: TermsOfReference, actor: Actor,
                             now: datetime) -> str | None:
    """Agreed terms move a review in set-up to evidence gathering, through the stage machine's guard;
    when the guard refuses (no chair yet), the saver is told what still holds it."""
    if Stage(review.stage) is not Stage.SETUP:
        return None
    chair = session.exec(select(Membership.id).where(Membership.review_id == review.id,
                                                     Membership.role == Role.CHAIR.value,
                                                     Membership.status == ACTIVE)).first()
    facts = ReviewFacts(chair_appointed=chair is not None, tor_agreed_on=row.agreed_on,
                        scoping_from=row.scope_from, scoping_to=row.scope_to)
    try:
        new_stage = apply(Transition.AGREE_TERMS_OF_REFERENCE, Stage.SETUP, facts)
    except TransitionRefused as refusal:
        return f"The review stays in set-up: {refusal} Save the terms again once that is done."
    move_once(session, review, new_stage, Transition.AGREE_TERMS_OF_REFERENCE, actor, now)
    audit(session, actor.user_id, "stage.moved", now, review.id,
          transition=Transition.AGREE_TERMS_OF_REFERENCE.value, to=new_stage.value)
    return "The review has moved on to evidence gathering."


def _ask_to_confirm(session: Session, review: Review, row: TermsOfReference, actor: Actor,
                    now: datetime) -> list[tuple[str, int]]:
    """Every active member who may confirm is asked; whoever recorded the agreement has confirmed."""
    may_confirm = [r.value for r in PERMISSIONS[Operation.CONFIRM_TERMS_OF_REFERENCE]]
    people = session.exec(
        select(Person.id, Person.user_id).join(Membership, Membership.person_id == Person.id)
        .where(Membership.review_id == review.id, Membership.status == ACTIVE, Membership.role.in_(may_confirm))
        .order_by(Membership.id)).all()
    saver = person_for(session, review.tenant_id, actor.user_id, now, review.platform)
    asked, seen = [], set()
    for person_id, user in [(saver.id, actor.user_id)] + list(people):
        if person_id in seen:
            continue
        seen.add(person_id)
        confirmation = TermsConfirmation(review_id=review.id, terms_id=row.id, person_id=person_id, asked_at=now,
                                         confirmed_at=now if person_id == saver.id else None)
        session.add(confirmation)
        session.flush()
        if person_id != saver.id:
            asked.append((user, confirmation.id))
    audit(session, actor.user_id, "terms.confirmation_requested", now, review.id, version=row.version,
          asked=len(asked))
    return asked


def ask_newcomer(session: Session, review: Review, member: Membership, now: datetime,
                 by: str) -> tuple[str, int, TermsOfReference] | None:
    """A member who became active (or whose role changed) after a version was agreed is asked to
    confirm reading the latest agreed version, once, if their role may confirm: (person's platform id,
    confirmation id, version), or None when there is nothing to ask."""
    may_confirm = {r.value for r in PERMISSIONS[Operation.CONFIRM_TERMS_OF_REFERENCE]}
    agreed = latest_agreed(session, review.id)
    if agreed is None or member.status != ACTIVE or member.role not in may_confirm:
        return None
    asked = session.exec(select(TermsConfirmation.id).where(TermsConfirmation.terms_id == agreed.id,
                                                            TermsConfirmation.person_id == member.person_id)).first()
    if asked is not None:
        return None
    confirmation = TermsConfirmation(review_id=review.id, terms_id=agreed.id, person_id=member.person_id,
                                     asked_at=now)
    try:
        with session.begin_nested():    # the unique (terms, person) makes a second, simultaneous ask a no-op
            session.add(confirmation)
    except IntegrityError:
        return None
    audit(session, by, "terms.confirmation_requested", now, review.id, version=agreed.version, asked=1,
          membership=member.id)
    return session.get(Person, member.person_id).user_id, confirmation.id, agreed


def confirm(session: Session, confirmation_id: int, actor: Actor, now: datetime) -> tuple[Review, TermsOfReference]:
    """The person asked confirms they have read the version; only they can, and only while on the review."""
    confirmation = session.get(TermsConfirmation, confirmation_id)
    person = session.get(Person, confirmation.person_id) if confirmation else None
    if person is None or (person.platform, person.tenant_id, person.user_id) != (actor.platform, actor.tenant_id,
                                                                                 actor.user_id):
        raise PermissionDenied("This request to confirm the terms of reference is for someone else.")
    review = session.get(Review, confirmation.review_id)
    if review is None:
        raise NotFound("That review no longer exists.")
    authorize(session, review, actor, Operation.CONFIRM_TERMS_OF_REFERENCE)
    terms = session.get(TermsOfReference, confirmation.terms_id)
    if confirmation.confirmed_at is not None:
        raise WorkflowError(f"You already confirmed you have read version {terms.version} of the terms of "
                            f"reference of {review.reference}.")
    confirmation.confirmed_at = now
    session.add(confirmation)
    audit(session, actor.user_id, "terms.confirmed", now, review.id, version=terms.version)
    return review, terms


def reminder(session: Session, confirmation_id: int, actor: Actor, now: datetime) -> tuple[str, TermsToConfirm]:
    """Asks again someone who has not yet confirmed reading an agreed version: (who, the DM)."""
    confirmation = session.get(TermsConfirmation, confirmation_id)
    review = session.get(Review, confirmation.review_id) if confirmation else None
    if review is None:
        raise NotFound("That request to confirm the terms of reference no longer exists.")
    authorize(session, review, actor, Operation.EDIT_TERMS_OF_REFERENCE)
    terms = session.get(TermsOfReference, confirmation.terms_id)
    if confirmation.confirmed_at is not None:
        raise WorkflowError(f"They have already confirmed reading version {terms.version} of the terms of "
                            f"reference of {review.reference}.")
    user = session.get(Person, confirmation.person_id).user_id
    audit(session, actor.user_id, "terms.reminded", now, review.id, version=terms.version, user=user)
    return user, TermsToConfirm(confirmation.id, review.reference, terms.version, show_date(terms.agreed_on),
                                review.space_id, actor.user_id)


@dataclass(frozen=True)
class Readers:
    confirmed: list[str]
    awaiting: list[str]


def readers(session: Session, terms_id: int) -> Readers:
    """Who confirmed reading an agreed version, and who has not yet (active members only)."""
    rows = session.exec(
        select(Person.user_id, TermsConfirmation.confirmed_at)
        .join(Person, Person.id == TermsConfirmation.person_id)
        .join(TermsOfReference, TermsOfReference.id == TermsConfirmation.terms_id)
        .join(Membership, (Membership.person_id == Person.id) & (Membership.review_id == TermsOfReference.review_id))
        .where(TermsConfirmation.terms_id == terms_id, Membership.status == ACTIVE)
        .order_by(TermsConfirmation.id)).all()
    confirmed, awaiting = [], []
    for user, at in rows:
        target = confirmed if at else awaiting
        if user not in confirmed and user not in awaiting:
            target.append(user)
    return Readers(confirmed, awaiting)


def agency_names(session: Session, ids: list[int]) -> list[str]:
    if not ids:
        return []
    names = dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(list(ids)))).all())
    return [names[i] for i in ids if i in names]


def lines_text(terms: TermsOfReference) -> list[str]:
    return [LINES_OF_ENQUIRY[k] for k in terms.lines_of_enquiry if k in LINES_OF_ENQUIRY]


def card_line(session: Session, review_id: int) -> str | None:
    """One line for the summary card: the latest version, its scoping period and who has read it."""
    terms = current_terms(session, review_id)
    if terms is None:
        return None
    period = f"scoping period {show_date(terms.scope_from)} to {show_date(terms.scope_to)}"
    if terms.agreed_on is None:
        return f"Version {terms.version} (draft, not yet agreed); {period}."
    seen = readers(session, terms.id)
    total = len(seen.confirmed) + len(seen.awaiting)
    return (f"Version {terms.version}, agreed {show_date(terms.agreed_on)}; {period}; "
            f"read and confirmed by {len(seen.confirmed)} of {total}.")
