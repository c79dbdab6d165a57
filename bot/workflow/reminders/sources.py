"""Every due-item source the reminder sweep reads, listed here explicitly (adding one is a line)."""
from sqlmodel import Session

from bot.workflow.clock import deadlines, holds
from bot.workflow.clock.due import MEMBERS_CACHE, DueItem, DueSource, DueWindow
from bot.workflow.evidence import evidence_requests
from bot.workflow.report import action_plan, commissioner, copies, publication, retention, strategic

SOURCES: tuple[DueSource, ...] = (
    deadlines.statutory_milestones,         # statutory milestones: decision, terms of reference, overview report
    evidence_requests.open_requests,        # open evidence requests
    evidence_requests.unanswered_agreements,   # unanswered confidentiality agreements
    action_plan.open_actions,               # open actions of the action plan
    action_plan.awaiting_verification,      # completions awaiting verification
    strategic.open_strategic,               # open strategic actions of the CSP's plan (carried by a review they cite)
    retention.retention_due,                # concluded reviews past their retention period, awaiting confirmation
    commissioner.commissioner_copy,         # the Domestic Abuse Commissioner's copy, once the report is completed
    publication.deferred_publication,       # a deferred publication, on the day set to revisit it
    copies.copies_and_notices,              # the copies and notices after sign-off, until each is recorded
    holds.holds_past_their_date,            # a hold whose date has come: lift it or agree it again (once)
)


def sources() -> dict[str, DueSource]:
    return {fn.due_kind: fn for fn in SOURCES}

def collect(session: Session, window: DueWindow, chosen: dict[str, DueSource] | None = None) -> list[DueItem]:
    items = []
    # While the sources run, members_by_review remembers what it read: several sources ask for
    # the coordinators and chairs of the same reviews.
    session.info[MEMBERS_CACHE] = {}
    try:
        for fn in (chosen if chosen is not None else sources()).values():
            items.extend(item for item in fn(session, window)
                         if window.only_reviews is None or item.review_id in window.only_reviews)
    finally:
        session.info.pop(MEMBERS_CACHE, None)
    return items
