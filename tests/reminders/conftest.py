"""Reminder and timeline service tests: a fresh database per backend, a fake Slack per test, a
controlled clock (every sweep is given its `now`)."""
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete
from sqlmodel import SQLModel

from bot.slackfake import FakeSlack
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.reminders.reminders import ReminderSchedule, WorkdayIndex
from bot.workflow.reminders.sweep import ReminderSweep
from handlers.slack.platform.app import web_client
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.pacing import Pacer
from handlers.slack.platform.port import SlackPort
from storage import migrate
from storage.crypto import configure_keys
from storage.db import Database
from storage.models import Decision, Membership, Person, Review

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-1000-2000-remindertoken"
TEAM = "T0DHR0001"
FIELD_KEY = "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="
LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("ENG")
IDX = WorkdayIndex(ENG, date(2026, 11, 1))
COORD, CHAIR, POLICE, OTHER = "U0COORD01", "U0CHAIR01", "U0POLICE1", "U0OTHER01"


@pytest.fixture(scope="session", autouse=True)
def field_keys():
    configure_keys([FIELD_KEY])


@pytest.fixture(scope="module")
def db(database_url):
    migrate.upgrade(database_url)
    database = Database(database_url)
    yield database
    database.engine.dispose()


@pytest.fixture(autouse=True)
def empty(request):
    """Every test starts from empty tables (the database is per module and backend)."""
    if "db" not in request.fixturenames:
        yield
        return
    database = request.getfixturevalue("db")
    with database.session() as s:
        for table in reversed(SQLModel.metadata.sorted_tables):
            s.execute(delete(table))
    yield


@pytest.fixture
def fake():
    f = FakeSlack(bot_token=TOKEN, team_id=TEAM, manifest_path=str(ROOT / "manifest.yml"))
    for user in (COORD, CHAIR, POLICE, OTHER):
        f.add_user(user, user.lower())
    f.start()
    yield f
    f.stop()


def chat_for(fake, pacer=None) -> SlackPort:
    return SlackPort(SlackChat(web_client(TOKEN, fake.base_url)), pacer or Pacer({}))


def sweeper(db, fake, chat=None, **kw) -> ReminderSweep:
    return ReminderSweep(db, chat or chat_for(fake), tz=LONDON, calendar=ENG, idx=IDX,
                         schedule=kw.pop("schedule", ReminderSchedule()), **kw)


def at(d: date, hh: int = 9, mm: int = 5) -> datetime:
    """A local (Europe/London) time on day d, as the aware instant a sweep is given."""
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=LONDON).astimezone(timezone.utc)


def make_review(db, reference: str, *, notified_on: date, created_on: date, stage: str = "notified",
                coordinator: str = COORD, chair: str | None = None, decided_on: date | None = None,
                space_id: str | None = None, preset: str = "2016") -> int:
    created = at(created_on, 10, 0)
    with db.session() as s:
        review = Review(tenant_id=TEAM, reference=reference, stage=stage, preset=preset, notified_on=notified_on,
                        notifying_agency="Police", victim_pseudonym="Adult A", victim_age=40,
                        relationship="relative", created_by=coordinator, created_at=created, updated_at=created,
                        setup_state="complete" if space_id else "pending", space_id=space_id)
        s.add(review)
        s.flush()
        for user, role in ((coordinator, "coordinator"), (chair, "chair")):
            if user:
                add_member(s, review.id, user, role, created)
        if decided_on:
            s.add(Decision(review_id=review.id, outcome="review", decided_on=decided_on,
                           home_office_told_on=decided_on, recorded_by=coordinator, recorded_at=at(decided_on, 11)))
        return review.id


def add_member(s, review_id: int, user: str, role: str, when: datetime) -> None:
    from sqlmodel import select
    person = s.exec(select(Person).where(Person.user_id == user)).first()
    if person is None:
        person = Person(tenant_id=TEAM, user_id=user, created_at=when)
        s.add(person)
        s.flush()
    s.add(Membership(review_id=review_id, person_id=person.id, role=role, added_by="test", added_at=when))


def dm_texts(fake, user: str) -> list[str]:
    """Every DM the bot sent the user, as text (blocks flattened)."""
    from tests.e2e.journey import block_text
    return [m.text + "\n" + block_text(m.blocks or []) for m in fake.dm_messages(user)]
