from datetime import date

import pytest

from bot.workflow.core.errors import ValidationFailed
from bot.workflow.intake.decision import validate_decision

NOTIFIED, DUE, TODAY = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 22)
GOOD = {"outcome": "review", "decided_on": "2026-09-20", "agencies_consulted": "Police\nNHS trust\n",
        "concerns": ["marac"], "parallel_processes": ["inquest"], "home_office_told_on": "2026-09-21",
        "decided_by": "U0CSPCHAIR", "records_secured_on": "2026-09-02"}


def decide(**changes):
    return validate_decision({**GOOD, **changes}, notified_on=NOTIFIED, decision_due=DUE, today=TODAY)


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationFailed) as info:
        decide(**changes)
    return info.value.field_errors


def test_valid_decision():
    made = decide()
    assert made.agencies_consulted == ["Police", "NHS trust"]
    assert made.concerns == ["marac"] and made.no_review_reasons is None


def test_the_decision_record_keeps_who_decided_the_criteria_and_the_joint_lead():
    made = decide(criteria=["connected", "aged_16"], usual_residence=" Northshire ", joint_with="Southshire CSP",
                  joint_lead="other")
    assert (made.decided_by, made.records_secured_on) == ("U0CSPCHAIR", date(2026, 9, 2))
    assert made.criteria == ["aged_16", "connected"]          # in the Act's order
    assert (made.usual_residence, made.joint_with, made.joint_lead) == ("Northshire", "Southshire CSP", "other")
    assert decide().joint_lead is None and decide().lead_csp is None


def test_late_decision_needs_a_reason():
    assert "QA panel" in errors_for(decided_on="2026-10-15", home_office_told_on="2026-10-15")["delay_reason"]
    assert decide(decided_on="2026-10-15", home_office_told_on="2026-10-16", delay_reason="Inquest timing")


def test_no_review_needs_reasons():
    assert "reasons" in errors_for(outcome="no_review")["no_review_reasons"]
    assert decide(outcome="no_review", no_review_reasons="Natural causes").no_review_reasons == "Natural causes"


@pytest.mark.parametrize("changes, field", [
    ({"decided_on": "2026-11-23"}, "decided_on"),
    ({"decided_on": "2026-08-01"}, "decided_on"),
    ({"home_office_told_on": "2026-09-19"}, "home_office_told_on"),
    ({"agencies_consulted": ""}, "agencies_consulted"),
    ({"agencies_consulted": "x" * 101}, "agencies_consulted"),
    ({"concerns": ["made_up"]}, "concerns"),
    ({"parallel_processes": ["cspr", "bogus"]}, "parallel_processes"),
    ({"outcome": "maybe"}, "outcome"),
    ({"lscp_told_on": "not-a-date"}, "lscp_told_on"),
    ({"delay_reason": "x" * 3001}, "delay_reason"),
    ({"decided_by": ""}, "decided_by"),
    ({"decided_by": "<@U0CSPCHAIR>"}, "decided_by"),             # a forged value, not a picked person
    ({"records_secured_on": ""}, "records_secured_on"),
    ({"records_secured_on": "2026-08-31"}, "records_secured_on"),  # before the notification
    ({"criteria": ["aged_18"]}, "criteria"),
    ({"usual_residence": "x" * 121}, "usual_residence"),
    ({"lead_csp": "North\nshire"}, "lead_csp"),
    ({"joint_with": "Southshire CSP"}, "joint_lead"),             # which CSP leads is not said
    ({"joint_lead": "other"}, "joint_with"),                      # a lead for a review that is not joint
    ({"joint_with": "Southshire CSP", "joint_lead": "both"}, "joint_lead"),
])
def test_bad_decision_input(changes, field):
    assert field in errors_for(**changes)
