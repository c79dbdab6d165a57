"""The one-minute guide: the review's learning brief in the Wakefield format, drafted for the chair when
the report is published, edited by them in Word, checked like the drafts (report_check.py) and approved
by them before it is shared. The draft is built from what the review recorded: its recommendations and
where the report was published; the themes and lessons come from the caller (`themes`)."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import ACTIVE, Actor, audit, authorize
from bot.workflow.core.permissions import Operation, Role
from bot.workflow.report.report_check import GUIDE
from bot.workflow.report.report_checks import day, latest
from storage.models import Membership, Person, Review
from storage.report import Recommendation, ReportCheck

FILE_SUFFIX = "one-minute-guide.docx"
MAX_LINES = 8            # learning points and practice lines: a one-minute read


@dataclass(frozen=True)
class GuideDraft:
    """What the draft says. `themes`: the review's recorded themes and lessons, one line each (filled by
    the caller; empty where they are not recorded)."""

    reference: str
    victim: str
    perpetrator: str | None
    recommendations: list[str]
    published_where: str | None
    themes: list[str] = field(default_factory=list)


def draft(session: Session, review: Review, published_where: str | None, themes: list[str] = ()) -> GuideDraft:
    recs = session.exec(select(Recommendation.text).where(Recommendation.review_id == review.id)
                        .order_by(Recommendation.number)).all()
    return GuideDraft(review.reference, review.victim_pseudonym, review.perpetrator_pseudonym,
                      [r for r in recs if r][:MAX_LINES], published_where, list(themes)[:MAX_LINES])


def chairs(session: Session, review: Review) -> list[str]:
    """The review's active chairs (platform ids), who draft and approve the guide."""
    rows = session.exec(select(Person.user_id).join(Membership, Membership.person_id == Person.id)
                        .where(Membership.review_id == review.id, Membership.role == Role.CHAIR.value,
                               Membership.status == ACTIVE).order_by(Membership.id))
    return list(dict.fromkeys(rows))


def approve(session: Session, review: Review, actor: Actor, now: datetime) -> ReportCheck:
    """The latest upload of the guide, once it passed its check (no registered term, every heading)."""
    authorize(session, review, actor, Operation.MOVE_STAGE)
    row = latest(session, review.id).get(GUIDE)
    if row is None:
        raise WorkflowError(f"No one-minute guide of {review.reference} has been checked yet: edit the draft I "
                            "sent and send it back to me (with \u201cone-minute guide\u201d in its name) first.")
    if not row.passed:
        why = "a term on the review's redaction list is still in it" if row.terms else "a section is missing"
        raise WorkflowError(f"The latest one-minute guide of {review.reference} did not pass its check "
                            f"({why}), so it can't be approved. Correct it and send it to me again.")
    if row.approved_at is not None:
        raise WorkflowError(f"This one-minute guide was already approved on {day(row.approved_at.date())}.")
    moved = session.execute(update(ReportCheck).where(ReportCheck.id == row.id, ReportCheck.approved_at.is_(None))
                            .values(approved_by=actor.user_id, approved_at=now)).rowcount
    if moved != 1:
        raise WorkflowError("Someone approved this one-minute guide a moment ago.")
    session.refresh(row)
    audit(session, actor.user_id, "guide.approved", now, review.id, sha256=row.sha256)
    return row


def card_line(session: Session, review_id: int) -> str | None:
    row = latest(session, review_id).get(GUIDE)
    if row is None:
        return None
    if row.approved_at is not None:
        return f"One-minute guide approved ({day(row.approved_at.date())}): it can be shared."
    if row.passed:
        return f"One-minute guide passed its check ({day(row.checked_at.date())}), awaiting the chair's approval."
    return (f"One-minute guide: the latest upload ({day(row.checked_at.date())}) did not pass its check; it can't be "
            "approved or shared yet.")
