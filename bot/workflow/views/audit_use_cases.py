"""The audit log as use cases: the latest entries, privately, and the full log exported as CSV
into the review's space."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor, audit
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import SpaceRef
from bot.workflow.core.text import SpaceLink, text
from bot.workflow.views import audit_log

ToCsv = Callable[[Sequence[str], list], bytes]      # (columns, rows) -> the file's bytes


@dataclass(frozen=True)
class AuditListing:
    review_id: int
    reference: str
    lines: list[audit_log.RichLine]


def show_audit(session: Session, space_id: str, actor: Actor) -> Outcome:
    review = kernel.review_in_space(session, space_id)
    return out.reply(AuditListing(review.id, review.reference, audit_log.latest_text(session, review, actor)))


def export_audit(session: Session, review_id: int, actor: Actor, *, to_csv: ToCsv, today: date,
                 now: datetime) -> Outcome:
    review = kernel.get_review(session, review_id)
    rows = audit_log.export_rows(session, review, actor)
    audit(session, actor.user_id, "audit.exported", now, review.id, rows=len(rows))
    if not review.space_id:
        return out.reply(text(f"The audit log has {len(rows)} entries, but the review has no space to put it in."))
    space = SpaceRef(review.space_id)
    return (out.upload(space, audit_log.export_filename(review, today), to_csv(audit_log.COLUMNS, rows), "Audit log")
            + out.reply(text(f"The audit log ({len(rows)} entries) is in ", SpaceLink(space), ".")))
