"""The evidence grid's cells (bot/workflow/evidence/evidence_items.py): allowed steps, derived "overdue", audit,
grid."""
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.workflow.core.errors import WorkflowError
from bot.workflow.evidence import evidence_items as cells
from bot.workflow.evidence.evidence_items import Kind, Status
from storage.evidence import EvidenceItem
from storage.models import AuditEntry
from tests.workflow.evidence.evidence_db import COORD, NOW, TODAY, db, empty_db, world  # noqa: F401

pytestmark = pytest.mark.db
DUE = date(2026, 12, 14)


def test_a_request_creates_a_cell_that_is_overdue_only_after_its_due_date(world, empty_db):
    r, police = world["review_id"], world["police"]
    with empty_db.session() as s:
        item = cells.request(s, r, police, Kind.CHRONOLOGY, DUE, COORD, NOW)
        assert (item.status, item.due_on, item.requested_by) == ("requested", DUE, COORD)
        assert cells.shown_status(item, DUE) == "requested"
        assert cells.shown_status(item, DUE + timedelta(days=1)) == "overdue"
        cells.move(s, r, police, Kind.CHRONOLOGY, Status.SUBMITTED, COORD, NOW)
        assert cells.shown_status(item, DUE + timedelta(days=30)) == "submitted"   # in: no longer late
    with empty_db.session() as s:
        actions = s.exec(select(AuditEntry.action).where(AuditEntry.review_id == r).order_by(AuditEntry.id)).all()
    assert actions == ["evidence.requested", "evidence.submitted"]


def test_returned_items_are_open_and_can_be_overdue(world, empty_db):
    r, police = world["review_id"], world["police"]
    with empty_db.session() as s:
        cells.request(s, r, police, Kind.IMR, DUE, COORD, NOW)
        cells.move(s, r, police, Kind.IMR, Status.SUBMITTED, COORD, NOW)
        item = cells.move(s, r, police, Kind.IMR, Status.RETURNED, COORD, NOW)
        assert cells.shown_status(item, DUE + timedelta(days=1)) == "overdue"
        cells.move(s, r, police, Kind.IMR, Status.SUBMITTED, COORD, NOW)
        assert cells.move(s, r, police, Kind.IMR, Status.ACCEPTED, COORD, NOW).status == "accepted"


@pytest.mark.parametrize("start, to", [
    (Status.REQUESTED, Status.ACCEPTED), (Status.REQUESTED, Status.RETURNED),
    (Status.NOT_REQUIRED, Status.SUBMITTED), (Status.ACCEPTED, Status.NOT_REQUIRED),
])
def test_steps_the_table_does_not_allow_are_refused_with_a_plain_message(world, empty_db, start, to):
    r, police = world["review_id"], world["police"]
    with empty_db.session() as s:
        cells.request(s, r, police, Kind.SCOPING, DUE, COORD, NOW)
        path = {Status.REQUESTED: [], Status.NOT_REQUIRED: [Status.NOT_REQUIRED],
                Status.ACCEPTED: [Status.SUBMITTED, Status.ACCEPTED]}[start]
        for step in path:
            cells.move(s, r, police, Kind.SCOPING, step, COORD, NOW)
        with pytest.raises(WorkflowError, match=f"so it can't be marked {cells.LABELS[to.value].lower()}"):
            cells.move(s, r, police, Kind.SCOPING, to, COORD, NOW)


def test_an_accepted_or_not_required_item_can_be_asked_for_again_with_a_new_due_date(world, empty_db):
    r, police = world["review_id"], world["police"]
    with empty_db.session() as s:
        cells.request(s, r, police, Kind.SHORT_REPORT, DUE, COORD, NOW)
        cells.move(s, r, police, Kind.SHORT_REPORT, Status.NOT_REQUIRED, COORD, NOW)
        again = cells.request(s, r, police, Kind.SHORT_REPORT, DUE + timedelta(days=7), COORD, NOW)
        assert (again.status, again.due_on) == ("requested", DUE + timedelta(days=7))
        assert s.exec(select(EvidenceItem).where(EvidenceItem.review_id == r)).all() == [again]   # one cell


def test_a_submitted_item_cannot_be_requested_again_until_reviewed(world, empty_db):
    r, police = world["review_id"], world["police"]
    with empty_db.session() as s:
        cells.request(s, r, police, Kind.IMR, DUE, COORD, NOW)
        cells.move(s, r, police, Kind.IMR, Status.SUBMITTED, COORD, NOW)
        with pytest.raises(WorkflowError):
            cells.request(s, r, police, Kind.IMR, DUE, COORD, NOW)


def test_an_unrequested_submission_creates_its_cell_but_acceptance_needs_something_to_accept(world, empty_db):
    r, health = world["review_id"], world["health"]
    with empty_db.session() as s:
        assert cells.move(s, r, health, Kind.CHRONOLOGY, Status.SUBMITTED, COORD, NOW).due_on is None
        with pytest.raises(WorkflowError, match="Nothing has been requested"):
            cells.move(s, r, health, Kind.IMR, Status.ACCEPTED, COORD, NOW)


def test_the_grid_lists_agencies_by_name_with_every_item_and_blanks_for_items_not_asked(world, empty_db):
    r = world["review_id"]
    with empty_db.session() as s:
        cells.request(s, r, world["police"], Kind.SCOPING, TODAY - timedelta(days=1), COORD, NOW)
        cells.request(s, r, world["health"], Kind.IMR, DUE, COORD, NOW)
        cells.move(s, r, world["health"], Kind.IMR, Status.NOT_REQUIRED, COORD, NOW)
        rows = cells.grid(s, r, TODAY)
    assert [row.agency for row in rows] == ["Northshire NHS Trust", "Northshire Police"]
    assert rows[0].cells == {"scoping": "", "chronology": "", "imr": "not_required", "short_report": ""}
    assert rows[1].cells["scoping"] == "overdue"
