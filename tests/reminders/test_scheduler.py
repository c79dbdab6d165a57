"""The APScheduler job, the reminder settings and `--now`."""
import logging
import threading
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import scheduler
from bot.config import ConfigError, load_settings
from bot.workflow.reminders.sweep import SweepReport

LONDON = ZoneInfo("Europe/London")


class CountingSweep:
    def __init__(self, fail=False):
        self.calls, self.fail, self.ran = [], fail, threading.Event()

    def run(self, now):
        self.calls.append(now)
        if len(self.calls) >= 2:
            self.ran.set()
        if self.fail:
            raise RuntimeError("secret case detail")
        return SweepReport(at=now, skipped="outside reminder hours")


def test_one_interval_job_coalesced_never_overlapping_and_stopped_cleanly():
    sweep = CountingSweep()
    sched = scheduler.start(sweep, lambda: datetime.now(timezone.utc), tz=LONDON, interval_seconds=0.05)
    try:
        (job,) = sched.get_jobs()
        assert job.id == scheduler.JOB_ID and job.coalesce and job.max_instances == 1
        assert job.misfire_grace_time == 30
        assert sweep.ran.wait(5)
    finally:
        scheduler.stop(sched)
    assert not sched.running
    scheduler.stop(sched)       # stopping twice is harmless
    scheduler.stop(None)


def test_a_failing_sweep_is_logged_without_its_message_and_the_job_keeps_going(caplog):
    sweep = CountingSweep(fail=True)
    with caplog.at_level(logging.ERROR, logger="dhr.scheduler"):
        assert scheduler.tick(sweep, datetime.now(timezone.utc)) is None
    assert "RuntimeError" in caplog.text and "secret case detail" not in caplog.text


def test_reminder_settings_and_their_errors():
    s = load_settings(env={})
    assert s.scheduler and s.region == "ENG" and s.reminder_days_before == (10, 5, 1)
    schedule = scheduler.reminder_schedule(s)
    assert schedule.start == time(9) and schedule.end == time(18) and schedule.overdue_every == 5
    custom = load_settings(env={"SCHEDULER": "off", "DHR_REGION": "sct", "DHR_REMINDER_DAYS_BEFORE": "15, 3",
                                "DHR_REMINDER_OVERDUE_EVERY": "0", "DHR_REMINDER_HOURS": "08:30-17:00"})
    assert not custom.scheduler and custom.region == "SCT"
    schedule = scheduler.reminder_schedule(custom)
    assert schedule.days_before == (15, 3) and schedule.overdue_every == 0 and schedule.start == time(8, 30)
    assert load_settings(env={"DHR_REMINDER_DAYS_BEFORE": "none"}).reminder_days_before == ()


@pytest.mark.parametrize("env, words", [
    ({"SCHEDULER": "sometimes"}, "SCHEDULER"),
    ({"DHR_REGION": "FRA"}, "DHR_REGION"),
    ({"DHR_REMINDER_DAYS_BEFORE": "10,x"}, "DHR_REMINDER_DAYS_BEFORE"),
    ({"DHR_REMINDER_OVERDUE_EVERY": "-1"}, "DHR_REMINDER_OVERDUE_EVERY"),
    ({"DHR_REMINDER_CATCH_UP_DAYS": "0"}, "DHR_REMINDER_CATCH_UP_DAYS"),
    ({"DHR_REMINDER_HOURS": "18:00-09:00"}, "DHR_REMINDER_HOURS"),
    ({"DHR_REMINDER_HOURS": "9-5"}, "DHR_REMINDER_HOURS"),
])
def test_bad_reminder_settings_are_named(env, words):
    with pytest.raises(ConfigError, match=words):
        load_settings(env=env)


def test_now_is_local_time_unless_it_says_otherwise():
    assert scheduler.parse_now("2026-10-23T09:00", LONDON) == datetime(2026, 10, 23, 8, tzinfo=timezone.utc)
    assert scheduler.parse_now("2026-10-26T09:00", LONDON) == datetime(2026, 10, 26, 9, tzinfo=timezone.utc)
    assert scheduler.parse_now("2026-10-26T09:00+00:00", LONDON) == datetime(2026, 10, 26, 9, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        scheduler.parse_now("tomorrow", LONDON)
