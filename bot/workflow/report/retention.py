"""Retention: once a concluded review's retention period (DHR_RETENTION_YEARS after conclusion) is
over, its coordinators are reminded; when a coordinator or CSP admin confirms, the review's content
is deleted and only the audit skeleton is kept: the reference, its dates, the stage history, the
memberships and the audit events with their details stripped of content.

Nothing is deleted without that confirmation, and nothing before the period is over."""
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, select

from bot.workflow.clock.due import DueItem, DueWindow, coordinators_by_review, due_source
from bot.workflow.core.chat_port import ChatPort
from bot.workflow.core.errors import NotFound, PermissionDenied, WorkflowError
from bot.workflow.core.kernel import Actor, audit, roles_of, show_date
from bot.workflow.core.permissions import Operation, may, who_may
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import SpaceRef
from bot.workflow.core.stages import Stage, stage_label
from bot.workflow.report.conclusion import archive_or_empty, closed_name
from storage.chronology import ChronologyEntry, ChronologyEntryVersion, ChronologyUpload, ImrVersion
from storage.db import Database
from storage.family import FamilyContact, PerpetratorInterview
from storage.learning import Lesson, StrategicCitation, ThemeTag
from storage.ledger import FAILED, PENDING, ReminderLedger
from storage.models import AuditEntry, Decision, Review, StageChange
from storage.panel import RedactionTerm, WorkspaceAdmin
from storage.report import ActionUpdate, PlanAction, Recommendation, ReportStep, ReviewClosure
from storage.terms import ScopingAnswer, TermsConfirmation, TermsOfReference
from storage.timeline import ActivityHold, DeadlineExtension

KIND = "retention"
NO_SUCH_REVIEW = "You have no review with that reference. Write it as DHR-YYYY-NN."
LABEL = "Retention period over: confirm deleting the review's content"

# Audit detail strings kept after deletion: identifiers, roles, stages and codes, never narrative.
# Numbers, booleans and ISO dates are kept whatever their key; anything else is dropped.
SAFE_KEYS = frozenset({"reference", "transition", "to", "role", "old_role", "new_role", "user", "owner",
                       "kind", "outcome", "deadline", "status", "scope", "team_id", "slack_user_id",
                       "channel", "error"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?$")

# Rows that are nothing but content: deleted outright (children before parents).
CONTENT_ROWS = (ActionUpdate, PlanAction, ThemeTag, Lesson, Recommendation, ChronologyEntry, ChronologyUpload,
                ImrVersion, FamilyContact, PerpetratorInterview, TermsConfirmation, TermsOfReference, ScopingAnswer,
                RedactionTerm)


def first_day(closure: ReviewClosure) -> date:
    """The first day the content may be deleted: the day after `retain_until`."""
    return closure.retain_until + timedelta(days=1)


@due_source(KIND)
def retention_due(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """Concluded reviews past their retention period whose content is still held: their coordinators
    are reminded from the first day after it, until one of them (or a CSP admin) confirms."""
    rows = session.exec(
        select(ReviewClosure.review_id, ReviewClosure.retain_until, Review.reference, Review.space_id,
               Review.tenant_id)
        .join(Review, Review.id == ReviewClosure.review_id)
        .where(ReviewClosure.retain_until < window.due_until, ReviewClosure.content_deleted_at.is_(None),
               window.reviews(ReviewClosure.review_id))).all()
    coordinators = coordinators_by_review(session, {r.review_id for r in rows})
    admins = _stored_admins(session, {r.tenant_id for r in rows})
    for r in rows:
        due = r.retain_until + timedelta(days=1)
        # A review whose coordinators have all left goes to the CSP admins added with the bot.
        owners = coordinators.get(r.review_id) or admins.get(r.tenant_id, ())
        yield DueItem(review_id=r.review_id, reference=r.reference, space_id=r.space_id, kind=KIND,
                      key=KIND, label=LABEL, due=due, owners=owners, since=due)


def _stored_admins(session: Session, teams: set[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    if teams:
        for team, user in session.exec(select(WorkspaceAdmin.tenant_id, WorkspaceAdmin.user_id)
                                       .where(WorkspaceAdmin.tenant_id.in_(sorted(teams)))
                                       .order_by(WorkspaceAdmin.id)):
            out.setdefault(team, []).append(user)
    return {team: tuple(users) for team, users in out.items()}


# ---------------------------------------------------------------- confirming

@dataclass(frozen=True)
class Deleted:
    review_id: int
    reference: str
    space_id: str | None
    rows_deleted: int


def review_by_reference(session: Session, tenant_id: str, reference: str) -> Review:
    review = session.exec(select(Review).where(Review.reference == reference.strip().upper(),
                                               Review.tenant_id == tenant_id)).first()
    if review is None:
        raise NotFound(NO_SUCH_REVIEW)
    return review


def member_review(session: Session, actor: Actor, reference: str) -> Review:
    """The review with this reference, for one of its members; the same answer as a wrong reference
    for anyone else."""
    review = review_by_reference(session, actor.tenant_id, reference)
    if not roles_of(session, review, actor):
        raise NotFound(NO_SUCH_REVIEW)
    return review


def may_delete(session: Session, review: Review, actor: Actor, *, is_admin: bool) -> None:
    if is_admin and actor.tenant_id == review.tenant_id:
        return
    roles = roles_of(session, review, actor)
    if not roles:       # outsiders learn nothing, not even that the reference exists
        raise NotFound(NO_SUCH_REVIEW)
    if not may(roles, Operation.DELETE_REVIEW):
        raise PermissionDenied(f"Only {who_may(Operation.DELETE_REVIEW)} or a CSP admin can delete a review's "
                               "content under the retention policy.")


def confirm(session: Session, review: Review, actor: Actor, *, is_admin: bool, now: datetime,
            today: date) -> Deleted:
    """Deletes the review's content once its retention period is over; refused before, and for anyone
    but its coordinators and the CSP admins. A second confirmation changes nothing."""
    may_delete(session, review, actor, is_admin=is_admin)
    closure = session.exec(select(ReviewClosure).where(ReviewClosure.review_id == review.id)).first()
    if review.stage != Stage.CONCLUDED.value or closure is None:
        raise WorkflowError(f"{review.reference} is not concluded: its content is kept until it is, "
                            "and then for the retention period.")
    if closure.content_deleted_at is not None:
        raise WorkflowError(f"{review.reference}'s content was already deleted under the retention policy "
                            f"on {show_date(closure.content_deleted_at.date())}.")
    if today < first_day(closure):
        raise WorkflowError(f"{review.reference} is kept until {show_date(closure.retain_until)} "
                            "(the retention period); its content can be deleted after that date.")
    claimed = session.execute(update(ReviewClosure).where(
        ReviewClosure.id == closure.id, ReviewClosure.content_deleted_at.is_(None))
        .values(content_deleted_at=now, content_deleted_by=actor.user_id)).rowcount
    if not claimed:     # a second click that raced the first
        raise WorkflowError(f"{review.reference}'s content was already deleted under the retention policy.")
    count = delete_content(session, review)
    audit(session, actor.user_id, "review.content_deleted", now, review.id, reference=review.reference,
          retain_until=closure.retain_until.isoformat(), rows=count)
    return Deleted(review.id, review.reference, review.space_id, count)


def delete_content(session: Session, review: Review) -> int:
    """Everything that is case content, in one transaction; returns the number of rows deleted."""
    rid = review.id
    entries = select(ChronologyEntry.id).where(ChronologyEntry.review_id == rid).scalar_subquery()
    count = _rows(session, delete(ChronologyEntryVersion).where(ChronologyEntryVersion.entry_id.in_(entries)))
    # A strategic action keeps its own words; it no longer cites the deleted recommendations.
    recs = select(Recommendation.id).where(Recommendation.review_id == rid).scalar_subquery()
    count += _rows(session, delete(StrategicCitation).where(StrategicCitation.recommendation_id.in_(recs)))
    for model in CONTENT_ROWS:
        count += _rows(session, delete(model).where(model.review_id == rid))
    _blank(session, ActivityHold, rid, reason="", agreed_by="", until_event=None)
    _blank(session, DeadlineExtension, rid, reason="", agreed_by="")
    _blank(session, ReportStep, rid, note=None, place=None)
    _blank(session, Decision, rid, delay_reason=None, no_review_reasons=None, concerns=[], parallel_processes=[],
           agencies_consulted=[])
    _blank(session, ReminderLedger, rid, detail=None)
    session.execute(update(ReminderLedger).where(ReminderLedger.review_id == rid, ReminderLedger.status == PENDING)
                    .values(status=FAILED, last_error="content_deleted").execution_options(synchronize_session=False))
    session.execute(update(Review).where(Review.id == rid).values(
        victim_pseudonym="", perpetrator_pseudonym=None, victim_age=0, relationship="", suspected_suicide=False)
        .execution_options(synchronize_session=False))
    _strip_audit(session, rid)
    session.expire(review)
    return count


def _rows(session: Session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def _blank(session: Session, model, review_id: int, **values) -> None:
    session.execute(update(model).where(model.review_id == review_id).values(**values)
                    .execution_options(synchronize_session=False))


def _strip_audit(session: Session, review_id: int) -> None:
    """The one place the audit log is rewritten: who did what and when stays, what they wrote goes."""
    for entry in session.exec(select(AuditEntry).where(AuditEntry.review_id == review_id)):
        kept = stripped(entry.detail or {})
        if kept != entry.detail:
            entry.detail = kept
            session.add(entry)


def stripped(detail: dict) -> dict:
    out = {}
    for key, value in detail.items():
        if value is None or isinstance(value, (bool, int, float)):
            out[key] = value
        elif isinstance(value, str) and (ISO_DATE.match(value) or (key in SAFE_KEYS and len(value) <= 64)):
            out[key] = value
    return out


# ---------------------------------------------------------------- reading

@dataclass(frozen=True)
class ContentDeleted:
    """What the status command says of a review whose content is gone."""

    reference: str
    stage_label: str
    notified_on: str
    concluded_on: str
    retain_until: str
    deleted_on: str
    deleted_by: str
    stages: list[tuple[str, str]]     # (date, stage label), oldest first


def deleted_summary(session: Session, review: Review) -> ContentDeleted | None:
    closure = session.exec(select(ReviewClosure).where(ReviewClosure.review_id == review.id)).first()
    if closure is None or closure.content_deleted_at is None:
        return None
    moves = session.exec(select(StageChange).where(StageChange.review_id == review.id).order_by(StageChange.id))
    return ContentDeleted(
        reference=review.reference, stage_label=stage_label(Stage(review.stage)),
        notified_on=show_date(review.notified_on), concluded_on=show_date(closure.concluded_on),
        retain_until=show_date(closure.retain_until), deleted_on=show_date(closure.content_deleted_at.date()),
        deleted_by=closure.content_deleted_by or "",
        stages=[(show_date(m.at.date()), stage_label(Stage(m.to_stage))) for m in moves])


# ---------------------------------------------------------------- the chat space

def close_space(db: Database, review_id: int, chat: ChatPort) -> str | None:
    """Renames ("-closed") and archives the review's space if its conclusion did not finish that;
    returns the platform's error code when it could not."""
    with db.session() as s:
        closure = s.exec(select(ReviewClosure).where(ReviewClosure.review_id == review_id)).one()
        review = s.get(Review, review_id)
        space_id, name, reference = review.space_id, review.space_name, review.reference
        renamed, archived = closure.renamed_to, closure.archived
    if not space_id or archived:
        return None
    space = SpaceRef(space_id, name or "")
    try:
        if renamed is None:
            renamed = closed_name(chat, space, name or reference.lower())
            _save_closure(db, review_id, renamed_to=renamed)
        archive_or_empty(db, review_id, chat, space)
        _save_closure(db, review_id, archived=True)
    except ChatError as err:
        return err.code
    return None


def _save_closure(db: Database, review_id: int, **values) -> None:
    with db.session() as s:
        s.execute(update(ReviewClosure).where(ReviewClosure.review_id == review_id).values(**values))
        if "renamed_to" in values:
            s.execute(update(Review).where(Review.id == review_id).values(space_name=values["renamed_to"]))
