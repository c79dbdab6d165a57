from datetime import date

import pytest

from bot.workflow.clock.timescales import (
    PRESETS,
    Deadline,
    DeadlineStatus,
    Extension,
    Pause,
    add_months,
    compute_deadlines,
    current_pause,
    end_pause,
    get_preset,
    is_paused,
    make_extension,
    next_deadline,
    paused_days,
    request_due,
    start_pause,
)
from bot.workflow.core.errors import NotFound, ValidationFailed, WorkflowError
from bot.workflow.core.stages import Stage

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


# ---------------------------------------------------------------- pauses and deadlines

def test_pause_moves_later_deadlines_only():
    # Decision and ToR met before the trial; the overview report waits for it.
    trial = Pause(D(2026, 4, 1), "Trial", "criminal_proceedings", D(2026, 5, 1))  # 30 days
    dl = by_key(compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                                  decision_review=True, tor_agreed_on=D(2026, 2, 5), pauses=[trial],
                                  today=D(2026, 6, 1)))
    assert (dl["decision"].shifted_days, dl["decision"].due) == (0, D(2026, 2, 10))
    assert (dl["terms_of_reference"].shifted_days, dl["terms_of_reference"].due) == (0, D(2026, 2, 10))
    assert dl["overview_report"].base_due == D(2026, 8, 1)
    assert (dl["overview_report"].shifted_days, dl["overview_report"].due) == (30, D(2026, 8, 31))


def test_pause_starting_after_an_open_deadline_does_not_move_it():
    inquest = Pause(D(2026, 2, 20), "Inquest", "inquest", D(2026, 3, 20))
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), pauses=[inquest], today=D(2026, 3, 21))[0]
    assert (dl.due, dl.shifted_days, dl.status) == (D(2026, 2, 10), 0, "overdue")


def test_ongoing_pause_counts_up_to_today():
    ongoing = Pause(D(2026, 2, 1), "IOPC investigation", "iopc")
    for today, shift, due in ((D(2026, 2, 1), 0, D(2026, 2, 10)), (D(2026, 2, 15), 14, D(2026, 2, 24)),
                              (D(2026, 3, 1), 28, D(2026, 3, 10))):
        dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), pauses=[ongoing], today=today)[0]
        assert (dl.shifted_days, dl.due) == (shift, due)
        assert dl.status == "due"   # the clock is stopped, so the deadline can't run out while paused
    assert paused_days([ongoing], before=D(2026, 2, 10), today=D(2026, 3, 1)) == 28


def test_met_deadline_counts_only_pausing_before_it_was_met():
    # Paused 1-20 Feb (19 days), decision made 15 Feb during the pause: 14 paused days count.
    pause = Pause(D(2026, 2, 1), "Trial", "criminal_proceedings", D(2026, 2, 20))
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 15),
                           pauses=[pause], today=D(2026, 3, 1))[0]
    assert (dl.shifted_days, dl.due, dl.status) == (14, D(2026, 2, 24), "met")


def test_pause_after_a_deadline_was_met_early_does_not_move_it():
    pause = Pause(D(2026, 1, 25), "Inquest", "inquest", D(2026, 2, 5))
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 1, 20),
                           pauses=[pause], today=D(2026, 3, 1))[0]
    assert (dl.shifted_days, dl.due, dl.status) == (0, D(2026, 2, 10), "met")


def test_several_pauses_add_up():
    pauses = [Pause(D(2026, 1, 12), "a", "other", D(2026, 1, 15)),
              Pause(D(2026, 1, 20), "b", "inquest", D(2026, 1, 30))]
    assert paused_days(pauses, before=D(2026, 2, 10), today=D(2026, 3, 1)) == 13
    assert paused_days(pauses, before=D(2026, 1, 20), today=D(2026, 3, 1)) == 3   # second starts on the date


# ---------------------------------------------------------------- extensions

def test_extension_replaces_the_due_date():
    ext = Extension("overview_report", D(2026, 12, 1), "Second IMR late", "CSP chair", D(2026, 7, 1))
    dl = by_key(compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                                  decision_review=True, extensions=[ext], today=D(2026, 9, 1)))
    assert (dl["overview_report"].due, dl["overview_report"].extended_to) == (D(2026, 12, 1), D(2026, 12, 1))
    assert dl["overview_report"].status == "due"
    assert dl["terms_of_reference"].extended_to is None


def test_latest_extension_wins():
    first = Extension("decision", D(2026, 3, 1), "r", "CSP chair", D(2026, 2, 5))
    second = Extension("decision", D(2026, 3, 20), "r", "CSP chair", D(2026, 2, 25))
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), extensions=[second, first],
                           today=D(2026, 3, 10))[0]
    assert (dl.due, dl.status) == (D(2026, 3, 20), "due")


def test_make_extension_validates():
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), today=D(2026, 2, 1))[0]
    ext = make_extension(dl, new_due=D(2026, 3, 1), reason=" Police disclosure ", agreed_by="CSP chair",
                         today=D(2026, 2, 1))
    assert ext == Extension("decision", D(2026, 3, 1), "Police disclosure", "CSP chair", D(2026, 2, 1))
    with pytest.raises(ValidationFailed) as info:
        make_extension(dl, new_due=D(2026, 2, 10), reason="", agreed_by=" ", today=D(2026, 2, 1))
    assert set(info.value.field_errors) == {"new_due", "reason", "agreed_by"}


def test_met_deadline_cannot_be_extended():
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                           today=D(2026, 2, 2))[0]
    with pytest.raises(WorkflowError, match="already been met"):
        make_extension(dl, new_due=D(2026, 4, 1), reason="r", agreed_by="CSP", today=D(2026, 2, 2))


def test_next_deadline_is_the_earliest_open_one():
    dl = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                           decision_review=True, today=D(2026, 2, 2))
    assert next_deadline(dl).key == "terms_of_reference"
    done = compute_deadlines(preset="2016", notified_on=D(2026, 1, 10), decision_on=D(2026, 2, 1),
                             decision_review=False, today=D(2026, 2, 2))
    assert next_deadline(done) is None


# ---------------------------------------------------------------- pause / resume

def test_start_and_end_pause():
    pauses = start_pause([], D(2026, 3, 1), " Trial listed for June ", "criminal_proceedings", Stage.EVIDENCE)
    assert is_paused(pauses) and current_pause(pauses).reason == "Trial listed for June"
    ended = end_pause(pauses, D(2026, 6, 30))
    assert not is_paused(ended) and ended[0].ended_on == D(2026, 6, 30)
    assert pauses[0].ended_on is None   # inputs are not mutated


def test_cannot_pause_twice():
    pauses = start_pause([], D(2026, 3, 1), "Trial", "criminal_proceedings", Stage.EVIDENCE)
    with pytest.raises(WorkflowError, match="already paused"):
        start_pause(pauses, D(2026, 3, 2), "Inquest", "inquest", Stage.EVIDENCE)


def test_cannot_pause_a_concluded_review():
    with pytest.raises(WorkflowError, match="concluded"):
        start_pause([], D(2026, 3, 1), "Trial", "criminal_proceedings", Stage.CONCLUDED)


@pytest.mark.parametrize(("reason", "kind", "field"), [("", "inquest", "reason"), ("   ", "inquest", "reason"),
                                                        ("Trial", "holiday", "kind")])
def test_pause_needs_reason_and_known_kind(reason, kind, field):
    with pytest.raises(ValidationFailed) as info:
        start_pause([], D(2026, 3, 1), reason, kind, Stage.SETUP)
    assert list(info.value.field_errors) == [field]


def test_new_pause_cannot_overlap_the_last_one():
    past = [Pause(D(2026, 2, 1), "Trial", "criminal_proceedings", D(2026, 3, 1))]
    with pytest.raises(ValidationFailed) as info:
        start_pause(past, D(2026, 2, 20), "Inquest", "inquest", Stage.SETUP)
    assert "started_on" in info.value.field_errors
    assert len(start_pause(past, D(2026, 3, 1), "Inquest", "inquest", Stage.SETUP)) == 2


def test_resume_when_not_paused_is_refused():
    with pytest.raises(WorkflowError, match="isn't paused"):
        end_pause([Pause(D(2026, 2, 1), "Trial", "criminal_proceedings", D(2026, 3, 1))], D(2026, 3, 5))


def test_resume_before_start_is_refused():
    pauses = [Pause(D(2026, 2, 1), "Trial", "criminal_proceedings")]
    with pytest.raises(ValidationFailed) as info:
        end_pause(pauses, D(2026, 1, 31))
    assert "ended_on" in info.value.field_errors
    assert end_pause(pauses, D(2026, 2, 1))[0].ended_on == D(2026, 2, 1)   # same day is allowed
