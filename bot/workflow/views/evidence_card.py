"""What the summary card shows of the evidence stage: the terms of reference, the grid in brief,
family contacts not yet offered specialist advocacy, and the family's involvement steps."""
from datetime import date

from sqlmodel import Session

from bot.workflow.evidence import evidence_items, evidence_requests, family, family_steps, terms
from storage.models import Review

ORDER = ("requested", "overdue", "submitted", "returned", "accepted", "not_required")


def evidence_lines(session: Session, review_id: int, today: date) -> list[str]:
    brief = evidence_requests.summary(session, review_id, today)
    if brief is None:
        return []
    lines = [" · ".join(f"{brief.counts[s]} {evidence_items.LABELS[s].lower()}" for s in ORDER if brief.counts.get(s))]
    if brief.overdue:
        lines.append("Overdue: " + ", ".join(brief.overdue[:15]) + (" and more" if len(brief.overdue) > 15 else ""))
    if brief.returned:
        lines.append("Returned for changes: " + ", ".join(brief.returned[:15]))
    return lines


def card_parts(session: Session, review: Review, today: date) -> dict:
    return {"terms_line": terms.card_line(session, review.id),
            "evidence_lines": evidence_lines(session, review.id, today),
            "family_warning": family.advocacy_warning(session, review.id),
            "family_steps": family_steps.lines(session, review.id), "family_due": family_steps.due(session, review)}
