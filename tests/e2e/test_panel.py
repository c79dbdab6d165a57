"""Admins, agencies, the panel and the confidentiality agreement, end to end."""
import pytest
from sqlmodel import select

from storage.models import AuditEntry, Membership, Review
from storage.panel import Agreement
from tests.e2e import panel_steps as steps
from tests.e2e.journey import block_text, create_review, open_view, wait
from tests.e2e.panel_steps import invitation_for, option_value, reply_text_since
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general-panel", members=[COORDINATOR, CHAIR, OUTSIDER, POLICE, HEALTH]).id


@pytest.fixture(scope="module")
def agencies(bot, general):
    bot.slack.command(COORDINATOR, general, text="agencies")
    view = open_view(bot, COORDINATOR, "dhr.agencies")
    response = bot.slack.submit_view(COORDINATOR, view.id, {"agencies": "Northshire Police\nNorthshire NHS Trust\n"})
    assert response.status == 200 and response.text in ("", "{}")
    return ["Northshire Police", "Northshire NHS Trust"]


def panel_form(bot, user, space_id):
    bot.slack.command(user, space_id, text="panel")
    return open_view(bot, user)


def invite(bot, space_id, user, role, agency=None, by=COORDINATOR):
    return steps.invite(bot, space_id, user, role, agency, by)


def card_text(bot, reference):
    with bot.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == reference)).one()
    return block_text(bot.fake.channels[review.space_id].message(review.card_ref).blocks)


def test_only_admins_open_reviews_and_are_named(bot, general):
    bot.slack.command(POLICE, general, text="new")
    view = open_view(bot, POLICE)
    text = block_text(view.blocks)
    assert "Only CSP admins can open a new review" in text and f"<@{COORDINATOR}>" in text


def test_a_non_admin_cannot_change_agencies_or_admins(bot, general):
    for word in ("agencies", "admins"):
        bot.slack.command(POLICE, general, text=word)
        assert "Only CSP admins" in block_text(open_view(bot, POLICE).blocks)


def test_invited_person_joins_only_after_agreeing(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    response = invite(bot, space_id, POLICE, "agency_lead", "Northshire Police")
    assert response.text in ("", "{}"), response.text
    dm = invitation_for(bot, POLICE)
    assert "Confidentiality statement" in block_text(dm.blocks)
    assert POLICE not in bot.fake.channels[space_id].members
    assert "Awaiting agreement" in wait(lambda: "Awaiting" in card_text(bot, reference) and card_text(bot, reference),
                                         what="card shows pending")

    bot.slack.click(POLICE, "dhr.agree", message=(dm.channel, dm.ts))
    wait(lambda: POLICE in bot.fake.channels[space_id].members, what="invited after agreeing")
    with bot.db.session() as s:
        agreement = s.exec(select(Agreement).join(Membership).where(Membership.id == Agreement.membership_id)
                           .join(Review).where(Review.reference == reference, Agreement.status == "agreed")
                           .order_by(Agreement.id.desc())).first()
    assert agreement.answered_at is not None
    text = wait(lambda: "Awaiting" not in card_text(bot, reference) and card_text(bot, reference), what="card")
    assert f"<@{POLICE}>: Agency lead (Northshire Police)" in text


def test_declining_keeps_them_out_and_tells_the_channel(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    invite(bot, space_id, HEALTH, "panel_member", "Northshire NHS Trust")
    dm = invitation_for(bot, HEALTH)
    bot.slack.click(HEALTH, "dhr.decline", message=(dm.channel, dm.ts))
    wait(lambda: any("can't take part" in m.text for m in bot.fake.messages(space_id)), what="channel told")
    assert HEALTH not in bot.fake.channels[space_id].members


def test_only_the_invited_person_can_answer(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    invite(bot, space_id, POLICE, "agency_lead", "Northshire Police")
    theirs = invitation_for(bot, POLICE)
    # OUTSIDER clicks "I agree" on an invitation of their own, with the value of POLICE's invitation.
    _, other_channel = create_review(bot, COORDINATOR, general)
    invite(bot, other_channel, OUTSIDER, "observer")
    mine = invitation_for(bot, OUTSIDER)
    forged = next(e["value"] for b in theirs.blocks if b["type"] == "actions" for e in b["elements"])
    before = len(bot.fake.responses())
    bot.slack.click(OUTSIDER, "dhr.agree", message=(mine.channel, mine.ts), forged_value=forged)
    text = reply_text_since(bot, before, what="refusal")
    assert "for someone else" in text
    assert OUTSIDER not in bot.fake.channels[space_id].members
    assert POLICE not in bot.fake.channels[space_id].members


def test_removing_someone_takes_them_out_and_access_goes_at_once(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    invite(bot, space_id, CHAIR, "chair")
    dm = invitation_for(bot, CHAIR)
    bot.slack.click(CHAIR, "dhr.agree", message=(dm.channel, dm.ts))
    wait(lambda: CHAIR in bot.fake.channels[space_id].members, what="chair joined")

    view = panel_form(bot, COORDINATOR, space_id)
    bot.slack.submit_view(COORDINATOR, view.id, {"change": "remove", "person_1": CHAIR})
    wait(lambda: CHAIR not in bot.fake.channels[space_id].members, what="kicked")
    bot.fake.channels[space_id].members.append(CHAIR)  # even if a person adds them back by hand...
    before = len(bot.fake.responses())
    bot.slack.command(CHAIR, space_id, text="status")
    text = reply_text_since(bot, before, what="refusal")
    assert "not a member" in text  # ...the bot no longer serves them
    with bot.db.session() as s:
        actions = s.exec(select(AuditEntry.action).join(Review).where(Review.reference == reference)).all()
    assert {"member.invited", "agreement.agreed", "member.removed"} <= set(actions)


def test_panel_form_errors_inline(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    view = panel_form(bot, COORDINATOR, space_id)
    body = bot.slack.submit_view(COORDINATOR, view.id,
                                 {"change": "add", "person_1": POLICE, "role_1": "agency_lead"}).json()
    assert "agency_1" in body["errors"]
    body = bot.slack.submit_view(COORDINATOR, view.id, {"change": "remove", "person_1": HEALTH}).json()
    assert "not on this review" in body["errors"]["person_1"]
    body = bot.slack.submit_view(COORDINATOR, view.id, {"change": "remove", "person_1": COORDINATOR}).json()
    assert "needs a coordinator" in body["errors"]["person_1"]


def test_only_admins_appoint_coordinators(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    invite(bot, space_id, HEALTH, "chair")
    dm = invitation_for(bot, HEALTH)
    bot.slack.click(HEALTH, "dhr.agree", message=(dm.channel, dm.ts))
    wait(lambda: HEALTH in bot.fake.channels[space_id].members, what="joined")
    body = invite(bot, space_id, POLICE, "coordinator", by=HEALTH).json()  # HEALTH is chair, not an admin
    assert "Only a CSP admin" in body["errors"]["role_1"]


def test_admins_can_add_admins(bot, general):
    bot.slack.command(COORDINATOR, general, text="admins")
    view = open_view(bot, COORDINATOR, "dhr.admins")
    bot.slack.submit_view(COORDINATOR, view.id, {"admins": [POLICE]})
    bot.slack.command(POLICE, general, text="new")
    assert open_view(bot, POLICE).callback_id == "dhr.new_review"
    bot.slack.command(COORDINATOR, general, text="admins")
    view = open_view(bot, COORDINATOR, "dhr.admins")
    bot.slack.submit_view(COORDINATOR, view.id, {"admins": []})


def test_each_invitation_names_the_invited_persons_own_agency(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    invite(bot, space_id, POLICE, "agency_lead", "Northshire Police")     # still pending...
    invite(bot, space_id, HEALTH, "agency_lead", "Northshire NHS Trust")  # ...when the next lead is added
    text = block_text(invitation_for(bot, HEALTH).blocks)
    assert f"*{reference}* as *Agency lead* for Northshire NHS Trust" in text
    assert "Northshire Police" not in text


def test_several_people_join_the_panel_from_one_form(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    view = panel_form(bot, COORDINATOR, space_id)
    response = bot.slack.submit_view(COORDINATOR, view.id, {
        "change": "add", "person_1": POLICE, "role_1": "agency_lead",
        "agency_1": option_value(view, "agency_1", "Northshire Police"),
        "person_2": HEALTH, "role_2": "panel_member",
        "agency_2": option_value(view, "agency_2", "Northshire NHS Trust"),
        "person_3": CHAIR, "role_3": "chair"})
    assert response.text in ("", "{}"), response.text
    for user, says in ((POLICE, "as *Agency lead* for Northshire Police."),
                       (HEALTH, "as *Panel member* for Northshire NHS Trust."), (CHAIR, "as *Chair*.")):
        dm = wait(lambda user=user: [m for m in bot.fake.dm_messages(user) if reference in block_text(m.blocks or [])
                           and "I agree" in block_text(m.blocks)], what=f"{user}'s invitation")
        assert len(dm) == 1 and says in block_text(dm[0].blocks)
    awaiting = wait(lambda: next((line for line in card_text(bot, reference).splitlines() if "Awaiting" in line
                                  and all(f"<@{u}>" in line for u in (POLICE, HEALTH, CHAIR))), None),
                    what="the card lists all three as awaiting agreement")
    assert awaiting


def test_a_bad_row_names_its_own_fields_and_adds_nobody(bot, general, agencies):
    reference, space_id = create_review(bot, COORDINATOR, general)
    view = panel_form(bot, COORDINATOR, space_id)
    body = bot.slack.submit_view(COORDINATOR, view.id, {
        "change": "add", "person_1": CHAIR, "role_1": "chair",
        "person_2": POLICE, "role_2": "agency_lead",                 # no agency
        "role_3": "observer",                                        # no person
        "person_4": CHAIR, "role_4": "observer"}).json()             # the same person twice
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"agency_2", "person_3", "person_4"}, body["errors"]
    assert "agency" in body["errors"]["agency_2"] and "another row" in body["errors"]["person_4"]
    with bot.db.session() as s:
        invited = s.exec(select(Membership).join(Review).where(Review.reference == reference,
                                                               Membership.status == "invited")).all()
    assert invited == []
    assert not [m for m in bot.fake.dm_messages(CHAIR) if reference in block_text(m.blocks or [])]
    view = panel_form(bot, COORDINATOR, space_id)
    body = bot.slack.submit_view(COORDINATOR, view.id, {"change": "add"}).json()
    assert "at least one person" in body["errors"]["person_1"]


def test_the_decision_takes_partner_agencies_from_the_csp_list(bot, general, agencies):
    from storage.models import Decision
    from tests.e2e.journey import today
    reference, space_id = create_review(bot, COORDINATOR, general)
    bot.slack.command(COORDINATOR, space_id, text="decide")
    view = open_view(bot, COORDINATOR, "dhr.decide")
    listed = next(b for b in view.blocks if b.get("block_id") == "agencies_consulted")["element"]
    assert listed["type"] == "multi_static_select"
    assert [o["text"]["text"] for o in listed["options"]] == ["Northshire NHS Trust", "Northshire Police"]
    values = {"outcome": "review", "decided_on": today().isoformat(), "home_office_told_on": today().isoformat()}
    body = bot.slack.submit_view(COORDINATOR, view.id, values).json()
    assert "Name the partner agencies consulted" in body["errors"]["agencies_consulted"]
    response = bot.slack.submit_view(COORDINATOR, view.id, {
        **values, "agencies_consulted": [option_value(view, "agencies_consulted", "Northshire Police"),
                                         option_value(view, "agencies_consulted", "Northshire NHS Trust")],
        "agencies_consulted_other": "Northshire Council"})
    assert response.text in ("", "{}"), response.text
    with bot.db.session() as s:
        stored = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert stored.agencies_consulted == ["Northshire Police", "Northshire NHS Trust", "Northshire Council"]


def test_saving_the_agencies_tells_the_admin_what_changed(bot, general, agencies):
    def told(words):
        return wait(lambda: [m.text for m in bot.fake.ephemeral_messages(general, COORDINATOR)
                             + bot.fake.dm_messages(COORDINATOR) if words in (m.text or "")], what=words)

    for listed, says in ((agencies + ["Northshire Council"], "Agencies saved: added Northshire Council. "
                          "The list has 3 agencies."),
                         (agencies, "Agencies saved: removed Northshire Council (kept on past reviews). "
                          "The list has 2 agencies."),
                         (agencies, "Agencies saved: nothing changed. The list has 2 agencies.")):
        bot.slack.command(COORDINATOR, general, text="agencies")
        view = open_view(bot, COORDINATOR, "dhr.agencies")
        assert bot.slack.submit_view(COORDINATOR, view.id, {"agencies": "\n".join(listed)}).text in ("", "{}")
        assert told(says)
    assert not [m for m in bot.fake.messages(general) if "Agencies saved" in (m.text or "")]   # only to the admin
