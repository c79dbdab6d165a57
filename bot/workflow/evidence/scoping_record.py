"""An agency's scoping answer once recorded: what an old request's *Answer* shows instead of a blank
form, and the deliberate revision (who, and why) that is the only way to change it afterwards.

A revision records a new answer and nothing else: items already settled on the strength of the
old answer (an IMR accepted, an item not required) stay as they are.
"""
from dataclasses import dataclass
from datetime import datetime

from bot.workflow.core import fields
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.form_spec import Field
from bot.workflow.core.form_spec import Kind as FieldKind
from bot.workflow.core.kernel import audit, show_date
from bot.workflow.core.notices import EvidenceRequest, RequestedItem
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage
from bot.workflow.evidence.evidence_items import LABELS, OPEN, Kind, Status
from bot.workflow.evidence.evidence_requests import (
    ItemContext,
    ScopingForm,
    item_for,
    latest_scoping,
    scoping_answer,
    scoping_errors,
)
from storage.terms import ScopingAnswer

REASON_MAX = 1000


class RevisionForm(ScopingForm):
    """The scoping questions again, and why."""

    reason = Field("Why is it being revised?", FieldKind.MULTILINE, max_length=REASON_MAX,
                   hint="Pseudonyms only, never a real name.")


@dataclass(frozen=True)
class RecordedScoping:
    item_id: int
    review_id: int
    reference: str
    agency: str
    status: str                       # "Submitted", "Accepted", "Not required"
    answer: ScopingAnswer | None      # None: settled without an answer (withdrawn, or no contact elsewhere)
    answered_on: str | None


def _settled(session, item_id: int | None, actor) -> ItemContext | None:
    ctx = item_for(session, item_id, actor, Operation.SUBMIT_AGENCY_EVIDENCE, Kind.SCOPING)
    return None if Status(ctx.item.status) in OPEN else ctx


def recorded(session, item_id: int | None, actor) -> RecordedScoping | None:
    """The recorded answer when the item is no longer owed (the button shows it); None while it is."""
    ctx = _settled(session, item_id, actor)
    if ctx is None:
        return None
    answer = latest_scoping(session, ctx.review.id, ctx.item.agency_id)
    return RecordedScoping(ctx.item.id, ctx.review.id, ctx.review.reference, ctx.agency,
                           LABELS[ctx.item.status], answer, show_date(answer.answered_at.date()) if answer else None)


def request_again(session, item_ids: list[int], actor) -> EvidenceRequest | None:
    """The request DM holding these items, re-drawn from what is recorded now: a settled item shows
    its status instead of its button. None if the items are not all one agency's on one review."""
    items = [item_for(session, i, actor, Operation.SUBMIT_AGENCY_EVIDENCE) for i in item_ids[:40]]
    if not items or len({(c.review.id, c.item.agency_id) for c in items}) != 1:
        return None
    first = items[0]
    due = min((c.item.due_on for c in items if c.item.due_on), default=None)
    return EvidenceRequest(first.review.reference, first.review.space_id, first.agency,
                           show_date(due) if due else "", [
                               RequestedItem(c.item.id, c.item.kind, Kind(c.item.kind).label,
                                             None if Status(c.item.status) in OPEN else LABELS[c.item.status])
                               for c in items], first.item.requested_by or "")


def revise(session, item_id: int | None, actor, raw: dict, *, now: datetime) -> tuple[RecordedScoping, str]:
    """Records a revised answer with who and why; returns it and the reason (for the review's space)."""
    ctx = _settled(session, item_id, actor)
    if ctx is None:
        raise WorkflowError("This scoping answer hasn't been recorded yet: use Answer instead.")
    if ctx.review.stage == Stage.CONCLUDED.value:
        raise WorkflowError(f"{ctx.review.reference} is concluded; its record can't change.")
    errors = scoping_errors(raw)
    reason, error = fields.text(RevisionForm.reason.of(raw), label="reason for the revision", max_len=REASON_MAX)
    if error:
        errors[RevisionForm.reason.key] = error
    if errors:
        raise RevisionForm.invalid(errors)
    answer = scoping_answer(raw, review_id=ctx.review.id, agency_id=ctx.item.agency_id, answered_by=actor.user_id,
                            answered_at=now, revision_reason=reason)
    session.add(answer)
    session.flush()
    audit(session, actor.user_id, "scoping.revised", now, ctx.review.id, agency_id=ctx.item.agency_id,
          answer_id=answer.id, victim=answer.contact_victim, perpetrator=answer.contact_perpetrator,
          children=answer.contact_children)
    return recorded(session, item_id, actor), reason
