"""The quarterly board report reminder's rows: on a quarter's first working days only, to CSP admins and the
active coordinators of live reviews, one key per person and quarter. SQLite and PostgreSQL."""
from datetime import date, datetime, timezone

from bot.workflow.core.kernel import person_for
from bot.workflow.reminders.board_reminder import BOARD, board_rows
from storage.models import Membership, Review
from tests.reminders.conftest import CHAIR, COORD, IDX, OTHER, POLICE, TEAM

NOW = datetime(2026, 10, 1, 9, 30, tzinfo=timezone.utc)


def _review(s, ref, stage, members):
    r = Review(tenant_id=TEAM, reference=ref, stage=stage, notified_on=date(2026, 1, 5), notifying_agency="Police",
               victim_pseudonym="Adult A", victim_age=40, relationship="partner", created_by=COORD,
               created_at=NOW, updated_at=NOW)
    s.add(r)
    s.flush()
    for user, role, status in members:
        person = person_for(s, TEAM, user, NOW)
        s.add(Membership(review_id=r.id, person_id=person.id, role=role, status=status, added_by=COORD, added_at=NOW))
    return r


def test_rows_go_to_admins_and_live_coordinators_on_the_quarters_first_working_days_only(db):
    with db.session() as s:
        first = _review(s, "DHR-2026-01", "evidence", [(COORD, "coordinator", "active"), (POLICE, "panel_member",
                                                                                          "active")])
        _review(s, "DHR-2026-02", "concluded", [(CHAIR, "coordinator", "active")])
        _review(s, "DHR-2026-03", "drafting", [(OTHER, "coordinator", "removed")])
        # Thu 1 Oct 2026 is 2026-Q4's first working day: the reminder is for the quarter just ended.
        rows = board_rows(s, date(2026, 10, 1), NOW, IDX, ["slack"], {"slack": ("U0ADMIN01",)})
        assert sorted(r["recipient"] for r in rows) == ["U0ADMIN01", COORD]
        assert {(r["item_kind"], r["item_key"], r["review_id"], r["label"]) for r in rows} == \
            {(BOARD, "2026-Q3", first.id, "Quarterly board report for 2026-Q3")}
        assert len({r["idempotency_key"] for r in rows}) == 2
        # Five working days later it still goes (the bot was down); the sixth, and mid-quarter, not.
        assert board_rows(s, date(2026, 10, 8), NOW, IDX, ["slack"], {"slack": ()})
        assert board_rows(s, date(2026, 10, 9), NOW, IDX, ["slack"], {"slack": ()}) == []
        assert board_rows(s, date(2026, 11, 2), NOW, IDX, ["slack"], {"slack": ()}) == []
        # A CSP on a platform not being swept gets nothing from this sweep.
        assert board_rows(s, date(2026, 10, 1), NOW, IDX, ["teams"], {"slack": ("U0ADMIN01",)}) == []
