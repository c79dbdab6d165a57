"""Terms of reference, evidence requests, scoping answers, the evidence grid and family contacts,
end to end through the journeys' driver, on SQLite and PostgreSQL."""
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
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE
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
    wait_text,
)
from tests.e2e.family_steps import press
from tests.e2e.journey import block_text, create_review, initial_value, show, today, wait
from tests.e2e.panel_steps import invite, option_value, reply_text_since, set_agencies
from tests.e2e.test_timeline import sweep

pytestmark = pytest.mark.e2e
ENG = WorkingCalendar("ENG")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def general(driver):
    channel = driver.add_space("general-evidence", [COORDINATOR, CHAIR, POLICE, HEALTH, OBSERVER, OUTSIDER])
    set_agencies(driver, COORDINATOR, channel, AGENCIES)
    return channel


@pytest.fixture(scope="module")
def review(driver, general):
    return staffed_review(driver, general)


def tor_values(view, **over) -> dict:
    values = {"scope_from": "2021-01-01", "scope_to": (today() - timedelta(days=3)).isoformat(),
              "agencies": [option_value(view, "agencies", "Northshire Police"),
                           option_value(view, "agencies", "Northshire NHS Trust")],
              "lines": ["coercive_control", "risk_marac"], "other_lines": "Housing moves",
              "pseudonyms": "Adult A: the victim"}
    values.update(over)
    return {k: v for k, v in values.items() if v is not None}


def versions(driver, reference) -> int:
    with driver.db.session() as s:
        return s.exec(select(func.count()).select_from(TermsOfReference)
                      .where(TermsOfReference.review_id == review_row(driver, reference).id)).one()


# ---------------------------------------------------------------- terms of reference

def test_terms_of_reference_are_versioned_and_the_panel_confirms_reading_the_agreed_one(driver, review):
    reference, channel = review
    view = form(driver, COORDINATOR, channel, "tor")
    assert view.key == "dhr.tor"
    response = view.submit(tor_values(view))
    assert response.kind not in ("errors", "failed"), response.pair()
    assert "Version 1" in view.text and "as a draft" in view.text
    wait_text(lambda: channel_texts(driver, channel), "saved the terms of reference", "the terms posted in the channel")
    assert "Housing moves" in channel_texts(driver, channel) and "Northshire NHS Trust" in channel_texts(driver, channel)
    assert "draft" in wait_text(lambda: card_text(driver, reference), "Terms of reference", "the card")

    view = form(driver, CHAIR, channel, "tor")     # the chair agrees version 2, starting from version 1
    assert initial_value(view, "scope_from") == "2021-01-01"
    view.submit(tor_values(view, scope_from="2020-06-01", agreed_on=today().isoformat()))
    assert "Version 2" in view.text and "2 members were asked" in view.text
    asked = {user: wait(lambda u=user: dms_with(driver, u, "I have read them"), what=f"{user} asked")[-1]
             for user in (COORDINATOR, OBSERVER)}
    assert not dms_with(driver, POLICE, "I have read them") and not dms_with(driver, HEALTH, "I have read them")
    dm_text = asked[OBSERVER].text
    assert reference in dm_text and "Adult A" not in dm_text and "Housing" not in dm_text   # no case content

    driver.press(OBSERVER, asked[OBSERVER], "dhr.tor.confirm")
    wait(lambda: "Thank you" in driver.reread(asked[OBSERVER]).preview,
         what="the DM to say thank you")
    assert "read and confirmed by 2 of 3" in wait_text(lambda: card_text(driver, reference), "2 of 3", "the card")
    shown = form(driver, COORDINATOR, channel, "tor").text
    assert f"read and confirmed by {driver.mention(CHAIR)}, {driver.mention(OBSERVER)}; awaiting {driver.mention(COORDINATOR)}" in shown

    with driver.db.session() as s:
        rows = s.exec(select(TermsOfReference).where(TermsOfReference.review_id == review_row(driver, reference).id)
                      .order_by(TermsOfReference.version)).all()
        raw = s.execute(text("SELECT other_lines FROM termsofreference")).scalars().all()
        actions = s.exec(select(AuditEntry.action).where(AuditEntry.review_id == rows[0].review_id)).all()
    assert [(r.version, r.scope_from.isoformat(), r.agreed_on) for r in rows] == [
        (1, "2021-01-01", None), (2, "2020-06-01", today())]
    assert all("Housing" not in x for x in raw)                       # encrypted at rest
    assert actions.count("terms.saved") == 2 and "terms.confirmed" in actions


def test_someone_else_cannot_confirm_for_the_person_asked(driver, general):
    reference, channel = staffed_review(driver, general)
    view = form(driver, CHAIR, channel, "tor")
    view.submit(tor_values(view, agreed_on=today().isoformat()))
    mine = wait(lambda: [m for m in dms_with(driver, COORDINATOR, "I have read them") if reference in m.text],
                what="coordinator asked")[-1]
    theirs = wait(lambda: [m for m in dms_with(driver, OBSERVER, "I have read them") if reference in m.text],
                  what="panel member asked")[-1]
    before = len(driver.replies(COORDINATOR))
    driver.press(COORDINATOR, mine, "dhr.tor.confirm", forged_value=buttons(theirs)["dhr.tor.confirm"])
    assert "for someone else" in reply_text_since(driver, before, "the refusal", user=COORDINATOR)
    wait_text(lambda: card_text(driver, reference), "read and confirmed by 1 of 3", "the card")
    with driver.db.session() as s:
        assert s.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "terms.confirmed", AuditEntry.review_id == review_row(driver, reference).id)).one() == 0


def test_bad_terms_of_reference_are_refused_inline_and_nothing_is_stored(driver, review):
    reference, channel = review
    before = versions(driver, reference)
    view = form(driver, COORDINATOR, channel, "tor")
    body = view.submit(tor_values(view, scope_from="2026-01-05",
                                                                  scope_to="2025-01-05"))
    assert "ends" in body.errors["scope_to"]
    body = view.forge(tor_values(view, other_lines="x" * 10_000))
    assert "3000 characters" in body.errors["other_lines"]
    body = view.forge({**tor_values(view), "scope_to": "31/12/2025"})
    assert "isn't a date" in body.errors["scope_to"]
    redact = form(driver, COORDINATOR, channel, "redact")
    redact.submit({"kind": "name", "term": "Zebedee Quillfeather"})
    view = form(driver, COORDINATOR, channel, "tor")
    body = view.submit(tor_values(view, other_lines="Contact with zebedee quillfeather"))
    assert "redaction list" in body.errors["other_lines"]
    assert versions(driver, reference) == before


def test_only_the_coordinator_and_chair_edit_the_terms(driver, general, review):
    reference, channel = review
    assert "Only the review's coordinator or chair can edit the terms of reference" in \
        form(driver, POLICE, channel, "tor").text
    driver.add_to_space(OUTSIDER, channel)          # in the channel by hand, never joined
    assert "not a member of this review" in form(driver, OUTSIDER, channel, "tor").text
    # The chair of this review forges the form's private_metadata to name a review they are not on.
    view = form(driver, CHAIR, channel, "tor")
    other_reference, _ = create_review(driver, COORDINATOR, general)
    forged = json.dumps({"review_id": review_row(driver, other_reference).id})
    view.forge(tor_values(view), metadata=forged)
    assert "not a member of this review" in view.text
    assert versions(driver, other_reference) == 0


# ---------------------------------------------------------------- requests and scoping

def request(driver, channel, user=COORDINATOR, items=("scoping", "chronology", "imr"), agencies=AGENCIES, **over):
    view = form(driver, user, channel, "request")
    values = {"agencies": [option_value(view, "agencies", a) for a in agencies], "items": list(items)}
    values.update(over)
    return view, view.submit(values)


def test_a_request_dms_each_lead_once_with_a_button_per_item_and_names_agencies_without_a_lead(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    view = form(driver, COORDINATOR, channel, "request")
    due = ENG.add_working_days(today(), 30)
    assert view.key == "dhr.request" and initial_value(view, "due_on") == due.isoformat()
    values = {"agencies": [option_value(view, "agencies", a) for a in AGENCIES],
              "items": ["scoping", "chronology", "imr", "short_report"]}
    assert view.submit(values).kind != "failed"
    result = view.text
    assert "Requested from 3 agencies" in result and show(due) in result
    assert "No agency lead yet* for Northshire Probation" in result
    dm = wait(lambda: [m for m in dms_with(driver, POLICE, "asked *Northshire Police*") if reference in m.text],
              what="the police lead's DM")
    assert len(dm) == 1
    ids = [a for a, _ in all_buttons(dm[0])]
    assert ids == ["dhr.evidence.open_scoping", "dhr.evidence.open_chronology", "dhr.evidence.open_imr"]
    assert "Short report" in dm[0].text and "Adult A" not in dm[0].text
    assert wait(lambda: dms_with(driver, HEALTH, "asked *Northshire NHS Trust*"), what="the NHS lead's DM")
    wait_text(lambda: channel_texts(driver, channel), "requested evidence from 3 agencies", "the channel note")
    assert "12 requested" in wait_text(lambda: card_text(driver, reference), "12 requested", "the card's evidence line")
    with driver.db.session() as s:
        rows = s.exec(select(EvidenceItem).where(EvidenceItem.review_id == review_row(driver, reference).id)).all()
    assert len(rows) == 12 and {r.due_on for r in rows} == {due}


def test_bad_requests_are_refused_inline(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    view, answer = request(driver, channel, due_on=today().isoformat())
    assert "after today" in answer.errors["due_on"]
    answer = view.forge({"agencies": [], "items": []})
    assert {"agencies", "items"} <= set(answer.errors)
    assert "Only the review's coordinator or chair can request evidence" in \
        form(driver, POLICE, channel, "request").text
    with driver.db.session() as s:
        assert s.exec(select(EvidenceItem).where(EvidenceItem.review_id == review_row(driver, reference).id)).all() == []


def test_no_contact_marks_the_rest_not_required_and_tells_the_coordinator(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    request(driver, channel)
    dm = wait(lambda: [m for m in dms_with(driver, POLICE, "asked *Northshire Police*") if reference in m.text],
              what="DM")[-1]
    view = driver.form_after(POLICE, lambda: driver.press(POLICE, dm, "dhr.evidence.open_scoping"), "dhr.scoping")
    assert "Northshire Police" in view.text
    view.submit({"victim": "no", "perpetrator": "no", "children": "no"})
    assert "now not required: chronology, IMR" in view.text
    # The request the Answer was pressed on now shows what is recorded, in place of its buttons.
    redrawn = wait(lambda: (lambda m: m if not m.has_button("dhr.evidence.open_scoping") else None)(driver.reread(dm)),
                   what="the request re-drawn")
    assert "Scoping answer" in redrawn.text and "submitted" in redrawn.text and "not required" in redrawn.text
    assert not redrawn.buttons and redrawn.ref == dm.ref
    note = wait_text(lambda: channel_texts(driver, channel), "had no contact", "the channel note")
    assert f"{driver.mention(COORDINATOR)}" in note
    before = len(driver.replies(HEALTH))
    driver.command(HEALTH, "evidence", space=channel)
    grid = reply_text_since(driver, before, "the grid", user=HEALTH)
    assert "Evidence" in grid or "evidence" in grid
    reply = driver.replies(HEALTH)[-1]
    police = next(part.text for part in reply.sections if "*Northshire Police*" in part.text)
    assert "Scoping answer: :inbox_tray: Submitted" in police
    assert "Chronology: :heavy_minus_sign: Not required" in police
    assert "IMR: :heavy_minus_sign: Not required" in police
    # The NHS lead's grid offers buttons for their own agency's open items only; one opens their form.
    own = [part for part in reply.sections if part.buttons]
    assert own and all("Northshire NHS Trust" in part.text for part in own)
    grid = next(m for m in reversed(driver.ephemerals(HEALTH, channel)) if m.has_button("dhr.evidence.open_scoping"))
    view = driver.form_after(HEALTH, lambda: driver.press(HEALTH, grid, "dhr.evidence.open_scoping"), "dhr.scoping")
    assert "Northshire NHS Trust" in view.text


def test_forged_scoping_buttons_and_forms_are_refused_and_change_nothing(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    request(driver, channel)
    police_dm = wait(lambda: [m for m in dms_with(driver, POLICE, "asked *Northshire Police*") if reference in m.text],
                     what="DM")[-1]
    health_dm = wait(lambda: [m for m in dms_with(driver, HEALTH, "asked *Northshire NHS Trust*")
                              if reference in m.text], what="DM")[-1]
    police_item = buttons(police_dm)["dhr.evidence.open_scoping"]
    # The NHS lead presses their own button with the police item's id: another agency's item.
    before = len(driver.replies(HEALTH))
    driver.press(HEALTH, health_dm, "dhr.evidence.open_scoping", forged_value=police_item)
    assert "only submit an agency's scoping answer or chronology for your own agency" in \
        reply_text_since(driver, before, "the refusal", user=HEALTH)
    # A lead of another review presses a button with this review's item id.
    other_reference, other_channel = staffed_review(driver, general, panel=False)
    request(driver, other_channel, agencies=["Northshire Police"], items=("scoping",))
    other_dm = wait(lambda: [m for m in dms_with(driver, POLICE, "asked *Northshire Police*")
                             if other_reference in m.text], what="DM")[-1]
    # remove POLICE from the first review, then they forge from the second review's DM
    panel = form(driver, COORDINATOR, channel, "panel")
    panel.submit({"change": "remove", "person_1": POLICE})
    wait(lambda: driver.person(POLICE) not in driver.members(channel), what="removed")
    before = len(driver.replies(POLICE))
    driver.press(POLICE, other_dm, "dhr.evidence.open_scoping", forged_value=police_item)
    assert "not a member of this review" in reply_text_since(driver, before, "the refusal", user=POLICE)
    before = len(driver.replies(POLICE))
    driver.press(POLICE, other_dm, "dhr.evidence.open_scoping", forged_value="abc")
    assert "no longer points at an evidence request" in reply_text_since(driver, before, "the refusal", user=POLICE)
    # The NHS lead opens their own form, then forges its hidden state to name the police item.
    view = driver.form_after(HEALTH, lambda: driver.press(HEALTH, health_dm, "dhr.evidence.open_scoping"),
                             "dhr.scoping")
    view.forge({"victim": "no", "perpetrator": "no", "children": "no"},
               metadata=json.dumps({"item_id": int(police_item)}))
    assert "your own agency" in view.text
    with driver.db.session() as s:
        statuses = s.exec(select(EvidenceItem.status).where(
            EvidenceItem.review_id == review_row(driver, reference).id)).all()
    assert set(statuses) == {"requested"}


@pytest.mark.slack_only    # Block Kit's 50-block limit on a message
def test_the_grid_fits_slack_with_fifteen_agencies_and_outsiders_see_nothing(driver, bot, general):
    names = AGENCIES + [f"Agency number {n:02d} with a rather long partnership name" for n in range(12)]
    set_agencies(driver, COORDINATOR, general, names)
    reference, channel = staffed_review(driver, general, panel=False)
    view, answer = request(driver, channel, agencies=names, items=("scoping", "chronology", "imr", "short_report"))
    assert answer.kind != "failed" and "Requested from 15 agencies" in view.text
    before = len(bot.fake.responses())
    driver.add_to_space(OBSERVER, channel)         # in the channel by hand, not on the review
    driver.command(OBSERVER, "evidence", space=channel)
    assert "not a member" in reply_text_since(driver, before, "the refusal")
    before = len(bot.fake.responses())
    driver.command(CHAIR, "evidence", space=channel)
    wait(lambda: len(bot.fake.responses()) > before, what="the grid")
    blocks = bot.fake.responses()[-1].params["blocks"]
    shown = block_text(blocks)
    assert len(blocks) <= 50 and all(n in shown for n in names) and shown.count("Requested") >= 60
    assert not bot.fake.internal_errors
    set_agencies(driver, COORDINATOR, general, AGENCIES)


# ---------------------------------------------------------------- family

def family_view(driver, user, channel):
    return form(driver, user, channel, "family")


CONTACT = {"relationship": "mother", "advocacy_offered": "no",
           "wishes_to_take_part": "yes"}


def test_family_contacts_by_relationship_and_the_advocacy_warning(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    view = family_view(driver, CHAIR, channel)
    assert view.key == "dhr.family" and "No contacts recorded yet" in view.text
    contact = press(driver, CHAIR, view, "dhr.family.add")
    assert contact.key == "dhr.family.contact"
    values = {**CONTACT, "leaflet": "family", "leaflet_sent_on": (today() - timedelta(days=2)).isoformat(),
              "meeting_on": (today() - timedelta(days=1)).isoformat()}
    body = contact.submit({**values, "relationship_note": "Jane"})
    assert "never a name" in body.errors["relationship_note"]
    answer = contact.submit({**values, "relationship_note": "older sister"})
    assert answer.kind not in ("errors", "failed"), answer.pair()
    summary = wait(lambda: "Contact 1 saved" in contact.text and contact, what="the summary")
    assert "Contact 1: Mother (older sister)" in summary.text and "advocacy not offered" in summary.text
    warning = wait_text(lambda: card_text(driver, reference), "Specialist advocacy not yet offered", "the card warning")
    assert "contact 1 (mother)" in warning

    edit = press(driver, CHAIR, summary, "dhr.family.edit")
    edit.submit({**values, "advocacy_offered": "yes", "advocacy_accepted": "yes"})
    wait(lambda: "Specialist advocacy not yet offered" not in card_text(driver, reference), what="the warning to go")
    interview = press(driver, CHAIR, edit, "dhr.family.open_interview")
    interview.submit({"status": "requested", "on": today().isoformat()})
    assert "Perpetrator interview: requested" in interview.text
    with driver.db.session() as s:
        (row,) = s.exec(select(FamilyContact).where(FamilyContact.review_id == review_row(driver, reference).id)).all()
    assert row.relationship == "mother" and row.advocacy_offered and len(row.meetings) == 1


def test_family_is_refused_to_others_and_contacts_from_another_review_cannot_be_opened(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    assert "Only the review's coordinator or chair can record contact with the family" in \
        family_view(driver, POLICE, channel).text
    view = family_view(driver, CHAIR, channel)
    contact = press(driver, CHAIR, view, "dhr.family.add")
    contact.submit(CONTACT)
    with driver.db.session() as s:
        contact_id = s.exec(select(FamilyContact.id).where(
            FamilyContact.review_id == review_row(driver, reference).id)).one()
    other, other_channel = staffed_review(driver, general, panel=False)
    other_view = family_view(driver, CHAIR, other_channel)
    shown = press(driver, CHAIR, other_view, "dhr.family.add")
    shown.submit({**CONTACT, "relationship": "friend"})
    other_view = family_view(driver, CHAIR, other_channel)
    other_view.press("dhr.family.edit", forged_value=str(contact_id))
    text_ = wait(lambda: "isn't part of this review" in other_view.text and other_view.text,
                 what="the refusal")
    assert "Mother" not in text_


# ---------------------------------------------------------------- reminders (the sweep as a separate process)

def test_open_requests_are_reminded_to_the_lead_and_escalated_when_overdue(driver, general):
    reference, channel = staffed_review(driver, general)
    due = ENG.add_working_days(today(), 3)
    request(driver, channel, agencies=["Northshire Police"], items=("chronology",), due_on=due.isoformat())
    wait(lambda: [m for m in dms_with(driver, POLICE, "asked *Northshire Police*") if reference in m.text], what="DM")
    on_the_day = datetime(due.year, due.month, due.day, 9, 30, tzinfo=LONDON)
    before = {u: len(driver.dms(u)) for u in (POLICE, COORDINATOR, CHAIR, OBSERVER, HEALTH)}
    sweep(driver, on_the_day)
    new = [m.text for m in driver.dms(POLICE)[before[POLICE]:]]
    mine = [t for t in new if reference in t]
    assert len(mine) == 1 and "Chronology from Northshire Police" in mine[0] and f"{driver.link(channel)}" in mine[0]
    assert "Adult A" not in mine[0]
    coordinator = [m.text for m in driver.dms(COORDINATOR)[before[COORDINATOR]:]]
    assert not any("Chronology from" in t for t in coordinator)      # not escalated before it is late
    late = ENG.add_working_days(due, 5)
    sweep(driver, datetime(late.year, late.month, late.day, 9, 30, tzinfo=LONDON))
    for user in (COORDINATOR, CHAIR, OBSERVER):        # escalated: the leads and the agency's panel member
        texts = [m.text for m in driver.dms(user)[before[user]:]]
        assert any("Chronology from Northshire Police" in t and reference in t for t in texts), user
    texts = [m.text for m in driver.dms(HEALTH)[before[HEALTH]:]]
    assert not any("Chronology from Northshire Police" in t for t in texts)     # another agency's lead


def test_an_unanswered_confidentiality_invitation_is_reminded_five_working_days_later(driver, general):
    reference, channel = create_review(driver, COORDINATOR, general)
    invite(driver, channel, OUTSIDER, "observer", by=COORDINATOR)
    wait(lambda: [m for m in driver.dms(OUTSIDER) if reference in m.preview], what="invitation")
    day = ENG.add_working_days(today(), 5)
    before = len(driver.dms(OUTSIDER))
    sweep(driver, datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON))
    texts = [m.text for m in driver.dms(OUTSIDER)[before:]]
    assert any("Answer to the confidentiality statement" in t and reference in t for t in texts)


# ---------------------------------------------------------------- what arrived outside the bot

def cell(driver, reference, agency_name, kind):
    with driver.db.session() as s:
        from storage.panel import Agency
        return s.exec(select(EvidenceItem).join(Agency, Agency.id == EvidenceItem.agency_id).where(
            EvidenceItem.review_id == review_row(driver, reference).id, Agency.name == agency_name,
            EvidenceItem.kind == kind)).one()


def test_the_coordinator_records_a_short_report_received_and_withdraws_a_request(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    request(driver, channel, items=("short_report", "imr"), agencies=["Northshire Police"])
    view = form(driver, COORDINATOR, channel, "evidence mark")
    assert view.key == "dhr.evidence.mark"
    short = cell(driver, reference, "Northshire Police", "short_report")
    imr = cell(driver, reference, "Northshire Police", "imr")
    assert view.submit({"item": str(short.id), "status": "submitted"}).kind != "failed"
    assert "short report recorded as *received*" in view.text
    assert cell(driver, reference, "Northshire Police", "short_report").status == "submitted"
    wait_text(lambda: channel_texts(driver, channel), "short report recorded as", "the channel note")
    # A step the item can't take is refused inline; withdrawing the IMR request is not.
    view = form(driver, COORDINATOR, channel, "evidence mark")
    answer = view.submit({"item": str(imr.id), "status": "accepted"})
    assert "can't be marked accepted" in answer.errors["status"]
    assert view.submit({"item": str(imr.id), "status": "not_required"}).kind != "failed"
    assert cell(driver, reference, "Northshire Police", "imr").status == "not_required"
    with driver.db.session() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "evidence.not_required",
                                               AuditEntry.review_id == review_row(driver, reference).id)).all()


def test_only_the_coordinator_or_chair_records_evidence_and_only_on_their_review(driver, general):
    reference, channel = staffed_review(driver, general, panel=False)
    other_reference, other_channel = staffed_review(driver, general, panel=False)
    request(driver, other_channel, items=("short_report",), agencies=["Northshire Police"])
    elsewhere = cell(driver, other_reference, "Northshire Police", "short_report")
    assert "Only the review's coordinator or chair" in form(driver, POLICE, other_channel, "evidence mark").text
    # The other review's form, its hidden state changed to point at this review.
    view = form(driver, COORDINATOR, other_channel, "evidence mark")
    forged = json.dumps({"review_id": review_row(driver, reference).id})
    answer = view.forge({"item": str(elsewhere.id), "status": "submitted"}, metadata=forged)
    assert "this review's evidence items" in answer.errors["item"]
    assert cell(driver, other_reference, "Northshire Police", "short_report").status == "requested"
