"""Files people share: the bot token goes only to Slack's file store, and a file whose name or content holds a
registered term is flagged privately to the uploader and the coordinator, asked to be deleted, and audited.

Slack only: where the bot token may go (Slack's file hosts) and Slack's file events."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from storage.models import AuditEntry
from tests.e2e.chronology_steps import (
    POLICE_AGENCY,
    bot_dm_count,
    csv_file,
    dm_reply,
    ephemeral_reply,
    ready_review,
    review_id,
    text_of,
)
from tests.e2e.journey import open_view, wait
from tests.e2e.server import AUTHOR, CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE, TOKEN

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]

REAL_NAME = "Margaret Hollis"


class Elsewhere:
    """Another host on 127.0.0.1 that records every request's path and headers (and serves nothing)."""

    def __init__(self):
        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def tokens_seen(self) -> list[str]:
        return [h["authorization"] for _, h in self.seen if "authorization" in h]


@pytest.fixture
def elsewhere():
    host = Elsewhere()
    yield host
    host.server.shutdown()
    host.server.server_close()


@pytest.fixture(scope="module")
def review(bot):
    """A review with a panel, and a real name on the redaction list."""
    general = bot.fake.add_channel("general-files", members=[COORDINATOR, CHAIR, OUTSIDER, POLICE, HEALTH, AUTHOR]).id
    reference, channel = ready_review(bot, general)
    bot.slack.command(COORDINATOR, channel, text="redact")
    view = open_view(bot, COORDINATOR, "dhr.redaction")
    bot.slack.submit_view(COORDINATOR, view.id, {"kind": "name", "term": REAL_NAME})
    return reference, channel


ROWS = csv_file([["2025-05-01", "", POLICE_AGENCY, "Incident log", "Adult A", "Call", "", ""]])


def test_a_link_to_a_file_kept_outside_slack_is_refused_and_never_fetched(bot, review, elsewhere):
    before = bot_dm_count(bot, POLICE)
    bot.slack.upload_file(POLICE, POLICE, "chronology.csv", None, external_url=f"{elsewhere.url}/shared/doc.csv")
    assert "a link to a copy kept outside Slack, so I have not opened it" in text_of(dm_reply(bot, POLICE, before))
    assert elsewhere.seen == []


def test_a_file_whose_address_is_on_another_host_never_gets_the_token(bot, review, elsewhere):
    before = bot_dm_count(bot, POLICE)
    bot.slack.upload_file(POLICE, POLICE, "chronology.csv", ROWS, host=elsewhere.url)
    assert "I have not opened it" in text_of(dm_reply(bot, POLICE, before))
    assert TOKEN not in str(elsewhere.seen) and elsewhere.tokens_seen() == []


def test_a_redirect_to_another_host_is_followed_without_the_token(bot, review, elsewhere):
    before = bot_dm_count(bot, POLICE)
    bot.fake.redirect_file_downloads(elsewhere.url)
    try:
        bot.slack.upload_file(POLICE, POLICE, "chronology.csv", ROWS)
        assert "couldn't fetch the file from Slack" in text_of(dm_reply(bot, POLICE, before))
    finally:
        bot.fake.redirect_file_downloads(None)
    assert [path.startswith("/files-pri/") for path, _ in elsewhere.seen] == [True]   # it did go there ...
    assert elsewhere.tokens_seen() == []                                             # ... without the token
    before = bot_dm_count(bot, POLICE)
    bot.slack.upload_file(POLICE, POLICE, "chronology.csv", ROWS)                    # Slack's own host still works
    assert "1 row(s), *1 valid*" in text_of(dm_reply(bot, POLICE, before))


@pytest.mark.parametrize("name", ["police chronology.csv", "R\u00e9sum\u00e9 chronologie.csv"])
def test_a_file_whose_name_has_a_space_or_an_accent_is_read(bot, review, name):
    before = bot_dm_count(bot, POLICE)
    bot.slack.upload_file(POLICE, POLICE, name, ROWS)      # its address carries the name as it is
    assert "1 row(s), *1 valid*" in text_of(dm_reply(bot, POLICE, before))


def what_the_bot_said(bot) -> str:
    sent = bot.fake.calls("chat.postMessage") + bot.fake.calls("chat.postEphemeral")
    return " ".join(str(c.params) for c in sent).casefold()


def flags(bot, reference):
    with bot.db.session() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.review_id == review_id(bot, reference),
                                                    AuditEntry.action == "file.redacted_term_shared")))


def test_a_shared_file_named_after_a_registered_person_is_flagged_privately_and_audited(bot, review):
    reference, channel = review
    in_channel, mine = len(bot.fake.messages(channel)), len(bot.fake.ephemeral_messages(channel, POLICE))
    coordinator_dms = bot_dm_count(bot, COORDINATOR)
    content = csv_file([["2025-05-01", "", POLICE_AGENCY, "GP record", "Adult A", "Seen with Margaret Hollis", "", ""],
                        ["2025-05-02", "", POLICE_AGENCY, "GP record", "Adult A", "Follow-up call", "", ""]])
    file_id = bot.slack.upload_file(POLICE, channel, "margaret-hollis.csv", content)

    warning = text_of(wait(lambda: bot.fake.ephemeral_messages(channel, POLICE)[mine:] or None)[0])
    assert "contains a term on the redaction list" in warning and "in its name and row 2" in warning
    assert "Please delete it now" in warning and "can't remove it for you" in warning
    told = text_of(dm_reply(bot, COORDINATOR, coordinator_dms, what="the coordinator told"))
    assert f"<@{POLICE}> shared a file in <#{channel}>" in told and "in its name and row 2" in told
    assert "asked them to delete it" in told

    report = text_of(ephemeral_reply(bot, channel, POLICE, mine + 1, what="the row report"))
    assert "*1 valid*" in report and "Row 2, Event / contact: Contains a term" in report
    assert [m.subtype for m in bot.fake.messages(channel)[in_channel:]] == ["file_share"]   # nothing said in public
    assert "hollis" not in what_the_bot_said(bot) and "margaret" not in what_the_bot_said(bot)
    deletion = bot.fake.calls("files.delete")[-1]
    assert deletion.params["file"] == file_id and deletion.response["error"] == "cant_delete_file"
    assert file_id in bot.fake.files   # Slack keeps a person's file until they delete it
    flag = flags(bot, reference)[-1]
    assert flag.actor == POLICE and flag.detail == {"file_id": file_id, "where": "its name and row 2",
                                                     "deleted": False}


def test_the_audit_log_says_in_words_that_a_flagged_file_was_shared(bot, review):
    reference, channel = review
    mine = len(bot.fake.ephemeral_messages(channel, COORDINATOR))
    bot.slack.command(COORDINATOR, channel, text="audit")
    log = text_of(wait(lambda: next((m for m in bot.fake.ephemeral_messages(channel, COORDINATOR)[mine:]
                                     if "Audit log" in (m.text or "")), None), what="the audit reply"))
    assert (f"<@{POLICE}>: Shared a file with a term from the redaction list in its name and row 2; "
            "they were asked to delete it") in log
    assert "redacted term shared" not in log.casefold() and "hollis" not in log.casefold()


def test_any_file_named_after_a_registered_person_is_flagged(bot, review):
    reference, channel = review
    count, mine = len(flags(bot, reference)), len(bot.fake.ephemeral_messages(channel, CHAIR))
    bot.slack.upload_file(CHAIR, channel, "Notes on MARGARET HOLLIS.pdf", b"%PDF-1.4")
    warning = text_of(wait(lambda: bot.fake.ephemeral_messages(channel, CHAIR)[mine:] or None)[0])
    assert "in its name." in warning and "hollis" not in warning.casefold()
    assert len(flags(bot, reference)) == count + 1


def test_an_imr_whose_text_names_a_registered_person_is_flagged_from_the_dm_and_not_kept(bot, review):
    import io

    import docx
    reference, _ = review
    document = docx.Document()
    document.add_heading("Summary of contact", 1)
    document.add_paragraph("Officers spoke to Margaret  HOLLIS at the address.")
    out = io.BytesIO()
    document.save(out)
    mine, coordinator_dms = bot_dm_count(bot, AUTHOR), bot_dm_count(bot, COORDINATOR)
    file_id = bot.slack.upload_file(AUTHOR, AUTHOR, "police-imr.docx", out.getvalue())
    warning = text_of(dm_reply(bot, AUTHOR, mine, what="the warning"))
    assert "in its text" in warning and "Please delete it now" in warning and "everyone in the channel" not in warning
    assert "I have not kept it" in text_of(dm_reply(bot, AUTHOR, mine + 1, what="the IMR refusal"))
    told = text_of(dm_reply(bot, COORDINATOR, coordinator_dms, what="the coordinator told"))
    assert f"<@{AUTHOR}> shared a file with me in a DM" in told and "in its text" in told
    assert "hollis" not in what_the_bot_said(bot)
    assert flags(bot, reference)[-1].detail == {"file_id": file_id, "where": "its text", "deleted": False}


def test_a_link_named_after_a_registered_person_is_flagged_though_it_is_never_opened(bot, review, elsewhere):
    reference, channel = review
    count, mine = len(flags(bot, reference)), len(bot.fake.ephemeral_messages(channel, CHAIR))
    bot.slack.upload_file(CHAIR, channel, "margaret_hollis.xlsx", None, external_url=f"{elsewhere.url}/x.xlsx")
    said = wait(lambda: bot.fake.ephemeral_messages(channel, CHAIR)[mine:] if len(
        bot.fake.ephemeral_messages(channel, CHAIR)) >= mine + 2 else None, what="the warning and the refusal")
    assert "in its name." in text_of(said[0]) and "kept outside Slack" in text_of(said[1])
    assert len(flags(bot, reference)) == count + 1 and elsewhere.seen == []
