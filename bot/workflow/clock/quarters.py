"""Quarters of the calendar year, as a CSP board reports on them: "2026-Q3" is July to September 2026."""
from dataclasses import dataclass
from datetime import date, timedelta

from bot.workflow.clock.timescales import add_months


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return add_months(self.start, 3) - timedelta(days=1)

    @property
    def months(self) -> str:
        return f"{self.start:%B} to {self.end:%B %Y}"

    def previous(self) -> "Quarter":
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)
