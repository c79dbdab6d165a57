"""Injected time: stored as UTC, shown and reasoned about in the deployment's zone."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo


class Clock:
    def __init__(self, tz: ZoneInfo):
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()
