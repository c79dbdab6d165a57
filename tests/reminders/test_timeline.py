"""Holds and agreed timescales: who may, what is refused, what is audited, and how the card and the
reminders follow. SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.workflow.clock import holds, timeline
from bot.workflow.core.errors import PermissionDenied, ValidationFailed, WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.intake import opening
from bot.workflow.views import summary_card
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Review
from storage.timeline import ActivityHold, DeadlineExtension
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


def hold(db, review_id, user=COORD, on=D(2026, 10, 20), **raw):
    raw = {"activity": "witness_interviews", "agreed_by": "SIO, Northshire Police", "agreed_on": "2026-10-19",
           "until_event": "the end of the criminal trial", "reason": "Witnesses give evidence at the trial first",
           **raw}
    return do(db, review_id, holds.hold, actor(user), raw, now=at(on, 10), today=on)


def lift(db, review_id, hold_id, user=COORD, on=D(2026, 11, 2)):
    return do(db, review_id, holds.lift, actor(user), hold_id, now=at(on, 10), today=on)


def extend(db, review_id, user=COORD, on=D(2026, 10, 20), **raw):
    raw = {"deadline": "decision", "new_due": "2026-12-04", "reason": "Partners need the police summary",
           "agreed_by": "CSP chair", "agreed_on": "2026-10-19", **raw}
    return do(db, review_id, timeline.extend, actor(user), raw, now=at(on, 10), today=on)


def card(db, review_id, today):
    return do(db, review_id, summary_card.summary_card, today, ENG)


def audit_actions(db, review_id):
    with db.session() as s:
        return [a.action for a in s.exec(select(AuditEntry).where(AuditEntry.review_id == review_id)
                                         .order_by(AuditEntry.id))]


def test_a_hold_moves_no_deadline_and_names_itself_on_the_card(db, review_id):
    row = hold(db, review_id, on=D(2026, 10, 20))
    held = card(db, review_id, D(2026, 10, 21))
    assert held.holds == ["Interviews with witnesses: held, agreed by SIO, Northshire Police on Mon 19 Oct 2026, "
                          "until the end of the criminal trial: Witnesses give evidence at the trial first"]
    assert held.deadlines[0].due == "Mon 9 Nov 2026"
    assert "held meanwhile: interviews with witnesses" in held.deadlines[0].note
    lifted = lift(db, review_id, row.id, user=CHAIR, on=D(2026, 11, 2))
    assert lifted.activity == "witness_interviews"
    after = card(db, review_id, D(2026, 11, 2))
    assert after.holds == [] and after.deadlines[0].due == "Mon 9 Nov 2026"
    assert audit_actions(db, review_id)[-2:] == ["hold.recorded", "hold.lifted"]
    with db.session() as s:
        (stored,) = s.exec(select(ActivityHold)).all()
        assert stored.lifted_on == D(2026, 11, 2) and stored.lifted_by == CHAIR
        assert stored.reason.startswith("Witnesses")


def test_milestone_reminders_go_on_during_a_hold(db, fake, review_id):
    sweep = sweeper(db, fake)
    hold(db, review_id, on=D(2026, 10, 20))
    for d in (D(2026, 10, 26), D(2026, 11, 2), D(2026, 11, 6), D(2026, 11, 9)):
        sweep.run(at(d))
    with db.session() as s:
        rows = s.exec(select(ReminderLedger).where(ReminderLedger.recipient == COORD, ReminderLedger.item_kind ==
                                                   "milestone").order_by(ReminderLedger.id)).all()
    assert [(r.due_on, r.point) for r in rows] == [
        (D(2026, 11, 9), "b10"), (D(2026, 11, 9), "b5"), (D(2026, 11, 9), "b1"), (D(2026, 11, 9), "d0")]


def test_a_hold_whose_date_has_come_reminds_the_coordinator_once(db, fake, review_id):
    sweep = sweeper(db, fake)
    hold(db, review_id, on=D(2026, 10, 20), until_event="", until_on="2026-11-02")
    for d in (D(2026, 10, 30), D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 16)):
        sweep.run(at(d))
    with db.session() as s:
        rows = s.exec(select(ReminderLedger).where(ReminderLedger.recipient == COORD, ReminderLedger.item_kind ==
                                                   "hold")).all()
    assert [(r.due_on, r.point, r.status) for r in rows] == [(D(2026, 11, 2), "d0", "sent")]
    assert "Hold on interviews with witnesses ends: lift it or agree it again" in rows[0].label


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
    assert "agreed by CSP chair on Mon 19 Oct 2026: Partners need the police summary" in c.deadlines[0].note
    assert "deadline.extended" in audit_actions(db, review_id)


def test_a_second_extension_the_same_day_wins(db, review_id):
    extend(db, review_id, new_due="2026-12-04")
    extend(db, review_id, new_due="2026-12-18", reason="Second thoughts")
    assert card(db, review_id, D(2026, 10, 20)).deadlines[0].due == "Fri 18 Dec 2026"


@pytest.mark.parametrize("raw, field, words", [
    ({"agreed_by": "  "}, "agreed_by", "Say who agreed the hold"),
    ({"agreed_by": "x" * 10_000}, "agreed_by", "200 characters or fewer"),
    ({"until_event": "the trial\nof Adult A"}, "until_event", "control character"),
    ({"agreed_on": "31/02/2027"}, "agreed_on", "pick it from the calendar"),
    ({"agreed_on": ""}, "agreed_on", "Choose the date the hold was agreed"),
    ({"agreed_on": "2026-10-21"}, "agreed_on", "in the future"),
    ({"until_event": ""}, "until_on", "until when"),
    ({"until_on": "2026-12-01"}, "until_event", "not both"),
    ({"until_event": "", "until_on": "2026-10-18"}, "until_on", "can't end before"),
    ({"reason": "   "}, "reason", "Say what the parallel process needs"),
    ({"reason": "x" * 501}, "reason", "500 characters"),
    ({"activity": "holiday"}, "activity", "Choose the activity"),
    ({"activity": "agency_evidence"}, "agency", "Choose the agency"),
])
def test_bad_holds_are_refused_by_field(db, review_id, raw, field, words):
    with pytest.raises(ValidationFailed) as err:
        hold(db, review_id, **raw)
    assert words in err.value.field_errors[field]
    with db.session() as s:
        assert s.exec(select(ActivityHold)).all() == []


@pytest.mark.parametrize("raw, field, words", [
    ({"new_due": "2026-10-19"}, "new_due", "in the past"),
    ({"new_due": "2026-11-02"}, "new_due", "after the current due date"),
    ({"reason": ""}, "reason", "Give the reason"),
    ({"agreed_by": " "}, "agreed_by", "Say who at the CSP agreed"),
    ({"agreed_on": ""}, "agreed_on", "Give the date the CSP agreed"),
    ({"agreed_on": "2026-10-21"}, "agreed_on", "in the future"),
    ({"agreed_on": "2026-10-01"}, "agreed_on", "before the review was notified"),
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
    (POLICE, "Only the review's coordinator or chair can hold an activity or lift a hold"),
])
def test_only_the_coordinator_or_chair_may_hold(db, review_id, user, words):
    with pytest.raises(PermissionDenied, match=words):
        hold(db, review_id, user=user)
    with pytest.raises(PermissionDenied, match=words):
        do(db, review_id, holds.check_can_hold, actor(user))


def test_only_the_coordinator_or_chair_may_extend(db, review_id):
    with pytest.raises(PermissionDenied, match="record another timescale agreed by the CSP"):
        extend(db, review_id, user=POLICE)


def test_holding_the_same_activity_twice_and_lifting_what_is_not_held_are_refused(db, review_id):
    with pytest.raises(WorkflowError, match="nothing to lift"):
        lift(db, review_id, 1)
    row = hold(db, review_id)
    with pytest.raises(ValidationFailed) as err:
        hold(db, review_id, user=CHAIR)
    assert "already held" in err.value.field_errors["activity"]
    with pytest.raises(ValidationFailed) as forged:
        lift(db, review_id, row.id + 1)
    assert "isn't open" in forged.value.field_errors["hold"]
    hold(db, review_id, activity="publication")       # another activity may be held at the same time
    with db.session() as s:
        assert len(s.exec(select(ActivityHold)).all()) == 2


def test_the_decision_deadline_used_by_decide_follows_an_agreed_timescale_only(db, review_id):
    hold(db, review_id, on=D(2026, 10, 20))
    with db.session() as s:
        assert opening.decision_due(s.get(Review, review_id), D(2026, 11, 1)) == D(2026, 11, 9)
    extend(db, review_id, new_due="2026-11-19")
    with db.session() as s:
        assert opening.decision_due(s.get(Review, review_id), D(2026, 11, 1)) == D(2026, 11, 19)


def test_a_decision_is_recorded_while_an_activity_is_held(db, review_id):
    raw = {"outcome": "review", "decided_on": "2026-10-21", "agencies_consulted": "Police, NHS trust",
           "concerns": [], "parallel_processes": ["inquest"], "home_office_told_on": "2026-10-21",
           "decided_by": "U0CSPCHAIR", "records_secured_on": "2026-10-21"}
    hold(db, review_id, on=D(2026, 10, 20))
    do(db, review_id, opening.record_decision, raw, actor(COORD), at(D(2026, 10, 21), 10), D(2026, 10, 21))
    with db.session() as s:
        assert s.get(Review, review_id).stage == "setup"
