from datetime import date

import pytest

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.errors import ValidationFailed

D = date
ENG = WorkingCalendar()


@pytest.mark.parametrize(("d", "working"), [
    (D(2026, 12, 24), True),    # Thursday
    (D(2026, 12, 25), False),   # Christmas Day, Friday
    (D(2026, 12, 26), False),   # Boxing Day, Saturday
    (D(2026, 12, 28), False),   # Boxing Day substitute, Monday
    (D(2026, 12, 29), True),
    (D(2027, 3, 26), False),    # Good Friday
    (D(2027, 3, 29), False),    # Easter Monday
    (D(2027, 3, 30), True),
    (D(2027, 1, 4), True),      # England has no 2 January holiday
])
def test_is_working_day_england(d, working):
    assert ENG.is_working_day(d) is working


def test_describe_says_why_a_day_is_not_working():
    assert ENG.describe(D(2026, 12, 28)) == "Boxing Day (substitute day)"
    assert ENG.describe(D(2026, 12, 26)) == "Boxing Day (Saturday)"
    assert ENG.describe(D(2027, 3, 26)) == "Good Friday"
    assert ENG.describe(D(2026, 3, 28)) == "Saturday"
    assert ENG.describe(D(2026, 3, 29)) == "Sunday"
    assert ENG.describe(D(2026, 3, 30)) is None


def test_next_working_day():
    assert ENG.next_working_day(D(2026, 12, 24)) == D(2026, 12, 24)
    assert ENG.next_working_day(D(2026, 12, 25)) == D(2026, 12, 29)
    assert ENG.next_working_day(D(2027, 3, 26)) == D(2027, 3, 30)


@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2026, 12, 24), 1, D(2026, 12, 29)),   # over Christmas, Boxing Day and its substitute
    (D(2026, 12, 24), 0, D(2026, 12, 24)),
    (D(2026, 12, 25), 0, D(2026, 12, 29)),   # day 0 rolls forward
    (D(2026, 12, 26), 1, D(2026, 12, 29)),   # counting from a holiday Saturday
    (D(2027, 3, 25), 1, D(2027, 3, 30)),     # Easter 2027
    (D(2027, 3, 30), -1, D(2027, 3, 25)),
    (D(2026, 12, 29), -2, D(2026, 12, 23)),
    (D(2026, 3, 27), 1, D(2026, 3, 30)),     # spring clock change weekend (29 Mar 2026)
    (D(2026, 10, 23), 1, D(2026, 10, 26)),   # autumn clock change weekend (25 Oct 2026)
    (D(2026, 10, 26), 5, D(2026, 11, 2)),
])
def test_add_working_days(start, n, expected):
    assert ENG.add_working_days(start, n) == expected


def test_working_days_between():
    assert ENG.working_days_between(D(2026, 12, 24), D(2026, 12, 31)) == 3   # 29, 30, 31 Dec
    assert ENG.working_days_between(D(2026, 12, 31), D(2026, 12, 24)) == -3
    assert ENG.working_days_between(D(2026, 3, 27), D(2026, 3, 30)) == 1    # over the clock change
    assert ENG.working_days_between(D(2026, 5, 5), D(2026, 5, 5)) == 0


@pytest.mark.parametrize("a", [D(2026, 12, 22), D(2027, 3, 24), D(2026, 10, 23)])
@pytest.mark.parametrize("n", [0, 1, 3, 10, -4])
def test_adding_and_counting_agree(a, n):
    b = ENG.add_working_days(a, n)
    assert ENG.working_days_between(a, b) == n


def test_scotland_has_2_january_and_england_does_not():
    sct = WorkingCalendar("SCT")
    assert not sct.is_working_day(D(2026, 1, 2))
    assert ENG.is_working_day(D(2026, 1, 2))
    assert sct.describe(D(2027, 1, 4)) == "New Year Holiday (substitute day)"
    assert ENG.is_working_day(D(2027, 1, 4))


def test_wales_matches_england_and_northern_ireland_has_st_patricks_day():
    wls = WorkingCalendar("WLS")
    days = [D(2026, 1, 1) + (D(2026, 1, 2) - D(2026, 1, 1)) * i for i in range(365)]
    assert [wls.is_working_day(d) for d in days] == [ENG.is_working_day(d) for d in days]
    assert not WorkingCalendar("NIR").is_working_day(D(2026, 3, 17))
    assert ENG.is_working_day(D(2026, 3, 17))


def test_extra_closures():
    cal = WorkingCalendar(extra_closures={D(2026, 12, 29): "Council closure"})
    assert cal.describe(D(2026, 12, 29)) == "Council closure"
    assert cal.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 30)


def test_unknown_region_is_refused():
    with pytest.raises(ValidationFailed) as info:
        WorkingCalendar("UK")
    assert "region" in info.value.field_errors
