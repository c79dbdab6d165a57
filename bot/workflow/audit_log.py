"""Reading the append-only audit log of a review."""
from sqlmodel import Session, select

from bot.workflow.permissions import Operation
from bot.workflow.reviews import Actor, authorize
from storage.models import AuditEntry, Review

COLUMNS = ("When (UTC)", "Who", "What", "Details")


def latest(session: Session, review: Review, actor: Actor, limit: int = 20) -> list[AuditEntry]:
    authorize(session, review, actor, Operation.VIEW_AUDIT)
    rows = session.exec(select(AuditEntry).where(AuditEntry.review_id == review.id)
                        .order_by(AuditEntry.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def export_rows(session: Session, review: Review, actor: Actor) -> list[tuple[str, str, str, str]]:
    authorize(session, review, actor, Operation.EXPORT_AUDIT)
    rows = session.exec(select(AuditEntry).where(AuditEntry.review_id == review.id).order_by(AuditEntry.id))
    return [(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action,
             "; ".join(f"{k}={v}" for k, v in sorted(e.detail.items()))) for e in rows]


def export_filename(review: Review, today) -> str:
    """Reference and date only: file names show up in Slack search and notifications."""
    return f"{review.reference.lower()}-audit-{today.isoformat()}.csv"
