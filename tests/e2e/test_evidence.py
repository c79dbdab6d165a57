"""Terms of reference, evidence requests, scoping answers, the evidence grid and family contacts,
end to end through Slack's signed request path against the fake Slack, on SQLite and PostgreSQL."""
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from bot.workflow.clock.workdays import WorkingCalendar
from storage.evidence import EvidenceItem
from storage.family import FamilyContact
from storage.models import AuditEntry
from storage.terms import TermsOfReference
from tests.e2e.evidence_steps import (
    AGENCIES,
    all_buttons,
    buttons,
    card_text,
    channel_texts,
    dms_with,
    form,
    review_row,
    staffed_review,
    view_text,
    wait_text,
)
from tests.e2e.journey import block_text, create_review, initial_value, show, today, wait
from tests.e2e.panel_steps import option_value, reply_text_since, set_agencies
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE

pytestmark = pytest.mark.e2e
ENG = WorkingCalendar("ENG")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def general(bot):
    channel = bot.fake.add_channel("general-evidence", members=[COORDINATOR, CHAIR, POLICE, HEALTH, OBSERVER,
                                                                 OUTSIDER]).id
    set_agencies(bot, COORDINATOR, channel, AGENCIES)
    return channel


@pytest.fixture(scope="module")
def review(bot, general):
    return staffed_review(bot, general)


def tor_values(view, **over) -> dict:
    values = {"scope_from": "2021-01-01", "scope_to": (today() - timedelta(days=3)).isoformat(),
              "agencies": [option_value(view, "agencies", "Northshire Police"),
                           option_value(view, "agencies", "Northshire NHS Trust")],
              "lines": ["coercive_control", "risk_marac"], "other_lines": "Housing moves",
              "pseudonyms": "Adult A: the victim"}
    values.update(over)
    return {k: v for k, v in values.items() if v is not None}


def versions(bot, reference) -> int:
    with bot.db.session() as s:
        return s.exec(select(func.count()).select_from(TermsOfReference)
                      .where(TermsOfReference.review_id == review_row(bot, reference).id)).one()


# ---------------------------------------------------------------- terms of reference

def test_terms_of_reference_are_versioned_and_the_panel_confirms_reading_the_agreed_one(bot, review):
    reference, channel = review
    view = form(bot, COORDINATOR, channel, "tor")
    assert view.callback_id == "dhr.tor"
    response = bot.slack.submit_view(COORDINATOR, view.id, tor_values(view))
    assert response.status == 200 and "errors" not in response.text
    assert "Version 1" in view_text(bot, view.id) and "as a draft" in view_text(bot, view.id)
    wait_text(lambda: channel_texts(bot, channel), "saved the terms of reference", "the terms posted in the channel")
    assert "Housing moves" in channel_texts(bot, channel) and "Northshire NHS Trust" in channel_texts(bot, channel)
    assert "draft" in wait_text(lambda: card_text(bot, reference), "Terms of reference", "the card")

    view = form(bot, CHAIR, channel, "tor")     # the chair agrees version 2, starting from version 1
    assert initial_value(view, "scope_from") == "2021-01-01"
    bot.slack.submit_view(CHAIR, view.id, tor_values(view, scope_from="2020-06-01", agreed_on=today().isoformat()))
    assert "Version 2" in view_text(bot, view.id) and "2 members were asked" in view_text(bot, view.id)
    asked = {user: wait(lambda u=user: dms_with(bot, u, "I have read them"), what=f"{user} asked")[-1]
             for user in (COORDINATOR, OBSERVER)}
    assert not dms_with(bot, POLICE, "I have read them") and not dms_with(bot, HEALTH, "I have read them")
    dm_text = asked[OBSERVER].text + block_text(asked[OBSERVER].blocks)
    assert reference in dm_text and "Adult A" not in dm_text and "Housing" not in dm_text   # no case content

    bot.slack.click(OBSERVER, "dhr.tor.confirm", message=(asked[OBSERVER].channel, asked[OBSERVER].ts))
    wait(lambda: "Thank you" in (bot.fake.channels[asked[OBSERVER].channel].message(asked[OBSERVER].ts).text or ""),
         what="the DM to say thank you")
    assert "read and confirmed by 2 of 3" in wait_text(lambda: card_text(bot, reference), "2 of 3", "the card")
    shown = view_text(bot, form(bot, COORDINATOR, channel, "tor").id)
    assert f"read and confirmed by <@{CHAIR}>, <@{OBSERVER}>; awaiting <@{COORDINATOR}>" in shown

    with bot.db.session() as s:
        rows = s.exec(select(TermsOfReference).where(TermsOfReference.review_id == review_row(bot, reference).id)
                      .order_by(TermsOfReference.version)).all()
        raw = s.execute(text("SELECT other_lines FROM termsofreference")).scalars().all()
        actions = s.exec(select(AuditEntry.action).where(AuditEntry.review_id == rows[0].review_id)).all()
    assert [(r.version, r.scope_from.isoformat(), r.agreed_on) for r in rows] == [
        (1, "2021-01-01", None), (2, "2020-06-01", today())]
    assert all("Housing" not in x for x in raw)                       # encrypted at rest
    assert actions.count("terms.saved") == 2 and "terms.confirmed" in actions


def test_someone_else_cannot_confirm_for_the_person_asked(bot, general):
    reference, channel = staffed_review(bot, general)
    view = form(bot, CHAIR, channel, "tor")
    bot.slack.submit_view(CHAIR, view.id, tor_values(view, agreed_on=today().isoformat()))
    mine = wait(lambda: [m for m in dms_with(bot, COORDINATOR, "I have read them") if reference in m.text],
                what="coordinator asked")[-1]
    theirs = wait(lambda: [m for m in dms_with(bot, OBSERVER, "I have read them") if reference in m.text],
                  what="panel member asked")[-1]
    before = len(bot.fake.responses())
    bot.slack.click(COORDINATOR, "dhr.tor.confirm", message=(mine.channel, mine.ts),
                    forged_value=buttons(theirs)["dhr.tor.confirm"])
    assert "for someone else" in reply_text_since(bot, before, "the refusal")
    wait_text(lambda: card_text(bot, reference), "read and confirmed by 1 of 3", "the card")
    with bot.db.session() as s:
        assert s.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "terms.confirmed", AuditEntry.review_id == review_row(bot, reference).id)).one() == 0


def test_bad_terms_of_reference_are_refused_inline_and_nothing_is_stored(bot, review):
    reference, channel = review
    before = versions(bot, reference)
    view = form(bot, COORDINATOR, channel, "tor")
    body = bot.slack.submit_view(COORDINATOR, view.id, tor_values(view, scope_from="2026-01-05",
                                                                  scope_to="2025-01-05")).json()
    assert "ends" in body["errors"]["scope_to"]
    body = bot.slack.forge_submission(COORDINATOR, view.id, tor_values(view, other_lines="x" * 10_000)).json()
    assert "3000 characters" in body["errors"]["other_lines"]
    body = bot.slack.forge_submission(COORDINATOR, view.id, {**tor_values(view), "scope_to": "31/12/2025"}).json()
    assert "isn't a date" in body["errors"]["scope_to"]
    redact = form(bot, COORDINATOR, channel, "redact")
    bot.slack.submit_view(COORDINATOR, redact.id, {"kind": "name", "term": "Zebedee Quillfeather"})
    view = form(bot, COORDINATOR, channel, "tor")
    body = bot.slack.submit_view(COORDINATOR, view.id, tor_values(view, other_lines="Contact with zebedee quillfeather")
                                 ).json()
    assert "redaction list" in body["errors"]["other_lines"]
    assert versions(bot, reference) == before


def test_only_the_coordinator_and_chair_edit_the_terms(bot, review):
    reference, channel = review
    assert "Only the review's coordinator or chair can edit the terms of reference" in \
        view_text(bot, form(bot, POLICE, channel, "tor").id)
    bot.fake.channels[channel].members.append(OUTSIDER)          # in the channel by hand, never joined
    assert "not a member of this review" in view_text(bot, form(bot, OUTSIDER, channel, "tor").id)
    # The chair of this review forges the form's private_metadata to name a review they are not on.
    view = form(bot, CHAIR, channel, "tor")
    other_reference, _ = create_review(bot, COORDINATOR, bot.fake.channel_by_name("general-evidence").id)
    forged = json.dumps({"review_id": review_row(bot, other_reference).id})
    bot.slack.forge_submission(CHAIR, view.id, tor_values(view), private_metadata=forged)
    assert "not a member of this review" in view_text(bot, view.id)
    assert versions(bot, other_reference) == 0


# ---------------------------------------------------------------- requests and scoping

def request(bot, channel, user=COORDINATOR, items=("scoping", "chronology", "imr"), agencies=AGENCIES, **over):
    view = form(bot, user, channel, "request")
    values = {"agencies": [option_value(view, "agencies", a) for a in agencies], "items": list(items)}
    values.update(over)
    return view, bot.slack.submit_view(user, view.id, values)


def test_a_request_dms_each_lead_once_with_a_button_per_item_and_names_agencies_without_a_lead(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    view = form(bot, COORDINATOR, channel, "request")
    due = ENG.add_working_days(today(), 30)
    assert view.callback_id == "dhr.request" and initial_value(view, "due_on") == due.isoformat()
    values = {"agencies": [option_value(view, "agencies", a) for a in AGENCIES],
              "items": ["scoping", "chronology", "imr", "short_report"]}
    assert bot.slack.submit_view(COORDINATOR, view.id, values).status == 200
    result = view_text(bot, view.id)
    assert "Requested from 3 agencies" in result and show(due) in result
    assert "No agency lead yet* for Northshire Probation" in result
    dm = wait(lambda: [m for m in dms_with(bot, POLICE, "asked *Northshire Police*") if reference in m.text],
              what="the police lead's DM")
    assert len(dm) == 1
    ids = [a for a, _ in all_buttons(dm[0])]
    assert ids == ["dhr.evidence.open_scoping", "dhr.evidence.open_chronology", "dhr.evidence.open_imr"]
    assert "Short report" in block_text(dm[0].blocks) and "Adult A" not in block_text(dm[0].blocks)
    assert wait(lambda: dms_with(bot, HEALTH, "asked *Northshire NHS Trust*"), what="the NHS lead's DM")
    wait_text(lambda: channel_texts(bot, channel), "requested evidence from 3 agencies", "the channel note")
    assert "12 requested" in wait_text(lambda: card_text(bot, reference), "12 requested", "the card's evidence line")
    with bot.db.session() as s:
        rows = s.exec(select(EvidenceItem).where(EvidenceItem.review_id == review_row(bot, reference).id)).all()
    assert len(rows) == 12 and {r.due_on for r in rows} == {due}


def test_bad_requests_are_refused_inline(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    view, answer = request(bot, channel, due_on=today().isoformat())
    assert "after today" in answer.json()["errors"]["due_on"]
    answer = bot.slack.forge_submission(COORDINATOR, view.id, {"agencies": [], "items": []})
    assert {"agencies", "items"} <= set(answer.json()["errors"])
    assert "Only the review's coordinator or chair can request evidence" in \
        view_text(bot, form(bot, POLICE, channel, "request").id)
    with bot.db.session() as s:
        assert s.exec(select(EvidenceItem).where(EvidenceItem.review_id == review_row(bot, reference).id)).all() == []


def test_no_contact_marks_the_rest_not_required_and_tells_the_coordinator(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    request(bot, channel)
    dm = wait(lambda: [m for m in dms_with(bot, POLICE, "asked *Northshire Police*") if reference in m.text],
              what="DM")[-1]
    bot.slack.click(POLICE, "dhr.evidence.open_scoping", message=(dm.channel, dm.ts))
    view = wait(lambda: (v := bot.fake.open_view_for(POLICE)) and v.callback_id == "dhr.scoping" and v,
                what="the scoping form")
    assert "Northshire Police" in block_text(view.blocks)
    bot.slack.submit_view(POLICE, view.id, {"victim": "no", "perpetrator": "no", "children": "no"})
    assert "now not required: chronology, IMR" in view_text(bot, view.id)
    note = wait_text(lambda: channel_texts(bot, channel), "had no contact", "the channel note")
    assert f"<@{COORDINATOR}>" in note
    before = len(bot.fake.responses())
    bot.slack.command(HEALTH, channel, text="evidence")
    grid = reply_text_since(bot, before, "the grid")
    assert "Evidence" in grid or "evidence" in grid
    reply = bot.fake.responses()[-1].params
    police = next(b for b in reply["blocks"] if "*Northshire Police*" in json.dumps(b))
    assert "Scoping answer: :inbox_tray: Submitted" in json.dumps(police)
    assert "Chronology: :heavy_minus_sign: Not required" in json.dumps(police)
    assert "IMR: :heavy_minus_sign: Not required" in json.dumps(police)
    # The NHS lead's grid offers buttons for their own agency's open items only; one opens their form.
    own = [b for b in reply["blocks"] if (b.get("accessory") or {}).get("type") == "button"]
    assert own and all("Northshire NHS Trust" in block_text([b]) for b in own)
    grid = next(m for m in reversed(bot.fake.ephemeral_messages(channel, user=HEALTH)) if m.blocks and
                "dhr.evidence.open_scoping" in json.dumps(m.blocks))
    bot.slack.click(HEALTH, "dhr.evidence.open_scoping", message=(channel, grid.ts))
    view = wait(lambda: (v := bot.fake.open_view_for(HEALTH)) and v.callback_id == "dhr.scoping" and v,
                what="the NHS scoping form")
    assert "Northshire NHS Trust" in block_text(view.blocks)


def test_forged_scoping_buttons_and_forms_are_refused_and_change_nothing(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    request(bot, channel)
    police_dm = wait(lambda: [m for m in dms_with(bot, POLICE, "asked *Northshire Police*") if reference in m.text],
                     what="DM")[-1]
    health_dm = wait(lambda: [m for m in dms_with(bot, HEALTH, "asked *Northshire NHS Trust*")
                              if reference in m.text], what="DM")[-1]
    police_item = buttons(police_dm)["dhr.evidence.open_scoping"]
    # The NHS lead presses their own button with the police item's id: another agency's item.
    before = len(bot.fake.responses())
    bot.slack.click(HEALTH, "dhr.evidence.open_scoping", message=(health_dm.channel, health_dm.ts),
                    forged_value=police_item)
    assert "only submit an agency's scoping answer or chronology for your own agency" in \
        reply_text_since(bot, before, "the refusal")
    # A lead of another review presses a button with this review's item id.
    other_reference, other_channel = staffed_review(bot, general, panel=False)
    request(bot, other_channel, agencies=["Northshire Police"], items=("scoping",))
    other_dm = wait(lambda: [m for m in dms_with(bot, POLICE, "asked *Northshire Police*")
                             if other_reference in m.text], what="DM")[-1]
    # remove POLICE from the first review, then they forge from the second review's DM
    panel = form(bot, COORDINATOR, channel, "panel")
    bot.slack.submit_view(COORDINATOR, panel.id, {"change": "remove", "person_1": POLICE})
    wait(lambda: POLICE not in bot.fake.channels[channel].members, what="removed")
    before = len(bot.fake.responses())
    bot.slack.click(POLICE, "dhr.evidence.open_scoping", message=(other_dm.channel, other_dm.ts),
                    forged_value=police_item)
    assert "not a member of this review" in reply_text_since(bot, before, "the refusal")
    before = len(bot.fake.responses())
    bot.slack.click(POLICE, "dhr.evidence.open_scoping", message=(other_dm.channel, other_dm.ts),
                    forged_value="abc")
    assert "no longer points at an evidence request" in reply_text_since(bot, before, "the refusal")
    # The NHS lead opens their own form, then forges its metadata to name the police item.
    bot.slack.click(HEALTH, "dhr.evidence.open_scoping", message=(health_dm.channel, health_dm.ts))
    view = wait(lambda: (v := bot.fake.open_view_for(HEALTH)) and v.callback_id == "dhr.scoping" and v,
                what="the scoping form")
    bot.slack.forge_submission(HEALTH, view.id, {"victim": "no", "perpetrator": "no", "children": "no"},
                               private_metadata=json.dumps({"item_id": int(police_item)}))
    assert "your own agency" in view_text(bot, view.id)
    with bot.db.session() as s:
        statuses = s.exec(select(EvidenceItem.status).where(
            EvidenceItem.review_id == review_row(bot, reference).id)).all()
    assert set(statuses) == {"requested"}


def test_the_grid_fits_slack_with_fifteen_agencies_and_outsiders_see_nothing(bot, general):
    names = AGENCIES + [f"Agency number {n:02d} with a rather long partnership name" for n in range(12)]
    set_agencies(bot, COORDINATOR, general, names)
    reference, channel = staffed_review(bot, general, panel=False)
    view, answer = request(bot, channel, agencies=names, items=("scoping", "chronology", "imr", "short_report"))
    assert answer.status == 200 and "Requested from 15 agencies" in view_text(bot, view.id)
    before = len(bot.fake.responses())
    bot.fake.channels[channel].members.append(OBSERVER)         # in the channel by hand, not on the review
    bot.slack.command(OBSERVER, channel, text="evidence")
    assert "not a member" in reply_text_since(bot, before, "the refusal")
    before = len(bot.fake.responses())
    bot.slack.command(CHAIR, channel, text="evidence")
    wait(lambda: len(bot.fake.responses()) > before, what="the grid")
    blocks = bot.fake.responses()[-1].params["blocks"]
    shown = block_text(blocks)
    assert len(blocks) <= 50 and all(n in shown for n in names) and shown.count("Requested") >= 60
    assert not bot.fake.internal_errors
    set_agencies(bot, COORDINATOR, general, AGENCIES)


# ---------------------------------------------------------------- family

def family_view(bot, user, channel):
    return form(bot, user, channel, "family")


def press(bot, user, view, action_id):
    """A button inside the modal: the bot swaps the view for a form (same view id, new callback)."""
    before = view.callback_id
    bot.slack.click(user, action_id, view_id=view.id)
    return wait(lambda: (v := bot.fake.open_view_for(user)) and "Loading" not in block_text(v.blocks) and
                v.callback_id != before and v, what="the next view")


CONTACT = {"relationship": "mother", "advocacy_offered": "no",
           "wishes_to_take_part": "yes"}


def test_family_contacts_by_relationship_and_the_advocacy_warning(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    view = family_view(bot, CHAIR, channel)
    assert view.callback_id == "dhr.family" and "No contacts recorded yet" in block_text(view.blocks)
    contact = press(bot, CHAIR, view, "dhr.family.add")
    assert contact.callback_id == "dhr.family.contact"
    values = {**CONTACT, "leaflet": "family", "leaflet_sent_on": (today() - timedelta(days=2)).isoformat(),
              "meeting_on": (today() - timedelta(days=1)).isoformat()}
    body = bot.slack.submit_view(CHAIR, contact.id, {**values, "relationship_note": "Jane"}).json()
    assert "never a name" in body["errors"]["relationship_note"]
    answer = bot.slack.submit_view(CHAIR, contact.id, {**values, "relationship_note": "older sister"})
    assert answer.status == 200 and "errors" not in answer.text
    summary = wait(lambda: "Contact 1 saved" in view_text(bot, contact.id) and bot.fake.views[contact.id],
                   what="the summary")
    summary_text = block_text(summary.blocks)
    assert "Contact 1: Mother (older sister)" in summary_text and "advocacy not offered" in summary_text
    warning = wait_text(lambda: card_text(bot, reference), "Specialist advocacy not yet offered", "the card warning")
    assert "contact 1 (mother)" in warning

    edit = press(bot, CHAIR, summary, "dhr.family.edit")
    bot.slack.submit_view(CHAIR, edit.id, {**values, "advocacy_offered": "yes", "advocacy_accepted": "yes"})
    wait(lambda: "Specialist advocacy not yet offered" not in card_text(bot, reference), what="the warning to go")
    interview = press(bot, CHAIR, bot.fake.views[edit.id], "dhr.family.open_interview")
    bot.slack.submit_view(CHAIR, interview.id, {"status": "requested", "on": today().isoformat()})
    assert "Perpetrator interview: requested" in view_text(bot, interview.id)
    with bot.db.session() as s:
        (row,) = s.exec(select(FamilyContact).where(FamilyContact.review_id == review_row(bot, reference).id)).all()
    assert row.relationship == "mother" and row.advocacy_offered and len(row.meetings) == 1


def test_family_is_refused_to_others_and_contacts_from_another_review_cannot_be_opened(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    assert "Only the review's coordinator or chair can record contact with the family" in \
        view_text(bot, family_view(bot, POLICE, channel).id)
    view = family_view(bot, CHAIR, channel)
    contact = press(bot, CHAIR, view, "dhr.family.add")
    bot.slack.submit_view(CHAIR, contact.id, CONTACT)
    with bot.db.session() as s:
        contact_id = s.exec(select(FamilyContact.id).where(
            FamilyContact.review_id == review_row(bot, reference).id)).one()
    other, other_channel = staffed_review(bot, general, panel=False)
    other_view = family_view(bot, CHAIR, other_channel)
    shown = press(bot, CHAIR, other_view, "dhr.family.add")
    bot.slack.submit_view(CHAIR, shown.id, {**CONTACT, "relationship": "friend"})
    other_view = family_view(bot, CHAIR, other_channel)
    bot.slack.click(CHAIR, "dhr.family.edit", view_id=other_view.id,
                    forged_value=str(contact_id))
    text_ = wait(lambda: "isn't part of this review" in view_text(bot, other_view.id) and view_text(bot, other_view.id),
                 what="the refusal")
    assert "Mother" not in text_


# ---------------------------------------------------------------- reminders (the sweep as a separate process)

def test_open_requests_are_reminded_to_the_lead_and_escalated_when_overdue(bot, general):
    from tests.e2e.test_timeline import sweep
    reference, channel = staffed_review(bot, general)
    due = ENG.add_working_days(today(), 3)
    request(bot, channel, agencies=["Northshire Police"], items=("chronology",), due_on=due.isoformat())
    wait(lambda: [m for m in dms_with(bot, POLICE, "asked *Northshire Police*") if reference in m.text], what="DM")
    on_the_day = datetime(due.year, due.month, due.day, 9, 30, tzinfo=LONDON)
    before = {u: len(bot.fake.dm_messages(u)) for u in (POLICE, COORDINATOR, CHAIR, OBSERVER, HEALTH)}
    sweep(bot, on_the_day)
    new = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(POLICE)[before[POLICE]:]]
    mine = [t for t in new if reference in t]
    assert len(mine) == 1 and "Chronology from Northshire Police" in mine[0] and f"<#{channel}>" in mine[0]
    assert "Adult A" not in mine[0]
    coordinator = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(COORDINATOR)[before[COORDINATOR]:]]
    assert not any("Chronology from" in t for t in coordinator)      # not escalated before it is late
    late = ENG.add_working_days(due, 5)
    sweep(bot, datetime(late.year, late.month, late.day, 9, 30, tzinfo=LONDON))
    for user in (COORDINATOR, CHAIR, OBSERVER):        # escalated: the leads and the agency's panel member
        texts = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(user)[before[user]:]]
        assert any("Chronology from Northshire Police" in t and reference in t for t in texts), user
    texts = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(HEALTH)[before[HEALTH]:]]
    assert not any("Chronology from Northshire Police" in t for t in texts)     # another agency's lead


def test_an_unanswered_confidentiality_invitation_is_reminded_five_working_days_later(bot, general):
    from tests.e2e.panel_steps import invite
    from tests.e2e.test_timeline import sweep
    reference, channel = create_review(bot, COORDINATOR, general)
    invite(bot, channel, OUTSIDER, "observer", by=COORDINATOR)
    wait(lambda: [m for m in bot.fake.dm_messages(OUTSIDER) if reference in (m.text or "")], what="invitation")
    day = ENG.add_working_days(today(), 5)
    before = len(bot.fake.dm_messages(OUTSIDER))
    sweep(bot, datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON))
    texts = [m.text + block_text(m.blocks or []) for m in bot.fake.dm_messages(OUTSIDER)[before:]]
    assert any("Answer to the confidentiality statement" in t and reference in t for t in texts)


# ---------------------------------------------------------------- what arrived outside the bot

def cell(bot, reference, agency_name, kind):
    with bot.db.session() as s:
        from storage.panel import Agency
        return s.exec(select(EvidenceItem).join(Agency, Agency.id == EvidenceItem.agency_id).where(
            EvidenceItem.review_id == review_row(bot, reference).id, Agency.name == agency_name,
            EvidenceItem.kind == kind)).one()


def test_the_coordinator_records_a_short_report_received_and_withdraws_a_request(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    request(bot, channel, items=("short_report", "imr"), agencies=["Northshire Police"])
    view = form(bot, COORDINATOR, channel, "evidence mark")
    assert view.callback_id == "dhr.evidence.mark"
    short = cell(bot, reference, "Northshire Police", "short_report")
    imr = cell(bot, reference, "Northshire Police", "imr")
    assert bot.slack.submit_view(COORDINATOR, view.id, {"item": str(short.id), "status": "submitted"}).status == 200
    assert "short report recorded as *received*" in view_text(bot, view.id)
    assert cell(bot, reference, "Northshire Police", "short_report").status == "submitted"
    wait_text(lambda: channel_texts(bot, channel), "short report recorded as", "the channel note")
    # A step the item can't take is refused inline; withdrawing the IMR request is not.
    view = form(bot, COORDINATOR, channel, "evidence mark")
    answer = bot.slack.submit_view(COORDINATOR, view.id, {"item": str(imr.id), "status": "accepted"})
    assert "can't be marked accepted" in answer.json()["errors"]["status"]
    assert bot.slack.submit_view(COORDINATOR, view.id, {"item": str(imr.id), "status": "not_required"}).status == 200
    assert cell(bot, reference, "Northshire Police", "imr").status == "not_required"
    with bot.db.session() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "evidence.not_required",
                                               AuditEntry.review_id == review_row(bot, reference).id)).all()


def test_only_the_coordinator_or_chair_records_evidence_and_only_on_their_review(bot, general):
    reference, channel = staffed_review(bot, general, panel=False)
    other_reference, other_channel = staffed_review(bot, general, panel=False)
    request(bot, other_channel, items=("short_report",), agencies=["Northshire Police"])
    elsewhere = cell(bot, other_reference, "Northshire Police", "short_report")
    assert "Only the review's coordinator or chair" in view_text(bot, form(bot, POLICE, other_channel,
                                                                            "evidence mark").id)
    # The other review's form, its private_metadata changed to point at this review.
    view = form(bot, COORDINATOR, other_channel, "evidence mark")
    forged = json.dumps({"review_id": review_row(bot, reference).id})
    answer = bot.slack.forge_submission(COORDINATOR, view.id, {"item": str(elsewhere.id), "status": "submitted"},
                                        private_metadata=forged)
    assert "this review's evidence items" in answer.json()["errors"]["item"]
    assert cell(bot, other_reference, "Northshire Police", "short_report").status == "requested"
