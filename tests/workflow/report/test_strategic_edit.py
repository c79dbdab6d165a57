"""Editing a strategic action (`strategic edit N`): the creation checks again (an overdue action keeps its
target unless it is moved), settled and completed actions refused, a moved target recorded, and the
review actions linked to it following its owner and target. On SQLite and PostgreSQL, no platform."""
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.workflow.core.errors import PermissionDenied, ValidationFailed, WorkflowError
from bot.workflow.core.text import words
from bot.workflow.report import action_plan as plan
from bot.workflow.report import strategic, strategic_edit
from storage.learning import StrategicAction, StrategicUpdate
from storage.models import AuditEntry, Review
from storage.report import PlanAction
from tests.workflow.report.test_action_plan import COORD, HEALTH, NOW, POLICE, TODAY, actor, db, review  # noqa: F401

ADMINS = (COORD,)
NEVER = lambda _text: False  # noqa: E731


def _strategic(db, review, target=None):  # noqa: F811
    review_id, police, _ = review
    with db.session() as s:
        rec = plan.add_recommendation(s, s.get(Review, review_id), actor(COORD), {
            "text": "Share risk assessments", "scope": "local", "source": "overview"}, now=NOW, today=TODAY)
        row = strategic.add(s, actor(COORD), {
            "recommendations": [str(rec.id)], "action": "Commission joint DASH training for every agency",
            "lead_agency": str(police), "owner": POLICE, "outcome_measure": "90% trained, training records",
            "target_on": (TODAY + timedelta(days=60)).isoformat()}, env_admins=ADMINS, now=NOW, today=TODAY,
            withheld=NEVER)
        if target:
            row.target_on = target
        return row.id, str(rec.id), str(police)


def _edit(db, action_id, values, who=COORD, today=TODAY):
    with db.session() as s:
        row = s.get(StrategicAction, action_id)
        f = strategic.StrategicForm
        raw = {f.recommendations.key: [str(i) for i in strategic_edit.cited_ids(s, row)], f.action.key: row.action,
               f.lead_agency.key: strategic_edit.initial_agency(s, actor(who), row), f.owner.key: row.owner_user,
               f.outcome_measure.key: row.outcome_measure, f.target_on.key: row.target_on.isoformat()}
        return strategic_edit.edit(s, row, actor(who), {**raw, **values}, env_admins=ADMINS, now=NOW, today=today,
                                   withheld=NEVER)


def test_an_overdue_action_keeps_its_target_but_a_new_target_must_be_in_the_future(db, review):  # noqa: F811
    action_id, _, _ = _strategic(db, review, target=TODAY - timedelta(days=3))
    done = _edit(db, action_id, {"owner": HEALTH})
    assert done.changed == ["owner"] and done.row.target_on == TODAY - timedelta(days=3)
    with pytest.raises(ValidationFailed) as refused:
        _edit(db, action_id, {"target_on": (TODAY - timedelta(days=1)).isoformat()})
    assert words(refused.value.field_errors["target_on"]).startswith("T ")
    with pytest.raises(WorkflowError, match="Nothing changed"):
        _edit(db, action_id, {})
    with pytest.raises(PermissionDenied):
        _edit(db, action_id, {"owner": POLICE}, who=POLICE)


def test_a_moved_target_is_recorded_and_linked_review_actions_follow(db, review):  # noqa: F811
    action_id, rec_id, _ = _strategic(db, review)
    with db.session() as s:
        linked = plan.link_action(s, s.get(Review, review[0]), actor(COORD),
                                  {"recommendation": rec_id, "strategic": str(action_id)}, now=NOW)
        linked_id = linked.id
    moved = TODAY + timedelta(days=90)
    done = _edit(db, action_id, {"target_on": moved.isoformat(), "owner": HEALTH,
                                 "action": "Commission joint DASH and MARAC training for every agency"})
    assert set(done.changed) == {"target_on", "owner", "action"} and done.old_owner == POLICE
    with db.session() as s:
        (update,) = s.exec(select(StrategicUpdate).where(StrategicUpdate.strategic_action_id == action_id)).all()
        assert update.kind == strategic_edit.RETARGETED and update.by == COORD
        (entry,) = s.exec(select(AuditEntry).where(AuditEntry.action == "strategic.action_edited")).all()
        assert entry.detail["target_to"] == moved.isoformat() and entry.detail["owner_to"] == HEALTH
        row = s.get(PlanAction, linked_id)
        assert (row.target_on, row.owner_user) == (moved, HEALTH) and "MARAC training" in row.action


def test_completed_and_verified_actions_are_not_edited(db, review):  # noqa: F811
    action_id, _, _ = _strategic(db, review)
    with db.session() as s:
        s.get(StrategicAction, action_id).status = "completed"
    with pytest.raises(WorkflowError) as refused:
        _edit(db, action_id, {"owner": HEALTH})
    assert "strategic return" in words(refused.value.message)
    with db.session() as s:
        s.get(StrategicAction, action_id).status = "verified"
    with pytest.raises(WorkflowError, match="settled"):
        _edit(db, action_id, {"owner": HEALTH})
