"""Migrations and column types, on SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import select

from storage import migrate
from storage.db import Database
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Person, Review

NOW = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # the autumn clock-change night


@pytest.fixture(scope="module")
def db(database_url):
    migrate.upgrade(database_url)
    database = Database(database_url)
    yield database
    database.engine.dispose()


def make_review(reference: str, **overrides) -> Review:
    values = dict(tenant_id="T1", reference=reference, stage="notified", notified_on=date(2026, 10, 1),
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


TEAMS_USER = "29:1" + "x7Kq" * 50                       # Teams user ids run far past Slack's
TEAMS_SPACE = "19:" + "a1b2c3d4e5" * 10 + "@thread.v2"
TEAMS_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_teams_length_ids_round_trip_through_people_reviews_and_the_ledger(db):
    ref = {"serviceUrl": "https://smba.trafficmanager.net/uk/", "conversation": {"id": TEAMS_SPACE}}
    with db.session() as s:
        s.add(Person(platform="teams", tenant_id=TEAMS_TENANT, user_id=TEAMS_USER, created_at=NOW))
        review = make_review("DHR-2026-93", platform="teams", tenant_id=TEAMS_TENANT, space_id=TEAMS_SPACE,
                             space_ref=ref, card_ref=TEAMS_SPACE + ";messageid=1764601234567", created_by=TEAMS_USER)
        s.add(review)
        s.flush()
        s.add(ReminderLedger(idempotency_key="teams-1", review_id=review.id, platform="teams", item_kind="milestone",
                             item_key="decision", recipient=TEAMS_USER, recipient_kind="user",
                             due_on=date(2026, 11, 2), point="b5", point_on=date(2026, 10, 26),
                             send_on=date(2026, 10, 26), reference="DHR-2026-93", label="Decision",
                             link_channel=TEAMS_SPACE, message_channel=TEAMS_SPACE, message_ts="1764601234567",
                             next_attempt_at=NOW, created_at=NOW))
    with db.session() as s:
        person = s.exec(select(Person).where(Person.user_id == TEAMS_USER)).one()
        review = s.exec(select(Review).where(Review.space_id == TEAMS_SPACE)).one()
        row = s.exec(select(ReminderLedger).where(ReminderLedger.recipient == TEAMS_USER)).one()
    assert (person.platform, person.tenant_id) == ("teams", TEAMS_TENANT)
    assert (review.platform, review.created_by, review.space_ref) == ("teams", TEAMS_USER, ref)
    assert (row.platform, row.link_channel, row.review_id) == ("teams", TEAMS_SPACE, review.id)


def test_a_person_is_unique_per_platform_and_tenant(db):
    with db.session() as s:
        s.add(Person(tenant_id="T1", user_id="U1SAME", created_at=NOW))
        s.add(Person(platform="teams", tenant_id="T1", user_id="U1SAME", created_at=NOW))
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Person(tenant_id="T1", user_id="U1SAME", created_at=NOW))
