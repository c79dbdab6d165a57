"""Files on Microsoft Teams, both ways, through Teams' real request path against the fake Teams: what only
Teams has. A file from the bot is a file consent card in the requester's 1:1 chat; Allow puts the bytes into
their OneDrive through the upload session Teams opens (one PUT with its Content-Range) and a file info card
shows it; Decline is said and nothing is saved; an answer forged for someone else's card saves nothing. A
person on several reviews names the review a file is for; a file posted in a review's group chat never
reaches the bot, and its sender is told where files go. (The shared file journeys, run with --platform
teams, cover the checks themselves: bad files, limits, the row-by-row report, the Import button.)"""
import csv
import io
import json
import zipfile

import pytest
from sqlmodel import select

from bot.teamsfake import activities
from storage.chronology import ChronologyUpload
from storage.models import Review
from tests.e2e.chronology_steps import HEADER
from tests.e2e.teams_server import running_teams
from tests.e2e.teams_steps import bot_count, card_text, join_panel, last_from_bot, open_review, personal, set_agencies

FIRST, SECOND = "DHR-2026-31", "DHR-2026-32"
POLICE = "Northshire Police"
CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


@pytest.fixture(scope="module")
def teams(database_url, tmp_path_factory):
    yield from running_teams(database_url, tmp_path_factory.mktemp("teams-files"))


@pytest.fixture(scope="module")
def chats(teams):
    """Two reviews; the police lead is on both, the chair on the first only."""
    t, coord = teams, teams.people["coordinator"]
    set_agencies(t, coord, [POLICE])
    first, second = open_review(t, coord, FIRST, "Robin Filer"), open_review(t, coord, SECOND, "Sam Filer")
    join_panel(t, first, coord, t.people["chair"], "chair")
    for chat in (first, second):
        join_panel(t, chat, coord, t.people["police"], "agency_lead", POLICE)
    return first, second


def csv_file(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode()


def consent_cards(t, user):
    return [m for m in t.fake.bot_messages_in(personal(t.fake, user)) if m.attachments_of(CONSENT)]


def ask_for_template(t, user, chat):
    before = len(consent_cards(t, user))
    in_chat = bot_count(t.fake, chat.id)
    assert t.platform.say(user, chat.id, "<at>DHR Bot</at> imr").status == 200
    card = t.fake.wait_until(lambda: consent_cards(t, user)[before:] or None)[-1]
    assert bot_count(t.fake, chat.id) == in_chat, "nothing said in the review's group chat"
    return card


def test_an_export_asked_for_in_the_group_chat_is_a_consent_card_in_the_requesters_1to1_chat(teams, chats):
    t, police = teams, teams.people["police"]
    card = ask_for_template(t, police, chats[0])
    attachment = card.attachments_of(CONSENT)[0]
    assert attachment["name"] == f"{FIRST}-IMR-template.docx"
    assert attachment["content"]["sizeInBytes"] > 1000 and "OneDrive" in attachment["content"]["description"]
    assert t.fake.drive_files == [] or all(f.name != attachment["name"] for f in t.fake.drive_files)


def test_allow_puts_the_file_in_one_ranged_request_and_shows_its_file_info_card(teams, chats):
    t, police = teams, teams.people["police"]
    card = ask_for_template(t, police, chats[0])
    mark = len(t.fake.calls)
    answer = t.platform.accept_file(police, personal(t.fake, police), card.id)
    assert answer.status == 200 and not t.fake.invoke_failures
    puts = [c for c in t.fake.calls[mark:] if c.method == "PUT" and c.path.startswith("/upload/")]
    assert [c.status for c in puts] == [201]
    saved = t.fake.drive_files[-1]
    assert saved.name == f"{FIRST}-IMR-template.docx" and saved.owner == police.aad_id
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(saved.content)).namelist()
    info = last_from_bot(t.fake, personal(t.fake, police), having=FILE_INFO).attachments_of(FILE_INFO)[0]
    assert info["content"]["uniqueId"] == saved.unique_id and info["contentUrl"] == saved.content_url
    assert "Saved" in card_text(t.fake.chat(personal(t.fake, police)).message(card.id))   # the card is answered
    assert not t.fake.chat(personal(t.fake, police)).message(card.id).attachments_of(CONSENT)


def test_decline_is_said_and_nothing_is_saved(teams, chats):
    t, police = teams, teams.people["police"]
    card = ask_for_template(t, police, chats[0])
    files = len(t.fake.drive_files)
    assert t.platform.decline_file(police, personal(t.fake, police), card.id).status == 200
    shown = t.fake.chat(personal(t.fake, police)).message(card.id)
    assert "You declined" in card_text(shown) and not shown.attachments_of(CONSENT)
    assert len(t.fake.drive_files) == files


def test_an_answer_forged_for_someone_elses_card_saves_nothing(teams, chats):
    """The chair answers with the context of the police lead's card: the file waits only for its owner."""
    t, police, chair = teams, teams.people["police"], teams.people["chair"]
    card = ask_for_template(t, police, chats[0])
    context = card.attachments_of(CONSENT)[0]["content"]["acceptContext"]
    files = len(t.fake.drive_files)
    with t.fake.tenant.lock:
        mine = t.fake.chat(personal(t.fake, chair))
        session = t.fake.tenant.drive.open_session(chair, "stolen.docx")
        upload_url = f"{t.fake.tenant.root_url}/upload/{session.token}"
        forged = activities.invoke(t.fake.tenant, mine, chair, "fileConsent/invoke", {
            "type": "fileUpload", "action": "accept", "context": context,
            "uploadInfo": session.upload_info(upload_url)})
    assert t.platform.send(forged).status == 200
    assert "no longer waiting" in card_text(last_from_bot(t.fake, mine.id, having="no longer waiting"))
    assert len(t.fake.drive_files) == files
    t.platform.accept_file(police, personal(t.fake, police), card.id)      # still there for its owner
    t.fake.wait_until(lambda: len(t.fake.drive_files) == files + 1)


def test_someone_on_two_reviews_chooses_which_review_a_file_is_for(teams, chats):
    t, police = teams, teams.people["police"]
    mine = personal(t.fake, police)
    before = bot_count(t.fake, mine)
    t.platform.upload_file(police, "", "police.csv", csv_file([["2025-05-01", "", "", "Log", "", "Call", "", ""]]))
    asked = t.fake.wait_until(lambda: t.fake.bot_messages_in(mine)[before:] or None)[-1]
    assert "Which review is" in card_text(asked) and FIRST in card_text(asked) and SECOND in card_text(asked)
    assert _uploads(t) == []                                      # nothing read before they say
    pressed = t.platform.press(police, mine, asked.id, SECOND)
    assert pressed.status == 200, pressed.text
    report = last_from_bot(t.fake, mine, having="valid")
    assert SECOND in card_text(report) and "Import 1 valid row" in card_text(report)
    assert [u.review_id for u in _uploads(t)] == [_review_id(t, SECOND)]


def test_a_file_posted_in_a_review_chat_is_never_read_and_its_sender_is_told_where_files_go(teams, chats):
    t, police = teams, teams.people["police"]
    mine, chat = personal(t.fake, police), chats[0]
    before, in_chat, reads = bot_count(t.fake, mine), bot_count(t.fake, chat.id), list(t.fake.file_reads)
    t.platform.post_file_in_chat(police, chat.id, "police.csv", csv_file([["2025", "", "", "Log", "", "x", "", ""]]))
    told = t.fake.wait_until(lambda: next((m for m in t.fake.bot_messages_in(mine)[before:]
                                           if "doesn't pass me files" in card_text(m)), None))
    assert "in our 1:1 chat" in card_text(told)
    assert bot_count(t.fake, chat.id) == in_chat and t.fake.file_reads == reads


def test_the_fake_upload_session_refuses_what_onedrive_refuses(teams, chats):
    """A bearer token on the upload URL, a range that is not the next one, a wrong length: refused."""
    t, police = teams, teams.people["police"]
    import httpx
    with t.fake.tenant.lock:
        session = t.fake.tenant.drive.open_session(police, "x.csv")
    url = f"{t.fake.tenant.root_url}/upload/{session.token}"
    assert httpx.put(url, content=b"abc", headers={"Content-Range": "bytes 0-2/3",
                                                  "Authorization": "Bearer x"}).status_code == 401
    assert httpx.put(url, content=b"abc", headers={"Content-Range": "bytes 1-3/6"}).status_code == 416
    assert httpx.put(url, content=b"abc", headers={"Content-Range": "bytes 0-3/6"}).status_code == 400
    part = httpx.put(url, content=b"abc", headers={"Content-Range": "bytes 0-2/6"})
    assert part.status_code == 202 and part.json()["nextExpectedRanges"] == ["3-"]
    assert httpx.put(url, content=b"def", headers={"Content-Range": "bytes 3-5/6"}).status_code == 201


def _uploads(t) -> list:
    with t.db.session() as s:
        return list(s.exec(select(ChronologyUpload)))


def _review_id(t, reference) -> int:
    with t.db.session() as s:
        return s.exec(select(Review.id).where(Review.reference == reference)).one()


def test_a_consent_card_is_refused_in_a_group_chat_by_the_connector(teams, chats):
    """Teams has file cards only in personal chats: the fake's connector refuses one in a group chat."""
    import httpx
    t = teams
    token = t.fake.access_token()
    url = f"{t.fake.service_url}v3/conversations/{chats[0].id}/activities"
    body = {"type": "message", "attachments": [{"contentType": CONSENT, "name": "x.csv", "content": {
        "description": "x", "sizeInBytes": 3, "acceptContext": {}, "declineContext": {}}}]}
    refused = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 400 and "personal chat" in json.dumps(refused.json())


def test_a_forged_choice_of_a_review_the_person_is_not_on_reads_nothing(teams, chats):
    """The chair is on the first review only: a choice forged for the second fetches no file and stores nothing."""
    t, chair, police = teams, teams.people["chair"], teams.people["police"]
    with t.fake.tenant.lock:
        stored = t.fake.tenant.store_file("p.csv", csv_file([["2025", "", "", "Log", "", "x", "", ""]]), police)
        mine = t.fake.chat(personal(t.fake, chair))
        value = json.dumps({"review": _review_id(t, SECOND), "name": "p.csv", "id": "x",
                            "url": f"{t.fake.tenant.root_url}/files/{stored.token}"})
        forged = activities.invoke(t.fake.tenant, mine, chair, "task/fetch", {
            "data": {"msteams": {"type": "task/fetch"}, "dhr": {"action": "dhr.file.for_review", "value": value}},
            "context": {"theme": "default"}})
    uploads, reads = len(_uploads(t)), list(t.fake.file_reads)
    assert t.platform.send(forged).status == 200
    assert "not one you are on" in card_text(last_from_bot(t.fake, mine.id, having="not one you are on"))
    assert len(_uploads(t)) == uploads and t.fake.file_reads == reads
