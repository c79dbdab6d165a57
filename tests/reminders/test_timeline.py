"""Pause, resume and extend: who may, what is refused, what is audited, and how the card and the
reminders follow. SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.workflow.clock import timeline
from bot.workflow.core.errors import PermissionDenied, ValidationFailed, WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.intake import opening
from bot.workflow.views import summary_card
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Review
from storage.timeline import DeadlineExtension, ReviewPause
from tests.reminders.conftest import CHAIR, COORD, ENG, OTHER, POLICE, TEAM, add_member, at, make_review, sweeper

pytestmark = pytest.mark.db
D = date
NOW = datetime(2026, 10, 20, 10, tzinfo=timezone.utc)


def actor(user):
    return Actor(TEAM, user)


@pytest.fixture
def review_id(db):
    """Decision due Mon 9 Nov 2026; chair appointed; a panel member from the police."""
    rid = make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19), chair=CHAIR)
    with db.session() as s:
        add_member(s, rid, POLICE, "panel_member", NOW)
    return rid


def do(db, review_id, fn, *args, **kw):
    with db.session() as s:
        review = s.get(Review, review_id)
        return fn(s, review, *args, **kw)


def pause(db, review_id, user=COORD, on=D(2026, 10, 20), **raw):
    raw = {"kind": "inquest", "reason": "Inquest opened and adjourned", **raw}
    return do(db, review_id, timeline.pause, actor(user), raw, now=at(on, 10), today=on)


def resume(db, review_id, user=COORD, on=D(2026, 11, 2)):
    return do(db, review_id, timeline.resume, actor(user), now=at(on, 10), today=on)


def extend(db, review_id, user=COORD, on=D(2026, 10, 20), **raw):
    raw = {"deadline": "decision", "new_due": "2026-12-04", "reason": "Partners need the police summary",
           "agreed_by": "CSP chair", **raw}
    return do(db, review_id, timeline.extend, actor(user), raw, now=at(on, 10), today=on)


def card(db, review_id, today):
    return do(db, review_id, summary_card.summary_card, today, ENG)


def audit_actions(db, review_id):
    with db.session() as s:
        return [a.action for a in s.exec(select(AuditEntry).where(AuditEntry.review_id == review_id)
                                         .order_by(AuditEntry.id))]


def test_pause_then_resume_moves_the_deadline_by_the_days_paused(db, review_id):
    pause(db, review_id, on=D(2026, 10, 20))
    paused_card = card(db, review_id, D(2026, 10, 21))
    assert "Paused since Tue 20 Oct 2026 (Inquest): Inquest opened and adjourned" in paused_card.awaiting.words()
    assert "on hold while the review is paused" in paused_card.deadlines[0].note
    done = resume(db, review_id, user=CHAIR, on=D(2026, 11, 2))       # 13 days
    assert done.paused_days == 13
    assert [(d.key, d.due) for d in done.deadlines] == [("decision", D(2026, 11, 22))]
    after = card(db, review_id, D(2026, 11, 2))
    assert after.awaiting is None
    assert after.deadlines[0].due == "Sun 22 Nov 2026"
    assert "moved 13 days by pauses" in after.deadlines[0].note and "Sunday" in after.deadlines[0].note
    assert audit_actions(db, review_id)[-2:] == ["review.paused", "review.resumed"]
    with db.session() as s:
        (row,) = s.exec(select(ReviewPause)).all()
        assert row.ended_on == D(2026, 11, 2) and row.ended_by == CHAIR and row.reason.startswith("Inquest")


def test_a_paused_review_sends_no_milestone_reminders_and_resuming_moves_them(db, fake, review_id):
    sweep = sweeper(db, fake)
    sweep.run(at(D(2026, 10, 26)))                  # 10 working days before Mon 9 Nov
    assert len(fake.dm_messages(COORD)) == 1
    pause(db, review_id, on=D(2026, 10, 27))
    for d in (D(2026, 11, 2), D(2026, 11, 6), D(2026, 11, 9), D(2026, 11, 16)):
        sweep.run(at(d))
    assert len(fake.dm_messages(COORD)) == 1        # nothing while paused, not even "on the day"
    resume(db, review_id, on=D(2026, 11, 17))       # 21 days: due Mon 30 Nov
    day = D(2026, 11, 17)
    while day <= D(2026, 11, 30):
        sweep.run(at(day))
        day += timedelta(days=1)
    with db.session() as s:
        rows = s.exec(select(ReminderLedger).where(ReminderLedger.recipient == COORD)
                      .order_by(ReminderLedger.id)).all()
    # The old due date's later points never went; the new date's points went from the resume day on
    # (its "10 before" fell on Mon 16 Nov, the day before the review resumed).
    assert [(r.due_on, r.point) for r in rows] == [
        (D(2026, 11, 9), "b10"), (D(2026, 11, 30), "b5"), (D(2026, 11, 30), "b1"), (D(2026, 11, 30), "d0")]


def test_extension_moves_the_reminders_to_the_new_date(db, fake, review_id):
    sweep = sweeper(db, fake)
    sweep.run(at(D(2026, 10, 26)))
    row, moved = extend(db, review_id, on=D(2026, 10, 27), new_due="2026-12-04")
    assert row.previous_due == D(2026, 11, 9) and moved.due == D(2026, 12, 4) and moved.extended_to
    day = D(2026, 10, 27)
    while day <= D(2026, 12, 4):
        sweep.run(at(day))
        day += timedelta(days=1)
    with db.session() as s:
        rows = s.exec(select(ReminderLedger).where(ReminderLedger.recipient == COORD)
                      .order_by(ReminderLedger.id)).all()
    assert [(r.due_on, r.point) for r in rows] == [
        (D(2026, 11, 9), "b10"), (D(2026, 12, 4), "b10"), (D(2026, 12, 4), "b5"), (D(2026, 12, 4), "b1"),
        (D(2026, 12, 4), "d0")]
    c = card(db, review_id, D(2026, 10, 27))
    assert c.deadlines[0].due == "Fri 4 Dec 2026"
    assert "agreed by CSP chair: Partners need the police summary" in c.deadlines[0].note
    assert "deadline.extended" in audit_actions(db, review_id)


def test_a_second_extension_the_same_day_wins(db, review_id):
    extend(db, review_id, new_due="2026-12-04")
    extend(db, review_id, new_due="2026-12-18", reason="Second thoughts")
    assert card(db, review_id, D(2026, 10, 20)).deadlines[0].due == "Fri 18 Dec 2026"


@pytest.mark.parametrize("raw, field, words", [
    ({"reason": "   "}, "reason", "Say why"),
    ({"reason": "x" * 501}, "reason", "500 characters"),
    ({"kind": "holiday"}, "kind", "Choose what the review is waiting for"),
])
def test_bad_pauses_are_refused_by_field(db, review_id, raw, field, words):
    with pytest.raises(ValidationFailed) as err:
        pause(db, review_id, **raw)
    assert words in err.value.field_errors[field]
    with db.session() as s:
        assert s.exec(select(ReviewPause)).all() == []


@pytest.mark.parametrize("raw, field, words", [
    ({"new_due": "2026-10-19"}, "new_due", "in the past"),
    ({"new_due": "2026-11-02"}, "new_due", "after the current due date"),
    ({"reason": ""}, "reason", "Give the reason"),
    ({"agreed_by": " "}, "agreed_by", "Say who at the CSP agreed"),
    ({"deadline": "overview_report"}, "deadline", "open deadlines"),
    ({"new_due": "not a date"}, "new_due", "pick it from the calendar"),
])
def test_bad_extensions_are_refused_by_field(db, review_id, raw, field, words):
    with pytest.raises(ValidationFailed) as err:
        extend(db, review_id, **raw)
    assert words in err.value.field_errors[field]
    with db.session() as s:
        assert s.exec(select(DeadlineExtension)).all() == []


@pytest.mark.parametrize("user, words", [
    (OTHER, "not a member of this review"),
    (POLICE, "Only the review's coordinator or chair can pause or resume the review"),
])
def test_only_the_coordinator_or_chair_may_pause(db, review_id, user, words):
    with pytest.raises(PermissionDenied, match=words):
        pause(db, review_id, user=user)
    with pytest.raises(PermissionDenied, match=words):
        do(db, review_id, timeline.check_can_pause, actor(user))


def test_only_the_coordinator_or_chair_may_extend(db, review_id):
    with pytest.raises(PermissionDenied, match="extend a deadline"):
        extend(db, review_id, user=POLICE)


def test_pausing_twice_and_resuming_an_unpaused_review_are_refused(db, review_id):
    with pytest.raises(WorkflowError, match="isn't paused"):
        resume(db, review_id)
    pause(db, review_id)
    with pytest.raises(WorkflowError, match="already paused"):
        do(db, review_id, timeline.check_can_pause, actor(CHAIR))
    with pytest.raises(WorkflowError, match="already paused"):
        pause(db, review_id, user=CHAIR)


def test_the_decision_deadline_used_by_decide_follows_pauses(db, review_id):
    pause(db, review_id, on=D(2026, 10, 20))
    resume(db, review_id, on=D(2026, 10, 30))
    with db.session() as s:
        assert opening.decision_due(s.get(Review, review_id), D(2026, 11, 1)) == D(2026, 11, 19)


def test_a_decision_cannot_be_recorded_while_paused_and_can_once_resumed(db, review_id):
    raw = {"outcome": "review", "decided_on": "2026-10-21", "agencies_consulted": "Police, NHS trust",
           "concerns": [], "parallel_processes": ["inquest"], "home_office_told_on": "2026-10-21",
           "decided_by": "U0CSPCHAIR", "records_secured_on": "2026-10-21"}
    pause(db, review_id, on=D(2026, 10, 20))
    with pytest.raises(WorkflowError, match="paused"):
        do(db, review_id, opening.record_decision, raw, actor(COORD), at(D(2026, 10, 21), 10), D(2026, 10, 21))
    with db.session() as s:
        assert s.get(Review, review_id).stage == "notified"
    resume(db, review_id, on=D(2026, 10, 22))
    do(db, review_id, opening.record_decision, raw, actor(COORD), at(D(2026, 10, 22), 10), D(2026, 10, 22))
    with db.session() as s:
        assert s.get(Review, review_id).stage == "setup"
