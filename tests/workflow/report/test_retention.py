"""Retention on a real database (SQLite and PostgreSQL): the reminder's due source, who may confirm,
and that the content is gone afterwards while the audit skeleton stays. No Slack."""
import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, update
from sqlmodel import SQLModel, select

from bot.workflow.clock.due import DueWindow
from bot.workflow.core.chat_port import Capability
from bot.workflow.core.errors import NotFound, PermissionDenied, WorkflowError
from bot.workflow.core.kernel import Actor, audit, person_for
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import SpaceRef
from bot.workflow.report import retention
from storage import migrate
from storage.chronology import ChronologyEntry, ChronologyEntryVersion, ChronologyUpload, ImrVersion
from storage.crypto import configure_keys
from storage.db import Database
from storage.family import FamilyContact, PerpetratorInterview
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Decision, Membership, Review, StageChange
from storage.panel import Agency, RedactionTerm, WorkspaceAdmin
from storage.report import ActionUpdate, PlanAction, Recommendation, ReportStep, ReviewClosure
from storage.terms import ScopingAnswer, TermsOfReference
from storage.timeline import ActivityHold, DeadlineExtension
from tests.content_scan import find_canaries

NOW = datetime(2033, 1, 10, 10, 0, tzinfo=timezone.utc)   # a Monday, after the retention period
CONCLUDED = date(2026, 11, 2)
RETAIN_UNTIL = date(2032, 11, 2)
TEAM, COORD, CHAIR, POLICE, ADMIN, OUT = "T1", "U0COORD", "U0CHAIR", "U0POLICE", "U0ADMIN", "U0OUT"
CANARIES = ("Zephyrine", "Quillonby", "canary-narrative", "canary-imr-doc", "canary-family", "canary-tor",
            "canary-action", "canary-reason", "canary-findings", "canary-digest", "canary-upload")


@pytest.fixture(scope="module")
def db(database_url):
    configure_keys(["oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="])
    migrate.upgrade(database_url)
    database = Database(database_url)
    yield database
    database.engine.dispose()


def actor(user: str) -> Actor:
    return Actor(tenant_id=TEAM, user_id=user)


@pytest.fixture
def review_id(db) -> int:
    with db.session() as s:
        for table in reversed(SQLModel.metadata.sorted_tables):
            s.execute(delete(table))
    with db.session() as s:
        police = Agency(tenant_id=TEAM, name="Police", created_by=COORD, created_at=NOW)
        r = Review(tenant_id=TEAM, reference="DHR-2026-01", stage="concluded", notified_on=date(2026, 1, 5),
                   notifying_agency="Police", victim_pseudonym="Zephyrine", perpetrator_pseudonym="Quillonby",
                   victim_age=40, relationship="partner", created_by=COORD, created_at=NOW, updated_at=NOW,
                   space_id="C1", space_name="dhr-2026-01-closed", setup_state="complete")
        s.add_all([police, r])
        s.flush()
        for user, role in ((COORD, "coordinator"), (CHAIR, "chair"), (POLICE, "panel_member")):
            s.add(Membership(review_id=r.id, person_id=person_for(s, TEAM, user, NOW).id, role=role,
                             agency_id=police.id if user == POLICE else None, added_by=COORD, added_at=NOW))
        _fill_content(s, r.id, police.id)
        return r.id


def _fill_content(s, rid: int, agency: int) -> None:
    t = datetime(2026, 3, 1, tzinfo=timezone.utc)
    s.add(StageChange(review_id=rid, from_stage=None, to_stage="notified", transition="open", by=COORD, at=t))
    s.add(StageChange(review_id=rid, from_stage="monitoring", to_stage="concluded", transition="conclude", by=COORD,
                      at=datetime(2026, 11, 2, tzinfo=timezone.utc)))
    s.add(Decision(review_id=rid, outcome="review", decided_on=date(2026, 1, 20), home_office_told_on=date(2026, 1, 21),
                   delay_reason="canary-reason Zephyrine", concerns=["marac"], recorded_by=COORD, recorded_at=t))
    s.add(TermsOfReference(review_id=rid, version=1, scope_from=date(2021, 1, 1), scope_to=date(2026, 1, 1),
                           other_lines="canary-tor", pseudonyms="Zephyrine, Quillonby", saved_by=COORD, saved_at=t))
    s.add(ScopingAnswer(review_id=rid, agency_id=agency, contact_victim=True, contact_perpetrator=False,
                        contact_children=False, answered_by=POLICE, answered_at=t))
    upload = ChronologyUpload(review_id=rid, agency_id=agency, uploaded_by=POLICE, file_id="F1", sha256="0" * 64,
                              rows_json=json.dumps([{"event": "canary-upload"}]), created_at=t)
    s.add(upload)
    s.flush()
    entry = ChronologyEntry(review_id=rid, agency_id=agency, date_start=date(2025, 5, 1), date_precision="day",
                            narrative=json.dumps({"source": "GP", "event": "canary-narrative Zephyrine"}),
                            upload_id=upload.id, created_by=POLICE, created_at=t, updated_by=POLICE, updated_at=t)
    s.add(entry)
    s.flush()
    s.add(ChronologyEntryVersion(entry_id=entry.id, version=1, date_start=date(2025, 5, 1), date_precision="day",
                                 agency_id=agency, source="GP", event="canary-narrative", recorded_by=POLICE,
                                 recorded_at=t))
    s.add(ImrVersion(review_id=rid, agency_id=agency, version=1, status="accepted", sha256="1" * 64, size=10,
                     document="canary-imr-doc", uploaded_by=POLICE, uploaded_at=t, senior_manager="canary-imr-doc",
                     comments="canary-imr-doc"))
    s.add(FamilyContact(review_id=rid, number=1, relationship="mother", relationship_note="canary-family",
                        comments="canary-family Zephyrine", updated_by=COORD, updated_at=t))
    s.add(PerpetratorInterview(review_id=rid, status="declined", declined_on=date(2026, 4, 1), updated_by=COORD,
                               updated_at=t))
    s.add(ActivityHold(review_id=rid, activity="witness_interviews", agreed_by="canary-reason SIO",
                       agreed_on=date(2026, 2, 1), until_event="canary-reason trial", reason="canary-reason",
                       lifted_on=date(2026, 3, 1), started_by=COORD, started_at=t))
    s.add(DeadlineExtension(review_id=rid, deadline="overview_report", previous_due=date(2026, 7, 20),
                            new_due=date(2026, 9, 20), reason="canary-reason", agreed_by="canary-reason board",
                            agreed_on=date(2026, 3, 1), recorded_on=date(2026, 3, 1), recorded_by=COORD, recorded_at=t))
    s.add(ReportStep(review_id=rid, step="plan_audit", on_date=date(2026, 10, 30), note="canary-findings",
                     recorded_by=COORD, recorded_at=t))
    rec = Recommendation(review_id=rid, number=1, text="canary-action", scope="local", source="overview",
                         created_by=COORD, created_at=t)
    s.add(rec)
    s.flush()
    action = PlanAction(review_id=rid, recommendation_id=rec.id, number=1, action="canary-action",
                        lead_agency_id=agency, owner_user=POLICE, outcome_measure="canary-action",
                        target_on=date(2026, 9, 1), status="verified", completion_evidence="canary-action",
                        created_by=COORD, created_at=t, updated_at=t)
    s.add(action)
    s.flush()
    s.add(ActionUpdate(action_id=action.id, review_id=rid, kind="completed", text="canary-action", by=POLICE, at=t))
    s.add(RedactionTerm(review_id=rid, token_count=1, digest="canary-digest", kind="name", entry=1, added_by=COORD,
                        added_at=t))
    s.add(ReviewClosure(review_id=rid, concluded_on=CONCLUDED, retain_until=RETAIN_UNTIL, summary_posted=True,
                        renamed_to="dhr-2026-01-closed", archived=True, concluded_by=COORD, concluded_at=t))
    audit(s, COORD, "family.contact_added", t, rid, contact=1, relationship="canary-family", meetings=2)
    audit(s, COORD, "review.opened", t, rid, reference="DHR-2026-01", victim="Zephyrine")
    s.add(ReminderLedger(idempotency_key="k-weekly", review_id=rid, item_kind="weekly_status", item_key="w",
                         recipient="C1", recipient_kind="channel", due_on=date(2026, 6, 1), point="weekly",
                         point_on=date(2026, 6, 1), send_on=date(2026, 6, 1), reference="DHR-2026-01",
                         label="Weekly status", detail={"lines": [{"label": "canary-reason"}]}, status="sent",
                         next_attempt_at=t, created_at=t))


def window(today: date) -> DueWindow:
    return DueWindow(today=today, due_until=today + timedelta(days=14), tz=ZoneInfo("Europe/London"))


def due(db, today: date):
    with db.session() as s:
        return list(retention.retention_due(s, window(today)))


@pytest.mark.db
def test_the_coordinator_is_reminded_only_once_the_retention_period_is_over(db, review_id):
    assert due(db, RETAIN_UNTIL - timedelta(days=30)) == []      # the window does not reach the day after yet
    [item] = due(db, RETAIN_UNTIL - timedelta(days=5))           # planned ahead, but no point before `since`
    assert item.owners == (COORD,) and item.due == item.since == RETAIN_UNTIL + timedelta(days=1)
    assert item.kind == "retention" and "Zephyrine" not in item.label
    with db.session() as s:
        retention.confirm(s, s.get(Review, review_id), actor(COORD), is_admin=False, now=NOW, today=NOW.date())
    assert due(db, NOW.date()) == []


@pytest.mark.db
def test_only_a_coordinator_or_csp_admin_may_confirm_and_only_after_the_period(db, review_id):
    with db.session() as s:
        review = s.get(Review, review_id)
        with pytest.raises(PermissionDenied, match="coordinator or a CSP admin"):
            retention.confirm(s, review, actor(POLICE), is_admin=False, now=NOW, today=NOW.date())
        with pytest.raises(PermissionDenied):
            retention.confirm(s, review, actor(CHAIR), is_admin=False, now=NOW, today=NOW.date())
        with pytest.raises(NotFound):
            retention.confirm(s, review, actor(OUT), is_admin=False, now=NOW, today=NOW.date())
        with pytest.raises(WorkflowError, match="kept until Tue 2 Nov 2032"):
            retention.confirm(s, review, actor(COORD), is_admin=False, now=NOW, today=RETAIN_UNTIL)
    assert find_canaries(db.engine, ["Zephyrine"])            # nothing was deleted by the refusals
    with db.session() as s:
        retention.confirm(s, s.get(Review, review_id), actor(ADMIN), is_admin=True, now=NOW, today=NOW.date())
    with db.session() as s:
        with pytest.raises(WorkflowError, match="already deleted"):
            retention.confirm(s, s.get(Review, review_id), actor(COORD), is_admin=False, now=NOW, today=NOW.date())


@pytest.mark.db
def test_after_confirmation_nothing_of_the_content_is_readable_but_the_skeleton_stays(db, review_id):
    assert len(find_canaries(db.engine, CANARIES)) > 20
    with db.session() as s:
        audits_before = s.exec(select(func.count()).select_from(AuditEntry)).one()
        retention.confirm(s, s.get(Review, review_id), actor(COORD), is_admin=False, now=NOW, today=NOW.date())
    assert find_canaries(db.engine, CANARIES) == []
    with db.session() as s:
        review = s.get(Review, review_id)
        assert (review.reference, review.notified_on, review.stage) == ("DHR-2026-01", date(2026, 1, 5), "concluded")
        assert [c.to_stage for c in s.exec(select(StageChange).order_by(StageChange.id))] == ["notified", "concluded"]
        closure = s.exec(select(ReviewClosure)).one()
        assert (closure.concluded_on, closure.retain_until, closure.content_deleted_by) == \
            (CONCLUDED, RETAIN_UNTIL, COORD)
        assert s.exec(select(Decision.decided_on)).one() == date(2026, 1, 20)
        assert s.exec(select(ReportStep.on_date)).one() == date(2026, 10, 30)
        assert s.exec(select(func.count()).select_from(AuditEntry)).one() == audits_before + 1
        details = {e.action: e.detail for e in s.exec(select(AuditEntry))}
        assert details["family.contact_added"] == {"contact": 1, "meetings": 2}
        assert details["review.opened"] == {"reference": "DHR-2026-01"}
        assert details["review.content_deleted"]["retain_until"] == "2032-11-02"
        for model in (ChronologyEntry, ChronologyUpload, ImrVersion, FamilyContact, PerpetratorInterview,
                      TermsOfReference, Recommendation, PlanAction, RedactionTerm):
            assert s.exec(select(func.count()).select_from(model)).one() == 0, model.__name__
        summary = retention.deleted_summary(s, review)
    assert summary.deleted_by == COORD and summary.retain_until == "Tue 2 Nov 2032"
    assert [label for _, label in summary.stages][-1] == "Concluded"


def test_audit_details_keep_identifiers_numbers_and_dates_only():
    assert retention.stripped({"reference": "DHR-2026-01", "victim": "Zephyrine", "version": 2, "agreed": True,
                               "on": "2026-03-01", "missing": ["x"], "role": "chair",
                               "agreed_by": "Head of Community Safety"}) == \
        {"reference": "DHR-2026-01", "version": 2, "agreed": True, "on": "2026-03-01", "role": "chair"}


@pytest.mark.db
def test_without_an_active_coordinator_the_reminder_goes_to_the_stored_csp_admins(db, review_id):
    with db.session() as s:
        s.execute(delete(Membership).where(Membership.role == "coordinator"))
        s.add(WorkspaceAdmin(tenant_id=TEAM, user_id=ADMIN, added_by=COORD, added_at=NOW))
    [item] = due(db, NOW.date())
    assert item.owners == (ADMIN,)


class RecordingChat:
    """The chat port as far as closing a space goes; `fail_archive` makes the platform refuse."""

    capabilities = frozenset(Capability)

    def __init__(self, fail_archive: str | None = None):
        self.calls, self.fail_archive = [], fail_archive

    def rename(self, space: SpaceRef, name: str) -> str:
        self.calls.append(("rename", space.id, name))
        return name

    def archive(self, space: SpaceRef) -> None:
        if self.fail_archive:
            raise ChatError(self.fail_archive)
        self.calls.append(("archive", space.id))


@pytest.mark.db
def test_a_channel_left_open_by_the_conclusion_is_renamed_and_archived_once(db, review_id):
    with db.session() as s:
        s.execute(update(ReviewClosure).values(renamed_to=None, archived=False))
        s.execute(update(Review).values(space_name="dhr-2026-01"))
    refused = RecordingChat(fail_archive="restricted_action")
    assert retention.close_space(db, review_id, refused) == "restricted_action"
    assert refused.calls == [("rename", "C1", "dhr-2026-01-closed")]
    chat = RecordingChat()
    assert retention.close_space(db, review_id, chat) is None
    assert chat.calls == [("archive", "C1")]                   # the rename was saved: not done twice
    assert retention.close_space(db, review_id, chat) is None and len(chat.calls) == 1
    with db.session() as s:
        assert s.get(Review, review_id).space_name == "dhr-2026-01-closed"


class TeamsLikeChat(RecordingChat):
    """A platform that renames but cannot archive, and writes a closed name its own way (a Teams chat)."""

    capabilities = frozenset({Capability.RENAME})
    closed_suffix = " (closed)"

    def remove(self, space: SpaceRef, person) -> None:
        if person.id == POLICE:
            raise ChatError("NotFound")         # one account gone does not keep the others in
        self.calls.append(("remove", space.id, person.id))


@pytest.mark.db
def test_where_a_space_cannot_be_archived_everyone_but_the_coordinator_is_removed(db, review_id):
    with db.session() as s:
        s.execute(update(ReviewClosure).values(renamed_to=None, archived=False))
        s.execute(update(Review).values(space_name="dhr-2026-01"))
        chair = person_for(s, TEAM, CHAIR, NOW)
        s.add(Membership(review_id=review_id, person_id=person_for(s, TEAM, OUT, NOW).id, role="coordinator",
                         status="removed", added_by=COORD, added_at=NOW))     # no longer the coordinator
        s.add(Membership(review_id=review_id, person_id=chair.id, role="observer", added_by=COORD, added_at=NOW))
    chat = TeamsLikeChat()
    assert retention.close_space(db, review_id, chat) is None
    assert chat.calls == [("rename", "C1", "dhr-2026-01 (closed)"), ("remove", "C1", CHAIR), ("remove", "C1", OUT)]
    with db.session() as s:
        assert s.get(Review, review_id).space_name == "dhr-2026-01 (closed)"
