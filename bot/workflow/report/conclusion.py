"""Formal conclusion: refused until every action is completed and verified and the plan's audit is
recorded; then the review is concluded, its reminders stop, and its space is closed on the chat
platform one resumable step at a time (summary, rename with the platform's closed suffix, archive).
Where the platform cannot rename, the name stays; where it cannot archive, everyone but the review's
coordinator is removed instead."""
from dataclasses import dataclass, replace
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import update
from sqlmodel import Session, func, select

from bot.workflow.clock.transitions import Transition, apply
from bot.workflow.core import kernel
from bot.workflow.core.chat_port import CLOSED_SUFFIX, Capability, ChatPort, can, closed_suffix
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import Actor, audit, authorize, get_review, show_date
from bot.workflow.core.notices import ClosingSummary, SpaceClosing
from bot.workflow.core.permissions import Operation, Role
from bot.workflow.core.ports import ChatError, SpaceNameTaken
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.stages import Stage
from bot.workflow.report import report
from storage.db import Database
from storage.ledger import FAILED, PENDING, ReminderLedger
from storage.models import Membership, Person
from storage.report import PlanAction, ReviewClosure

MAX_NAME = 80


def conclude(session: Session, review, actor: Actor, *, now: datetime, today: date,
             retention_years: int) -> ReviewClosure:
    authorize(session, review, actor, Operation.CONCLUDE)
    if review.stage == Stage.CONCLUDED.value:
        closure = closure_of(session, review.id)
        if closure is not None and not closure.archived:
            return closure     # concluded, but the platform's closing steps did not all finish: resume them
        raise WorkflowError(f"{review.reference} is already concluded.")
    facts = report.review_facts(session, review)
    apply(Transition.CONCLUDE, review.stage, facts)
    kernel.move_once(session, review, Stage.CONCLUDED, Transition.CONCLUDE, actor, now)
    return start_closure(session, review, actor, now=now, today=today, retention_years=retention_years)


def start_closure(session: Session, review, actor: Actor, *, now: datetime, today: date,
                  retention_years: int) -> ReviewClosure:
    """Stops every reminder still waiting for the review and records how long it is kept."""
    stopped = session.execute(update(ReminderLedger).where(
        ReminderLedger.review_id == review.id, ReminderLedger.status == PENDING)
        .values(status=FAILED, last_error="review_concluded").execution_options(synchronize_session=False)).rowcount
    closure = ReviewClosure(review_id=review.id, concluded_on=today,
                            retain_until=today + relativedelta(years=retention_years),
                            concluded_by=actor.user_id, concluded_at=now)
    session.add(closure)
    session.flush()
    audit(session, actor.user_id, "review.concluded", now, review.id, reminders_stopped=stopped,
          retain_until=closure.retain_until.isoformat())
    return closure


def closure_of(session: Session, review_id: int) -> ReviewClosure | None:
    return session.exec(select(ReviewClosure).where(ReviewClosure.review_id == review_id)).first()


def closed_names(name: str, suffix: str = CLOSED_SUFFIX):
    """dhr-2026-03-closed, then -closed-2, -3 ... within 80 characters (the shortest platform limit)."""
    base = name[:MAX_NAME - len(suffix) - 3]
    yield base + suffix
    for n in range(2, 20):
        yield f"{base}{suffix}-{n}"


@dataclass(frozen=True)
class ClosingOutcome:
    ok: bool
    reference: str
    space_name: str | None
    error: str | None = None


def finish_closure(db: Database, review_id: int, chat: ChatPort, *, refresh_card) -> ClosingOutcome:
    """Posts the closing summary, refreshes the card, renames and archives the space. Each step is
    saved as it completes, so running it again resumes and never repeats one."""
    with db.session() as s:
        review = get_review(s, review_id)
        closure = closure_of(s, review_id)
        summary = _summary(s, review, closure)
        space_id, name, reference = review.space_id, review.space_name, review.reference
        by = closure.concluded_by
        posted, renamed, archived = closure.summary_posted, closure.renamed_to, closure.archived
    if not space_id:
        return ClosingOutcome(True, reference, None)
    space, archives = SpaceRef(space_id, name or ""), can(chat, Capability.ARCHIVE)
    try:
        if not posted:
            chat.post(space, replace(summary, archived=archives))
            _save(db, review_id, summary_posted=True)
            refresh_card()
        if renamed is None:
            renamed = closed_name(chat, space, name or reference.lower())
            _save(db, review_id, renamed_to=renamed)
            with db.session() as s:
                get_review(s, review_id).space_name = renamed
            chat.post(space, SpaceClosing(reference, by, renamed, archives))
        if not archived:
            archive_or_empty(db, review_id, chat, space)
            _save(db, review_id, archived=True)
    except ChatError as err:
        return ClosingOutcome(False, reference, renamed, err.code)
    return ClosingOutcome(True, reference, renamed)


def closed_name(chat: ChatPort, space: SpaceRef, name: str) -> str:
    """The space's name once closed: renamed with the platform's closed suffix (unless it has it already,
    or the platform cannot rename, when it stays as it is)."""
    if name.endswith(closed_suffix(chat)) or not can(chat, Capability.RENAME):
        return name
    return rename_closed(chat, space, name)


def rename_closed(chat: ChatPort, space: SpaceRef, name: str) -> str:
    for candidate in closed_names(name, closed_suffix(chat)):
        try:
            return chat.rename(space, candidate)
        except SpaceNameTaken:
            continue
    raise SpaceNameTaken()


def archive_or_empty(db: Database, review_id: int, chat: ChatPort, space: SpaceRef) -> None:
    """Archived; where the platform cannot archive, everyone but the review's coordinator(s) is removed,
    so nobody else keeps reading it. The coordinator stays: a chat that cannot be archived is still the
    review's record, which the CSP keeps for its retention period, and where the coordinator finishes a
    closing that stopped (conclude again) and answers the retention reminders."""
    if can(chat, Capability.ARCHIVE):
        chat.archive(space)
        return
    with db.session() as s:
        rows = s.exec(select(Person.user_id, Membership.role, Membership.status)
                      .join(Membership, Membership.person_id == Person.id)
                      .where(Membership.review_id == review_id)).all()
    keep = {user for user, role, status in rows if role == Role.COORDINATOR.value and status == kernel.ACTIVE}
    for user_id in sorted({user for user, _, _ in rows} - keep):
        try:
            chat.remove(space, PersonRef(user_id))
        except ChatError:
            pass            # one account gone does not keep the others in


def _save(db: Database, review_id: int, **values) -> None:
    with db.session() as s:
        closure = closure_of(s, review_id)
        for key, value in values.items():
            setattr(closure, key, value)
        s.add(closure)


def _summary(session: Session, review, closure: ReviewClosure) -> ClosingSummary:
    total = session.exec(select(func.count()).select_from(PlanAction).where(PlanAction.review_id == review.id)).one()
    audit_row = report.latest_steps(session, review.id).get("plan_audit")
    return ClosingSummary(
        reference=review.reference, concluded_on=show_date(closure.concluded_on), by=closure.concluded_by,
        actions_verified=total, audit_on=show_date(audit_row.on_date) if audit_row else None,
        audit_by=audit_row.recorded_by if audit_row else None, retain_until=show_date(closure.retain_until))
