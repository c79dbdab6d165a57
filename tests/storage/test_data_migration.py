"""Reviews made at migration 0014 survive the upgrade to platform-qualified identity, on SQLite and PostgreSQL.

The rows come from migration_fixture/at_0014.json, written by make_fixture.py driving the real bot
through the journeys. They go into a database at 0014, the database is upgraded, and then every row
is checked for its values and the real bot server is started on it: the reviews must still work.
"""
import json
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, Date, DateTime, MetaData, create_engine, func, insert, select, text
from sqlmodel import select as sm_select

from bot.slackfake import SlackPlatform
from bot.slackfake.model import Channel, Message, Pin
from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from storage.crypto import configure_keys
from storage.db import Database
from storage.ledger import ReminderLedger
from storage.migrate import alembic_config
from tests.e2e.journey import driver_of, wait
from tests.e2e.report_steps import answer, channel_message_with
from tests.e2e.server import CHAIR, POLICE, SECRET, Bot, start_bot, start_fake
from tests.e2e.test_access_matrix import reply_after
from tests.e2e.test_report_and_plan import complete, completion
from tests.e2e.test_timeline import sweep

FIXTURE = json.loads((Path(__file__).parent / "migration_fixture" / "at_0014.json").read_text())
RENAMED = {"review": {"team_id": "tenant_id", "channel_id": "space_id", "channel_name": "space_name",
                      "card_ts": "card_ref"},
           "person": {"team_id": "tenant_id", "slack_user_id": "user_id"},
           "workspaceadmin": {"team_id": "tenant_id", "slack_user_id": "user_id"},
           "agency": {"team_id": "tenant_id"}}
WITH_PLATFORM = ("review", "person", "workspaceadmin", "agency", "reminderledger")
# Columns later migrations added, with what an older row holds in them.
LONDON = ZoneInfo("Europe/London")


def _typed(column, value):
    """A fixture value (JSON) as the column's Python type."""
    if value is None or isinstance(column.type, JSON):
        return value
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, Boolean):
        return bool(value)
    return value


def _plain(value):
    """A stored value as the fixture wrote it."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _load_at_0014(url: str) -> None:
    command.upgrade(alembic_config(url), "0014")
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            rows = FIXTURE["tables"].get(table.name)
            if rows:
                conn.execute(insert(table), [{k: _typed(table.c[k], v) for k, v in r.items()} for r in rows])
                if engine.dialect.name == "postgresql" and "id" in table.c:   # ids were given, not drawn
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"(SELECT MAX(id) FROM {table.name}))"))
    engine.dispose()


def _stored(url: str) -> dict[str, list[dict]]:
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        out = {name: [{k: _plain(v) for k, v in r._mapping.items()}
                      for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
               for name, t in meta.tables.items()}
    engine.dispose()
    return out


# Columns added by later migrations, empty on the rows that were there before them (0017).
# Columns later migrations added, with what an older row holds in them.
ADDED_SINCE = {"reportstep": {"agreed_on": None, "revisit_on": None},
               # 0022: the day the CSP agreed a timescale, backfilled from the day it was recorded
               "deadlineextension": {"agreed_on": None},
               "recommendation": {"national_response_on": None, "national_response": None},
               "planaction": {"strategic_action_id": None},
               "decision": {"decided_by": None, "records_secured_on": None, "criteria": [], "usual_residence": None,
                            "lead_csp": None, "joint_with": None, "joint_lead": None}}


@pytest.fixture(scope="module")
def upgraded(database_url):
    _load_at_0014(database_url)
    command.upgrade(alembic_config(database_url), "head")
    return database_url


# Tables a later migration replaced: reviewpause became activityhold (0020), checked below.
REPLACED = {"reviewpause"}


def test_every_row_keeps_its_values_under_the_new_names_and_is_slacks(upgraded):
    stored = _stored(upgraded)
    for table, rows in FIXTURE["tables"].items():
        if table in REPLACED:
            assert table not in stored
            continue
        renamed = RENAMED.get(table, {})
        assert len(stored[table]) == len(rows), table
        for before, after in zip(rows, stored[table]):
            added = ADDED_SINCE.get(table, {})
            assert {renamed.get(k, k): v for k, v in before.items()} == \
                {k: v for k, v in after.items() if k not in ("platform", "space_ref", *added)}, table
            assert {k: after[k] for k in added} == added, table
            if table in WITH_PLATFORM:
                assert after["platform"] == "slack", table
            if table == "review":
                assert after["space_ref"] is None
    assert stored["reportcheck"] == []   # 0021: a review's checks begin with its first draft uploaded
    for before in FIXTURE["tables"].get("deadlineextension", []):
        after = next(r for r in stored["deadlineextension"] if r["id"] == before["id"])
        assert after["agreed_on"] == before["recorded_on"]
    counts = {t: len(FIXTURE["tables"][t]) for t in ("review", "membership", "planaction", "reminderledger")}
    assert min(counts.values()) > 0, counts   # the fixture really holds what this test is about


def test_each_pause_became_a_hold_on_witness_interviews_lifted_if_it_had_ended(upgraded):
    stored = _stored(upgraded)
    pauses = FIXTURE["tables"]["reviewpause"]
    assert pauses and len(stored["activityhold"]) == len(pauses)
    for pause, hold in zip(pauses, stored["activityhold"]):
        assert (hold["review_id"], hold["activity"], hold["agency_id"]) == (pause["review_id"], "witness_interviews", 0)
        assert hold["reason"] == pause["reason"]          # the ciphertext, copied as it was
        assert hold["agreed_by"] == "recorded as a pause before holds existed"
        assert (hold["agreed_on"], hold["lifted_on"], hold["lifted_by"]) == \
            (pause["started_on"], pause["ended_on"], pause["ended_by"])
        assert hold["until_on"] is None and hold["until_event"].startswith("not recorded")


def _restore_workspace(fake) -> None:
    """The Slack workspace as the journeys left it: channels, cards, DMs with their buttons."""
    for data in FIXTURE["slack"]["channels"]:
        data = dict(data)
        data["messages"] = [Message(**m) for m in data["messages"]]
        data["ephemerals"] = [Message(**m) for m in data["ephemerals"]]
        data["pins"] = {ts: Pin(**p) for ts, p in data["pins"].items()}
        fake.ws.channels[data["id"]] = Channel(**data)
    fake.ws.ims.update(FIXTURE["slack"]["ims"])


@pytest.fixture(scope="module")
def bot(upgraded, tmp_path_factory):
    configure_keys([FIXTURE["field_key"]])
    fake = start_fake()
    _restore_workspace(fake)
    log_path = tmp_path_factory.mktemp("bot") / "bot.log"
    proc, url = start_bot(fake, upgraded, log_path)
    slack = SlackPlatform(fake, bot_url=f"{url}/slack/events", signing_secret=SECRET, team_id=FIXTURE["team"])
    db = Database(upgraded)
    yield Bot(url, fake, slack, db, log_path, proc)
    proc.terminate()
    proc.wait(timeout=10)
    db.engine.dispose()
    fake.stop()


def test_status_in_each_review_space_shows_that_review(bot):
    opened_by = {r["reference"]: r["created_by"] for r in FIXTURE["tables"]["review"]}
    for reference, space in FIXTURE["reviews"].values():
        shown = reply_after(driver_of(bot), opened_by[reference], lambda reference=reference, space=space:
                            bot.slack.command(opened_by[reference], space, text="status"))
        assert reference in shown, reference


def test_an_action_owner_marks_the_open_action_complete(bot):
    reference, space = FIXTURE["reviews"]["planned"]
    view = complete(bot, POLICE, space)
    assert answer(bot.slack.submit_view(POLICE, view.id, completion())) == ("closed", None)
    assert channel_message_with(bot, space, "marked action 1.1 complete")


def _ledger(bot) -> dict[str, tuple]:
    with bot.db.session() as s:
        rows = s.exec(sm_select(ReminderLedger)).all()
    return {r.idempotency_key: (r.status, r.attempts, r.sent_at) for r in rows}


def _reminders_of(bot, user, reference) -> int:
    return sum(reference in (m.text or "") + json.dumps(m.blocks or []) for m in bot.fake.dm_messages(user))


def test_the_sweep_sends_no_reminder_twice_and_sends_the_next_one_due(bot):
    reference, _ = FIXTURE["reviews"]["undecided"]
    with bot.db.session() as s:
        sent = s.exec(sm_select(func.count()).select_from(ReminderLedger)).one()
    assert sent == len(FIXTURE["tables"]["reminderledger"])
    before = _reminders_of(bot, CHAIR, reference)
    ledger = _ledger(bot)
    sweep(bot, datetime.fromisoformat(FIXTURE["reminded_at"]))   # the moment the fixture's sweep ran
    after = _ledger(bot)
    assert {k: after[k] for k in ledger} == ledger   # nothing already sent is sent again
    assert _reminders_of(bot, CHAIR, reference) == before
    notified = date.fromisoformat(next(r["notified_on"] for r in FIXTURE["tables"]["review"]
                                       if r["reference"] == reference))
    day = WorkingCalendar("ENG").add_working_days(add_months(notified, 1), -5)
    sweep(bot, datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON))
    wait(lambda: _reminders_of(bot, CHAIR, reference) > before, what="the five-days-before reminder")
    with bot.db.session() as s:
        b5 = s.exec(sm_select(ReminderLedger).where(ReminderLedger.reference == reference,
                                                    ReminderLedger.point == "b5")).one()
    assert b5.status == "sent" and b5.recipient == CHAIR and b5.platform == "slack"
