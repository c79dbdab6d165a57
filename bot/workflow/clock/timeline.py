"""Pause, resume and extend: changes to a review's statutory clock, by its coordinator or chair.

The rules are timescales.py's (start_pause, end_pause, make_extension); this module checks who
may, stores what was decided and audits it. Deadlines and reminders follow by derivation: a
paused review sends no reminders for its statutory milestones; on resume every later deadline
has moved by the days paused; an extension replaces one deadline's date.
"""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.clock.deadlines import Timeline, open_deadlines, review_deadlines, timeline
from bot.workflow.clock.timescales import PAUSE_KINDS, Deadline, end_pause, make_extension, start_pause
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import fields
from bot.workflow.core.errors import ValidationFailed, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit, authorize, show_date
from bot.workflow.core.notices import DeadlineLine
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, text
from storage.models import Review
from storage.timeline import DeadlineExtension, ReviewPause

MAX_PAUSE_REASON = 500
MAX_EXTENSION_REASON = 1000
MAX_AGREED_BY = 200


class PauseForm(FormSpec):
    kind = Field("What is the review waiting for?", Kind.SELECT, options=PAUSE_KINDS)
    reason = Field("Reason", Kind.MULTILINE, max_length=MAX_PAUSE_REASON,
                   hint="For example the trial or inquest date. Pseudonyms only, never a real name.")


class ExtendForm(FormSpec):
    """The deadline's options (the review's open deadlines) are given when the form is built."""

    deadline = Field("Deadline", Kind.RADIO)
    new_due = Field("New due date", Kind.DATE)
    reason = Field("Reason", Kind.MULTILINE, max_length=MAX_EXTENSION_REASON,
                   hint="Why the CSP agreed another timescale. Pseudonyms only.")
    agreed_by = Field("Who at the CSP agreed it", max_length=MAX_AGREED_BY,
                      placeholder="e.g. the CSP chair, at the partnership meeting")


@dataclass(frozen=True)
class Resumed:
    pause: ReviewPause
    paused_days: int
    deadlines: list[Deadline]       # the review's open deadlines, moved


def current_pause_row(session: Session, review: Review) -> ReviewPause | None:
    return session.exec(select(ReviewPause).where(ReviewPause.review_id == review.id,
                                                  ReviewPause.ended_on.is_(None))).first()


def check_can_pause(session: Session, review: Review, actor: Actor) -> None:
    """Before showing the form: a clear refusal rather than a form that can't be submitted."""
    authorize(session, review, actor, Operation.PAUSE_RESUME)
    if Stage(review.stage) is Stage.CONCLUDED:
        raise WorkflowError("This review is concluded, so there is nothing to pause.")
    if current_pause_row(session, review):
        raise WorkflowError(text(f"{review.reference} is already paused. Resume it with ", Command("resume"),
                                 " first."))


def pause(session: Session, review: Review, actor: Actor, raw: dict[str, Any], *, now: datetime,
          today: date) -> ReviewPause:
    authorize(session, review, actor, Operation.PAUSE_RESUME)
    reason = _text(raw, PauseForm.reason.key, MAX_PAUSE_REASON,
                   "Say why the review is paused (for example, the trial date).")
    if isinstance(reason, ValidationFailed):
        raise reason
    tl = timeline(session, review.id)
    # validates the kind and any overlap
    start_pause(tl.pauses, today, reason, raw.get(PauseForm.kind.key) or "", Stage(review.stage))
    row = ReviewPause(review_id=review.id, kind=raw[PauseForm.kind.key], reason=reason, started_on=today,
                      started_by=actor.user_id, started_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:   # someone else paused it a moment ago (one open pause per review)
        raise WorkflowError(f"{review.reference} was paused a moment ago by someone else.") from None
    audit(session, actor.user_id, "review.paused", now, review.id, kind=row.kind, started_on=today.isoformat())
    return row


def resume(session: Session, review: Review, actor: Actor, *, now: datetime, today: date) -> Resumed:
    authorize(session, review, actor, Operation.PAUSE_RESUME)
    row = current_pause_row(session, review)
    if row is None:
        raise WorkflowError(f"{review.reference} isn't paused, so there is nothing to resume.")
    tl = timeline(session, review.id)
    end_pause(tl.pauses, today)      # validates the end date
    row.ended_on, row.ended_by, row.ended_at = today, actor.user_id, now
    session.add(row)
    session.flush()
    days = (today - row.started_on).days
    audit(session, actor.user_id, "review.resumed", now, review.id, paused_days=days,
          started_on=row.started_on.isoformat(), ended_on=today.isoformat())
    moved = [d for d in review_deadlines(session, review, today) if d.is_open]
    return Resumed(row, days, moved)


def extendable(session: Session, review: Review, actor: Actor, today: date) -> list[Deadline]:
    """The open statutory deadlines the actor may extend (refuses clearly when there are none)."""
    authorize(session, review, actor, Operation.EXTEND_DEADLINE)
    open_now = open_deadlines(session, review, today)
    if not open_now:
        raise WorkflowError(f"{review.reference} has no open deadline to extend.")
    return open_now


def extend(session: Session, review: Review, actor: Actor, raw: dict[str, Any], *, now: datetime,
           today: date) -> tuple[DeadlineExtension, Deadline]:
    open_now = {d.key: d for d in extendable(session, review, actor, today)}
    errors = {}
    deadline = open_now.get(raw.get(ExtendForm.deadline.key) or "")
    if deadline is None:
        errors[ExtendForm.deadline.key] = "Choose one of the review's open deadlines from the list."
    new_due, error = fields.iso_date(raw.get(ExtendForm.new_due.key), label="new due date")
    if error:
        errors[ExtendForm.new_due.key] = error
    elif new_due < today:
        errors[ExtendForm.new_due.key] = f"The new due date is in the past; choose {today:%d %b %Y} or later."
    reason = _text(raw, ExtendForm.reason.key, MAX_EXTENSION_REASON,
                   "Give the reason the CSP agreed another timescale.")
    agreed_by = _text(raw, ExtendForm.agreed_by.key, MAX_AGREED_BY,
                      "Say who at the CSP agreed the extension (for example, the CSP chair).")
    for value in (reason, agreed_by):
        if isinstance(value, ValidationFailed):
            errors.update(value.field_errors)
    if errors:
        raise ValidationFailed(errors)
    extension = make_extension(deadline, new_due=new_due, reason=reason, agreed_by=agreed_by, today=today)
    row = DeadlineExtension(review_id=review.id, deadline=deadline.key, previous_due=deadline.due,
                            new_due=extension.new_due, reason=extension.reason, agreed_by=extension.agreed_by,
                            recorded_on=today, recorded_by=actor.user_id, recorded_at=now)
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "deadline.extended", now, review.id, deadline=deadline.key,
          previous_due=deadline.due.isoformat(), new_due=new_due.isoformat(), agreed_by=extension.agreed_by)
    moved = next(d for d in review_deadlines(session, review, today) if d.key == deadline.key)
    return row, moved


def _text(raw: dict[str, Any], key: str, max_len: int, missing: str) -> str | ValidationFailed:
    """The trimmed text, or a ValidationFailed naming the field."""
    value = (raw.get(key) or "").strip()
    if not value:
        return ValidationFailed({key: missing})
    if len(value) > max_len:
        return ValidationFailed({key: f"Keep it to {max_len} characters or fewer (it has {len(value)})."})
    return value


def deadline_lines(deadlines: list[Deadline], calendar: WorkingCalendar) -> list[DeadlineLine]:
    """The card's wording for deadlines, for the notice posted after a change."""
    return [deadline_line(d, calendar) for d in deadlines]


def deadline_line(deadline: Deadline, calendar: WorkingCalendar, tl: Timeline | None = None) -> DeadlineLine:
    notes = []
    off = calendar.describe(deadline.due)
    if off and deadline.status in ("due", "overdue"):
        notes.append(f"falls on {off} (not a working day)")
    if tl is not None and tl.current_pause and deadline.status in ("due", "overdue"):
        notes.append("on hold while the review is paused")
    if deadline.shifted_days and not deadline.extended_to:
        notes.append(f"moved {deadline.shifted_days} days by pauses")
    if deadline.extended_to:
        ext = next((e for e in (tl.extensions if tl else []) if e.deadline == deadline.key), None)
        notes.append(f"extended on {show_date(ext.recorded_on)}, agreed by {ext.agreed_by}: {ext.reason}"
                     if ext else "extended")
    return DeadlineLine(label=deadline.label, due=show_date(deadline.due), status=deadline.status,
                        note="; ".join(notes) or None)
