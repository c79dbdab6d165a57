"""When reminders fall due: pure schedule rules, no database, no chat, no clock of its own.

Clock rules, written down once (they build on workdays.py):
- A deadline is a calendar date; it is never moved to a working day. Reminders go out on working
  days only, from `start` (09:00) to before `end` (18:00) in the deployment's zone (Europe/London).
- "n working days before" a deadline D is the n-th working day strictly before D, so a deadline
  on Sunday gets its "1 working day before" reminder on Friday.
- "On the day" is D itself when D is a working day, otherwise the last working day before D (the
  last chance to act); it then replaces the "before" reminder that falls on that same day.
- "Overdue" reminders go every `overdue_every` working days after D (5, 10, 15 ... working days
  late) for as long as the item stays open, and escalate beyond the item's owners.
- Catch-up: a point whose day has passed unsent still goes at the next sweep, folded into that
  day's digest, but only from the day the item (or its current due date) existed, and no further
  back than `catch_up_days` working days.
"""
import threading
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.errors import ValidationFailed

BEFORE, DAY, OVERDUE = "before", "day", "overdue"


@dataclass(frozen=True)
class ReminderSchedule:
    days_before: tuple[int, ...] = (10, 5, 1)
    on_the_day: bool = True
    overdue_every: int = 5          # working days between reminders while overdue; 0 = none
    catch_up_days: int = 10         # how far back (working days) a missed reminder is still sent
    start: time = time(9, 0)        # local time reminders may go from...
    end: time = time(18, 0)         # ...and until (exclusive); later sweeps leave them to the next day
    weekly_lookahead: int = 20      # working days ahead the weekly post in the space lists

    def __post_init__(self):
        errors = {}
        if any(not isinstance(n, int) or n < 1 for n in self.days_before):
            errors["days_before"] = "Reminders before a deadline are whole numbers of working days, at least 1."
        if self.overdue_every < 0:
            errors["overdue_every"] = "Use 0 (no reminders while overdue) or a number of working days."
        if self.catch_up_days < 1:
            errors["catch_up_days"] = "Catch up at least 1 working day."
        if not self.start < self.end:
            errors["hours"] = "Reminder hours must start before they end (e.g. 09:00-18:00)."
        if errors:
            raise ValidationFailed(errors)
        object.__setattr__(self, "days_before", tuple(sorted(set(self.days_before), reverse=True)))

    @property
    def lead_days(self) -> int:
        """Working days before a deadline that its first reminder can fall."""
        return max((*self.days_before, 1))


@dataclass(frozen=True)
class Point:
    """One reminder of one item: `code` names it in the ledger (b10, b5, b1, d0, o5, o10...)."""

    code: str
    on: date            # the working day it belongs to
    kind: str           # before | day | overdue
    working_days: int   # n before (before), 0 (day), n late (overdue)

    @property
    def escalates(self) -> bool:
        return self.kind == OVERDUE


class WorkdayIndex:
    """Working-day arithmetic in O(log n): a sorted table of working days over a range of years,
    built from a WorkingCalendar and grown on demand (numbering stays stable as it grows, so a
    number taken before a growth still means the same day). Same answers as the calendar's own
    add_working_days / working_days_between (tests compare them), but a sweep over thousands of
    items long overdue doesn't walk day by day. Thread-safe."""

    def __init__(self, calendar: WorkingCalendar, around: date | None = None, years: int = 3):
        self.calendar = calendar
        self._lock = threading.Lock()
        self._years = years
        self._first = self._last = None
        self._ordinals: list[int] = []
        self._base = 0                       # the number of the day before the table's first working day
        self._counts: dict[int, int] = {}
        if around:              # else built around the first date asked about (no clock is read here)
            self._grow(date(around.year - years, 1, 1), date(around.year + years, 12, 31))

    def _grow(self, lo: date, hi: date) -> None:
        """Covers [lo, hi] (and whole years), keeping the numbers already given out."""
        first = date(lo.year, 1, 1) if self._first is None else min(self._first, date(lo.year - 1, 1, 1))
        last = date(hi.year, 12, 31) if self._last is None else max(self._last, date(hi.year + 1, 12, 31))
        if self._first is not None and first >= self._first and last <= self._last:
            return
        days = (last - first).days + 1
        ordinals = [d.toordinal() for d in (first + timedelta(i) for i in range(days))
                    if self.calendar.is_working_day(d)]
        if self._first is not None:
            self._base -= bisect_right(ordinals, self._first.toordinal() - 1)
        self._ordinals, self._first, self._last = ordinals, first, last

    def count(self, d: date) -> int:
        """The number of the last working day on or before d (consecutive working days are
        numbered consecutively)."""
        o = d.toordinal()
        c = self._counts.get(o)
        if c is None:
            with self._lock:
                if self._first is None or not self._first <= d <= self._last:
                    self._grow(d - timedelta(days=366 * self._years), d + timedelta(days=366 * self._years))
                c = self._counts[o] = bisect_right(self._ordinals, o) + self._base
        return c

    def nth(self, k: int) -> date:
        """The working day numbered k (count(nth(k)) == k)."""
        i = k - self._base - 1
        while not 0 <= i < len(self._ordinals):
            with self._lock:
                if i < 0:
                    self._grow(self._first - timedelta(days=366), self._first)
                elif i >= len(self._ordinals):
                    self._grow(self._last, self._last + timedelta(days=366))
            i = k - self._base - 1
        return date.fromordinal(self._ordinals[i])

    def is_working(self, d: date) -> bool:
        return self.count(d) != self.count(d - timedelta(days=1))

    def add(self, d: date, n: int) -> date:
        """As WorkingCalendar.add_working_days: the n-th working day after (n > 0) or before (n < 0)
        d; with n == 0, d itself or the next working day."""
        c = self.count(d)
        if n > 0:
            return self.nth(c + n)
        if n == 0:
            return d if self.is_working(d) else self.nth(c + 1)
        return self.nth(self.count(d - timedelta(days=1)) + n + 1)

    def between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a."""
        return self.count(b) - self.count(a)


def points_between(due: date, lo: date, hi: date, schedule: ReminderSchedule, idx: WorkdayIndex) -> list[Point]:
    """Every reminder point of a deadline `due` whose day is within [lo, hi], oldest first."""
    if hi < lo:
        return []
    by_day: dict[date, Point] = {}

    def keep(p: Point):
        if lo <= p.on <= hi:
            current = by_day.get(p.on)
            # Nearer the deadline wins a shared day: "on the day" over "1 before" over "5 before".
            if current is None or (p.kind == DAY) or (current.kind == BEFORE and p.working_days < current.working_days):
                by_day[p.on] = p

    for n in schedule.days_before:
        keep(Point(f"b{n}", idx.add(due, -n), BEFORE, n))
    if schedule.on_the_day:
        keep(Point("d0", due if idx.is_working(due) else idx.add(due, -1), DAY, 0))
    every = schedule.overdue_every
    if every and hi > due:
        base = idx.count(due)
        first_late = max(1, idx.count(lo - timedelta(days=1)) - base + 1)   # working days late at lo
        last_late = idx.count(hi) - base
        k = -(-first_late // every)  # ceil
        while k * every <= last_late:
            n = k * every
            keep(Point(f"o{n}", idx.nth(base + n), OVERDUE, n))
            k += 1
    return [by_day[d] for d in sorted(by_day)]


def due_points(due: date, *, since: date | None, today: date, schedule: ReminderSchedule,
               idx: WorkdayIndex) -> list[Point]:
    """The points to send by `today`: not before the item existed, not beyond the catch-up bound."""
    lo = idx.add(today, -schedule.catch_up_days)
    if since and since > lo:
        lo = since
    return points_between(due, lo, today, schedule, idx)


def in_send_hours(now: datetime, tz: ZoneInfo, idx: WorkdayIndex, schedule: ReminderSchedule) -> bool:
    """A working day, at or after `start` and before `end`, local time (zoneinfo handles BST)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    local = now.astimezone(tz)
    return idx.is_working(local.date()) and schedule.start <= local.time().replace(tzinfo=None) < schedule.end


def send_instant(day: date, tz: ZoneInfo, schedule: ReminderSchedule) -> datetime:
    """When reminders may start on `day`, as a UTC instant (09:00 BST is 08:00 UTC)."""
    return datetime.combine(day, schedule.start, tzinfo=tz).astimezone(timezone.utc)


def week_start(today: date, idx: WorkdayIndex) -> date | None:
    """The first working day of today's ISO week (Tuesday after an Easter Monday), or None if the
    week has no working day up to today."""
    monday = today - timedelta(days=today.weekday())
    first = idx.add(monday, 0)
    return first if first <= today else None


def week_key(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def describe_due(due: date, today: date, idx: WorkdayIndex) -> tuple[str, int]:
    """(state, working days) as a person reads it on `today`:
    ("upcoming", n): n working days left after today, up to and including the deadline;
    ("today", 0): due today, or due on a non-working day with no working day left before it;
    ("overdue", n): n working days late."""
    if due >= today:
        n = idx.between(today, due)
        return ("today", 0) if n == 0 else ("upcoming", n)
    return "overdue", max(1, idx.between(due, today))
