"""A migrated database per backend and module, emptied before each test, with a review and its people."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import delete
from sqlmodel import SQLModel, select

from bot.workflow.core.kernel import Actor
from storage import migrate
from storage.crypto import configure_keys
from storage.db import Database
from storage.models import Membership, Person, Review
from storage.panel import Agency

TEAM = "T0DHR0001"
FIELD_KEY = "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="
COORD, CHAIR, POLICE_LEAD, HEALTH_LEAD, POLICE_PANEL, OBSERVER, OUTSIDER = (
    "U0COORD01", "U0CHAIR01", "U0POLLEAD", "U0HEALEAD", "U0POLPANL", "U0OBSERV1", "U0OUTSID1")
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)   # Monday 2 Nov 2026
TODAY = date(2026, 11, 2)


def actor(user: str) -> Actor:
    return Actor(TEAM, user)


@pytest.fixture(scope="module")
def db(database_url):
    configure_keys([FIELD_KEY])
    migrate.upgrade(database_url)
    database = Database(database_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def empty_db(db):
    with db.session() as s:
        for table in reversed(SQLModel.metadata.sorted_tables):
            s.execute(delete(table))
    return db


def add_member(s, review_id: int, user: str, role: str, agency_id=None, status="active") -> None:
    person = s.exec(select(Person).where(Person.slack_user_id == user)).first()
    if person is None:
        person = Person(team_id=TEAM, slack_user_id=user, created_at=NOW)
        s.add(person)
        s.flush()
    s.add(Membership(review_id=review_id, person_id=person.id, role=role, agency_id=agency_id, status=status,
                     added_by=COORD, added_at=NOW))
    s.flush()


def make_review(s, reference="DHR-2026-01", stage="evidence", channel_id="C0REVIEW1") -> Review:
    review = Review(team_id=TEAM, reference=reference, stage=stage, notified_on=date(2026, 9, 1),
                    notifying_agency="Police", victim_pseudonym="Adult A", perpetrator_pseudonym="Adult B",
                    victim_age=40, relationship="former_partner", created_by=COORD, created_at=NOW, updated_at=NOW,
                    setup_state="complete", channel_id=channel_id)
    s.add(review)
    s.flush()
    return review


def agency(s, name: str) -> int:
    row = s.exec(select(Agency).where(Agency.name == name)).first()
    if row is None:
        row = Agency(team_id=TEAM, name=name, created_by=COORD, created_at=NOW)
        s.add(row)
        s.flush()
    return row.id


@pytest.fixture
def world(empty_db):
    """One review with a coordinator, a chair, leads for police and health, a police panel member,
    an observer; and an outsider on no review."""
    with empty_db.session() as s:
        review = make_review(s)
        police, health, probation = agency(s, "Northshire Police"), agency(s, "Northshire NHS Trust"), \
            agency(s, "Northshire Probation")
        add_member(s, review.id, COORD, "coordinator")
        add_member(s, review.id, CHAIR, "chair")
        add_member(s, review.id, POLICE_LEAD, "agency_lead", police)
        add_member(s, review.id, HEALTH_LEAD, "agency_lead", health)
        add_member(s, review.id, POLICE_PANEL, "panel_member", police)
        add_member(s, review.id, OBSERVER, "observer")
        return {"review_id": review.id, "police": police, "health": health, "probation": probation}
