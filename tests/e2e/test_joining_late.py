"""People who join a review after things have started, App Home's "Open" on an evidence request,
and the reminders for verification and confidentiality agreements, end to end through Slack's
signed request path against the fake Slack (the sweep as a separate process), on SQLite and PostgreSQL."""
from datetime import datetime

import pytest
from sqlmodel import select

from storage.evidence import EvidenceItem
from storage.ledger import ReminderLedger
from storage.terms import TermsConfirmation
from tests.e2e.evidence_steps import (
    AGENCIES,
    all_buttons,
    dms_with,
    form,
    review_row,
    staffed_review,
)
from tests.e2e.journey import block_text, today, wait
from tests.e2e.panel_steps import invitation_for, invite, join, option_value, reply_text_since, set_agencies
from tests.e2e.report_steps import agree_terms, answer, decide, dm_with, home_after, home_text, modal
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, OBSERVER, POLICE
from tests.e2e.test_evidence import ENG, LONDON, request

pytestmark = pytest.mark.e2e
_users = iter(range(1, 1000))


def newcomer(bot) -> str:
    """A person of the workspace on no review yet (a fresh one per test: DMs are easy to count)."""
    user = f"U0LATE{next(_users):03d}"
    bot.fake.add_user(user, f"late{user[-3:]}")
    return user


@pytest.fixture(scope="module")
def general(bot):
    channel = bot.fake.add_channel("general-late", members=[COORDINATOR, CHAIR, POLICE, HEALTH, OBSERVER]).id
    set_agencies(bot, COORDINATOR, channel, AGENCIES)
    return channel


def request_dms(bot, user, reference, agency="Northshire Probation"):
    return [m for m in dms_with(bot, user, f"asked *{agency}*") if reference in m.text]


def scoping_form_from(bot, user, send):
    send()
    return wait(lambda: (v := bot.fake.open_view_for(user)) and v.callback_id == "dhr.scoping" and v,
                what="the scoping form")


# ---------------------------------------------------------------- 1. a lead who joins after the request

def test_a_lead_who_joins_after_the_request_gets_the_request_dm_once_and_can_answer(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    request(bot, channel, agencies=["Northshire Probation"], items=("scoping", "chronology"))
    wait(lambda: review_row(bot, reference).card_ref, what="the card")
    lead = newcomer(bot)
    invite(bot, channel, lead, "agency_lead", "Northshire Probation", by=COORDINATOR)
    invitation = invitation_for(bot, lead)
    home = home_after(bot, lead, lambda: bot.slack.event({"type": "app_home_opened", "user": lead, "tab": "home"}))
    from_home = modal(bot, lead, lambda: bot.slack.click(lead, "dhr.home_agreement", view_id=home.id))
    bot.slack.click(lead, "dhr.agree", message=(invitation.channel, invitation.ts))      # agreed in the DM
    wait(lambda: lead in bot.fake.channels[channel].members, what="joined")
    dm = wait(lambda: request_dms(bot, lead, reference), what="the request DM")[-1]
    assert [a for a, _ in all_buttons(dm)] == ["dhr.evidence.open_scoping", "dhr.evidence.open_chronology"]
    assert f"<@{COORDINATOR}>" in dm.text + block_text(dm.blocks) and "Adult A" not in block_text(dm.blocks)
    # ...and again from the Home tab's form left open: refused, and nothing more is sent.
    kind, text = answer(bot.slack.submit_view(lead, from_home.id, {"answer": "agree"}))
    assert kind == "notice" and "already answered" in text
    wait(lambda: len(bot.fake.dm_messages(lead)) and True, what="settled")
    assert len(request_dms(bot, lead, reference)) == 1
    # The DM's button opens their scoping form, which records the answer.
    view = scoping_form_from(bot, lead, lambda: bot.slack.click(lead, "dhr.evidence.open_scoping",
                                                                message=(dm.channel, dm.ts)))
    assert "Northshire Probation" in block_text(view.blocks)
    bot.slack.submit_view(lead, view.id, {"victim": "yes", "perpetrator": "no", "children": "no"})
    with bot.db.session() as s:
        statuses = dict(s.exec(select(EvidenceItem.kind, EvidenceItem.status).where(
            EvidenceItem.review_id == review_row(bot, reference).id,
            EvidenceItem.agency_id == int(option_value(form(bot, COORDINATOR, channel, "request"), "agencies",
                                                       "Northshire Probation")))).all())
    assert statuses == {"scoping": "submitted", "chronology": "requested"}


def test_a_member_made_agency_lead_gets_the_open_items_once_and_nothing_when_nothing_is_owed(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    member = newcomer(bot)
    join(bot, channel, member, "observer", by=COORDINATOR)
    request(bot, channel, agencies=["Northshire Probation"], items=("imr",))
    panel = form(bot, COORDINATOR, channel, "panel")
    bot.slack.submit_view(COORDINATOR, panel.id, {"change": "add", "person_1": member, "role_1": "agency_lead",
                                                  "agency_1": option_value(panel, "agency_1", "Northshire Probation")})
    dm = wait(lambda: request_dms(bot, member, reference), what="the request DM")[-1]
    assert [a for a, _ in all_buttons(dm)] == ["dhr.evidence.open_imr"]
    # The same change again is refused and tells nobody; a lead of an agency that owes nothing gets no DM.
    panel = form(bot, COORDINATOR, channel, "panel")
    answer_ = bot.slack.submit_view(COORDINATOR, panel.id, {
        "change": "add", "person_1": member, "role_1": "agency_lead",
        "agency_1": option_value(panel, "agency_1", "Northshire Probation")})
    assert "already have that role" in answer_.json()["errors"]["role_1"]
    other = newcomer(bot)
    join(bot, channel, other, "agency_lead", "Northshire NHS Trust", by=COORDINATOR)
    wait(lambda: f"<@{other}> agreed" in "".join(m.text or "" for m in bot.fake.messages(channel)), what="joined")
    assert len(request_dms(bot, member, reference)) == 1
    assert not [m for m in bot.fake.dm_messages(other) if "asked *" in (m.text or "")]


# ---------------------------------------------------------------- 2. terms agreed before someone joins

def test_a_panel_member_who_joins_after_the_terms_were_agreed_is_asked_to_confirm_them(bot, general):
    from tests.e2e.journey import create_review
    reference, channel = create_review(bot, COORDINATOR, general)
    decide(bot, channel)
    join(bot, channel, CHAIR, "chair", by=COORDINATOR)
    agree_terms(bot, channel, reference)
    member, observer = newcomer(bot), newcomer(bot)
    join(bot, channel, member, "panel_member", "Northshire Police", by=COORDINATOR)
    join(bot, channel, observer, "observer", by=COORDINATOR)
    dm = wait(lambda: dms_with(bot, member, "I have read them"), what="the request to confirm")
    assert len(dm) == 1 and reference in dm[0].text and "version 1" in block_text(dm[0].blocks)
    assert not dms_with(bot, observer, "I have read them")        # observers don't confirm the terms
    before = len(bot.fake.responses())
    bot.slack.click(member, "dhr.tor.confirm", message=(dm[0].channel, dm[0].ts))
    assert "you confirmed you have read version 1" in reply_text_since(bot, before, "the thanks")
    # The observer made a panel member is asked then, once.
    panel = form(bot, COORDINATOR, channel, "panel")
    bot.slack.submit_view(COORDINATOR, panel.id, {"change": "add", "person_1": observer, "role_1": "panel_member",
                                                  "agency_1": option_value(panel, "agency_1", "Northshire Police")})
    wait(lambda: dms_with(bot, observer, "I have read them"), what="the observer asked")
    with bot.db.session() as s:
        rows = s.exec(select(TermsConfirmation).where(
            TermsConfirmation.review_id == review_row(bot, reference).id)).all()
    assert len(rows) == 4      # the coordinator (who agreed them), the chair, the member and the observer
    assert sum(r.confirmed_at is not None for r in rows) == 2


# ---------------------------------------------------------------- 5. App Home "Open"

def test_home_open_opens_the_form_of_each_kind_of_request(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    lead = newcomer(bot)
    join(bot, channel, lead, "agency_lead", "Northshire Probation", by=COORDINATOR)
    request(bot, channel, agencies=["Northshire Probation"], items=("scoping", "chronology", "imr", "short_report"))
    wait(lambda: request_dms(bot, lead, reference), what="the request DM")
    assert "Scoping answer" in home_text(bot, lead)
    home = bot.fake.home_view(lead)
    with bot.db.session() as s:
        items = dict(s.exec(select(EvidenceItem.kind, EvidenceItem.id).where(
            EvidenceItem.review_id == review_row(bot, reference).id)).all())
    view = scoping_form_from(bot, lead, lambda: bot.slack.click(lead, "dhr.home_request", view_id=home.id,
                                                                block_id=block_of(home, items["scoping"])))
    assert "Northshire Probation" in block_text(view.blocks) and reference in block_text(view.blocks)
    bot.slack.submit_view(lead, view.id, {"victim": "yes", "perpetrator": "no", "children": "no"})
    wait(lambda: item_status(bot, items["scoping"]) == "submitted", what="the answer stored")
    home = home_after(bot, lead, lambda: bot.slack.event({"type": "app_home_opened", "user": lead, "tab": "home"}))
    entry = modal(bot, lead, lambda: bot.slack.click(lead, "dhr.home_request", view_id=home.id,
                                                     block_id=block_of(home, items["chronology"])))
    assert entry.callback_id == "dhr.chronology.entry" and "Northshire Probation" in block_text(entry.blocks)
    bot.slack.close_view(lead, entry.id)
    imr = modal(bot, lead, lambda: bot.slack.click(lead, "dhr.home_request", view_id=home.id,
                                                   block_id=block_of(home, items["imr"])))
    assert "IMR" in block_text(imr.blocks) and "template" in block_text(imr.blocks).lower()
    bot.slack.close_view(lead, imr.id)
    # a short report has no form: it points to the review channel
    notice = modal(bot, lead, lambda: bot.slack.click(lead, "dhr.home_request", view_id=home.id,
                                                      block_id=block_of(home, items["short_report"])))
    assert f"<#{channel}>" in block_text(notice.blocks) and "Short report" in block_text(notice.blocks)


def block_of(view, item_id: int) -> str:
    return next(b["block_id"] for b in view.blocks if (b.get("accessory") or {}).get("value") == str(item_id))


def item_status(bot, item_id: int) -> str:
    with bot.db.session() as s:
        return s.get(EvidenceItem, item_id).status


# ---------------------------------------------------------------- 3 and 4. reminders from the sweep

def test_a_completed_action_awaiting_verification_is_reminded_to_coordinator_and_chair(bot, general):
    from tests.e2e.test_report_and_plan import add_recommendation, completion
    from tests.e2e.test_timeline import sweep
    reference, channel = staffed_review(bot, general, panel=False)
    decide(bot, channel)
    assert add_recommendation(bot, channel) == ("closed", None)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="action"))
    recommendation = next(o["value"] for b in view.blocks if b.get("block_id") == "recommendation"
                          for o in b["element"]["options"])
    answer(bot.slack.submit_view(COORDINATOR, view.id, {
        "recommendation": recommendation, "action": "Deliver DASH refresher training to every front-desk officer",
        "lead_agency": option_value(view, "lead_agency", "Northshire Police"), "owner": POLICE,
        "outcome_measure": "95% of officers trained, shown by training records",
        "target_on": ENG.add_working_days(today(), 60).isoformat()}))
    dm = dm_with(bot, POLICE, "is yours")
    done = modal(bot, POLICE, lambda: bot.slack.click(POLICE, "dhr.action_complete", message=(dm.channel, dm.ts)))
    assert answer(bot.slack.submit_view(POLICE, done.id, completion())) == ("closed", None)
    due = ENG.add_working_days(today(), 5)
    before = {u: len(bot.fake.dm_messages(u)) for u in (COORDINATOR, CHAIR, POLICE)}
    sweep(bot, datetime(due.year, due.month, due.day, 10, 0, tzinfo=LONDON))
    for user in (COORDINATOR, CHAIR):
        texts = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(user)[before[user]:]]
        mine = [t for t in texts if reference in t and "Verify action 1.1" in t]
        assert mine, user
        assert "DASH" not in mine[0] and "Adult A" not in mine[0] and "Training records" not in mine[0]
    police = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(POLICE)[before[POLICE]:]]
    assert not any("Verify action" in t for t in police)


def test_an_unanswered_invitation_is_due_five_working_days_after_it_went(bot, general):
    from tests.e2e.journey import create_review
    from tests.e2e.panel_steps import invite
    from tests.e2e.test_timeline import sweep
    reference, channel = create_review(bot, COORDINATOR, general)
    person = newcomer(bot)
    invite(bot, channel, person, "observer", by=COORDINATOR)
    wait(lambda: [m for m in bot.fake.dm_messages(person) if reference in (m.text or "")], what="invitation")
    due = ENG.add_working_days(today(), 5)
    before = len(bot.fake.dm_messages(person))
    sweep(bot, datetime(due.year, due.month, due.day, 10, 0, tzinfo=LONDON))
    texts = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(person)[before:]]
    assert [t for t in texts if "Answer to the confidentiality statement" in t and reference in t]
    with bot.db.session() as s:
        due_on = s.exec(select(ReminderLedger.due_on).where(ReminderLedger.recipient == person,
                                                            ReminderLedger.item_kind == "agreement")).first()
    assert due_on == due
