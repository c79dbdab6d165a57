"""Proof of confidentiality: registered real details never reach Slack, the logs or the database in clear.

Slack only for now: it reads every Web API call and file the bot sent to Slack."""
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from storage.models import Decision, Review
from tests.e2e.journey import block_text, create_review, initial_value, new_review_values, open_view, \
    start_new_review, today, wait
from tests.e2e.chronology_steps import add_entry, csv_file, entries, text_of
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.server import CHAIR, COORDINATOR, POLICE

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]

CANARY_NAME = "Jolene Marchbanks"
CANARY_DOB = "14/07/1979"
LEAKS = ("jolene", "marchbanks", "14/07/1979", "1979-07-14", "14 july 1979")


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general-conf", members=[COORDINATOR, CHAIR, POLICE]).id


def register(bot, user, channel, kind, term):
    bot.slack.command(user, channel, text="redact")
    view = open_view(bot, user, "dhr.redaction")
    return bot.slack.submit_view(user, view.id, {"kind": kind, "term": term})


def everything_slack_saw(bot) -> str:
    return json.dumps([[c.method, c.params, c.response] for c in bot.fake.calls()], default=str).casefold()


def everything_stored(bot) -> str:
    """Every value in every table, read raw (encrypted columns stay encrypted)."""
    out = []
    with bot.db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            out.extend(str(row) for row in conn.execute(text(f'SELECT * FROM "{table}"')))
    return "\n".join(out).casefold()


def sqlite_files(bot) -> bytes:
    url = bot.db.engine.url
    if url.get_backend_name() != "sqlite":
        return b""
    return b"".join(p.read_bytes() for p in Path(url.database).parent.glob(Path(url.database).name + "*"))


def test_canary_real_details_never_leave_or_rest_in_clear(bot, general):
    set_agencies(bot, COORDINATOR, general, ["Northshire Police"])
    reference, channel_id = create_review(bot, COORDINATOR, general)
    assert register(bot, COORDINATOR, channel_id, "name", CANARY_NAME).json()["response_action"] == "update"
    assert register(bot, COORDINATOR, channel_id, "date_of_birth", CANARY_DOB).json()["response_action"] == "update"

    # The canary typed into forms is refused inline, naming the field, and nothing is stored.
    view = start_new_review(bot, COORDINATOR, general)
    body = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(
        initial_value(view, "reference"), victim_pseudonym="jolene MARCHBANKS")).json()
    assert "redaction list" in body["errors"]["victim_pseudonym"]
    bot.slack.command(COORDINATOR, channel_id, text="decide")
    decide = open_view(bot, COORDINATOR, "dhr.decide")
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted_other": "Police",
              "home_office_told_on": today().isoformat(), "delay_reason": "She was born 14 July 1979 in Leeds"}
    body = bot.slack.submit_view(COORDINATOR, decide.id, values).json()
    assert list(body["errors"]) == ["delay_reason"]

    # The rest of the journey goes on normally.
    values["delay_reason"] = "Police file arrived late"
    assert bot.slack.submit_view(COORDINATOR, decide.id, values).text in ("", "{}")
    response = bot.slack.command(COORDINATOR, channel_id, text="pause trial of jolene marchbanks")
    assert "redaction list" in response.text
    join(bot, channel_id, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    bot.slack.command(COORDINATOR, channel_id, text="audit")
    reply = wait(lambda: [m for m in bot.fake.ephemeral_messages(channel_id, COORDINATOR) if m.blocks],
                 what="audit reply")[-1]
    bot.slack.click(COORDINATOR, "dhr.export_audit", message=(channel_id, reply.ts))
    upload = bot.fake.wait_for("files.completeUploadExternal")
    exported = next(iter(bot.fake.files.values()))
    assert exported.name == f"{reference.lower()}-audit-{today().isoformat()}.csv"
    assert b"review.opened" in exported.content and b"redaction.added" in exported.content
    evidence_with_the_canary_is_refused(bot, reference, channel_id)
    bot.slack.command(COORDINATOR, channel_id, text="status")

    seen, stored, files, log = everything_slack_saw(bot), everything_stored(bot), sqlite_files(bot), bot.log_text()
    for leak in LEAKS:
        assert leak not in seen, f"{leak} reached Slack"
        assert leak not in stored, f"{leak} stored in clear"
        assert leak.encode() not in files.lower(), f"{leak} in the database file"
        assert leak not in log.casefold(), f"{leak} in the log"
        for f in [f for f in bot.fake.files.values() if f.user == bot.fake.bot_user_id]:   # what the bot sent
            assert leak.encode() not in (f.content or b"").lower(), f"{leak} in the file {f.name}"
    with bot.db.session() as s:
        made = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert made.delay_reason == "Police file arrived late"  # readable through the app...
    assert "police file arrived late" not in stored  # ...but encrypted at rest


def test_a_message_carrying_a_registered_term_is_not_sent(bot, general):
    # A pseudonym chosen before someone noticed it is a real name.
    reference, channel_id = create_review(bot, COORDINATOR, general, victim_pseudonym="Ottoline Quarrie")
    register(bot, COORDINATOR, channel_id, "name", "Ottoline Quarrie")
    before = len(bot.fake.calls())
    bot.slack.command(COORDINATOR, channel_id, text="status")
    reply = wait(lambda: [r for r in bot.fake.calls()[before:] if r.method == "response_url"], what="reply")[-1]
    assert "Not sent" in reply.params["text"]
    assert "ottoline" not in json.dumps([c.params for c in bot.fake.calls()[before:]]).casefold()


def test_redaction_terms_are_validated_and_never_echoed(bot, general):
    reference, channel_id = create_review(bot, COORDINATOR, general)
    body = register(bot, COORDINATOR, channel_id, "name", "Al").json()
    assert "term" in body["errors"]
    body = register(bot, COORDINATOR, channel_id, "date_of_birth", "sometime in 1980").json()
    assert "term" in body["errors"] and "1980" not in body["errors"]["term"]
    response = register(bot, COORDINATOR, channel_id, "name", "Peregrine Oduya")
    assert "peregrine" not in response.text.casefold()
    body = register(bot, COORDINATOR, channel_id, "name", "peregrine  ODUYA").json()
    assert "already" in body["errors"]["term"]


def evidence_with_the_canary_is_refused(bot, reference, channel_id):
    """Terms of reference, a chronology entry, an uploaded file and the family form: the canary is
    refused wherever it is typed or uploaded; the rest goes in and is exported."""
    bot.slack.command(COORDINATOR, channel_id, text="tor")
    tor = open_view(bot, COORDINATOR, "dhr.tor")
    agencies = next(b for b in tor.blocks if b.get("block_id") == "agencies")["element"]["options"]
    values = {"scope_from": "2021-01-01", "scope_to": today().isoformat(), "lines": ["coercive_control"],
              "agencies": [o["value"] for o in agencies],
              "other_lines": "Contact between Jolene Marchbanks and the housing office"}
    body = bot.slack.submit_view(COORDINATOR, tor.id, values).json()
    assert list(body["errors"]) == ["other_lines"] and "redaction list" in body["errors"]["other_lines"]
    values["other_lines"] = "Contact with the housing office"
    assert bot.slack.submit_view(COORDINATOR, tor.id, values).json()["response_action"] == "update"

    entry = {"date": "2023-05", "source": "Incident log", "event": "Call from jolene marchbanks about Adult B"}
    _view, response = add_entry(bot, POLICE, channel_id, entry)
    assert list(response.json()["errors"]) == ["event"]
    _view, response = add_entry(bot, POLICE, channel_id, {**entry, "event": "Call from Adult A about Adult B"})
    assert response.text in ("", "{}"), response.text

    before = len(bot.fake.ephemeral_messages(channel_id, POLICE))
    bot.slack.upload_file(POLICE, channel_id, "police.csv", csv_file([
        ["2023-06-01", "", "Northshire Police", "Incident log", "Adult A", "Visit; DOB 14/07/1979 noted", "", ""],
        ["2023-06-02", "", "Northshire Police", "Incident log", "Adult A", "Follow-up visit", "", ""]]))
    said = wait(lambda: [m for m in bot.fake.ephemeral_messages(channel_id, POLICE)[before:]] if len(
        bot.fake.ephemeral_messages(channel_id, POLICE)) >= before + 2 else None, what="the warning and the report")
    assert "Please delete it now" in text_of(said[0])   # the file itself holds the date of birth
    report = said[1]
    assert "*1 valid*" in text_of(report) and "redaction list" in text_of(report)
    bot.slack.click(POLICE, "dhr.chronology.import", message=(channel_id, report.ts))
    wait(lambda: len(entries(bot, reference)) == 2, what="the valid row imported")

    files_before = len(bot.fake.files)
    bot.slack.command(COORDINATOR, channel_id, text="chronology")
    wait(lambda: len(bot.fake.files) >= files_before + 2, what="the chronology export")
