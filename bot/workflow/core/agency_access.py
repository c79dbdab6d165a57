"""Who may act for which agency on a review: the permission table (permissions.py) with the
actor's own agencies, read from their active memberships of that review only."""
from collections.abc import Iterable

from sqlmodel import Session, select

from bot.workflow.core.errors import PermissionDenied
from bot.workflow.core.kernel import ACTIVE, Actor
from bot.workflow.core.permissions import AGENCY_SCOPED_ROLES, Operation, Role, require
from storage.models import Membership, Person, Review


def memberships(session: Session, review: Review, actor: Actor) -> list[tuple[Role, int | None]]:
    if actor.tenant_id != review.tenant_id:
        return []
    rows = session.exec(
        select(Membership.role, Membership.agency_id).join(Person, Person.id == Membership.person_id).where(
            Membership.review_id == review.id, Membership.status == ACTIVE,
            Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id))
    return [(Role(role), agency_id) for role, agency_id in rows]


def authorize_agency(session: Session, review: Review, actor: Actor, op: Operation, agency_id: int) -> set[Role]:
    """Like reviews.authorize, but an agency lead or IMR author only counts for their own agency."""
    rows = memberships(session, review, actor)
    if not rows:
        raise PermissionDenied("You are not a member of this review.")
    roles = {role for role, _ in rows}
    own = [str(a) for role, a in rows if role in AGENCY_SCOPED_ROLES and a is not None]
    require(roles, op, actor_agencies=own, item_agency=str(agency_id))
    return roles


def agency_leads(session: Session, review_id: int, agency_ids: Iterable[int],
                 status: str = ACTIVE) -> dict[int, list[str]]:
    """The person ids of each agency's agency leads on the review (active ones unless asked for
    another membership status, e.g. "invited": added but not yet agreed to the statement)."""
    out: dict[int, list[str]] = {a: [] for a in agency_ids}
    if not out:
        return out
    rows = session.exec(
        select(Membership.agency_id, Person.user_id).join(Person, Person.id == Membership.person_id)
        .where(Membership.review_id == review_id, Membership.role == Role.AGENCY_LEAD.value,
               Membership.status == status, Membership.agency_id.in_(list(out))).order_by(Membership.id))
    for agency_id, user in rows:
        if user not in out[agency_id]:
            out[agency_id].append(user)
    return out
