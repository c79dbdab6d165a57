"""People who join a review after things have started, App Home's "Open" on an evidence request,
and the reminders for verification and confidentiality agreements, end to end through the journeys'
driver (the sweep as a separate process), on SQLite and PostgreSQL."""
from datetime import datetime

import pytest
from sqlmodel import select

from storage.evidence import EvidenceItem
from storage.ledger import ReminderLedger
from storage.terms import TermsConfirmation
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, OBSERVER, POLICE
from tests.e2e.evidence_steps import (
    AGENCIES,
    all_buttons,
    dms_with,
    form,
    review_row,
    staffed_review,
)
from tests.e2e.journey import create_review, today, wait
from tests.e2e.panel_steps import invitation_for, invite, join, option_value, reply_text_since, set_agencies
from tests.e2e.report_steps import agree_terms, answer, decide, dm_with, home_text, modal
from tests.e2e.test_evidence import ENG, LONDON, request
from tests.e2e.test_report_and_plan import add_recommendation, completion
from tests.e2e.test_timeline import sweep

pytestmark = pytest.mark.e2e
_users = iter(range(1, 1000))


def newcomer(driver) -> str:
    """A person of the workspace on no review yet (a fresh one per test: DMs are easy to count)."""
    return driver.add_person(f"late{next(_users):03d}")


@pytest.fixture(scope="module")
def general(driver):
    channel = driver.add_space("general-late", [COORDINATOR, CHAIR, POLICE, HEALTH, OBSERVER])
    set_agencies(driver, COORDINATOR, channel, AGENCIES)
    return channel


def request_dms(driver, user, reference, agency="Northshire Probation"):
    return [m for m in dms_with(driver, user, f"asked *{agency}*") if reference in m.text]


def scoping_form_from(driver, user, send):
    send()
    return driver.form(user, "dhr.scoping")


# ---------------------------------------------------------------- 1. a lead who joins after the request

@pytest.mark.teams_needs("request")
def test_a_lead_who_joins_after_the_request_gets_the_request_dm_once_and_can_answer(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    request(driver, channel, agencies=["Northshire Probation"], items=("scoping", "chronology"))
    wait(lambda: driver.card(channel), what="the card")
    lead = newcomer(driver)
    invite(driver, channel, lead, "agency_lead", "Northshire Probation", by=COORDINATOR)
    invitation = invitation_for(driver, lead)
    home = driver.home(lead)
    from_home = modal(driver, lead, lambda: driver.press(lead, home, "dhr.home_agreement"))
    driver.press(lead, invitation, "dhr.agree")      # agreed in the DM
    wait(lambda: lead in driver.members(channel), what="joined")
    dm = wait(lambda: request_dms(driver, lead, reference), what="the request DM")[-1]
    assert [a for a, _ in all_buttons(dm)] == ["dhr.evidence.open_scoping", "dhr.evidence.open_chronology"]
    assert f"{driver.mention(COORDINATOR)}" in dm.text and "Adult A" not in dm.text
    # ...and again from the Home tab's form left open (on Teams, a dialog is modal: still open on their
    # other device, its submission as sent from there): refused, and nothing more is sent.
    kind, text = answer(from_home.forge({"answer": "agree"}))
    assert kind == "notice" and "already answered" in text
    wait(lambda: len(driver.dms(lead)) and True, what="settled")
    assert len(request_dms(driver, lead, reference)) == 1
    # The DM's button opens their scoping form, which records the answer.
    view = scoping_form_from(driver, lead, lambda: driver.press(lead, dm, "dhr.evidence.open_scoping"))
    assert "Northshire Probation" in view.text
    view.submit({"victim": "yes", "perpetrator": "no", "children": "no"})
    with driver.db.session() as s:
        statuses = dict(s.exec(select(EvidenceItem.kind, EvidenceItem.status).where(
            EvidenceItem.review_id == review_row(driver, reference).id,
            EvidenceItem.agency_id == int(option_value(form(driver, COORDINATOR, channel, "request"), "agencies",
                                                       "Northshire Probation")))).all())
    assert statuses == {"scoping": "submitted", "chronology": "requested"}


@pytest.mark.teams_needs("request")
def test_a_member_made_agency_lead_gets_the_open_items_once_and_nothing_when_nothing_is_owed(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    member = newcomer(driver)
    join(driver, channel, member, "observer", by=COORDINATOR)
    request(driver, channel, agencies=["Northshire Probation"], items=("imr",))
    panel = form(driver, COORDINATOR, channel, "panel")
    panel.submit({"change": "add", "person_1": member, "role_1": "agency_lead",
                                                  "agency_1": option_value(panel, "agency_1", "Northshire Probation")})
    dm = wait(lambda: request_dms(driver, member, reference), what="the request DM")[-1]
    assert [a for a, _ in all_buttons(dm)] == ["dhr.evidence.open_imr"]
    # The same change again is refused and tells nobody; a lead of an agency that owes nothing gets no DM.
    panel = form(driver, COORDINATOR, channel, "panel")
    answer_ = panel.submit({
        "change": "add", "person_1": member, "role_1": "agency_lead",
        "agency_1": option_value(panel, "agency_1", "Northshire Probation")})
    assert "already have that role" in answer_.errors["role_1"]
    other = newcomer(driver)
    join(driver, channel, other, "agency_lead", "Northshire NHS Trust", by=COORDINATOR)
    wait(lambda: f"{driver.mention(other)} agreed" in "".join(m.preview for m in driver.messages(channel)),
         what="joined")
    assert len(request_dms(driver, member, reference)) == 1
    assert not [m for m in driver.dms(other) if "asked *" in m.preview]


# ---------------------------------------------------------------- 2. terms agreed before someone joins

@pytest.mark.teams_needs("tor")
def test_a_panel_member_who_joins_after_the_terms_were_agreed_is_asked_to_confirm_them(driver, general):
    reference, channel = create_review(driver, COORDINATOR, general)
    decide(driver, channel)
    join(driver, channel, CHAIR, "chair", by=COORDINATOR)
    agree_terms(driver, channel, reference)
    member, observer = newcomer(driver), newcomer(driver)
    join(driver, channel, member, "panel_member", "Northshire Police", by=COORDINATOR)
    join(driver, channel, observer, "observer", by=COORDINATOR)
    dm = wait(lambda: dms_with(driver, member, "I have read them"), what="the request to confirm")
    assert len(dm) == 1 and reference in dm[0].text and "version 1" in dm[0].text
    assert not dms_with(driver, observer, "I have read them")        # observers don't confirm the terms
    before = len(driver.replies(member))
    driver.press(member, dm[0], "dhr.tor.confirm")
    assert "you confirmed you have read version 1" in reply_text_since(driver, before, "the thanks", user=member)
    # The observer made a panel member is asked then, once.
    panel = form(driver, COORDINATOR, channel, "panel")
    panel.submit({"change": "add", "person_1": observer, "role_1": "panel_member",
                                                  "agency_1": option_value(panel, "agency_1", "Northshire Police")})
    wait(lambda: dms_with(driver, observer, "I have read them"), what="the observer asked")
    with driver.db.session() as s:
        rows = s.exec(select(TermsConfirmation).where(
            TermsConfirmation.review_id == review_row(driver, reference).id)).all()
    assert len(rows) == 4      # the coordinator (who agreed them), the chair, the member and the observer
    assert sum(r.confirmed_at is not None for r in rows) == 2


# ---------------------------------------------------------------- 5. App Home "Open"

@pytest.mark.teams_needs("request")
def test_home_open_opens_the_form_of_each_kind_of_request(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    lead = newcomer(driver)
    join(driver, channel, lead, "agency_lead", "Northshire Probation", by=COORDINATOR)
    request(driver, channel, agencies=["Northshire Probation"], items=("scoping", "chronology", "imr", "short_report"))
    wait(lambda: request_dms(driver, lead, reference), what="the request DM")
    assert "Scoping answer" in home_text(driver, lead)
    home = driver.home_now(lead)
    with driver.db.session() as s:
        items = dict(s.exec(select(EvidenceItem.kind, EvidenceItem.id).where(
            EvidenceItem.review_id == review_row(driver, reference).id)).all())
    view = scoping_form_from(driver, lead, lambda: driver.press(lead, home, "dhr.home_request", value=str(items["scoping"])))
    assert "Northshire Probation" in view.text and reference in view.text
    view.submit({"victim": "yes", "perpetrator": "no", "children": "no"})
    wait(lambda: item_status(driver, items["scoping"]) == "submitted", what="the answer stored")
    home = driver.home(lead)
    entry = modal(driver, lead, lambda: driver.press(lead, home, "dhr.home_request", value=str(items["chronology"])))
    assert entry.key == "dhr.chronology.entry" and "Northshire Probation" in entry.text
    entry.cancel()
    imr = modal(driver, lead, lambda: driver.press(lead, home, "dhr.home_request", value=str(items["imr"])))
    assert "IMR" in imr.text and "template" in imr.text.lower()
    imr.cancel()
    # a short report has no form: it points to the review channel
    notice = modal(driver, lead, lambda: driver.press(lead, home, "dhr.home_request", value=str(items["short_report"])))
    assert f"{driver.link(channel)}" in notice.text and "Short report" in notice.text


def item_status(driver, item_id: int) -> str:
    with driver.db.session() as s:
        return s.get(EvidenceItem, item_id).status


# ---------------------------------------------------------------- 3 and 4. reminders from the sweep

@pytest.mark.teams_needs("recommend", "action")
def test_a_completed_action_awaiting_verification_is_reminded_to_coordinator_and_chair(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    decide(driver, channel)
    assert add_recommendation(driver, channel) == ("closed", None)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "action", space=channel))
    recommendation = view.field("recommendation").options[0][1]
    answer(view.submit({
        "recommendation": recommendation, "action": "Deliver DASH refresher training to every front-desk officer",
        "lead_agency": option_value(view, "lead_agency", "Northshire Police"), "owner": POLICE,
        "outcome_measure": "95% of officers trained, shown by training records",
        "target_on": ENG.add_working_days(today(), 60).isoformat()}))
    dm = dm_with(driver, POLICE, "is yours")
    done = modal(driver, POLICE, lambda: driver.press(POLICE, dm, "dhr.action_complete"))
    assert answer(done.submit(completion())) == ("closed", None)
    due = ENG.add_working_days(today(), 5)
    before = {u: len(driver.dms(u)) for u in (COORDINATOR, CHAIR, POLICE)}
    sweep(driver, datetime(due.year, due.month, due.day, 10, 0, tzinfo=LONDON))
    for user in (COORDINATOR, CHAIR):
        texts = [m.text for m in driver.dms(user)[before[user]:]]
        mine = [t for t in texts if reference in t and "Verify action 1.1" in t]
        assert mine, user
        assert "DASH" not in mine[0] and "Adult A" not in mine[0] and "Training records" not in mine[0]
    police = [m.text for m in driver.dms(POLICE)[before[POLICE]:]]
    assert not any("Verify action" in t for t in police)


def test_an_unanswered_invitation_is_due_five_working_days_after_it_went(driver, general):
    reference, channel = create_review(driver, COORDINATOR, general)
    person = newcomer(driver)
    invite(driver, channel, person, "observer", by=COORDINATOR)
    wait(lambda: [m for m in driver.dms(person) if reference in m.preview], what="invitation")
    due = ENG.add_working_days(today(), 5)
    before = len(driver.dms(person))
    sweep(driver, datetime(due.year, due.month, due.day, 10, 0, tzinfo=LONDON))
    texts = [m.text for m in driver.dms(person)[before:]]
    assert [t for t in texts if "Answer to the confidentiality statement" in t and reference in t]
    with driver.db.session() as s:
        due_on = s.exec(select(ReminderLedger.due_on).where(ReminderLedger.recipient == person,
                                                            ReminderLedger.item_kind == "agreement")).first()
    assert due_on == due
