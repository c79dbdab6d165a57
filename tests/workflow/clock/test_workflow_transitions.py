from dataclasses import replace
from datetime import date

import pytest

from bot.workflow.clock.transitions import (
    RULES,
    ReviewFacts,
    Transition,
    allowed_transitions,
    apply,
    check,
    source,
    target,
)
from bot.workflow.core.errors import TransitionRefused, WorkflowError
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage

T, S = Transition, Stage

# Facts that satisfy every guard; each refusal test removes or spoils exactly one.
COMPLETE = ReviewFacts(
    notified_on=date(2026, 1, 10), decision_on=date(2026, 2, 2), home_office_told_on=date(2026, 2, 3),
    agencies_consulted=4, no_review_reasons="No agency had contact; learning captured elsewhere.",
    home_office_answer_on=date(2026, 3, 1),
    chair_appointed=True, tor_agreed_on=date(2026, 2, 9),
    scoping_from=date(2021, 1, 1), scoping_to=date(2026, 1, 9),
    outstanding_evidence_items=0,
    overview_report_drafted=True, executive_summary_drafted=True, action_plan_drafted=True,
    draft_shared_with_family_on=date(2026, 6, 1),
    panel_signed_off_on=date(2026, 6, 20), csp_signed_off_on=date(2026, 6, 25),
    submitted_on=date(2026, 7, 1), qa_outcome_on=date(2026, 9, 30), qa_feedback="Add equality analysis.",
    published_on=date(2026, 11, 2), published_where="CSP website",
    published_items=("overview_report", "executive_summary", "qa_letter"),
    home_office_agreed_on=date(2026, 10, 20), publication_reason="Agreed with the Home Office.",
    publication_revisit_on=date(2027, 1, 4),
    dac_copy_sent_on=date(2026, 11, 3),
    actions_total=5, actions_open=0, plan_audit_recorded_on=date(2027, 6, 1),
)

EXPECTED_EDGES = {
    T.DECIDE_REVIEW: (S.NOTIFIED, S.SETUP),
    T.DECIDE_NO_REVIEW: (S.NOTIFIED, S.NOT_COMMISSIONED),
    T.HOME_OFFICE_ACCEPTS_NO_REVIEW: (S.NOT_COMMISSIONED, S.CONCLUDED),
    T.HOME_OFFICE_DIRECTS_REVIEW: (S.NOT_COMMISSIONED, S.SETUP),
    T.AGREE_TERMS_OF_REFERENCE: (S.SETUP, S.EVIDENCE),
    T.START_DRAFTING: (S.EVIDENCE, S.DRAFTING),
    T.SEND_FOR_SIGN_OFF: (S.DRAFTING, S.SIGN_OFF),
    T.SUBMIT_TO_HOME_OFFICE: (S.SIGN_OFF, S.SUBMITTED),
    T.QA_PUBLISH_ONCE_AMENDED: (S.SUBMITTED, S.AMENDING),
    T.QA_REVISE_AND_RESUBMIT: (S.SUBMITTED, S.DRAFTING),
    T.PUBLISH: (S.AMENDING, S.PUBLISHED),
    T.WITHHOLD: (S.AMENDING, S.MONITORING),
    T.START_MONITORING: (S.PUBLISHED, S.MONITORING),
    T.START_MONITORING_DEFERRED: (S.AMENDING, S.MONITORING),
    T.CONCLUDE: (S.MONITORING, S.CONCLUDED),
}


def refusal(transition, facts, stage=None) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as info:
        check(transition, stage or source(transition), facts)
    return info.value


def test_table_covers_every_transition_exactly():
    assert set(RULES) == set(Transition) == set(EXPECTED_EDGES)


@pytest.mark.parametrize("transition", list(Transition))
def test_each_transition_moves_to_its_target(transition):
    src, dst = EXPECTED_EDGES[transition]
    assert (source(transition), target(transition)) == (src, dst)
    assert apply(transition, src, COMPLETE) is dst


@pytest.mark.parametrize("transition", list(Transition))
def test_transition_accepts_its_string_value(transition):
    src, dst = EXPECTED_EDGES[transition]
    assert apply(transition.value, src.value, COMPLETE) is dst


@pytest.mark.parametrize("transition", list(Transition))
def test_every_transition_is_refused_from_every_other_stage(transition):
    for stage in Stage:
        if stage == EXPECTED_EDGES[transition][0]:
            continue
        err = refusal(transition, COMPLETE, stage=stage)
        assert err.reason == "wrong_stage"
        assert stage.label in err.message
        assert err.transition is transition


def test_allowed_transitions_per_stage():
    assert allowed_transitions(S.NOTIFIED) == [T.DECIDE_REVIEW, T.DECIDE_NO_REVIEW]
    assert allowed_transitions(S.SUBMITTED) == [T.QA_PUBLISH_ONCE_AMENDED, T.QA_REVISE_AND_RESUBMIT]
    assert allowed_transitions(S.NOT_COMMISSIONED) == [
        T.HOME_OFFICE_ACCEPTS_NO_REVIEW, T.HOME_OFFICE_DIRECTS_REVIEW]
    assert allowed_transitions(S.CONCLUDED) == []


def test_every_open_stage_has_a_way_forward():
    for stage in Stage:
        assert bool(allowed_transitions(stage)) == (stage is not S.CONCLUDED)


def test_revise_and_resubmit_loops_back_through_sign_off():
    stage = apply(T.QA_REVISE_AND_RESUBMIT, S.SUBMITTED, COMPLETE)
    for t in (T.SEND_FOR_SIGN_OFF, T.SUBMIT_TO_HOME_OFFICE):
        stage = apply(t, stage, COMPLETE)
    assert stage is S.SUBMITTED


# Each case: transition, one spoiled fact, the label that must be reported missing.
MISSING = [
    (T.DECIDE_REVIEW, {"decision_on": None}, "the decision date"),
    (T.DECIDE_REVIEW, {"home_office_told_on": None}, "the date the Home Office was told"),
    (T.DECIDE_REVIEW, {"agencies_consulted": 0}, "the partner agencies consulted"),
    (T.DECIDE_REVIEW, {"decision_on": date(2026, 1, 5), "home_office_told_on": date(2026, 1, 6)},
     "a decision date on or after the notification"),
    (T.DECIDE_REVIEW, {"home_office_told_on": date(2026, 2, 1)}, "a Home Office date on or after the decision"),
    (T.DECIDE_NO_REVIEW, {"decision_on": None}, "the decision date"),
    (T.DECIDE_NO_REVIEW, {"home_office_told_on": None}, "the date the Home Office was told"),
    (T.DECIDE_NO_REVIEW, {"agencies_consulted": 0}, "the partner agencies consulted"),
    (T.DECIDE_NO_REVIEW, {"no_review_reasons": "  "}, "the reasons for not holding a review"),
    (T.HOME_OFFICE_ACCEPTS_NO_REVIEW, {"home_office_answer_on": None}, "the date of the Home Office's answer"),
    (T.HOME_OFFICE_DIRECTS_REVIEW, {"home_office_answer_on": None}, "the date of the Home Office's answer"),
    (T.AGREE_TERMS_OF_REFERENCE, {"chair_appointed": False}, "the independent chair"),
    (T.AGREE_TERMS_OF_REFERENCE, {"tor_agreed_on": None}, "the date the terms of reference were agreed"),
    (T.AGREE_TERMS_OF_REFERENCE, {"scoping_from": None}, "the start of the scoping period"),
    (T.AGREE_TERMS_OF_REFERENCE, {"scoping_to": None}, "the end of the scoping period"),
    (T.AGREE_TERMS_OF_REFERENCE, {"scoping_from": date(2026, 2, 1), "scoping_to": date(2026, 1, 31)},
     "a scoping period that starts before it ends"),
    (T.START_DRAFTING, {"outstanding_evidence_items": None}, "the evidence still outstanding"),
    (T.START_DRAFTING, {"outstanding_evidence_items": 1}, "1 outstanding evidence request"),
    (T.START_DRAFTING, {"outstanding_evidence_items": 3}, "3 outstanding evidence requests"),
    (T.SEND_FOR_SIGN_OFF, {"overview_report_drafted": False}, "the overview report draft"),
    (T.SEND_FOR_SIGN_OFF, {"executive_summary_drafted": False}, "the executive summary draft"),
    (T.SEND_FOR_SIGN_OFF, {"action_plan_drafted": False}, "the action plan draft"),
    (T.SEND_FOR_SIGN_OFF, {"draft_shared_with_family_on": None},
     "the date the draft was shared with the family (or why it was not)"),
    (T.SUBMIT_TO_HOME_OFFICE, {"panel_signed_off_on": None}, "the panel sign-off date"),
    (T.SUBMIT_TO_HOME_OFFICE, {"csp_signed_off_on": None}, "the CSP sign-off date"),
    (T.SUBMIT_TO_HOME_OFFICE, {"csp_signed_off_on": date(2026, 6, 19)},
     "a CSP sign-off on or after the panel sign-off"),
    (T.SUBMIT_TO_HOME_OFFICE, {"unchecked_reports": ("executive summary",)}, "a passing check of the drafts"),
    (T.QA_PUBLISH_ONCE_AMENDED, {"qa_outcome_on": None}, "the date of the QA panel's letter"),
    (T.QA_PUBLISH_ONCE_AMENDED, {"qa_outcome_on": date(2026, 6, 30)}, "a QA letter dated after the submission"),
    (T.QA_REVISE_AND_RESUBMIT, {"qa_outcome_on": None}, "the date of the QA panel's letter"),
    (T.QA_REVISE_AND_RESUBMIT, {"qa_feedback": ""}, "the QA panel's feedback"),
    (T.PUBLISH, {"published_on": None}, "the publication date"),
    (T.PUBLISH, {"published_where": None}, "where the report was published"),
    (T.PUBLISH, {"published_items": ("overview_report", "executive_summary")}, "what was published"),
    (T.PUBLISH, {"publication_route": "summary_only", "home_office_agreed_on": None},
     "the date the Home Office agreed"),
    (T.WITHHOLD, {"publication_reason": " "}, "the reason"),
    (T.START_MONITORING_DEFERRED, {"publication_revisit_on": None}, "the publication"),
    (T.CONCLUDE, {"publication_route": "deferred"}, "the publication"),
    (T.CONCLUDE, {"actions_total": 0}, "the action plan's actions"),
    (T.CONCLUDE, {"actions_open": 2}, "2 actions not completed and verified"),
    (T.CONCLUDE, {"actions_open": None}, "the open actions"),
    (T.CONCLUDE, {"plan_audit_recorded_on": None}, "the date of the action plan audit"),
]


@pytest.mark.parametrize(("transition", "spoil", "label"), MISSING,
                         ids=[f"{t.value}-{'-'.join(s)}-{i}" for i, (t, s, _) in enumerate(MISSING)])
def test_each_missing_fact_is_named(transition, spoil, label):
    err = refusal(transition, replace(COMPLETE, **spoil))
    assert err.reason == "missing_facts"
    assert err.missing == [label]
    assert err.message.startswith("Can't ") and err.message.endswith(" first.")


def test_message_says_exactly_what_is_missing():
    err = refusal(T.SUBMIT_TO_HOME_OFFICE, replace(COMPLETE, csp_signed_off_on=None))
    assert err.message == "Can't submit to the Home Office yet: record the CSP sign-off date first."


def test_several_missing_facts_are_listed_together():
    err = refusal(T.SUBMIT_TO_HOME_OFFICE, ReviewFacts())
    assert err.missing == ["the panel sign-off date", "the CSP sign-off date"]
    assert err.message == ("Can't submit to the Home Office yet: "
                           "record the panel sign-off date and the CSP sign-off date first.")


def test_empty_facts_refuse_drafting_with_every_draft_named():
    err = refusal(T.SEND_FOR_SIGN_OFF, ReviewFacts())
    assert len(err.missing) == 4
    assert "finish the overview report draft, the executive summary draft and the action plan draft" in err.message


def test_late_decision_needs_a_reason():
    late = replace(COMPLETE, notified_on=date(2026, 1, 31), decision_on=date(2026, 3, 2),
                   home_office_told_on=date(2026, 3, 2))
    err = refusal(T.DECIDE_REVIEW, late)
    assert err.missing == ["the reason the decision was late"]
    assert "28 Feb 2026" in err.message   # 31 Jan + 1 month clamps to 28 Feb
    assert apply(T.DECIDE_REVIEW, S.NOTIFIED, replace(late, delay_reason="Awaiting police disclosure")) is S.SETUP


def test_late_decision_uses_the_given_deadline_over_the_default():
    moved = replace(COMPLETE, notified_on=date(2026, 1, 10), decision_on=date(2026, 2, 20),
                    home_office_told_on=date(2026, 2, 20), decision_due=date(2026, 3, 1))
    assert apply(T.DECIDE_REVIEW, S.NOTIFIED, moved) is S.SETUP
    assert refusal(T.DECIDE_REVIEW, replace(moved, decision_due=date(2026, 2, 19))).missing == [
        "the reason the decision was late"]


def test_decision_on_the_deadline_day_is_not_late():
    on_time = replace(COMPLETE, notified_on=date(2026, 1, 10), decision_on=date(2026, 2, 10),
                      home_office_told_on=date(2026, 2, 10))
    assert apply(T.DECIDE_NO_REVIEW, S.NOTIFIED, on_time) is S.NOT_COMMISSIONED


def test_family_not_shown_reason_stands_in_for_the_date():
    facts = replace(COMPLETE, draft_shared_with_family_on=None, family_not_shown_reason="Family declined contact")
    assert apply(T.SEND_FOR_SIGN_OFF, S.DRAFTING, facts) is S.SIGN_OFF


def test_csp_sign_off_on_same_day_as_panel_is_fine():
    facts = replace(COMPLETE, csp_signed_off_on=COMPLETE.panel_signed_off_on)
    assert apply(T.SUBMIT_TO_HOME_OFFICE, S.SIGN_OFF, facts) is S.SUBMITTED


def test_conclude_with_explicit_no_actions():
    facts = replace(COMPLETE, actions_total=0, no_actions=True, actions_open=None)
    assert apply(T.CONCLUDE, S.MONITORING, facts) is S.CONCLUDED


def test_refusal_is_a_workflow_error_with_a_message():
    err = refusal(T.START_DRAFTING, replace(COMPLETE, outstanding_evidence_items=2))
    assert isinstance(err, WorkflowError)
    assert err.message == "Can't start drafting yet: receive or withdraw the 2 outstanding evidence requests first."


def test_operations_needed_for_transitions():
    assert T.DECIDE_REVIEW.operation is Operation.RECORD_DECISION
    assert T.CONCLUDE.operation is Operation.CONCLUDE
    assert T.SUBMIT_TO_HOME_OFFICE.operation is Operation.MOVE_STAGE
    assert all(t.label for t in Transition)


def test_a_draft_without_a_passing_check_goes_to_the_home_office_only_with_a_reason():
    unchecked = replace(COMPLETE, unchecked_reports=("overview report", "executive summary"))
    with pytest.raises(TransitionRefused) as refused:
        apply(T.SUBMIT_TO_HOME_OFFICE, S.SIGN_OFF, unchecked)
    assert "send me the overview report and the executive summary to check" in str(refused.value)
    assert "reason to submit without a passing check" in str(refused.value)
    blank = replace(unchecked, submit_without_check_reason="  ")
    with pytest.raises(TransitionRefused):
        apply(T.SUBMIT_TO_HOME_OFFICE, S.SIGN_OFF, blank)
    anyway = replace(unchecked, submit_without_check_reason="The Home Office asked for it today; checked by hand.")
    assert apply(T.SUBMIT_TO_HOME_OFFICE, S.SIGN_OFF, anyway) is S.SUBMITTED
