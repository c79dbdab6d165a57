"""The reminder schedule, pure: working days, bank holidays, clock changes, catch-up."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.errors import ValidationFailed
from bot.workflow.reminders.reminders import (
    ReminderSchedule,
    WorkdayIndex,
    describe_due,
    due_points,
    in_send_hours,
    points_between,
    send_instant,
    week_start,
)

D = date
LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("ENG")
IDX = WorkdayIndex(ENG, D(2026, 6, 1))
DEFAULT = ReminderSchedule()


def codes(points):
    return [(p.code, p.on) for p in points]


def all_points(due, schedule=DEFAULT, idx=IDX):
    return points_between(due, due - timedelta(days=60), due + timedelta(days=40), schedule, idx)


def test_index_agrees_with_the_calendar_day_by_day():
    start = D(2026, 1, 1)
    for i in range(0, 800, 3):
        d = start + timedelta(days=i)
        for n in (-10, -5, -1, 0, 1, 5, 10):
            assert IDX.add(d, n) == ENG.add_working_days(d, n), (d, n)
        assert IDX.between(d, d + timedelta(days=17)) == ENG.working_days_between(d, d + timedelta(days=17))
        assert IDX.is_working(d) == ENG.is_working_day(d)


def test_index_grows_to_dates_far_away():
    idx = WorkdayIndex(ENG, D(2026, 1, 1), years=1)
    assert idx.add(D(2035, 12, 24), 1) == ENG.add_working_days(D(2035, 12, 24), 1)
    assert idx.add(D(2019, 1, 2), -1) == D(2018, 12, 31)


def test_default_schedule_10_5_1_on_the_day_then_every_5_overdue():
    # Fri 13 Nov 2026: an ordinary working day with no holidays around it.
    assert codes(all_points(D(2026, 11, 13))) == [
        ("b10", D(2026, 10, 30)), ("b5", D(2026, 11, 6)), ("b1", D(2026, 11, 12)), ("d0", D(2026, 11, 13)),
        ("o5", D(2026, 11, 20)), ("o10", D(2026, 11, 27)), ("o15", D(2026, 12, 4)), ("o20", D(2026, 12, 11)),
        ("o25", D(2026, 12, 18)),
    ]


def test_christmas_2026_boxing_day_substitute_and_new_year():
    # Due Fri 25 Dec 2026 (Christmas Day): "on the day" is the last working day before it, Thu 24 Dec,
    # replacing "1 before"; 28 Dec (Boxing Day, substitute day) and 1 Jan are not working days.
    pts = codes(all_points(D(2026, 12, 25)))
    assert pts[:3] == [("b10", D(2026, 12, 11)), ("b5", D(2026, 12, 18)), ("d0", D(2026, 12, 24))]
    assert ("o5", D(2027, 1, 5)) in pts     # 29, 30, 31 Dec, 4, 5 Jan
    assert ENG.describe(D(2026, 12, 28)) == "Boxing Day (substitute day)"


def test_deadline_on_boxing_day_substitute():
    # Due Mon 28 Dec 2026, itself a bank holiday: 1 working day before is Thu 24 Dec.
    pts = codes(all_points(D(2026, 12, 28)))
    assert ("d0", D(2026, 12, 24)) in pts and not any(c == "b1" for c, _ in pts)
    assert ("b5", D(2026, 12, 18)) in pts
    assert ("o5", D(2027, 1, 5)) in pts     # 29, 30, 31 Dec, (1 Jan), 4, 5 Jan


def test_easter_2027_good_friday_and_easter_monday():
    # Good Friday 26 Mar and Easter Monday 29 Mar 2027.
    assert ENG.describe(D(2027, 3, 26)) == "Good Friday" and ENG.describe(D(2027, 3, 29)) == "Easter Monday"
    pts = codes(all_points(D(2027, 3, 30)))       # due Tue 30 Mar
    assert ("b1", D(2027, 3, 25)) in pts           # Thu 25 Mar: Fri, Sat, Sun, Mon are not working days
    assert ("b5", D(2027, 3, 19)) in pts
    assert ("d0", D(2027, 3, 30)) in pts
    pts = codes(all_points(D(2027, 3, 26)))       # due on Good Friday itself
    assert ("d0", D(2027, 3, 25)) in pts and ("o5", D(2027, 4, 5)) in pts   # 30, 31 Mar, 1, 2, 5 Apr


def test_deadline_on_a_weekend_reminds_on_the_friday_before():
    pts = codes(all_points(D(2026, 11, 1)))       # Sunday
    assert ("d0", D(2026, 10, 30)) in pts and not any(c == "b1" for c, _ in pts)
    assert describe_due(D(2026, 11, 1), D(2026, 10, 30), IDX) == ("today", 0)
    assert describe_due(D(2026, 11, 1), D(2026, 11, 2), IDX) == ("overdue", 1)
    assert describe_due(D(2026, 11, 13), D(2026, 11, 6), IDX) == ("upcoming", 5)


def test_schedule_is_configurable():
    s = ReminderSchedule(days_before=(3,), on_the_day=False, overdue_every=2)
    assert codes(all_points(D(2026, 11, 13), s))[:4] == [
        ("b3", D(2026, 11, 10)), ("o2", D(2026, 11, 17)), ("o4", D(2026, 11, 19)), ("o6", D(2026, 11, 23))]
    none_late = ReminderSchedule(overdue_every=0)
    assert all(not c.startswith("o") for c, _ in codes(all_points(D(2026, 11, 13), none_late)))


@pytest.mark.parametrize("kwargs, field", [
    ({"days_before": (0,)}, "days_before"), ({"overdue_every": -1}, "overdue_every"),
    ({"catch_up_days": 0}, "catch_up_days"), ({"start": time(18), "end": time(9)}, "hours"),
])
def test_bad_schedules_are_refused(kwargs, field):
    with pytest.raises(ValidationFailed) as err:
        ReminderSchedule(**kwargs)
    assert field in err.value.field_errors


def test_catch_up_sends_missed_points_but_not_from_before_the_item_existed():
    due = D(2026, 11, 13)
    # The bot was down all week: Monday 16th catches up d0 (13th) and b1 (12th), not b10 (30 Oct, > 10 days).
    got = codes(due_points(due, since=D(2026, 10, 1), today=D(2026, 11, 16), schedule=DEFAULT, idx=IDX))
    assert got == [("b5", D(2026, 11, 6)), ("b1", D(2026, 11, 12)), ("d0", D(2026, 11, 13))]
    # Recorded 3 working days before the deadline: no "10 before" or "5 before", ever.
    late = codes(due_points(due, since=D(2026, 11, 10), today=D(2026, 11, 13), schedule=DEFAULT, idx=IDX))
    assert late == [("b1", D(2026, 11, 12)), ("d0", D(2026, 11, 13))]
    assert due_points(due, since=None, today=D(2026, 10, 29), schedule=DEFAULT, idx=IDX) == []


def test_long_overdue_items_only_look_back_so_far():
    due = D(2025, 1, 6)
    got = due_points(due, since=D(2025, 1, 1), today=D(2026, 11, 16), schedule=DEFAULT, idx=IDX)
    assert [p.kind for p in got] == ["overdue", "overdue"] and got[-1].on <= D(2026, 11, 16)
    assert all(p.on >= IDX.add(D(2026, 11, 16), -10) for p in got)
    assert all(p.escalates for p in got)


@pytest.mark.parametrize("utc, sends", [
    # Summer (BST, UTC+1): 09:00 local is 08:00 UTC.
    (datetime(2026, 10, 23, 7, 59, tzinfo=timezone.utc), False),
    (datetime(2026, 10, 23, 8, 0, tzinfo=timezone.utc), True),
    # Autumn change on Sun 25 Oct 2026; Monday is GMT: 09:00 local is 09:00 UTC.
    (datetime(2026, 10, 25, 9, 0, tzinfo=timezone.utc), False),     # Sunday
    (datetime(2026, 10, 26, 8, 59, tzinfo=timezone.utc), False),
    (datetime(2026, 10, 26, 9, 0, tzinfo=timezone.utc), True),
    # Spring change on Sun 29 Mar 2026: Monday 30 Mar is BST again.
    (datetime(2026, 3, 27, 8, 59, tzinfo=timezone.utc), False),     # Friday, still GMT
    (datetime(2026, 3, 30, 7, 59, tzinfo=timezone.utc), False),
    (datetime(2026, 3, 30, 8, 0, tzinfo=timezone.utc), True),
    # 2027: spring 28 Mar (after Easter Monday 29 Mar, so Tue 30 Mar), autumn 31 Oct.
    (datetime(2027, 3, 29, 8, 0, tzinfo=timezone.utc), False),      # Easter Monday
    (datetime(2027, 3, 30, 8, 0, tzinfo=timezone.utc), True),
    (datetime(2027, 11, 1, 8, 30, tzinfo=timezone.utc), False),
    (datetime(2027, 11, 1, 9, 0, tzinfo=timezone.utc), True),
    # Saturday; and 18:00 local is the end of the day.
    (datetime(2026, 10, 24, 10, 0, tzinfo=timezone.utc), False),
    (datetime(2026, 10, 26, 17, 59, tzinfo=timezone.utc), True),
    (datetime(2026, 10, 26, 18, 0, tzinfo=timezone.utc), False),
])
def test_send_hours_follow_london_time_across_clock_changes(utc, sends):
    assert in_send_hours(utc, LONDON, IDX, DEFAULT) is sends


def test_send_instant_is_nine_local_in_utc():
    assert send_instant(D(2026, 10, 23), LONDON, DEFAULT) == datetime(2026, 10, 23, 8, tzinfo=timezone.utc)
    assert send_instant(D(2026, 10, 26), LONDON, DEFAULT) == datetime(2026, 10, 26, 9, tzinfo=timezone.utc)
    assert send_instant(D(2027, 3, 29), LONDON, DEFAULT) == datetime(2027, 3, 29, 8, tzinfo=timezone.utc)


def test_week_starts_on_the_first_working_day():
    assert week_start(D(2026, 11, 4), IDX) == D(2026, 11, 2)
    assert week_start(D(2027, 3, 31), IDX) == D(2027, 3, 30)      # Easter Monday week
    assert week_start(D(2027, 3, 29), IDX) is None                 # Easter Monday itself: not yet


def test_scotland_counts_2_january():
    sct = WorkdayIndex(WorkingCalendar("SCT"), D(2026, 12, 1))
    assert not sct.is_working(D(2026, 1, 2)) and IDX.is_working(D(2026, 1, 2))


def test_index_numbers_stay_put_as_it_grows_either_way():
    idx = WorkdayIndex(ENG, D(2026, 6, 1), years=0)
    n = idx.count(D(2026, 6, 3))
    assert idx.add(D(2026, 1, 5), -30) == ENG.add_working_days(D(2026, 1, 5), -30)     # grows backwards
    assert idx.add(D(2026, 12, 20), 40) == ENG.add_working_days(D(2026, 12, 20), 40)    # and forwards
    assert idx.count(D(2026, 6, 3)) == n and idx.nth(n) == D(2026, 6, 3)
    lazy = WorkdayIndex(ENG)
    assert lazy.add(D(2030, 1, 1), 1) == ENG.add_working_days(D(2030, 1, 1), 1)


@pytest.mark.parametrize("day, sends", [
    (D(2026, 12, 24), True), (D(2026, 12, 25), False), (D(2026, 12, 28), False), (D(2026, 12, 29), True),
    (D(2027, 1, 1), False), (D(2027, 3, 26), False), (D(2027, 3, 29), False), (D(2027, 3, 30), True),
])
def test_no_reminders_on_christmas_and_easter_bank_holidays(day, sends):
    assert in_send_hours(datetime(day.year, day.month, day.day, 10, tzinfo=LONDON), LONDON, IDX, DEFAULT) is sends
