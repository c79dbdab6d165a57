"""Timescale presets, agreed extensions and the statutory deadlines they produce.

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


# ---------------------------------------------------------------- extensions

@dataclass(frozen=True)
class Extension:
    deadline: str          # a deadline key, e.g. "overview_report"
    new_due: date
    reason: str
    agreed_by: str         # who at the CSP agreed it (a role or name of the body, not a victim detail)
    agreed_on: date        # the day the CSP agreed it
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
    due: date                 # the preset's, or another timescale agreed by the CSP
    extended_to: date | None  # set when an Extension replaced the due date
    met_on: date | None
    status: DeadlineStatus

    @property
    def is_open(self) -> bool:
        return self.status in (DeadlineStatus.DUE, DeadlineStatus.OVERDUE)


def compute_deadlines(*, preset: Preset | str, notified_on: date, decision_on: date | None = None,
                      decision_review: bool | None = None, tor_agreed_on: date | None = None,
                      submitted_on: date | None = None,
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
    return [_deadline(key, base, met, extensions, today) for key, base, met in plan]


def _deadline(key: str, base_due: date, met_on: date | None, extensions: Sequence[Extension],
              today: date) -> Deadline:
    extension = _latest_extension(extensions, key)
    due = extension.new_due if extension else base_due
    return Deadline(key, DEADLINE_LABELS[key], base_due, due,
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


def make_extension(deadline: Deadline, *, new_due: date, reason: str, agreed_by: str, agreed_on: date,
                   today: date) -> Extension:
    """Validates another timescale agreed by the CSP for one deadline."""
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
    return Extension(deadline.key, new_due, reason.strip(), agreed_by.strip(), agreed_on, today)
