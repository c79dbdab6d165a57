"""Proof of confidentiality: registered real details never reach Slack, the logs or the database in clear."""
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from storage.models import Decision, Review
from tests.e2e.journey import block_text, create_review, initial_value, new_review_values, open_view, \
    start_new_review, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.server import CHAIR, COORDINATOR, POLICE

pytestmark = pytest.mark.e2e

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
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted": "Police",
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
    bot.slack.command(COORDINATOR, channel_id, text="status")

    seen, stored, files, log = everything_slack_saw(bot), everything_stored(bot), sqlite_files(bot), bot.log_text()
    for leak in LEAKS:
        assert leak not in seen, f"{leak} reached Slack"
        assert leak not in stored, f"{leak} stored in clear"
        assert leak.encode() not in files.lower(), f"{leak} in the database file"
        assert leak not in log.casefold(), f"{leak} in the log"
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
