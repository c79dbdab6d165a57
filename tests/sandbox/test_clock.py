"""The sandbox clock: the bot's time moves on by whole days, landing inside reminder hours."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.clock import SandboxClock

LONDON = ZoneInfo("Europe/London")


class Wall:
    def __init__(self, at: datetime):
        self.t = at.timestamp()

    def __call__(self):
        return self.t


def test_moving_on_lands_at_ten_in_the_morning_local_time_and_time_keeps_running():
    wall = Wall(datetime(2026, 3, 27, 23, 30, tzinfo=timezone.utc))    # Friday night, before the clocks change
    clock = SandboxClock(LONDON, real=wall)
    assert clock.today().isoformat() == "2026-03-27"
    moved = clock.advance(3)
    assert moved == datetime(2026, 3, 30, 10, 0, tzinfo=LONDON)          # British Summer Time by then
    assert clock.now() == moved and clock.today().isoformat() == "2026-03-30"
    wall.t += 90
    assert (clock.now() - moved).total_seconds() == 90


def test_earlier_messages_keep_the_time_they_were_sent_at():
    wall = Wall(datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc))
    clock = SandboxClock(LONDON, real=wall)
    sent = wall.t
    wall.t += 60
    clock.advance(7)
    assert clock.at(sent) == datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
    assert clock.at(wall.t + 5).date().isoformat() == "2026-11-09"


@pytest.mark.parametrize("days", [0, -1, 401])
def test_the_clock_only_moves_forward_by_a_sensible_number_of_days(days):
    clock = SandboxClock(LONDON)
    before = clock.now()
    with pytest.raises(ValueError):
        clock.advance(days)
    assert (clock.now() - before).total_seconds() < 5
