from datetime import date

import pytest

from bot.workflow.clock.timescales import (
    PRESETS,
    Deadline,
    DeadlineStatus,
    Extension,
    add_months,
    compute_deadlines,
    get_preset,
    make_extension,
    next_deadline,
    request_due,
)
from bot.workflow.core.errors import NotFound, ValidationFailed, WorkflowError

D = date


def by_key(deadlines) -> dict[str, Deadline]:
    return {d.key: d for d in deadlines}


# ---------------------------------------------------------------- months and presets

@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),      # leap year
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 1, 15), 12, D(2027, 1, 15)),
    (D(2026, 12, 10), 1, D(2027, 1, 10)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
])
def test_add_months_clamps_to_month_end(start, n, expected):
    assert add_months(start, n) == expected


def test_presets():
    assert get_preset().key == "2016"
    assert get_preset(None).label == "2016 statutory guidance"
    assert get_preset("2016").overview_months_from_decision == 6
    assert get_preset("2024-draft").overview_months_from_decision == 12
    assert get_preset("2024-draft").label == "2024 draft guidance (not in force)"
    assert set(PRESETS) == {"2016", "2024-draft"}


def test_unknown_preset_is_not_found():
    with pytest.raises(NotFound, match="2016"):
        get_preset("2019")


def test_local_overrides_leave_the_published_preset_alone():
    local = get_preset("2016").with_overrides(overview_months_from_decision=9, request_weeks=4)
    assert (local.overview_months_from_decision, local.request_weeks) == (9, 4)
    assert get_preset("2016").overview_months_from_decision == 6


@pytest.mark.parametrize("bad", [{"nonsense": 3}, {"request_weeks": 0}, {"decision_months": "2"},
                                 {"key": "x"}, {"decision_months": True}])
def test_bad_overrides_are_refused(bad):
    with pytest.raises(ValidationFailed) as info:
        get_preset().with_overrides(**bad)
    assert set(info.value.field_errors) == set(bad)


def test_request_due_defaults_to_six_weeks():
    assert request_due(get_preset(), D(2026, 3, 2)) == D(2026, 4, 13)
    assert request_due(get_preset().with_overrides(request_weeks=2), D(2026, 3, 2)) == D(2026, 3, 16)


# ---------------------------------------------------------------- deadlines

def test_before_the_decision_only_the_decision_deadline_exists():
    deadlines = compute_deadlines(preset=get_preset(), notified_on=D(2026, 1, 31), today=D(2026, 2, 1))
    assert [(d.key, d.due, d.status) for d in deadlines] == [("decision", D(2026, 2, 28), "due")]


def test_decision_overdue_the_day_after_it_is_due():
    kwargs = dict(preset=get_preset(), notified_on=D(2026, 1, 10))
    assert compute_deadlines(**kwargs, today=D(2026, 2, 10))[0].status == DeadlineStatus.DUE
    assert compute_deadlines(**kwargs, today=D(2026, 2, 11))[0].status == DeadlineStatus.OVERDUE


@pytest.mark.parametrize(("preset", "overview_due"), [("2016", D(2026, 8, 28)), ("2024-draft", D(2027, 2, 28))])
def test_review_deadlines_under_both_presets(preset, overview_due):
    dl = by_key(compute_deadlines(preset=preset, notified_on=D(2026, 1, 31), decision_on=D(2026, 2, 28),
                                  decision_review=True, today=D(2026, 3, 1)))
    assert dl["decision"].status == "met"
    assert dl["terms_of_reference"].due == D(2026, 2, 28)
    assert dl["terms_of_reference"].status == "overdue"
    assert dl["overview_report"].due == overview_due
    assert dl["overview_report"].status == "due"


@pytest.mark.parametrize(("preset", "overview_due"), [("2016", D(2027, 2, 28)), ("2024-draft", D(2027, 8, 31))])
def test_overview_deadline_clamps_to_month_end(preset, overview_due):
    dl = by_key(compute_deadlines(preset=preset, notified_on=D(2026, 8, 3), decision_on=D(2026, 8, 31),
                                  decision_review=True, today=D(2026, 9, 1)))
    assert dl["overview_report"].base_due == dl["overview_report"].due == overview_due


def test_no_review_means_no_review_deadlines():
    deadlines = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                                  decision_review=False, today=D(2026, 2, 2))
    assert [d.key for d in deadlines] == ["decision"]


def test_met_late_and_met_by_submission():
    dl = by_key(compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 20),
                                  decision_review=True, tor_agreed_on=D(2026, 3, 1),
                                  submitted_on=D(2026, 8, 20), today=D(2026, 9, 1)))
    assert dl["decision"].status == "met_late"
    assert dl["terms_of_reference"].status == "met_late"
    assert dl["overview_report"].due == D(2026, 8, 20)
    assert dl["overview_report"].status == "met"
    assert dl["overview_report"].met_on == D(2026, 8, 20)


def test_preset_overrides_change_deadlines():
    local = get_preset().with_overrides(tor_months_from_notification=2)
    dl = by_key(compute_deadlines(preset=local, notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                                  decision_review=True, today=D(2026, 2, 2)))
    assert dl["terms_of_reference"].due == D(2026, 3, 10)


# ---------------------------------------------------------------- only an agreed timescale moves a deadline

def test_deadlines_are_the_presets_until_the_csp_agrees_another_timescale():
    dl = by_key(compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 3, 1),
                                  decision_review=True, today=D(2026, 9, 15)))
    assert (dl["overview_report"].due, dl["overview_report"].status) == (D(2026, 9, 1), "overdue")
    ext = Extension("overview_report", D(2026, 12, 1), "Trial listed", "CSP chair", D(2026, 8, 20), D(2026, 8, 21))
    moved = by_key(compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 3, 1),
                                     decision_review=True, extensions=[ext], today=D(2026, 9, 15)))
    assert (moved["overview_report"].due, moved["overview_report"].status) == (D(2026, 12, 1), "due")


# ---------------------------------------------------------------- extensions

def test_extension_replaces_the_due_date():
    ext = Extension("overview_report", D(2026, 12, 1), "Second IMR late", "CSP chair", D(2026, 6, 30), D(2026, 7, 1))
    dl = by_key(compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                                  decision_review=True, extensions=[ext], today=D(2026, 9, 1)))
    assert (dl["overview_report"].due, dl["overview_report"].extended_to) == (D(2026, 12, 1), D(2026, 12, 1))
    assert dl["overview_report"].status == "due"
    assert dl["terms_of_reference"].extended_to is None


def test_latest_extension_wins():
    first = Extension("decision", D(2026, 3, 1), "r", "CSP chair", D(2026, 2, 5), D(2026, 2, 5))
    second = Extension("decision", D(2026, 3, 20), "r", "CSP chair", D(2026, 2, 24), D(2026, 2, 25))
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), extensions=[second, first],
                           today=D(2026, 3, 10))[0]
    assert (dl.due, dl.status) == (D(2026, 3, 20), "due")


def test_make_extension_validates():
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), today=D(2026, 2, 1))[0]
    ext = make_extension(dl, new_due=D(2026, 3, 1), reason=" Police disclosure ", agreed_by="CSP chair",
                         agreed_on=D(2026, 1, 30), today=D(2026, 2, 1))
    assert ext == Extension("decision", D(2026, 3, 1), "Police disclosure", "CSP chair", D(2026, 1, 30), D(2026, 2, 1))
    with pytest.raises(ValidationFailed) as info:
        make_extension(dl, new_due=D(2026, 2, 10), reason="", agreed_by=" ", agreed_on=D(2026, 1, 30),
                       today=D(2026, 2, 1))
    assert set(info.value.field_errors) == {"new_due", "reason", "agreed_by"}


def test_met_deadline_cannot_be_extended():
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                           today=D(2026, 2, 2))[0]
    with pytest.raises(WorkflowError, match="already been met"):
        make_extension(dl, new_due=D(2026, 4, 1), reason="r", agreed_by="CSP", agreed_on=D(2026, 2, 1),
                       today=D(2026, 2, 2))


def test_next_deadline_is_the_earliest_open_one():
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                           decision_review=True, today=D(2026, 2, 2))
    assert next_deadline(dl).key == "terms_of_reference"
    done = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                             decision_review=False, today=D(2026, 2, 2))
    assert next_deadline(done) is None
