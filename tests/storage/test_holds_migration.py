"""Migration 0022 on SQLite and PostgreSQL: each pause becomes a hold on witness interviews, and the dates an
ended pause had given open deadlines are kept as extensions "carried over from a pause"."""
from datetime import date, datetime, timezone

import pytest
from alembic import command
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, create_engine, insert, select

from storage.migrate import alembic_config

pytestmark = pytest.mark.db
AT = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)


def _row(table, **given) -> dict:
    """The given values, and a plain value for every other required column."""
    out = dict(given)
    for c in table.columns:
        if c.name in out or c.nullable or c.primary_key or c.server_default is not None:
            continue
        t = c.type
        out[c.name] = (AT if isinstance(t, DateTime) else date(2026, 1, 10) if isinstance(t, Date) else False
                       if isinstance(t, Boolean) else [] if isinstance(t, JSON) else 0 if isinstance(t, Integer)
                       else f"x{c.name}"[:8])
    return out


@pytest.fixture
def migrated(database_url):
    command.upgrade(alembic_config(database_url), "0019")
    engine = create_engine(database_url)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        for rid, stage in ((1, "setup"), (2, "evidence")):
            conn.execute(insert(t["review"]), _row(t["review"], id=rid, reference=f"DHR-2026-0{rid}", stage=stage,
                                                    preset="2016", notified_on=date(2026, 1, 10), space_id=f"C{rid}"))
            conn.execute(insert(t["decision"]), _row(t["decision"], review_id=rid, outcome="review",
                                                        decided_on=date(2026, 2, 1)))
        pause = dict(kind="inquest", reason="ciphertext-as-stored", started_by="U1", started_at=AT)
        conn.execute(insert(t["reviewpause"]), [   # review 1: 12 days, ended; then one still open
            {**pause, "review_id": 1, "started_on": date(2026, 2, 1), "ended_on": date(2026, 2, 13),
             "ended_by": "U2", "ended_at": AT},
            {**pause, "review_id": 1, "kind": "criminal_proceedings", "started_on": date(2026, 2, 20),
             "ended_on": None, "ended_by": None, "ended_at": None}])
        conn.execute(insert(t["reviewpause"]), {**pause, "review_id": 2, "started_on": date(2026, 2, 1),
                                                "ended_on": date(2026, 2, 6), "ended_by": "U2", "ended_at": AT})
        conn.execute(insert(t["deadlineextension"]), dict(   # review 2's overview report was already extended
            review_id=2, deadline="overview_report", previous_due=date(2026, 8, 1), new_due=date(2026, 12, 1),
            reason="r", agreed_by="CSP chair", recorded_on=date(2026, 3, 1), recorded_by="U1", recorded_at=AT))
    command.upgrade(alembic_config(database_url), "0022")
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        out = {name: [dict(r._mapping) for r in conn.execute(select(meta.tables[name])
                                                               .order_by(meta.tables[name].c.id))]
               for name in ("activityhold", "deadlineextension")}
        out["tables"] = set(meta.tables)
    engine.dispose()
    return out


def test_pauses_become_holds_and_the_moved_dates_stay(migrated):
    assert "reviewpause" not in migrated["tables"]
    holds = [(h["review_id"], h["activity"], h["agreed_on"], h["lifted_on"], h["until_event"])
             for h in migrated["activityhold"]]
    assert holds == [
        (1, "witness_interviews", date(2026, 2, 1), date(2026, 2, 13), "not recorded (the end of the inquest)"),
        (1, "witness_interviews", date(2026, 2, 20), None, "not recorded (the end of the criminal proceedings)"),
        (2, "witness_interviews", date(2026, 2, 1), date(2026, 2, 6), "not recorded (the end of the inquest)")]
    assert all(h["reason"] == "ciphertext-as-stored" for h in migrated["activityhold"])
    ext = [(e["review_id"], e["deadline"], e["previous_due"], e["new_due"], e["agreed_by"], e["agreed_on"])
           for e in migrated["deadlineextension"]]
    assert ext == [
        # the one recorded before: its agreed_on is the day it was recorded, and it still wins
        (2, "overview_report", date(2026, 8, 1), date(2026, 12, 1), "CSP chair", date(2026, 3, 1)),
        # review 1 in set-up: terms of reference (due 10 Feb) and overview report (1 Aug) had moved 12 days
        (1, "terms_of_reference", date(2026, 2, 10), date(2026, 2, 22), "carried over from a pause", date(2026, 2, 13)),
        (1, "overview_report", date(2026, 8, 1), date(2026, 8, 13), "carried over from a pause", date(2026, 2, 13))]
