"""The sandbox clock: the bot's "now", which the page can move forward by days.

Everything in the bot that needs the time asks Services.clock (and the reminder sweep is handed
`clock.now`), so replacing that one object moves the whole bot. Moving forward lands at 10:00
local time on the chosen day, inside the reminder hours, so the sweep that follows sends what is
due that day.
"""
import threading
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.clock import Clock

LANDING_HOUR = 10


class SandboxClock(Clock):
    def __init__(self, tz: ZoneInfo, real=time.time):
        super().__init__(tz)
        self._real = real
        self._lock = threading.Lock()
        # (real epoch seconds from which it applies, offset in seconds), oldest first
        self._offsets: list[tuple[float, float]] = [(0.0, 0.0)]

    @property
    def offset(self) -> timedelta:
        return timedelta(seconds=self._offsets[-1][1])

    def now(self) -> datetime:
        real = self._real()
        return datetime.fromtimestamp(real + self._offset_at(real), timezone.utc)

    def at(self, real_epoch: float) -> datetime:
        """Bot time at a past real instant (e.g. a message's ts), with the offset in force then."""
        return datetime.fromtimestamp(real_epoch + self._offset_at(real_epoch), timezone.utc)

    def _offset_at(self, real: float) -> float:
        with self._lock:
            return next(off for since, off in reversed(self._offsets) if since <= real)

    def advance(self, days: int) -> datetime:
        """Move `days` days on, to 10:00 local time that day; returns the new bot time."""
        if not 1 <= days <= 400:
            raise ValueError("Move the clock on by 1 to 400 days.")
        real = self._real()
        local = self.now().astimezone(self.tz)
        target_day = local.date() + timedelta(days=days)
        target = datetime(target_day.year, target_day.month, target_day.day, LANDING_HOUR, tzinfo=self.tz)
        with self._lock:
            self._offsets.append((real, target.timestamp() - real))
        return target
