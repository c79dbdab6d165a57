"""A review opened and run in Microsoft Teams, through Teams' real request path (signed activities to
POST /api/messages) against the fake Teams, on SQLite and PostgreSQL: the coordinator opens a review
in their 1:1 chat, the bot makes the review's group chat with Graph and posts the summary card there,
a panel member is invited in their own 1:1 chat and joins the chat when they agree, and the
decision is recorded in a dialog. Forged and malformed requests change nothing."""
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.teamsfake import ClientSideValidation
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.intake import opening
from storage.models import Review
from tests.e2e.teams_server import running_teams, sweep
from tests.e2e.teams_steps import card_text, inputs, last_from_bot, personal, textblocks

REFERENCE = "DHR-2026-01"
ENG, LONDON = WorkingCalendar("ENG"), ZoneInfo("Europe/London")
PSEUDONYM = "Alex Teamsworth"


@pytest.fixture(scope="module")
def teams(database_url, tmp_path_factory):
    yield from running_teams(database_url, tmp_path_factory.mktemp("teams-bot"))


def open_from_reply(t, user, chat_id: str, title: str):
    """A typed command's form: the bot answers in the person's 1:1 chat with a button that opens it."""
    mine = personal(t.fake, user)
    offer = last_from_bot(t.fake, mine, having=f"Open: {title}")
    answer = t.platform.press(user, mine, offer.id, f"Open: {title}")
    assert answer.status == 200, answer.text
    dialog = t.platform.open_dialog(user)
    assert dialog is not None, answer.text
    return mine, dialog


def test_a_review_opened_in_teams_gets_its_own_group_chat_named_from_the_reference(teams):
    t, coord = teams, teams.people["coordinator"]
    mine = personal(t.fake, coord)
    assert t.platform.say(coord, mine, "new").status == 200
    _, dialog = open_from_reply(t, coord, coord and mine, "New review")
    assert dialog.title == "New review"
    answer = t.platform.submit_dialog(coord, mine, {
        "reference": REFERENCE, "notifying_agency": "Police", "victim_pseudonym": PSEUDONYM, "victim_age": "34",
        "relationship": "current_partner", "suspected_suicide": "no", "confidentiality": "agreed"})
    assert answer.status == 200, answer.text
    chat = t.fake.wait_until(lambda: next((c for c in t.fake.chats.values() if c.topic == REFERENCE.lower()), None))
    assert chat.installed and chat.member(coord.aad_id) is not None
    card = last_from_bot(t.fake, chat.id, having="review summary")
    assert REFERENCE in card_text(card) and "Record decision" in card_text(card)
    assert PSEUDONYM not in chat.topic


def test_a_form_sent_back_shows_each_error_under_its_field_and_keeps_what_was_typed(teams):
    t, coord = teams, teams.people["coordinator"]
    mine = personal(t.fake, coord)
    t.platform.say(coord, mine, "new")
    _, dialog = open_from_reply(t, coord, mine, "New review")
    answer = t.platform.submit_dialog(coord, mine, {
        "reference": REFERENCE, "notifying_agency": "Police", "victim_pseudonym": "Sam Example",
        "victim_age": "not a number", "relationship": "current_partner", "suspected_suicide": "no",
        "confidentiality": "agreed"})
    assert answer.status == 200
    shown = t.platform.open_dialog(coord)
    assert shown is not None, "the dialog stays open with the errors"
    body = json.dumps(shown.card)
    assert "Sam Example" in body and "attention" in body
    with t.db.session() as s:
        assert len(s.exec(select(Review)).all()) == 1


def test_a_client_cannot_skip_a_required_field(teams):
    t, coord = teams, teams.people["coordinator"]
    mine = personal(t.fake, coord)
    t.platform.say(coord, mine, "new")
    open_from_reply(t, coord, mine, "New review")
    with pytest.raises(ClientSideValidation):
        t.platform.submit_dialog(coord, mine, {"reference": "", "victim_pseudonym": "X"})
    t.platform.close_dialog(coord)


def test_panel_member_invited_in_their_own_chat_joins_the_review_chat_when_they_agree(teams):
    t, coord, chair = teams, teams.people["coordinator"], teams.people["chair"]
    chat = next(c for c in t.fake.chats.values() if c.topic == REFERENCE.lower())
    t.platform.say(coord, personal(t.fake, coord), "agencies")
    _, dialog = open_from_reply(t, coord, personal(t.fake, coord), "Agencies")
    assert t.platform.submit_dialog(coord, personal(t.fake, coord), {"agencies": "Police\nHealth"}).status == 200
    t.platform.say(coord, chat.id, "<at>DHR Bot</at> panel")
    mine, dialog = open_from_reply(t, coord, personal(t.fake, coord), "Review panel")
    people_inputs = [i for i in json.dumps(dialog.card).split('"id": "')[1:]]
    assert people_inputs, "the panel form has inputs"
    answer = t.platform.submit_dialog(coord, mine, panel_answer(dialog.card, chair))
    assert answer.status == 200, answer.text
    assert not [b for b in textblocks(answer.json()) if b.get("color") == "attention"], "no errors"
    invite = last_from_bot(t.fake, personal(t.fake, chair), having="I agree")
    assert REFERENCE in card_text(invite)
    assert chat.member(chair.aad_id) is None, "nobody joins before agreeing"
    t.platform.press(chair, personal(t.fake, chair), invite.id, "I agree")
    t.fake.wait_until(lambda: chat.member(chair.aad_id) is not None)


def test_the_decision_is_recorded_in_a_dialog_opened_from_the_card(teams):
    t, coord = teams, teams.people["coordinator"]
    chat = next(c for c in t.fake.chats.values() if c.topic == REFERENCE.lower())
    card = last_from_bot(t.fake, chat.id, having="review summary")
    answer = t.platform.press(coord, chat.id, card.id, "Record decision")
    assert answer.status == 200, answer.text
    dialog = t.platform.open_dialog(coord)
    assert dialog is not None and dialog.title == "Record decision"


def test_someone_outside_the_review_cannot_open_its_forms(teams):
    t, outsider = teams, teams.people["outsider"]
    chat = next(c for c in t.fake.chats.values() if c.topic == REFERENCE.lower())
    card = last_from_bot(t.fake, chat.id, having="review summary")
    forged = {"msteams": {"type": "task/fetch"}, "dhr": {"action": "dhr.open_panel",
                                                         "value": str(_review_id(t))}}
    activity = t.platform.message_activity(outsider, personal(t.fake, outsider), "x")
    activity.update(type="invoke", name="task/fetch", value={"data": forged}, replyToId=card.id)
    activity.pop("text", None)
    answer = t.platform.send(activity)
    assert answer.status == 200
    assert PSEUDONYM not in answer.text and REFERENCE not in answer.text
    assert '"person_1"' not in answer.text, "no panel form, only why not"


@pytest.mark.parametrize("forgery", ["unsigned", "wrong_key", "expired", "wrong_audience", "wrong_serviceurl"])
def test_a_request_without_teams_valid_token_is_refused_and_changes_nothing(teams, forgery):
    t, coord = teams, teams.people["coordinator"]
    activity = t.platform.message_activity(coord, personal(t.fake, coord), "new")
    before = len(t.fake.bot_messages_in(personal(t.fake, coord)))
    answer = t.platform.forge(forgery, activity)
    assert answer.status == 401
    assert len(t.fake.bot_messages_in(personal(t.fake, coord))) == before


def test_nothing_typed_into_a_review_reaches_the_log(teams):
    log = teams.log_path.read_text(errors="replace")
    assert PSEUDONYM not in log and "Sam Example" not in log


def _review_id(t) -> int:
    with t.db.session() as s:
        return s.exec(select(Review).where(Review.reference == REFERENCE)).one().id


def panel_answer(card: dict, person) -> dict:
    """The first row of the panel form: the person as a panel member of the first agency offered."""
    agency = next(i for i in inputs(card) if i["id"] == "agency_1")["choices"][0]["value"]
    return {"change": "add", "person_1": person.aad_id, "role_1": "panel_member", "agency_1": agency}


REAL_NAME = "Jane Realname"


def test_a_term_on_the_redaction_list_is_refused_in_commands_and_dialogs(teams):
    t, coord = teams, teams.people["coordinator"]
    chat = next(c for c in t.fake.chats.values() if c.topic == REFERENCE.lower())
    t.platform.say(coord, chat.id, "<at>DHR Bot</at> redact")
    mine, _ = open_from_reply(t, coord, personal(t.fake, coord), "Redaction list")
    added = t.platform.submit_dialog(coord, mine, {"kind": "name", "term": REAL_NAME})
    assert added.status == 200 and "now has 1 entry" in added.text
    t.platform.close_dialog(coord)
    before = len(t.fake.bot_messages_in(mine))
    t.platform.say(coord, mine, f"status {REAL_NAME}")
    refusal = t.fake.wait_until(lambda: t.fake.bot_messages_in(mine)[before:])[-1]
    assert "redaction list" in refusal.text and REAL_NAME not in refusal.text
    t.platform.say(coord, mine, "new")
    open_from_reply(t, coord, mine, "New review")
    answer = t.platform.submit_dialog(coord, mine, {
        "reference": "DHR-2026-02", "notifying_agency": "Police", "victim_pseudonym": REAL_NAME, "victim_age": "30",
        "relationship": "relative", "suspected_suicide": "no", "confidentiality": "agreed"})
    errors = [b.get("text") for b in textblocks(answer.json()) if b.get("color") == "attention"]
    assert any("redaction list" in e for e in errors) and REAL_NAME not in json.dumps(errors)
    assert not any(c.topic == "dhr-2026-02" for c in t.fake.chats.values())
    t.platform.close_dialog(coord)


def test_a_control_character_in_a_field_is_refused_beside_it(teams):
    t, coord = teams, teams.people["coordinator"]
    mine = personal(t.fake, coord)
    t.platform.say(coord, mine, "new")
    open_from_reply(t, coord, mine, "New review")
    answer = t.platform.submit_dialog(coord, mine, {
        "reference": "DHR-2026-03", "notifying_agency": "Pol\x00ice", "victim_pseudonym": "Kit", "victim_age": "30",
        "relationship": "relative", "suspected_suicide": "no", "confidentiality": "agreed"})
    errors = [b.get("text") for b in textblocks(answer.json()) if b.get("color") == "attention"]
    assert any("control character" in e for e in errors)
    t.platform.close_dialog(coord)


def test_the_reminder_sweep_reaches_the_coordinator_in_their_teams_chat(teams):
    t, coord = teams, teams.people["coordinator"]
    with t.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == REFERENCE)).one()
        due = opening.decision_due(review, review.notified_on)
    day = due if ENG.is_working_day(due) else ENG.add_working_days(due, -1)
    mine = personal(t.fake, coord)
    before = len(t.fake.bot_messages_in(mine))
    said = sweep(t.fake, [coord], t.url, datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON))
    digest = t.fake.wait_until(lambda: t.fake.bot_messages_in(mine)[before:])[-1]
    assert REFERENCE in card_text(digest) and PSEUDONYM not in card_text(digest)
    assert PSEUDONYM not in said
    again = sweep(t.fake, [coord], t.url, datetime(day.year, day.month, day.day, 9, 45, tzinfo=LONDON))
    assert len(t.fake.bot_messages_in(mine)) == before + 1, again


def test_an_activity_from_another_organisation_is_refused(teams):
    t, coord = teams, teams.people["coordinator"]
    activity = t.platform.message_activity(coord, personal(t.fake, coord), "new")
    other = "00000000-1111-2222-3333-444444444444"
    activity["conversation"]["tenantId"] = other
    activity.setdefault("channelData", {})["tenant"] = {"id": other}
    before = len(t.fake.bot_messages_in(personal(t.fake, coord)))
    assert t.platform.send(activity).status == 403
    assert len(t.fake.bot_messages_in(personal(t.fake, coord))) == before


def test_a_submission_teams_sends_twice_is_acted_on_once(teams):
    t, coord = teams, teams.people["coordinator"]
    mine = personal(t.fake, coord)
    t.platform.say(coord, mine, "new")
    open_from_reply(t, coord, mine, "New review")
    first = t.platform.submit_dialog(coord, mine, {
        "reference": "DHR-2026-09", "notifying_agency": "Police", "victim_pseudonym": "Robin", "victim_age": "51",
        "relationship": "relative", "suspected_suicide": "no", "confidentiality": "agreed"})
    assert first.status == 200
    sent = next(d.activity for d in reversed(t.fake.deliveries) if d.activity.get("name") == "task/submit")
    again = t.platform.send(sent)
    assert again.status == 200 and again.text.strip(), "every invoke is answered"
    with t.db.session() as s:
        assert len(s.exec(select(Review).where(Review.reference == "DHR-2026-09")).all()) == 1
    t.fake.wait_until(lambda: any(c.topic == "dhr-2026-09" for c in t.fake.chats.values()))
    assert sum(c.topic == "dhr-2026-09" for c in t.fake.chats.values()) == 1


def test_someone_without_the_app_gets_it_installed_and_their_invitation(teams):
    t, coord, police = teams, teams.people["coordinator"], teams.people["police"]
    t.platform.uninstall_for(police)
    chat = next(c for c in t.fake.chats.values() if c.topic == REFERENCE.lower())
    t.platform.say(coord, chat.id, "<at>DHR Bot</at> panel")
    mine, dialog = open_from_reply(t, coord, personal(t.fake, coord), "Review panel")
    assert t.platform.submit_dialog(coord, mine, panel_answer(dialog.card, police)).status == 200
    invite = t.fake.wait_until(lambda: t.fake.personal_chat(police) and t.fake.personal_chat(police).installed
                               and last_from_bot(t.fake, personal(t.fake, police), having="I agree"))
    assert REFERENCE in card_text(invite)
