"""The action plan's rules: SMART checks, RAG, completion once, verification rights, the due source;
and the report steps' facts. Unit tests on SQLite and PostgreSQL, no Slack."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete
from sqlmodel import SQLModel, select

from bot.workflow.clock.due import DueWindow
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.errors import PermissionDenied, TransitionRefused, ValidationFailed, WorkflowError
from bot.workflow.core.kernel import Actor, person_for
from bot.workflow.core.text import words
from bot.workflow.reminders.sources import sources
from bot.workflow.report import action_plan as plan
from bot.workflow.report import conclusion, report
from storage import migrate
from storage.crypto import configure_keys
from storage.db import Database
from storage.ledger import ReminderLedger
from storage.models import Membership, Review
from storage.panel import Agency
from storage.report import ActionUpdate, PlanAction

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)   # a Monday
TODAY = NOW.date()
ENG = WorkingCalendar("ENG")
TEAM, COORD, CHAIR, POLICE, HEALTH, OUT = "T1", "U0COORD", "U0CHAIR", "U0POLICE", "U0HEALTH", "U0OUT"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def db(database_url):
    configure_keys(["oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="])
    migrate.upgrade(database_url)
    database = Database(database_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def review(db):
    with db.session() as s:
        for table in reversed(SQLModel.metadata.sorted_tables):
            s.execute(delete(table))
    with db.session() as s:
        police = Agency(tenant_id=TEAM, name="Police", created_by=COORD, created_at=NOW)
        health = Agency(tenant_id=TEAM, name="Health", created_by=COORD, created_at=NOW)
        r = Review(tenant_id=TEAM, reference="DHR-2026-01", stage="monitoring", notified_on=date(2026, 1, 5),
                   notifying_agency="Police", victim_pseudonym="Adult A", victim_age=40, relationship="partner",
                   created_by=COORD, created_at=NOW, updated_at=NOW, space_id="C1")
        s.add_all([police, health, r])
        s.flush()
        for user, role, agency in ((COORD, "coordinator", None), (CHAIR, "chair", None),
                                   (POLICE, "agency_lead", police.id), (HEALTH, "agency_lead", health.id)):
            person = person_for(s, TEAM, user, NOW)
            s.add(Membership(review_id=r.id, person_id=person.id, role=role, agency_id=agency, added_by=COORD,
                             added_at=NOW))
        return r.id, police.id, health.id


def actor(user):
    return Actor(TEAM, user)


def add_action(db, review, owner=POLICE, agency_index=1, target=None):
    review_id, police, health = review
    with db.session() as s:
        r = s.get(Review, review_id)
        rec = plan.recommendations(s, review_id) or [plan.add_recommendation(
            s, r, actor(COORD), {"text": "Share risk assessments", "scope": "local", "source": "overview"},
            now=NOW, today=TODAY)]
        row = plan.add_action(s, r, actor(COORD), {
            "recommendation": str(rec[0].id), "action": "Deliver DASH refresher training to all officers",
            "lead_agency": str(review[agency_index]), "owner": owner,
            "outcome_measure": "95% trained, training records",
            "target_on": (target or TODAY + timedelta(days=60)).isoformat()}, now=NOW, today=TODAY)
        return row.id


SMART = dict(recommendation_ids={"1"}, agency_ids={"7"}, members={POLICE}, today=TODAY)
GOOD = {"recommendation": "1", "action": "Deliver DASH refresher training to all officers", "lead_agency": "7",
        "owner": POLICE, "outcome_measure": "95% trained, training records",
        "target_on": (TODAY + timedelta(days=30)).isoformat()}


@pytest.mark.parametrize("field,value,letter", [
    ("action", "", "S"), ("action", "Improve training", "S"),
    ("action", "Consider whether to train all the staff", "S"),
    ("outcome_measure", "done", "M"), ("owner", None, "R"), ("owner", OUT, "R"), ("lead_agency", "99", "A"),
    ("recommendation", None, "Link"), ("target_on", None, "T"), ("target_on", TODAY.isoformat(), "T"),
    ("target_on", (TODAY + timedelta(days=365 * 6)).isoformat(), "T"),
])
def test_each_smart_letter_is_named(field, value, letter):
    errors = plan.smart_errors({**GOOD, field: value}, **SMART)
    assert set(errors) == {field} and words(errors[field]).startswith(letter + " ")


def test_a_smart_action_passes():
    assert plan.smart_errors(GOOD, **SMART) == {}


def _row(target, last=None, status="open", created=TODAY - timedelta(days=60)):
    return PlanAction(target_on=target, last_update_on=last, status=status,
                      created_at=datetime.combine(created, datetime.min.time(), tzinfo=timezone.utc))


def test_rag_is_derived_from_target_and_updates():
    soon = ENG.add_working_days(TODAY, 5)
    assert plan.rag(_row(TODAY - timedelta(days=1)), TODAY, ENG) == "red"
    assert plan.rag(_row(soon), TODAY, ENG) == "amber"                        # no update for 60 days
    assert plan.rag(_row(soon, last=TODAY - timedelta(days=7)), TODAY, ENG) == "green"
    assert plan.rag(_row(ENG.add_working_days(TODAY, 11)), TODAY, ENG) == "green"   # not within 10 yet
    assert plan.rag(_row(TODAY - timedelta(days=1), status="completed"), TODAY, ENG) == "complete"


@pytest.mark.db
def test_complete_once_and_verify_rights(db, review):
    action_id = add_action(db, review)
    with db.session() as s:
        with pytest.raises(PermissionDenied, match="own agency"):
            plan.complete(s, action_id, actor(HEALTH), {"evidence": "x", "completed_on": TODAY.isoformat()},
                          now=NOW, today=TODAY)
    with db.session() as s:
        with pytest.raises(ValidationFailed) as err:
            plan.complete(s, action_id, actor(POLICE), {"evidence": " ", "completed_on": TODAY.isoformat()},
                          now=NOW, today=TODAY)
        assert "evidence" in err.value.field_errors
    done = {"evidence": "Training records", "completed_on": TODAY.isoformat()}
    with db.session() as s:
        plan.complete(s, action_id, actor(POLICE), done, now=NOW, today=TODAY)
    with db.session() as s:
        with pytest.raises(WorkflowError, match="already marked complete"):
            plan.complete(s, action_id, actor(POLICE), done, now=NOW, today=TODAY)
    with db.session() as s:
        with pytest.raises(PermissionDenied, match="coordinator or chair"):
            plan.verify(s, action_id, actor(POLICE), accept=True, reason=None, now=NOW)
        with pytest.raises(ValidationFailed):
            plan.verify(s, action_id, actor(COORD), accept=False, reason="", now=NOW)
    with db.session() as s:
        assert plan.verify(s, action_id, actor(CHAIR), accept=True, reason=None, now=NOW).status == "verified"
    with db.session() as s:
        kinds = list(s.exec(select(ActionUpdate.kind).where(ActionUpdate.action_id == action_id)
                            .order_by(ActionUpdate.id)))
    assert kinds == ["completed", "verified"]


@pytest.mark.db
def test_open_actions_are_a_due_source_until_completed(db, review):
    action_id = add_action(db, review, target=TODAY + timedelta(days=3))
    window = DueWindow(today=TODAY, due_until=TODAY + timedelta(days=20), tz=LONDON)
    with db.session() as s:
        items = list(sources()["action"](s, window))
    assert [(i.key, i.owners, i.label, i.reference) for i in items] == [
        (f"action-{action_id}", (POLICE,), "Action 1.1 of the action plan", "DHR-2026-01")]
    assert set(items[0].escalate_to) == {COORD, CHAIR}
    with db.session() as s:
        plan.complete(s, action_id, actor(POLICE), {"evidence": "done", "completed_on": TODAY.isoformat()},
                      now=NOW, today=TODAY)
    with db.session() as s:
        assert list(sources()["action"](s, window)) == []


@pytest.mark.db
def test_conclude_names_what_is_missing_then_stops_reminders(db, review):
    review_id = review[0]
    action_id = add_action(db, review)
    with db.session() as s:
        with pytest.raises(TransitionRefused) as err:
            conclusion.conclude(s, s.get(Review, review_id), actor(COORD), now=NOW, today=TODAY, retention_years=6)
    assert "1 open action" in err.value.message and "action plan audit" in err.value.message
    with db.session() as s:
        plan.complete(s, action_id, actor(POLICE), {"evidence": "done", "completed_on": TODAY.isoformat()},
                      now=NOW, today=TODAY)
        plan.verify(s, action_id, actor(COORD), accept=True, reason=None, now=NOW)
        report.record_step(s, s.get(Review, review_id), actor(COORD), "plan_audit",
                           {"audited_on": TODAY.isoformat(), "findings": "All evidenced"}, now=NOW, today=TODAY)
        s.add(ReminderLedger(idempotency_key="k1", review_id=review_id, item_kind="action", item_key="a",
                             recipient=POLICE, recipient_kind="user", due_on=TODAY, point="d0", point_on=TODAY,
                             send_on=TODAY, reference="DHR-2026-01", label="x", next_attempt_at=NOW, created_at=NOW))
    with db.session() as s:
        with pytest.raises(PermissionDenied):
            conclusion.conclude(s, s.get(Review, review_id), actor(POLICE), now=NOW, today=TODAY, retention_years=6)
    with db.session() as s:
        closure = conclusion.conclude(s, s.get(Review, review_id), actor(COORD), now=NOW, today=TODAY,
                                      retention_years=6)
        assert closure.retain_until == date(2032, 11, 2)
    with db.session() as s:
        assert s.get(Review, review_id).stage == "concluded"
        assert list(s.exec(select(ReminderLedger.status))) == ["failed"]


def test_closed_channel_names_stay_within_slack_limits():
    names = list(conclusion.closed_names("d" * 80))
    assert all(len(n) <= 80 for n in names) and names[0].endswith("-closed") and names[1].endswith("-closed-2")


@pytest.mark.db
def test_a_completion_awaiting_verification_is_due_to_the_coordinator_and_chair_five_working_days_on(db, review):
    action_id = add_action(db, review, target=TODAY + timedelta(days=30))
    with db.session() as s:   # back-dated completion: the clock starts when it was marked complete
        plan.complete(s, action_id, actor(POLICE), {"evidence": "Adult A's records reviewed",
                                                    "completed_on": "2026-10-01"}, now=NOW, today=TODAY)
    before = DueWindow(today=TODAY, due_until=date(2026, 11, 6), tz=LONDON, calendar=ENG)
    window = DueWindow(today=TODAY, due_until=date(2026, 11, 9), tz=LONDON, calendar=ENG)
    with db.session() as s:
        assert list(sources()["verification"](s, before)) == []
        (item,) = list(sources()["verification"](s, window))
        assert list(sources()["action"](s, window)) == []
    assert (item.kind, item.key, item.label, item.due, item.since) == (
        "verification", f"verify-{action_id}", "Verify action 1.1", date(2026, 11, 9), TODAY)
    assert set(item.owners) == {COORD, CHAIR} and POLICE not in item.owners
    assert "Adult" not in item.label and "DASH" not in item.label
    with db.session() as s:     # sent back: an open action again, nothing to verify
        plan.verify(s, action_id, actor(CHAIR), accept=False, reason="No training records attached", now=NOW)
    with db.session() as s:
        assert list(sources()["verification"](s, window)) == []
        assert [i.key for i in sources()["action"](s, DueWindow(today=TODAY, due_until=TODAY + timedelta(days=40),
                                                                 tz=LONDON))] == [f"action-{action_id}"]


@pytest.mark.db
def test_verification_falls_due_in_working_days_over_christmas_and_stops_once_verified(db, review):
    action_id = add_action(db, review, target=date(2027, 1, 29))
    christmas_eve = datetime(2026, 12, 24, 11, 0, tzinfo=timezone.utc)
    with db.session() as s:
        plan.complete(s, action_id, actor(POLICE), {"evidence": "done", "completed_on": "2026-12-24"},
                      now=christmas_eve, today=christmas_eve.date())
    window = DueWindow(today=date(2026, 12, 29), due_until=date(2027, 1, 8), tz=LONDON, calendar=ENG)
    with db.session() as s:
        (item,) = list(sources()["verification"](s, window))
        # Christmas Day, the weekend, Boxing Day's substitute day and New Year's Day are not counted
        assert item.due == date(2027, 1, 5)
        assert list(sources()["verification"](s, DueWindow(today=date(2026, 12, 29), due_until=date(2027, 1, 4),
                                                            tz=LONDON, calendar=ENG))) == []
        plan.verify(s, action_id, actor(COORD), accept=True, reason=None, now=NOW)
    with db.session() as s:
        assert list(sources()["verification"](s, window)) == []
