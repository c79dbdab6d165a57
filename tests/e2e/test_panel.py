"""Admins, agencies, the panel and the confidentiality agreement, end to end through the journeys' driver."""
import pytest
from sqlmodel import select

from storage.models import AuditEntry, Decision, Membership, Review
from storage.panel import Agreement
from tests.e2e import panel_steps as steps
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE
from tests.e2e.evidence_steps import card_text
from tests.e2e.journey import create_review, today, wait
from tests.e2e.panel_steps import invitation_for, reply_text_since

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(driver):
    return driver.add_space("general-panel", [COORDINATOR, CHAIR, OUTSIDER, POLICE, HEALTH])


@pytest.fixture(scope="module")
def agencies(driver, general):
    driver.command(COORDINATOR, "agencies", space=general)
    result = driver.form(COORDINATOR, "dhr.agencies").submit({"agencies": "Northshire Police\nNorthshire NHS Trust\n"})
    assert result.kind == "closed", result.pair()
    return ["Northshire Police", "Northshire NHS Trust"]


def panel_form(driver, user, space):
    return driver.open_form(user, "panel", space=space)


def invite(driver, space, user, role, agency=None, by=COORDINATOR):
    return steps.invite(driver, space, user, role, agency, by)


def test_only_admins_open_reviews_and_are_named(driver, general):
    text = driver.open_form(POLICE, "new", space=general).text
    assert "Only CSP admins can open a new review" in text and driver.mention(COORDINATOR) in text


def test_a_non_admin_cannot_change_agencies_or_admins(driver, general):
    for word in ("agencies", "admins"):
        assert "Only CSP admins" in driver.open_form(POLICE, word, space=general).text


def test_invited_person_joins_only_after_agreeing(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    result = invite(driver, space, POLICE, "agency_lead", "Northshire Police")
    assert result.kind == "closed", result.pair()
    dm = invitation_for(driver, POLICE)
    assert "Confidentiality statement" in dm.text
    assert driver.person(POLICE) not in driver.members(space)
    assert "Awaiting agreement" in wait(lambda: "Awaiting" in card_text(driver, reference)
                                        and card_text(driver, reference), what="card shows pending")

    driver.press(POLICE, dm, "I agree")
    wait(lambda: driver.person(POLICE) in driver.members(space), what="invited after agreeing")
    with driver.db.session() as s:
        agreement = s.exec(select(Agreement).join(Membership).where(Membership.id == Agreement.membership_id)
                           .join(Review).where(Review.reference == reference, Agreement.status == "agreed")
                           .order_by(Agreement.id.desc())).first()
    assert agreement.answered_at is not None
    text = wait(lambda: "Awaiting" not in card_text(driver, reference) and card_text(driver, reference), what="card")
    assert f"{driver.mention(POLICE)}: Agency lead (Northshire Police)" in text


def test_declining_keeps_them_out_and_tells_the_channel(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    invite(driver, space, HEALTH, "panel_member", "Northshire NHS Trust")
    driver.press(HEALTH, invitation_for(driver, HEALTH), "dhr.decline")
    wait(lambda: any("can't take part" in m.preview for m in driver.messages(space)), what="space told")
    assert driver.person(HEALTH) not in driver.members(space)


def test_only_the_invited_person_can_answer(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    invite(driver, space, POLICE, "agency_lead", "Northshire Police")
    theirs = invitation_for(driver, POLICE)
    # OUTSIDER presses "I agree" on an invitation of their own, with the value of POLICE's invitation.
    _, other_space = create_review(driver, COORDINATOR, general)
    invite(driver, other_space, OUTSIDER, "observer")
    mine = invitation_for(driver, OUTSIDER)
    before = len(driver.replies(OUTSIDER))
    driver.press(OUTSIDER, mine, "I agree", forged_value=theirs.buttons[0].value)
    text = reply_text_since(driver, before, what="refusal", user=OUTSIDER)
    assert "for someone else" in text
    assert driver.person(OUTSIDER) not in driver.members(space)
    assert driver.person(POLICE) not in driver.members(space)


def test_removing_someone_takes_them_out_and_access_goes_at_once(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    invite(driver, space, CHAIR, "chair")
    driver.press(CHAIR, invitation_for(driver, CHAIR), "I agree")
    wait(lambda: driver.person(CHAIR) in driver.members(space), what="chair joined")

    panel_form(driver, COORDINATOR, space).submit({"change": "remove", "person_1": CHAIR})
    wait(lambda: driver.person(CHAIR) not in driver.members(space), what="removed")
    driver.add_to_space(CHAIR, space)  # even if a person adds them back by hand...
    before = len(driver.replies(CHAIR))
    driver.command(CHAIR, "status", space=space)
    text = reply_text_since(driver, before, what="refusal", user=CHAIR)
    assert "not a member" in text  # ...the bot no longer serves them
    with driver.db.session() as s:
        actions = s.exec(select(AuditEntry.action).join(Review).where(Review.reference == reference)).all()
    assert {"member.invited", "agreement.agreed", "member.removed"} <= set(actions)


def test_panel_form_errors_inline(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    form = panel_form(driver, COORDINATOR, space)
    result = form.submit({"change": "add", "person_1": POLICE, "role_1": "agency_lead"})
    assert "agency_1" in result.errors
    result = form.submit({"change": "remove", "person_1": HEALTH})
    assert "not on this review" in result.errors["person_1"]
    result = form.submit({"change": "remove", "person_1": COORDINATOR})
    assert "needs a coordinator" in result.errors["person_1"]


def test_only_admins_appoint_coordinators(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    invite(driver, space, HEALTH, "chair")
    driver.press(HEALTH, invitation_for(driver, HEALTH), "I agree")
    wait(lambda: driver.person(HEALTH) in driver.members(space), what="joined")
    result = invite(driver, space, POLICE, "coordinator", by=HEALTH)  # HEALTH is chair, not an admin
    assert "Only a CSP admin" in result.errors["role_1"]


def test_admins_can_add_admins(driver, general):
    driver.command(COORDINATOR, "admins", space=general)
    driver.form(COORDINATOR, "dhr.admins").submit({"admins": [POLICE]})
    assert driver.open_form(POLICE, "new", space=general).key == "dhr.new_review"
    driver.command(COORDINATOR, "admins", space=general)
    driver.form(COORDINATOR, "dhr.admins").submit({"admins": []})


def test_each_invitation_names_the_invited_persons_own_agency(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    invite(driver, space, POLICE, "agency_lead", "Northshire Police")     # still pending...
    invite(driver, space, HEALTH, "agency_lead", "Northshire NHS Trust")  # ...when the next lead is added
    text = invitation_for(driver, HEALTH).text
    assert f"*{reference}* as *Agency lead* for Northshire NHS Trust" in text
    assert "Northshire Police" not in text


def test_several_people_join_the_panel_from_one_form(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    form = panel_form(driver, COORDINATOR, space)
    result = form.submit({
        "change": "add", "person_1": POLICE, "role_1": "agency_lead",
        "agency_1": form.option("agency_1", "Northshire Police"),
        "person_2": HEALTH, "role_2": "panel_member", "agency_2": form.option("agency_2", "Northshire NHS Trust"),
        "person_3": CHAIR, "role_3": "chair"})
    assert result.kind == "closed", result.pair()
    for user, says in ((POLICE, "as *Agency lead* for Northshire Police."),
                       (HEALTH, "as *Panel member* for Northshire NHS Trust."), (CHAIR, "as *Chair*.")):
        dm = wait(lambda user=user: [m for m in steps.invitations(driver, user) if reference in m.text],
                  what=f"{user}'s invitation")
        assert len(dm) == 1 and says in dm[0].text
    mentions = [driver.mention(u) for u in (POLICE, HEALTH, CHAIR)]
    awaiting = wait(lambda: next((line for line in card_text(driver, reference).splitlines() if "Awaiting" in line
                                  and all(m in line for m in mentions)), None),
                    what="the card lists all three as awaiting agreement")
    assert awaiting


def test_a_bad_row_names_its_own_fields_and_adds_nobody(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    form = panel_form(driver, COORDINATOR, space)
    result = form.submit({
        "change": "add", "person_1": CHAIR, "role_1": "chair",
        "person_2": POLICE, "role_2": "agency_lead",                 # no agency
        "role_3": "observer",                                        # no person
        "person_4": CHAIR, "role_4": "observer"})                    # the same person twice
    assert result.kind == "errors"
    assert set(result.errors) == {"agency_2", "person_3", "person_4"}, result.errors
    assert "agency" in result.errors["agency_2"] and "another row" in result.errors["person_4"]
    with driver.db.session() as s:
        invited = s.exec(select(Membership).join(Review).where(Review.reference == reference,
                                                               Membership.status == "invited")).all()
    assert invited == []
    assert not [m for m in driver.dms(CHAIR) if reference in m.text]
    result = panel_form(driver, COORDINATOR, space).submit({"change": "add"})
    assert "at least one person" in result.errors["person_1"]


def test_the_decision_takes_partner_agencies_from_the_csp_list(driver, general, agencies):
    reference, space = create_review(driver, COORDINATOR, general)
    driver.command(COORDINATOR, "decide", space=space)
    form = driver.form(COORDINATOR, "dhr.decide")
    listed = form.field("agencies_consulted")
    assert listed.kind == "multi_choice"
    assert [label for label, _ in listed.options] == ["Northshire NHS Trust", "Northshire Police"]
    values = {"outcome": "review", "decided_on": today().isoformat(), "home_office_told_on": today().isoformat(),
              "decided_by": COORDINATOR, "records_secured_on": today().isoformat()}
    assert "Name the partner agencies consulted" in form.submit(values).errors["agencies_consulted"]
    result = form.submit({
        **values, "agencies_consulted": [form.option("agencies_consulted", "Northshire Police"),
                                         form.option("agencies_consulted", "Northshire NHS Trust")],
        "agencies_consulted_other": "Northshire Council"})
    assert result.kind == "closed", result.pair()
    with driver.db.session() as s:
        stored = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert stored.agencies_consulted == ["Northshire Police", "Northshire NHS Trust", "Northshire Council"]


def test_saving_the_agencies_tells_the_admin_what_changed(driver, general, agencies):
    def told(words):
        return wait(lambda: [m.preview for m in driver.ephemerals(COORDINATOR, general) + driver.dms(COORDINATOR)
                             if words in m.preview], what=words)

    for listed, says in ((agencies + ["Northshire Council"], "Agencies saved: added Northshire Council. "
                          "The list has 3 agencies."),
                         (agencies, "Agencies saved: removed Northshire Council (kept on past reviews). "
                          "The list has 2 agencies."),
                         (agencies, "Agencies saved: nothing changed. The list has 2 agencies.")):
        driver.command(COORDINATOR, "agencies", space=general)
        assert driver.form(COORDINATOR, "dhr.agencies").submit({"agencies": "\n".join(listed)}).kind == "closed"
        assert told(says)
    assert not [m for m in driver.messages(general) if "Agencies saved" in m.preview]   # only to the admin
