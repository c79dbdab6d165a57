"""UK working days (weekends and bank holidays of one UK nation).

Clock rules, written down once:
- add_working_days(d, n) counts working days *after* d; d itself is day 0. With n == 0 it rolls
  a non-working d forward to the next working day. Negative n counts backwards.
- working_days_between(a, b) counts working days after a up to and including b, so that
  add_working_days(a, working_days_between(a, b)) == b whenever a and b are working days.
Holiday data comes from the pinned `holidays` release, so a deadline moves only when the pin does; a CSP's
local closures can be added with `extra_closures`.
"""
from collections.abc import Mapping
from datetime import date, timedelta

import holidays

from bot.workflow.core.errors import ValidationFailed

REGIONS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class WorkingCalendar:
    def __init__(self, region: str = "ENG", extra_closures: Mapping[date, str] | None = None):
        if region not in REGIONS:
            raise ValidationFailed({"region": f"Choose one of {', '.join(REGIONS)} for the working-day calendar."})
        self.region = region
        self._holidays = holidays.UK(subdiv=region)  # type: ignore[no-untyped-call]  # fills in years lazily
        self._extra = dict(extra_closures or {})

    def holiday_name(self, d: date) -> str | None:
        name = self._extra.get(d) or self._holidays.get(d)
        # gov.uk calls an "observed" bank holiday a "substitute day"
        return name.replace("(observed)", "(substitute day)") if name else None

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and self.holiday_name(d) is None

    def next_working_day(self, d: date) -> date:
        """d itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        if n == 0:
            return self.next_working_day(d)
        step = timedelta(days=1 if n > 0 else -1)
        for _ in range(abs(n)):
            d += step
            while not self.is_working_day(d):
                d += step
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))

    def describe(self, d: date) -> str | None:
        """Why d is not a working day ("Saturday", "Boxing Day (substitute day)"), or None."""
        name = self.holiday_name(d)
        weekend = _WEEKDAYS[d.weekday()] if d.weekday() >= 5 else None
        if name and weekend:
            return f"{name} ({weekend})"
        return name or weekend
