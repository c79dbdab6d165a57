"""What waits for someone who becomes active on a review after things have started: the agreed
terms of reference to confirm reading (if their role may confirm, permissions.py), and, as an
agency lead, their agency's open evidence requests, told exactly as the request DM tells them.

Called in the same transaction as the change that made them active (agreeing to the confidentiality
statement, or a role change of an active member), so the confirmation asked is stored with it; the
DMs go after the commit. Each change happens once (status- and role-guarded updates in panel.py),
so each DM goes once.
"""
from collections import defaultdict
from datetime import datetime

from sqlmodel import Session

from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import ACTIVE, show_date
from bot.workflow.core.notices import EvidenceRequest, RequestedItem, TermsToConfirm
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Role
from bot.workflow.core.refs import PersonRef
from bot.workflow.evidence import terms
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.evidence.evidence_requests import open_items_of_agency
from storage.models import Membership, Person, Review
from storage.panel import Agency


def on_active(session: Session, review: Review, member: Membership, now: datetime, *, by: str,
              became_lead: bool = True) -> Outcome:
    """The DMs for a member who just became active or changed role. `became_lead` is False when
    they were already this agency's lead (nothing new to tell)."""
    if member.status != ACTIVE:
        return out.NOTHING
    told = out.NOTHING
    asked = terms.ask_newcomer(session, review, member, now, by)
    if asked:
        user, confirmation_id, agreed = asked
        told += out.dm(PersonRef(user), TermsToConfirm(confirmation_id, review.reference, agreed.version,
                                                       show_date(agreed.agreed_on), review.space_id, agreed.saved_by))
    if became_lead and member.role == Role.AGENCY_LEAD.value and member.agency_id:
        told += _open_requests(session, review, member)
    return told


def _open_requests(session: Session, review: Review, member: Membership) -> Outcome:
    items = open_items_of_agency(session, review, member.agency_id)
    if not items:
        return out.NOTHING
    person = PersonRef(session.get(Person, member.person_id).user_id)
    agency = session.get(Agency, member.agency_id).name
    batches = defaultdict(list)        # one DM per due date and requester, as each request was sent
    for item in items:
        batches[(item.due_on, item.requested_by or "")].append(item)
    return sum((out.dm(person, EvidenceRequest(review.reference, review.space_id, agency,
                                               show_date(due) if due else "no date set",
                                               [RequestedItem(i.id, i.kind, Kind(i.kind).label) for i in batch],
                                               requested_by))
                for (due, requested_by), batch in batches.items()), out.NOTHING)
