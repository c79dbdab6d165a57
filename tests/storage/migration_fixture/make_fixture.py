"""Writes at_0014.json: every table's rows and the Slack workspace after real journeys, at migration 0014.

Run it on commit 4802d55 (the last one before migration 0015 made identity platform-qualified), from
the repository root: `PYTHONPATH=$PWD python tests/storage/migration_fixture/make_fixture.py`. It starts
the real bot server against the fake Slack on a fresh SQLite file and drives it through the journeys
people take: reviews opened and decided, a panel whose members agree, an evidence request, an action
plan with an open action, a review concluded, and a decision reminder sent by the sweep (ledger rows).
The field key in the output is the e2e test key, never a real one.

Running it on a later commit would describe that commit's schema, not 0014's: the migration test
loads this file at 0014 and upgrades it.
"""
import dataclasses
import json
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import MetaData, create_engine, select

from bot.slackfake import SlackPlatform
from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from storage.crypto import configure_keys
from storage.db import Database
from tests.e2e.journey import create_review
from tests.e2e.lifecycle_steps import conclude_with_content, review_with_content
from tests.e2e.panel_steps import join, option_value, set_agencies
from tests.e2e.report_steps import dm_with
from tests.e2e.server import (
    CHAIR,
    COORDINATOR,
    FIELD_KEY,
    HEALTH,
    OBSERVER,
    OUTSIDER,
    POLICE,
    SECRET,
    TEAM,
    Bot,
    start_bot,
    start_fake,
)
from tests.e2e.test_evidence import form
from tests.e2e.test_report_and_plan import add_action, add_recommendation, review_in_evidence, to_monitoring
from tests.e2e.test_timeline import sweep

OUT = Path(__file__).resolve().parent / "at_0014.json"
POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"
LONDON = ZoneInfo("Europe/London")


def reminder_day(notified_on: date, before: int) -> datetime:
    """09:30 London on the working day `before` working days ahead of the decision deadline."""
    day = WorkingCalendar("ENG").add_working_days(add_months(notified_on, 1), -before)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)


def journeys(bot) -> dict:
    general = bot.fake.add_channel("general", members=[COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER,
                                                       OBSERVER]).id
    set_agencies(bot, COORDINATOR, general, [POLICE_AGENCY, HEALTH_AGENCY])
    concluded, concluded_channel = review_with_content(bot, general)       # decided, panel agreed, terms...
    conclude_with_content(bot, concluded, concluded_channel)                # ...action verified, concluded
    planned, planned_channel = review_in_evidence(bot, general)
    to_monitoring(bot, planned, planned_channel)
    assert add_recommendation(bot, planned_channel) == ("closed", None)
    add_action(bot, planned_channel)                                         # owned by POLICE, left open
    dm_with(bot, POLICE, "is yours")
    gathering, gathering_channel = review_in_evidence(bot, general)
    join(bot, gathering_channel, OBSERVER, "panel_member", POLICE_AGENCY, by=COORDINATOR)
    view = form(bot, COORDINATOR, gathering_channel, "request")
    values = {"agencies": [option_value(view, "agencies", a) for a in (POLICE_AGENCY, HEALTH_AGENCY)],
              "items": ["scoping", "chronology"]}
    response = bot.slack.submit_view(COORDINATOR, view.id, values)
    assert response.status == 200 and "errors" not in response.text, response.text
    notified = date.today()
    undecided, undecided_channel = create_review(bot, CHAIR, general, notified_on=notified.isoformat())
    reminded_at = reminder_day(notified, 10)
    sweep(bot, reminded_at)
    return {"general": general, "reminded_at": reminded_at.isoformat(), "reviews": {
        "concluded": [concluded, concluded_channel], "planned": [planned, planned_channel],
        "gathering": [gathering, gathering_channel], "undecided": [undecided, undecided_channel]}}


def value(v):
    if isinstance(v, datetime):
        return (v if v.tzinfo else v.replace(tzinfo=timezone.utc)).isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.decode()
    return v


def tables(url: str) -> tuple[str, dict]:
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        version = conn.execute(select(meta.tables["alembic_version"])).scalar_one()
        rows = {name: [{k: value(v) for k, v in r._mapping.items()} for r in
                       conn.execute(select(t).order_by(*t.primary_key.columns))]
                for name, t in meta.tables.items() if name != "alembic_version"}
    engine.dispose()
    return version, rows


def workspace(fake) -> dict:
    """The fake Slack's conversations, so the upgraded bot finds the channels, cards and DMs it made."""
    return {"ims": dict(fake.ws.ims),
            "channels": [dataclasses.asdict(c) for c in fake.ws.channels.values()]}


def main() -> None:
    configure_keys([FIELD_KEY])
    url = f"sqlite:///{tempfile.mkdtemp()}/dhr.sqlite3"
    fake = start_fake()
    proc, bot_url = start_bot(fake, url, Path(tempfile.mkdtemp()) / "bot.log")
    slack = SlackPlatform(fake, bot_url=f"{bot_url}/slack/events", signing_secret=SECRET, team_id=TEAM)
    db = Database(url)
    try:
        facts = journeys(Bot(bot_url, fake, slack, db, Path("/dev/null"), proc))
        version, rows = tables(url)
        slack_state = workspace(fake)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        db.engine.dispose()
        fake.stop()
    assert version == "0014", version
    OUT.write_text(json.dumps({"alembic_version": version, "field_key": FIELD_KEY, "team": TEAM, **facts,
                               "tables": rows, "slack": slack_state}, indent=1, sort_keys=True, default=str))
    print(f"wrote {OUT}: " + ", ".join(f"{k} {len(v)}" for k, v in rows.items() if v), file=sys.stderr)


if __name__ == "__main__":
    main()
