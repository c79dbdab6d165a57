"""Evidence on Microsoft Teams, through Teams' real request path against the fake Teams, on SQLite and
PostgreSQL: the coordinator opens a review and staffs its panel, the terms of reference are agreed and the
chair confirms reading them from their own chat, the police are asked for a scoping answer and a
chronology, and the police lead answers both from the buttons in their 1:1 chat. Bad input (a malformed
date, a 10,000-character field, a forged button, someone outside the review) is refused beside the field or
in words, and changes nothing; nothing typed reaches the bot's log."""
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import func, select

from bot.teamsfake import ClientSideValidation
from bot.workflow.evidence.file_notices import ImrReady
from messages.evidence import imr as imr_msgs
from messages.teams import render
from storage.chronology import ChronologyEntry, ImrVersion
from storage.evidence import EvidenceItem
from storage.family import FamilyContact
from storage.models import AuditEntry, Review
from storage.panel import Agency
from storage.terms import ScopingAnswer, TermsOfReference
from tests.e2e.teams_server import running_teams
from tests.e2e.teams_steps import (
    attention,
    bot_count,
    card_text,
    choice,
    command_form,
    error_under,
    inputs,
    join_panel,
    last_from_bot,
    open_review,
    personal,
    review_chat,
    set_agencies,
)

REFERENCE = "DHR-2026-07"
PSEUDONYM = "Robin Evidencia"
POLICE, HEALTH = "Northshire Police", "Northshire NHS Trust"
EVENT = "Officers attended after a call from a neighbour about shouting."
LONG = "Quietly overlong " * 600          # about 10,000 characters


@pytest.fixture(scope="module")
def teams(database_url, tmp_path_factory):
    yield from running_teams(database_url, tmp_path_factory.mktemp("teams-evidence"))


@pytest.fixture(scope="module")
def chat(teams):
    """A review with agencies and a panel: a chair, and the police lead, who agreed to the statement."""
    t, coord = teams, teams.people["coordinator"]
    set_agencies(t, coord, [POLICE, HEALTH])
    opened = open_review(t, coord, REFERENCE, PSEUDONYM)
    join_panel(t, opened, coord, t.people["chair"], "chair")
    join_panel(t, opened, coord, t.people["police"], "agency_lead", POLICE)
    return opened


def test_terms_of_reference_are_agreed_and_the_chair_confirms_reading_them_from_their_own_chat(teams, chat):
    t, coord, chair = teams, teams.people["coordinator"], teams.people["chair"]
    mine, dialog = command_form(t, coord, chat.id, "tor", "Terms of reference")
    assert dialog.title == "Terms of reference"
    agencies = ",".join(choice(dialog.card, "agencies", name) for name in (POLICE, HEALTH))
    answer = t.platform.submit_dialog(coord, mine, {
        "scope_from": "2021-01-01", "scope_to": (date.today() - timedelta(days=3)).isoformat(),
        "agencies": agencies, "lines": "coercive_control", "other_lines": "Housing moves",
        "agreed_on": date.today().isoformat()})
    assert answer.status == 200 and not attention(answer.json()), answer.text
    assert "Version 1" in answer.text, "the dialog says which version was saved"
    posted = last_from_bot(t.fake, chat.id, having="saved the terms of reference")
    assert "Housing moves" in card_text(posted)
    asked = last_from_bot(t.fake, personal(t.fake, chair), having="I have read them")
    assert REFERENCE in card_text(asked) and "Housing" not in card_text(asked)
    pressed = t.platform.press(chair, personal(t.fake, chair), asked.id, "I have read them")
    assert pressed.status == 200
    t.fake.wait_until(lambda: "Thank you" in card_text(t.fake.tenant.chat(personal(t.fake, chair)).message(asked.id))
                      or None)
    with t.db.session() as s:
        assert _audited(s, "terms.confirmed") == 1


def test_a_malformed_date_in_the_terms_is_shown_under_its_field_and_nothing_is_stored(teams, chat):
    t, coord = teams, teams.people["coordinator"]
    mine, dialog = command_form(t, coord, chat.id, "tor", "Terms of reference")
    with t.db.session() as s:
        before = s.exec(select(func.count()).select_from(TermsOfReference)).one()
    raw = _submission(dialog.card, {"scope_from": "31/31/2021", "scope_to": "2021-06-01",
                                    "agencies": choice(dialog.card, "agencies", POLICE), "lines": "coercive_control"})
    answer = _send_submit(t, coord, mine, raw)
    assert error_under(answer.json(), "scope_from"), answer.text
    with t.db.session() as s:
        assert s.exec(select(func.count()).select_from(TermsOfReference)).one() == before
    t.platform.close_dialog(coord)


def test_the_police_are_asked_and_their_lead_answers_scoping_from_their_own_chat(teams, chat):
    t, coord, police = teams, teams.people["coordinator"], teams.people["police"]
    mine, dialog = command_form(t, coord, chat.id, "request", "Request evidence")
    answer = t.platform.submit_dialog(coord, mine, {"agencies": choice(dialog.card, "agencies", POLICE),
                                                    "items": "scoping,chronology"})
    assert answer.status == 200 and "Requested from 1 agency" in answer.text, answer.text
    request = last_from_bot(t.fake, personal(t.fake, police), having="asked")
    assert POLICE in card_text(request) and "Answer" in card_text(request) and "Submit chronology" in card_text(request)
    pressed = t.platform.press(police, personal(t.fake, police), request.id, "Answer")
    assert pressed.status == 200
    dialog = t.platform.open_dialog(police)
    assert dialog is not None and dialog.title == "Scoping answer", pressed.text
    done = t.platform.submit_dialog(police, personal(t.fake, police),
                                    {"victim": "yes", "perpetrator": "yes", "children": "no"})
    assert "scoping answer is recorded" in done.text, done.text
    assert "answered the scoping questions" in card_text(last_from_bot(t.fake, chat.id, having="scoping questions"))
    with t.db.session() as s:
        assert s.exec(select(func.count()).select_from(ScopingAnswer)).one() == 1


def test_the_police_lead_adds_a_chronology_entry_from_the_request_and_bad_fields_are_refused_beside_them(teams, chat):
    t, police = teams, teams.people["police"]
    mine = personal(t.fake, police)
    request = last_from_bot(t.fake, mine, having="Submit chronology")
    t.platform.press(police, mine, request.id, "Submit chronology")
    dialog = t.platform.open_dialog(police)
    assert dialog is not None and dialog.title == "Chronology entry"
    bad_date = t.platform.submit_dialog(police, mine, {"date": "the 45th of Smarch", "source": "Custody record",
                                                       "event": EVENT})
    assert error_under(bad_date.json(), "date"), bad_date.text
    assert EVENT in bad_date.text, "what was typed is kept"
    too_long = _send_submit(t, police, mine, _submission(t.platform.open_dialog(police).card, {
        "date": "2025-03-04", "source": "Custody record", "event": LONG}))
    assert error_under(too_long.json(), "event"), too_long.text
    assert _entries(t) == 0
    saved = t.platform.submit_dialog(police, mine, {"date": "2025-03-04", "source": "Custody record", "event": EVENT})
    assert saved.status == 200 and not attention(saved.json()), saved.text
    confirmation = last_from_bot(t.fake, mine, having="Chronology entry #")
    assert "Correct this entry" in card_text(confirmation) and EVENT not in card_text(confirmation)
    assert _entries(t) == 1


def test_the_entry_is_corrected_in_a_dialog_opened_from_its_own_button(teams, chat):
    t, police = teams, teams.people["police"]
    mine = personal(t.fake, police)
    confirmation = last_from_bot(t.fake, mine, having="Correct this entry")
    t.platform.press(police, mine, confirmation.id, "Correct this entry")
    dialog = t.platform.open_dialog(police)
    assert dialog is not None and dialog.title == "Correct entry" and EVENT in json.dumps(dialog.card)
    answer = t.platform.submit_dialog(police, mine, {"event": EVENT + " Two officers.", "change_reason": "Typo"})
    assert answer.status == 200 and not attention(answer.json()), answer.text
    assert "version 2" in card_text(last_from_bot(t.fake, mine, having="corrected"))


def test_forged_buttons_and_someone_outside_the_review_are_refused_and_change_nothing(teams, chat):
    t, police, outsider = teams, teams.people["police"], teams.people["outsider"]
    with t.db.session() as s:
        review_id = s.exec(select(Review.id).where(Review.reference == REFERENCE)).one()
        item_id = s.exec(select(EvidenceItem.id).where(EvidenceItem.kind == "scoping")).one()
    forged = _press_raw(t, police, "dhr.evidence.open_scoping", "99999")
    assert forged.json()["task"] == {"type": "message", "value": "That button no longer points at an evidence request."}
    junk = _press_raw(t, police, "dhr.evidence.open_scoping", {"id": 1})
    assert "not one the bot made" in junk.text
    before = _entries(t)
    entry = _send_submit(t, outsider, personal(t.fake, outsider), {
        "dhr_form": "dhr.chronology.entry", "dhr_meta": {"review_id": review_id, "agency": None},
        "date": "2025-03-05", "source": "Rumour", "event": "Outsider entry"})
    assert "not a member of this review" in entry.text and REFERENCE not in entry.text
    revise = _press_raw(t, outsider, "dhr.evidence.revise_scoping", str(item_id))
    family = _press_raw(t, outsider, "dhr.family.add", str(review_id))
    for refused in (revise, family):
        assert "not a member of this review" in refused.text or "not yours" in refused.text, refused.text
        assert PSEUDONYM not in refused.text and not _inputs_in(refused.json())
    assert _entries(t) == before
    t.platform.close_dialog(outsider)


def test_the_family_view_swaps_in_the_contact_form_and_back_in_one_dialog(teams, chat):
    t, coord = teams, teams.people["coordinator"]
    mine, dialog = command_form(t, coord, chat.id, "family", "Family and friends")
    assert "No contacts recorded yet" in json.dumps(dialog.card)
    added = t.platform.submit_dialog(coord, mine, {}, action="Add a contact")
    assert added.status == 200
    form = t.platform.open_dialog(coord)
    assert form is not None and "a new contact" in json.dumps(form.card), added.text
    with pytest.raises(ClientSideValidation):     # Teams itself asks for the advocacy answer
        t.platform.submit_dialog(coord, mine, {"relationship": "sister", "relationship_note": "older"})
    future = (date.today() + timedelta(days=10)).isoformat()
    early = t.platform.submit_dialog(coord, mine, {"relationship": "sister", "relationship_note": "older",
                                                   "advocacy_offered": "yes", "leaflet_sent_on": future})
    assert error_under(early.json(), "leaflet_sent_on"), early.text
    assert "older" in early.text, "what was typed is kept"
    saved = t.platform.submit_dialog(coord, mine, {"leaflet_sent_on": ""})
    assert "Contact 1 saved" in saved.text, saved.text
    assert "Update" in json.dumps(t.platform.open_dialog(coord).card)
    t.platform.submit_dialog(coord, mine, {}, action="Update")
    assert "contact 1" in json.dumps(t.platform.open_dialog(coord).card)
    t.platform.close_dialog(coord)
    with t.db.session() as s:
        assert s.exec(select(func.count()).select_from(FamilyContact)).one() == 1


def test_the_coordinator_marks_what_arrived_outside_the_bot_and_a_forged_item_is_refused(teams, chat):
    t, coord = teams, teams.people["coordinator"]
    mine, dialog = command_form(t, coord, chat.id, "evidence mark", "Evidence received")
    item = choice(dialog.card, "item", f"{POLICE}: Chronology")
    forged = _send_submit(t, coord, mine, _submission(dialog.card, {"item": "99999", "status": "accepted"}))
    assert forged.json()["task"]["type"] == "continue" and attention(forged.json()), forged.text
    with t.db.session() as s:
        assert s.get(EvidenceItem, int(item)).status == "submitted"
    done = t.platform.submit_dialog(coord, mine, {"item": item, "status": "accepted"})
    assert "recorded as" in done.text and "accepted" in done.text, done.text
    assert "recorded as" in card_text(last_from_bot(t.fake, chat.id, having="recorded as"))
    with t.db.session() as s:
        assert s.get(EvidenceItem, int(item)).status == "accepted"


def test_the_grid_comes_privately_to_whoever_asks_in_the_review_chat(teams, chat):
    t, police = teams, teams.people["police"]
    before = bot_count(t.fake, personal(t.fake, police))
    in_chat = bot_count(t.fake, chat.id)
    t.platform.say(police, chat.id, "<at>DHR Bot</at> evidence")
    grid = t.fake.wait_until(lambda: t.fake.bot_messages_in(personal(t.fake, police))[before:] or None)[-1]
    assert f"{REFERENCE}: evidence" in card_text(grid) and POLICE in card_text(grid)
    assert bot_count(t.fake, chat.id) == in_chat, "nothing said in the review's chat"


def test_the_imr_template_comes_by_consent_card_in_the_1to1_chat(teams, chat):
    t, police = teams, teams.people["police"]
    mine = personal(t.fake, police)
    before, in_chat = bot_count(t.fake, mine), bot_count(t.fake, chat.id)
    t.platform.say(police, chat.id, "<at>DHR Bot</at> imr")
    card = t.fake.wait_until(lambda: [m for m in t.fake.bot_messages_in(mine)[before:]
                                      if m.attachments_of("application/vnd.microsoft.teams.card.file.consent")] or None)
    assert card[0].attachments_of("application/vnd.microsoft.teams.card.file.consent")[0]["name"] == \
        f"{REFERENCE}-IMR-template.docx"
    assert bot_count(t.fake, chat.id) == in_chat


def test_an_imr_is_declared_by_the_police_lead_and_returned_by_the_chair_in_dialogs(teams, chat):
    """The checked version is stored here as an upload would (the upload itself: test_imr.py --platform teams)."""
    t, police, chair = teams, teams.people["police"], teams.people["chair"]
    ready = _checked_imr(t, police)
    mine = personal(t.fake, police)
    opened = t.platform.press(police, mine, ready.id, "Declarations and submit")
    assert t.platform.open_dialog(police).title == "Submit IMR", opened.text
    one = t.platform.submit_dialog(police, mine, {"declarations": "not_involved", "senior_manager": "Head of Quality",
                                                  "feedback_held": "no"})
    assert error_under(one.json(), "declarations"), one.text
    both = t.platform.submit_dialog(police, mine, {"declarations": "not_involved,not_line_manager"})
    assert both.status == 200 and not attention(both.json()), both.text
    submitted = last_from_bot(t.fake, chat.id, having="Return with comments")
    refused = t.platform.press(police, chat.id, submitted.id, "Accept")
    assert "Only the review's coordinator or chair can review IMRs" in refused.text, refused.text
    t.platform.press(chair, chat.id, submitted.id, "Return with comments")
    dialog = t.platform.open_dialog(chair)
    assert dialog is not None and dialog.title == "Return IMR"
    returned = t.platform.submit_dialog(chair, chat.id, {"comments": "Please add the 2024 custody records."})
    assert returned.status == 200 and not attention(returned.json()), returned.text
    assert "custody records" in card_text(last_from_bot(t.fake, chat.id, having="returned"))
    assert "returned with comments" in card_text(last_from_bot(t.fake, mine, having="returned with comments"))

    again = _checked_imr(t, police, version=2)
    t.platform.press(police, mine, again.id, "Declarations and submit")
    t.platform.submit_dialog(police, mine, {"declarations": "not_involved,not_line_manager",
                                            "senior_manager": "Head of Quality", "feedback_held": "no"})
    second = last_from_bot(t.fake, chat.id, having="version 2, for")
    t.platform.press(chair, chat.id, second.id, "Accept")
    t.fake.wait_until(lambda: "accepted" in card_text(chat.message(second.id)) or None)
    assert "Return with comments" not in card_text(chat.message(second.id)), "the buttons give way to the decision"


def test_every_dialog_and_card_was_one_teams_shows_and_nothing_typed_reaches_the_log(teams, chat):
    assert teams.fake.invoke_failures == [] and teams.fake.internal_errors == []
    log = teams.log_path.read_text(errors="replace")
    for typed in (PSEUDONYM, EVENT, "Housing moves", "Quietly overlong", "45th of Smarch", "Outsider entry"):
        assert typed not in log, typed
    assert review_chat(teams, REFERENCE) is not None


# ---------------------------------------------------------------- what a client that skips Teams' checks sends

def _submission(card: dict, values: dict) -> dict:
    """The dialog's submit data with `values` as the inputs (what Teams would send had it not checked them)."""
    submit = next(a for a in card.get("actions", []) if a.get("type") == "Action.Submit")
    return {**submit["data"], **values}


def _send_submit(t, user, conversation_id: str, data: dict):
    activity = t.platform.message_activity(user, conversation_id, "x")
    activity.update(type="invoke", name="task/submit", value={"data": data})
    activity.pop("text", None)
    return t.platform.send(activity)


def _press_raw(t, user, action: str, value):
    activity = t.platform.message_activity(user, personal(t.fake, user), "x")
    activity.update(type="invoke", name="task/fetch",
                    value={"data": {"msteams": {"type": "task/fetch"}, "dhr": {"action": action, "value": value}}})
    activity.pop("text", None)
    return t.platform.send(activity)


def _checked_imr(t, author, version: int = 1):
    """A checked draft version, and the message the bot sends its author once an upload passes its check."""
    with t.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == REFERENCE)).one()
        agency = s.exec(select(Agency.id).where(Agency.name == POLICE)).one()
        row = ImrVersion(review_id=review.id, agency_id=agency, version=version, status="draft", sha256="0" * 64, size=0,
                         document="", uploaded_by=author.aad_id, uploaded_at=datetime.now(timezone.utc))
        s.add(row)
        s.commit()
        ready = render.activity(imr_msgs.imr_ready(ImrReady(REFERENCE, row.id, version)))
    tenant = t.fake.tenant
    return tenant.record_message(tenant.chat(personal(t.fake, author)), ready, tenant.bot_account_id)


def _inputs_in(answer: dict) -> list:
    return [i for i in inputs(answer)]


def _entries(t) -> int:
    with t.db.session() as s:
        return s.exec(select(func.count()).select_from(ChronologyEntry)).one()


def _audited(s, action: str) -> int:
    return s.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)).one()
