"""The family's involvement steps and publication waiting for the family to be told the date, end
to end through the journeys' driver."""
from datetime import timedelta

import pytest
from sqlmodel import select

from storage.family import FamilyStep
from storage.models import AuditEntry
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, POLICE
from tests.e2e.evidence_steps import card_text, form, review_row, wait_text
from tests.e2e.family_steps import add_contact, record_step, register_name, step_form
from tests.e2e.journey import create_review, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import ALL_PUBLISHED, agree_terms, decide, step, submission

pytestmark = pytest.mark.e2e
TODAY = lambda: today().isoformat()  # noqa: E731


@pytest.fixture(scope="module")
def general(driver):
    channel = driver.add_space("general-family", [COORDINATOR, CHAIR, POLICE, HEALTH])
    set_agencies(driver, COORDINATOR, channel, ["Northshire Police"])
    return channel


def review_in_evidence(driver, general):
    reference, channel = create_review(driver, COORDINATOR, general)
    decide(driver, channel)
    join(driver, channel, CHAIR, "chair", by=COORDINATOR)
    return reference, channel


def test_family_steps_are_dated_by_relationship_and_shown_with_who_recorded_them(driver, general):
    reference, channel = review_in_evidence(driver, general)
    assert "Family: gave their input to the terms of reference: not recorded yet" in \
        wait_text(lambda: card_text(driver, reference), "Family involvement", "the reminder on the card")
    add_contact(driver, CHAIR, channel, "mother")
    view = step_form(driver, CHAIR, channel)
    assert view.key == "dhr.family.step" and "Mother" in view.text

    future = (today() + timedelta(days=1)).isoformat()
    errors = record_step(driver, CHAIR, channel, {"kind": "tor_input", "on": future})["errors"]
    assert "can't be in the future" in errors["on"]
    errors = record_step(driver, CHAIR, channel, {"kind": "pseudonym", "on": TODAY()})["errors"]
    assert "pseudonym" in errors
    register_name(driver, COORDINATOR, channel, "Marjorie Quintrell")
    errors = record_step(driver, CHAIR, channel, {"kind": "pseudonym", "on": TODAY(), "pseudonym": "Marjorie Quintrell"})["errors"]
    assert "redaction list" in errors["pseudonym"]
    errors = record_step(driver, CHAIR, channel, {"kind": "qa_outcome_told", "on": TODAY()})["errors"]
    assert "No QA outcome is recorded yet" in errors["kind"]
    errors = record_step(driver, CHAIR, channel, {"kind": "advocate", "on": TODAY()})["errors"]
    assert "advocate" in errors
    with driver.db.session() as s:
        assert not s.exec(select(FamilyStep).where(FamilyStep.review_id == review_row(driver, reference).id)).all()

    mother = next(value for label, value in view.field("contact").options if "Mother" in label)
    for values in ({"kind": "tor_input", "on": TODAY(), "contact": mother},
                   {"kind": "pseudonym", "on": TODAY(), "pseudonym": "Rose", "contact": mother},
                   {"kind": "advocate", "on": TODAY(), "advocate": "aafda"},
                   {"kind": "tribute", "on": TODAY(), "tribute": "pen_portrait"}):
        assert "errors" not in record_step(driver, CHAIR, channel, values), values["kind"]
    shown = form(driver, COORDINATOR, channel, "family").text
    assert "Chose the pseudonym: " in shown and "(mother), Rose" in shown and driver.mention(CHAIR) in shown
    assert "AAFDA" in shown and "Pen portrait" in shown
    card = wait_text(lambda: card_text(driver, reference), "Chose an advocate", "the steps on the card")
    assert "Gave their input to the terms of reference" in card and "not recorded yet" not in card
    with driver.db.session() as s:
        rows = s.exec(select(FamilyStep).where(FamilyStep.review_id == review_row(driver, reference).id)).all()
        audited = s.exec(select(AuditEntry).where(AuditEntry.action == "family.step_recorded")).all()
    assert {r.kind for r in rows} == {"tor_input", "pseudonym", "advocate", "tribute"}
    assert all(r.recorded_by == driver.person(CHAIR) for r in rows) and "Rose" not in str([a.detail for a in audited])


def test_publication_waits_for_the_family_to_be_told_the_date(driver, general):
    reference, channel = review_in_evidence(driver, general)
    agree_terms(driver, channel, reference)
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": TODAY()}
    for key, values in (("start_drafting", {}), ("send_for_sign_off", drafts),
                        ("panel_sign_off", {"signed_on": TODAY()}), ("csp_sign_off", {"signed_on": TODAY()}),
                        ("submit", submission(TODAY())),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": TODAY()})):
        assert step(driver, COORDINATOR, channel, key, values) == ("closed", None), key
    card = wait_text(lambda: card_text(driver, reference), "told the publication date: not recorded yet", "the reminder")
    assert "told the qa outcome: not recorded yet" in card.lower()

    published = {"published_on": TODAY(), "published_where": "CSP website", "published": ALL_PUBLISHED}
    kind, errors = step(driver, COORDINATOR, channel, "publish", published)
    assert kind == "errors" and "told the publication date" in errors["family_not_told_reason"]
    assert review_row(driver, reference).stage == "amending"

    assert "errors" not in record_step(driver, COORDINATOR, channel, {"kind": "qa_outcome_told", "on": TODAY()})
    assert "errors" not in record_step(driver, COORDINATOR, channel, {"kind": "publication_told", "on": TODAY()})
    wait(lambda: "publication date: not recorded yet" not in card_text(driver, reference), what="the reminder to go")
    assert step(driver, COORDINATOR, channel, "publish", published) == ("closed", None)
    assert review_row(driver, reference).stage == "published"
