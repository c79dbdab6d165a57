"""Pause, resume and extend as use cases: each checks, records, and returns what should happen
(the notice in the review's space and its summary card redrawn); the handler delivers it."""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.workflow.clock import timeline
from bot.workflow.clock.timescales import PAUSE_KINDS, Deadline
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.notices import ClockChanged
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import SpaceRef
from storage.models import Review


@dataclass(frozen=True)
class PauseFormData:
    review_id: int
    reference: str


@dataclass(frozen=True)
class ExtendFormData:
    review_id: int
    reference: str
    deadlines: list[Deadline]


def _changed(review: Review, notice: ClockChanged) -> Outcome:
    space = SpaceRef(review.space_id) if review.space_id else None
    return out.post(space, notice) + out.refresh(review.id)


def pause_form(session: Session, space_id: str, actor: Actor) -> PauseFormData:
    review = kernel.review_in_space(session, space_id)
    timeline.check_can_pause(session, review, actor)
    return PauseFormData(review.id, review.reference)


def extend_form(session: Session, space_id: str, actor: Actor, today: date) -> ExtendFormData:
    review = kernel.review_in_space(session, space_id)
    return ExtendFormData(review.id, review.reference, timeline.extendable(session, review, actor, today))


def pause(session: Session, review_id: int, actor: Actor, raw: dict[str, Any], *, now: datetime,
          today: date) -> Outcome:
    review = kernel.get_review(session, review_id)
    row = timeline.pause(session, review, actor, raw, now=now, today=today)
    return _changed(review, ClockChanged(actor.user_id, "paused", PAUSE_KINDS.get(row.kind, row.kind)))


def resume(session: Session, space_id: str, actor: Actor, *, now: datetime, today: date,
           calendar: WorkingCalendar) -> Outcome:
    review = kernel.review_in_space(session, space_id)
    done = timeline.resume(session, review, actor, now=now, today=today)
    days = f"{done.paused_days} day{'s' if done.paused_days != 1 else ''} paused"
    return _changed(review, ClockChanged(actor.user_id, "resumed", days,
                                         timeline.deadline_lines(done.deadlines, calendar)))


def extend(session: Session, review_id: int, actor: Actor, raw: dict[str, Any], *, now: datetime, today: date,
           calendar: WorkingCalendar) -> Outcome:
    review = kernel.get_review(session, review_id)
    row, moved = timeline.extend(session, review, actor, raw, now=now, today=today)
    return _changed(review, ClockChanged(actor.user_id, "extended", f"agreed by {row.agreed_by}",
                                         timeline.deadline_lines([moved], calendar)))
