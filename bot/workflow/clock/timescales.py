"""Timescale presets, pauses, extensions and the statutory deadlines they produce.

Statutory deadlines are calendar dates (a month from notification, six months from the
decision), so nothing here skips weekends; workdays.py only *describes* a date that falls on
a non-working day. Time is always passed in: nothing reads the system clock.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from bot.workflow.core.errors import NotFound, ValidationFailed, WorkflowError
from bot.workflow.core.stages import Stage


def add_months(d: date, n: int) -> date:
    """Calendar months; relativedelta clamps to month end (31 Jan + 1 month = 28/29 Feb)."""
    return d + relativedelta(months=n)


# ---------------------------------------------------------------- presets

@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    decision_months: int = 1
    tor_months_from_notification: int = 1
    overview_months_from_decision: int = 6
    request_weeks: int = 6

    def with_overrides(self, **overrides: int) -> "Preset":
        """A CSP's local timescales on top of a published preset."""
        numeric = {f.name for f in fields(self)} - {"key", "label"}
        errors = {k: "Not a timescale setting." for k in overrides if k not in numeric}
        errors |= {k: "Use a whole number of at least 1." for k, v in overrides.items()
                   if k in numeric and (not isinstance(v, int) or isinstance(v, bool) or v < 1)}
        if errors:
            raise ValidationFailed(errors)
        return replace(self, **overrides)  # type: ignore[arg-type]  # only numeric fields, checked above


DEFAULT_PRESET_KEY = "2016"
PRESETS: dict[str, Preset] = {
    "2016": Preset("2016", "2016 statutory guidance"),
    "2024-draft": Preset("2024-draft", "2024 draft guidance (not in force)", overview_months_from_decision=12),
}


def get_preset(key: str | None = None) -> Preset:
    try:
        return PRESETS[key or DEFAULT_PRESET_KEY]
    except KeyError:
        raise NotFound(f"There is no timescale preset called {key!r}; choose one of {', '.join(PRESETS)}.") from None


def request_due(preset: Preset, sent_on: date) -> date:
    """Default due date of an evidence request (the coordinator may choose another)."""
    return sent_on + timedelta(weeks=preset.request_weeks)


# ---------------------------------------------------------------- pauses

PAUSE_KINDS: dict[str, str] = {
    "criminal_proceedings": "Criminal proceedings",
    "inquest": "Inquest",
    "iopc": "IOPC investigation",
    "mental_health_review": "Mental health homicide review",
    "other": "Other parallel process",
}


@dataclass(frozen=True)
class Pause:
    started_on: date
    reason: str
    kind: str
    ended_on: date | None = None

    def days(self, until: date) -> int:
        """Calendar days paused, counting an ongoing pause (or one ending later) up to `until`."""
        end = min(self.ended_on or until, until)
        return max(0, (end - self.started_on).days)


def current_pause(pauses: Iterable[Pause]) -> Pause | None:
    return next((p for p in pauses if p.ended_on is None), None)


def is_paused(pauses: Iterable[Pause]) -> bool:
    return current_pause(pauses) is not None


def start_pause(pauses: Sequence[Pause], on: date, reason: str, kind: str, stage: Stage) -> list[Pause]:
    """Returns the pauses with a new, ongoing one appended (the input is not changed)."""
    if Stage(stage) is Stage.CONCLUDED:
        raise WorkflowError("This review is concluded, so there is nothing to pause.")
    if is_paused(pauses):
        raise WorkflowError("This review is already paused. Resume it before starting another pause.")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Say why the review is paused (for example, the criminal trial date)."
    if kind not in PAUSE_KINDS:
        errors["kind"] = "Choose what the review is waiting for from the list."
    last_end = max((p.ended_on for p in pauses if p.ended_on), default=None)
    if last_end and on < last_end:  # overlapping pauses would count the same days twice
        errors["started_on"] = f"The previous pause ran until {last_end:%d %b %Y}; start this one on or after it."
    if errors:
        raise ValidationFailed(errors)
    return [*pauses, Pause(on, reason.strip(), kind)]


def end_pause(pauses: Sequence[Pause], on: date) -> list[Pause]:
    """Returns the pauses with the ongoing one ended on `on`."""
    ongoing = current_pause(pauses)
    if ongoing is None:
        raise WorkflowError("This review isn't paused, so there is nothing to resume.")
    if on < ongoing.started_on:
        raise ValidationFailed({"ended_on": f"The pause started on {ongoing.started_on:%d %b %Y}; "
                                            "it can't end before that."})
    return [replace(p, ended_on=on) if p is ongoing else p for p in pauses]


def paused_days(pauses: Iterable[Pause], before: date, today: date) -> int:
    """Calendar days of the pauses that started before `before` (a deadline's date).
    An ongoing pause counts up to `today`."""
    return sum(p.days(today) for p in pauses if p.started_on < before)


# ---------------------------------------------------------------- extensions

@dataclass(frozen=True)
class Extension:
    deadline: str          # a deadline key, e.g. "overview_report"
    new_due: date
    reason: str
    agreed_by: str         # who at the CSP agreed it (a role or name of the body, not a victim detail)
    recorded_on: date


# ---------------------------------------------------------------- deadlines

DECISION = "decision"
TERMS_OF_REFERENCE = "terms_of_reference"
OVERVIEW_REPORT = "overview_report"

DEADLINE_LABELS = {
    DECISION: "Decision whether to hold a review",
    TERMS_OF_REFERENCE: "Terms of reference agreed (a local target)",   # the guidance sets no date for it
    OVERVIEW_REPORT: "Overview report to the Home Office",
}


class DeadlineStatus(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"
    NOT_APPLICABLE = "not_applicable"   # reserved: deadlines that don't apply are left out


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    base_due: date            # from the preset alone
    due: date                 # after pauses, or the agreed extension
    shifted_days: int         # days added by pauses
    extended_to: date | None  # set when an Extension replaced the due date
    met_on: date | None
    status: DeadlineStatus

    @property
    def is_open(self) -> bool:
        return self.status in (DeadlineStatus.DUE, DeadlineStatus.OVERDUE)


def compute_deadlines(*, preset: Preset | str, notified_on: date, decision_on: date | None = None,
                      decision_review: bool | None = None, tor_agreed_on: date | None = None,
                      submitted_on: date | None = None, pauses: Sequence[Pause] = (),
                      extensions: Sequence[Extension] = (), today: date,
                      directed_on: date | None = None) -> list[Deadline]:
    """The deadlines that apply now. The terms-of-reference and overview-report deadlines only
    exist once a review has been decided (they are left out otherwise). A review the Home Office
    directed after a "no" is a decision to review taken on the day the CSP received the direction:
    its terms of reference and overview report run from that date."""
    p = get_preset(preset) if isinstance(preset, str) else preset
    plan = [(DECISION, add_months(notified_on, p.decision_months), decision_on)]
    if directed_on:
        plan.append((TERMS_OF_REFERENCE, add_months(directed_on, p.tor_months_from_notification), tor_agreed_on))
        plan.append((OVERVIEW_REPORT, add_months(directed_on, p.overview_months_from_decision), submitted_on))
    elif decision_review:
        plan.append((TERMS_OF_REFERENCE, add_months(notified_on, p.tor_months_from_notification), tor_agreed_on))
        if decision_on:
            plan.append((OVERVIEW_REPORT, add_months(decision_on, p.overview_months_from_decision), submitted_on))
    return [_deadline(key, base, met, pauses, extensions, today) for key, base, met in plan]


def _deadline(key: str, base_due: date, met_on: date | None, pauses: Sequence[Pause],
              extensions: Sequence[Extension], today: date) -> Deadline:
    # A met deadline is only moved by pausing while it was still open (days up to met_on).
    shift = paused_days(pauses, before=base_due, today=met_on or today)
    extension = _latest_extension(extensions, key)
    due = extension.new_due if extension else base_due + timedelta(days=shift)
    return Deadline(key, DEADLINE_LABELS[key], base_due, due, shift,
                    extension.new_due if extension else None, met_on, _status(due, met_on, today))


def _latest_extension(extensions: Iterable[Extension], key: str) -> Extension | None:
    mine = [e for e in extensions if e.deadline == key]
    return max(mine, key=lambda e: e.recorded_on) if mine else None  # max keeps the first of equals


def _status(due: date, met_on: date | None, today: date) -> DeadlineStatus:
    if met_on:
        return DeadlineStatus.MET if met_on <= due else DeadlineStatus.MET_LATE
    return DeadlineStatus.OVERDUE if today > due else DeadlineStatus.DUE


def next_deadline(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The earliest deadline still open (overdue ones come first, being earliest)."""
    return min((d for d in deadlines if d.is_open), key=lambda d: d.due, default=None)


def make_extension(deadline: Deadline, *, new_due: date, reason: str, agreed_by: str, today: date) -> Extension:
    """Validates a CSP-agreed extension of one deadline."""
    if not deadline.is_open:
        raise WorkflowError(f"The deadline \u201c{deadline.label}\u201d has already been met; it can't be extended.")
    errors = {}
    if new_due <= deadline.due:
        errors["new_due"] = f"Choose a date after the current due date ({deadline.due:%d %b %Y})."
    if not (reason or "").strip():
        errors["reason"] = "Give the reason the CSP agreed another timescale."
    if not (agreed_by or "").strip():
        errors["agreed_by"] = "Say who agreed the extension (for example, the CSP chair)."
    if errors:
        raise ValidationFailed(errors)
    return Extension(deadline.key, new_due, reason.strip(), agreed_by.strip(), today)
