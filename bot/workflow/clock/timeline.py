"""Another timescale agreed by the CSP: the one way a review's deadline moves, by its coordinator or chair.

The rules are timescales.py's (make_extension); this module checks who may, stores what was agreed (who
agreed, on which day, the new date, why) and audits it. Deadlines and reminders follow by derivation. Holds
on activities (holds.py) never move a deadline: the card notes them beside the deadlines instead.
"""
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.workflow.clock.deadlines import Timeline, open_deadlines, review_deadlines
from bot.workflow.clock.holds import Hold
from bot.workflow.clock.timescales import Deadline, make_extension
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import fields
from bot.workflow.core.errors import ValidationFailed, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit, authorize, show_date
from bot.workflow.core.notices import DeadlineLine
from bot.workflow.core.permissions import Operation
from storage.models import Review
from storage.timeline import DeadlineExtension

MAX_EXTENSION_REASON = 1000
MAX_AGREED_BY = 200


class ExtendForm(FormSpec):
    """The deadline's options (the review's open deadlines) are given when the form is built."""

    deadline = Field("Deadline", Kind.RADIO)
    new_due = Field("New due date", Kind.DATE)
    reason = Field("Reason", Kind.MULTILINE, max_length=MAX_EXTENSION_REASON,
                   hint="Why the CSP agreed another timescale. Pseudonyms only.")
    agreed_by = Field("Who at the CSP agreed it", max_length=MAX_AGREED_BY,
                      placeholder="e.g. the CSP chair, at the partnership meeting")
    agreed_on = Field("Date the CSP agreed it", Kind.DATE)


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
        errors[ExtendForm.new_due.key] = f"The new due date is in the past; choose {show_date(today)} or later."
    reason = _text(raw, ExtendForm.reason.key, MAX_EXTENSION_REASON,
                   "Give the reason the CSP agreed another timescale.")
    agreed_by = _text(raw, ExtendForm.agreed_by.key, MAX_AGREED_BY,
                      "Say who at the CSP agreed the new timescale (for example, the CSP chair).")
    agreed_on = _agreed_on(raw, review, today, errors)
    for value in (reason, agreed_by):
        if isinstance(value, ValidationFailed):
            errors.update(value.field_errors)
    if errors:
        raise ValidationFailed(errors)
    assert deadline is not None and new_due is not None and agreed_on is not None
    assert isinstance(reason, str) and isinstance(agreed_by, str)
    extension = make_extension(deadline, new_due=new_due, reason=reason, agreed_by=agreed_by, agreed_on=agreed_on,
                               today=today)
    row = DeadlineExtension(review_id=review.id, deadline=deadline.key, previous_due=deadline.due,
                            new_due=extension.new_due, reason=extension.reason, agreed_by=extension.agreed_by,
                            agreed_on=agreed_on, recorded_on=today, recorded_by=actor.user_id, recorded_at=now)
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "deadline.extended", now, review.id, deadline=deadline.key,
          previous_due=deadline.due.isoformat(), new_due=new_due.isoformat(), agreed_by=extension.agreed_by,
          agreed_on=agreed_on.isoformat())
    moved = next(d for d in review_deadlines(session, review, today) if d.key == deadline.key)
    return row, moved


def _agreed_on(raw: dict[str, Any], review: Review, today: date, errors: dict[str, str]) -> date | None:
    """The day the CSP agreed the timescale: not in the future, not before the review's notification."""
    on, error = fields.iso_date(raw.get(ExtendForm.agreed_on.key), label="date the CSP agreed it")
    if error:
        errors[ExtendForm.agreed_on.key] = ("Give the date the CSP agreed the new timescale: a deadline only moves "
                                            "by a timescale agreed on a known date." if "Choose" in error else error)
    elif on and on > today:
        errors[ExtendForm.agreed_on.key] = (f"The CSP can't have agreed it in the future; choose {show_date(today)} "
                                            "or earlier.")
    elif on and on < review.notified_on:
        errors[ExtendForm.agreed_on.key] = (f"That is before the review was notified "
                                            f"({show_date(review.notified_on)}); check the date the CSP agreed it.")
    return on


def _text(raw: dict[str, Any], key: str, max_len: int, missing: str) -> str | ValidationFailed:
    """The trimmed text, or a ValidationFailed naming the field."""
    value = (raw.get(key) or "").strip()
    if not value:
        return ValidationFailed({key: missing})
    if len(value) > max_len:
        return ValidationFailed({key: f"Keep it to {max_len} characters or fewer (it has {len(value)})."})
    return value


def deadline_lines(deadlines: list[Deadline], calendar: WorkingCalendar,
                   tl: Timeline | None = None) -> list[DeadlineLine]:
    """The card's wording for deadlines, for the notice posted after a change."""
    return [deadline_line(d, calendar, tl) for d in deadlines]


def deadline_line(deadline: Deadline, calendar: WorkingCalendar, tl: Timeline | None = None,
                  holds: list[Hold] | None = None) -> DeadlineLine:
    """`holds`: the open holds, named beside an open deadline (they don't move it; only the CSP does)."""
    notes = []
    off = calendar.describe(deadline.due)
    if off and deadline.status in ("due", "overdue"):
        notes.append(f"falls on {off} (not a working day)")
    if holds and deadline.status in ("due", "overdue"):
        notes.append("held meanwhile: " + ", ".join(h.in_sentence for h in holds)
                     + " (holds don't move it; the CSP can agree another timescale)")
    if deadline.extended_to:
        ext = next((e for e in (tl.extensions if tl else []) if e.deadline == deadline.key), None)
        notes.append(f"moved by a timescale agreed by {ext.agreed_by} on {show_date(ext.agreed_on)}: {ext.reason}"
                     if ext else "moved by a timescale the CSP agreed")
    return DeadlineLine(label=deadline.label, due=show_date(deadline.due), status=deadline.status,
                        note="; ".join(notes) or None)
