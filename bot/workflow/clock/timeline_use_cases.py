"""Hold, lift and extend as use cases: each checks, records, and returns what should happen (the notice in
the review's space and its summary card redrawn); the handler delivers it."""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.workflow.clock import holds, timeline
from bot.workflow.clock.deadlines import timeline as extensions_of
from bot.workflow.clock.timescales import Deadline
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.core.notices import ClockChanged
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import SpaceRef
from bot.workflow.core.text import Command, text
from storage.models import Review


@dataclass(frozen=True)
class HoldFormData:
    review_id: int
    reference: str
    agencies: dict[int, str]


@dataclass(frozen=True)
class LiftFormData:
    review_id: int
    reference: str
    holds: list[holds.Hold]


@dataclass(frozen=True)
class ExtendFormData:
    review_id: int
    reference: str
    deadlines: list[Deadline]


def _changed(review: Review, notice: ClockChanged) -> Outcome:
    space = SpaceRef(review.space_id) if review.space_id else None
    return out.post(space, notice) + out.refresh(review.id)


def hold_form(session: Session, space_id: str, actor: Actor) -> HoldFormData:
    review = kernel.review_in_space(session, space_id)
    return HoldFormData(review.id, review.reference, holds.check_can_hold(session, review, actor))


def lift_form(session: Session, actor: Actor, *, space_id: str | None = None, review_id: int = 0) -> LiftFormData:
    """From `lift` in the review's space, or the card's Lift button (the review's id)."""
    review = kernel.review_in_space(session, space_id) if space_id else kernel.get_review(session, review_id)
    return LiftFormData(review.id, review.reference, holds.liftable(session, review, actor))


def extend_form(session: Session, space_id: str, actor: Actor, today: date) -> ExtendFormData:
    review = kernel.review_in_space(session, space_id)
    return ExtendFormData(review.id, review.reference, timeline.extendable(session, review, actor, today))


def hold(session: Session, review_id: int, actor: Actor, raw: dict[str, Any], *, now: datetime,
         today: date) -> Outcome:
    review = kernel.get_review(session, review_id)
    row = holds.hold(session, review, actor, raw, now=now, today=today)
    held = next(h for h in holds.open_holds(session, review.id) if h.id == row.id)
    return _changed(review, ClockChanged(actor.user_id, "held", held.describe()))


def lift(session: Session, review_id: int, actor: Actor, raw: dict[str, Any], *, now: datetime,
         today: date) -> Outcome:
    review = kernel.get_review(session, review_id)
    lifted = holds.lift(session, review, actor, raw.get(holds.LiftForm.hold.key), now=now, today=today)
    return _changed(review, ClockChanged(actor.user_id, "lifted", lifted.label))


def extend(session: Session, review_id: int, actor: Actor, raw: dict[str, Any], *, now: datetime, today: date,
           calendar: WorkingCalendar) -> Outcome:
    review = kernel.get_review(session, review_id)
    row, moved = timeline.extend(session, review, actor, raw, now=now, today=today)
    tl = extensions_of(session, review.id, reasons=True)
    return _changed(review, ClockChanged(actor.user_id, "extended",
                                         f"agreed by {row.agreed_by} on {kernel.show_date(row.agreed_on)}",
                                         timeline.deadline_lines([moved], calendar, tl)))


def pause_retired() -> Outcome:
    """`pause` and `resume` were review-wide; a review now goes on during a trial or inquest and only named
    activities wait. Say so, rather than silently doing something else."""
    raise WorkflowError(text("A review no longer pauses as a whole: it goes on during a trial or inquest. ",
                             Command("hold"), " records an activity that waits (witness interviews, family contact, "
                             "publication, one agency's evidence) and who agreed it; ", Command("lift"),
                             " ends a hold; ", Command("extend"), " records another timescale the CSP agreed."))
