"""Migrations and column types, on SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, StatementError

from sqlmodel import select

from storage import migrate
from storage.db import Database
from storage.models import AuditEntry, Review

NOW = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # the autumn clock-change night


@pytest.fixture(scope="module")
def db(database_url):
    migrate.upgrade(database_url)
    database = Database(database_url)
    yield database
    database.engine.dispose()


def make_review(reference: str, **overrides) -> Review:
    values = dict(team_id="T1", reference=reference, stage="notified", notified_on=date(2026, 10, 1),
                  notifying_agency="Police", victim_pseudonym="Adult A", victim_age=40,
                  relationship="relative", created_by="U1", created_at=NOW, updated_at=NOW)
    return Review(**{**values, **overrides})


def test_migrations_create_every_table_and_match_the_models(db, database_url):
    tables = set(inspect(db.engine).get_table_names())
    assert {"review", "decision", "person", "membership", "stagechange", "auditentry",
            "processedevent", "alembic_version"} <= tables
    migrate.check(database_url)  # raises if models and migrations drift


def test_datetimes_come_back_as_the_same_utc_instant(db):
    london = NOW.astimezone(ZoneInfo("Europe/London"))
    with db.session() as s:
        s.add(make_review("DHR-2026-90", created_at=london, updated_at=london))
    with db.session() as s:
        stored = s.exec(select(Review).where(Review.reference == "DHR-2026-90")).one()
    assert stored.created_at == NOW and stored.created_at.tzinfo == timezone.utc


def test_naive_datetimes_are_refused(db):
    with pytest.raises(StatementError, match="naive datetime"):
        with db.session() as s:
            s.add(make_review("DHR-2026-91", created_at=datetime(2026, 1, 1)))


def test_reference_is_unique(db):
    with db.session() as s:
        s.add(make_review("DHR-2026-92"))
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(make_review("DHR-2026-92"))


def test_audit_detail_round_trips_as_json(db):
    with db.session() as s:
        s.add(AuditEntry(actor="U1", action="review.opened", detail={"reference": "DHR-2026-93"},
                         at=NOW + timedelta(hours=1)))
    with db.session() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "review.opened")).one()
    assert entry.detail == {"reference": "DHR-2026-93"}
