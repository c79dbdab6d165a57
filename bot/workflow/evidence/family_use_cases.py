"""The family use cases: the summary of contacts, the perpetrator interview and the involvement
steps, each form it swaps in, and saving them (chair and coordinator only). A save returns the
summary again, with what was saved on top, and redraws the summary card.
"""
from dataclasses import dataclass

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.permissions import Operation
from bot.workflow.core.text import Icon, Text, text
from bot.workflow.evidence import family, family_steps
from bot.workflow.evidence.evidence_use_cases import Done
from bot.workflow.intake import suicide
from storage.family import FamilyContact, PerpetratorInterview
from storage.models import Review


@dataclass(frozen=True)
class FamilySummary:
    review_id: int
    reference: str
    contacts: list[family.ContactLine]
    interview: str
    saved: Text | None
    steps: list[family_steps.StepLine]
    due: list[str]
    perpetrator_word: str


@dataclass(frozen=True)
class ContactFormData:
    review_id: int
    reference: str
    contact: FamilyContact | None       # None: a new contact


@dataclass(frozen=True)
class InterviewFormData:
    review_id: int
    reference: str
    interview: PerpetratorInterview | None
    perpetrator_word: str


@dataclass(frozen=True)
class StepFormData:
    review_id: int
    reference: str
    contacts: list[tuple[int, str]]     # (contact id, "Contact 2: Mother (older sister)")


def summary(session: Session, review: Review, saved: Text | None = None) -> FamilySummary:
    word = suicide.perpetrator_word(review)
    return FamilySummary(review.id, review.reference, family.contact_lines(family.contacts(session, review.id)),
                         family.interview_line(family.interview(session, review.id), word), saved,
                         family_steps.lines(session, review.id), family_steps.due(session, review), word)


def open_summary(session: Session, space_id: str, actor: Actor) -> FamilySummary:
    review = kernel.review_in_space(session, space_id)
    kernel.authorize(session, review, actor, Operation.RECORD_FAMILY_CONTACT)
    return summary(session, review)


def _review(session: Session, review_id: int, actor: Actor) -> Review:
    """The review a form names (from its metadata: re-checked, never trusted)."""
    review = kernel.get_review(session, review_id)
    kernel.authorize(session, review, actor, Operation.RECORD_FAMILY_CONTACT)
    return review


def contact_form(session: Session, review_id: int, actor: Actor, contact_id: int | None) -> ContactFormData:
    review = _review(session, review_id, actor)
    return ContactFormData(review.id, review.reference, family.contact_for(session, review, contact_id))


def interview_form(session: Session, review_id: int, actor: Actor) -> InterviewFormData:
    review = _review(session, review_id, actor)
    return InterviewFormData(review.id, review.reference, family.interview(session, review.id),
                             suicide.perpetrator_word(review))


def step_form(session: Session, review_id: int, actor: Actor) -> StepFormData:
    """A step names a contact by relationship."""
    review = _review(session, review_id, actor)
    rows = family.contacts(session, review.id)
    return StepFormData(review.id, review.reference,
                        [(row.id, line.title) for row, line in zip(rows, family.contact_lines(rows))])


def _saved(session: Session, review: Review, note: str) -> Done:
    return Done(out.refresh(review.id), summary(session, review, text(Icon("white_check_mark"), f" {note}")))


def record_step(session: Session, review_id: int, actor: Actor, raw: dict, *, now, today) -> Done:
    review = kernel.get_review(session, review_id)
    row = family_steps.record(session, review, actor, raw, now=now, today=today)
    return _saved(session, review, f"{family_steps.STEPS[row.kind]}: saved.")


def save_contact(session: Session, review_id: int, actor: Actor, contact_id: int | None, raw: dict, *, now,
                 today) -> Done:
    review = kernel.get_review(session, review_id)
    row = family.save_contact(session, review, actor, contact_id, raw, now=now, today=today)
    return _saved(session, review, f"Contact {row.number} saved.")


def save_interview(session: Session, review_id: int, actor: Actor, raw: dict, *, now, today) -> Done:
    review = kernel.get_review(session, review_id)
    family.save_interview(session, review, actor, raw, now=now, today=today)
    return _saved(session, review, "Perpetrator interview saved.")
