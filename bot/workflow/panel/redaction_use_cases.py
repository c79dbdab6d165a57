"""The redaction list's use cases: the coordinator adds a term; it is never stored or shown back."""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core.kernel import Actor
from bot.workflow.core.permissions import Operation
from bot.workflow.panel import redaction_list


@dataclass(frozen=True)
class RedactionFormData:
    review_id: int
    reference: str
    count: int          # entries on the list (a term and its variants are one entry)


def redaction_form(session: Session, space_id: str, actor: Actor) -> RedactionFormData:
    review = kernel.review_in_space(session, space_id)
    kernel.authorize(session, review, actor, Operation.MANAGE_REDACTIONS)
    return RedactionFormData(review.id, review.reference, redaction_list.entry_count(session, review))


def add_term(session: Session, review_id: int, actor: Actor, raw: dict, key: bytes, *, now: datetime) -> int:
    """The number of entries now on the list."""
    review = kernel.get_review(session, review_id)
    return redaction_list.add_term(session, review, actor, raw, key, now)
