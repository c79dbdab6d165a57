"""What every part of the workflow builds on: the actor, the audit trail, finding a review and
authorising a user on it, moving its stage."""
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.core.errors import NotFound, PermissionDenied, WorkflowError
from bot.workflow.core.permissions import Operation, Role, require
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import SpaceWord, text
from storage.models import AuditEntry, Membership, Person, ProcessedEvent, Review, StageChange
from storage.types import SLACK

ACTIVE = "active"


@dataclass(frozen=True)
class Actor:
    """A person acting: (platform, tenant, user id); the default platform when none is named."""

    tenant_id: str
    user_id: str
    platform: str = field(default=SLACK, kw_only=True)


def audit(session: Session, actor: str, action: str, now: datetime, review_id: int | None = None,
          **detail: Any) -> None:
    session.add(AuditEntry(review_id=review_id, actor=actor, action=action, detail=detail, at=now))


def references_in_use(session: Session) -> list[str]:
    return list(session.exec(select(Review.reference)))


def reference_taken(session: Session, reference: str) -> bool:
    return session.exec(select(Review.id).where(Review.reference == reference)).first() is not None


def person_for(session: Session, tenant_id: str, user_id: str, now: datetime, platform: str = SLACK) -> Person:
    person = session.exec(
        select(Person).where(Person.platform == platform, Person.tenant_id == tenant_id, Person.user_id == user_id)
    ).first()
    if person is None:
        person = Person(platform=platform, tenant_id=tenant_id, user_id=user_id, created_at=now)
        session.add(person)
        session.flush()
    return person


def get_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound("That review no longer exists.")
    return review


def review_in_space(session: Session, space_id: str) -> Review:
    review = session.exec(select(Review).where(Review.space_id == space_id)).first()
    if review is None:
        raise NotFound(text("This isn't a review ", SpaceWord(), ". Run the command in the review's own ",
                            SpaceWord(), "."))
    return review


def roles_of(session: Session, review: Review, actor: Actor) -> set[Role]:
    if actor.tenant_id != review.tenant_id:
        return set()
    rows = session.exec(
        select(Membership.role).join(Person, Person.id == Membership.person_id).where(
            Membership.review_id == review.id, Membership.status == ACTIVE,
            Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id,
        )
    )
    return {Role(r) for r in rows}


def authorize(session: Session, review: Review, actor: Actor, op: Operation) -> set[Role]:
    roles = roles_of(session, review, actor)
    if not roles:
        raise PermissionDenied("You are not a member of this review.")
    require(roles, op)
    return roles


def reviews_for(session: Session, actor: Actor) -> list[Review]:
    # By id, not DISTINCT over the rows: PostgreSQL cannot compare the JSON conversation reference.
    mine = (select(Membership.review_id).join(Person, Person.id == Membership.person_id)
            .where(Person.platform == actor.platform, Person.tenant_id == actor.tenant_id,
                   Person.user_id == actor.user_id, Membership.status == ACTIVE))
    return list(session.exec(select(Review).where(Review.id.in_(mine), Review.tenant_id == actor.tenant_id)
                             .order_by(Review.reference)))


def move(session: Session, review: Review, new_stage: Stage, transition: Enum, actor: Actor, now: datetime) -> None:
    session.add(StageChange(review_id=review.id, from_stage=review.stage, to_stage=new_stage.value,
                            transition=transition.value, by=actor.user_id, at=now))
    review.stage = new_stage.value
    review.updated_at = now
    session.add(review)



def move_once(session: Session, review: Review, new_stage: Stage, transition: Enum, actor: Actor,
              now: datetime) -> None:
    """Moves the review only if it is still at the stage the guard checked: of two people submitting
    the same step at once (or a double click), the second is refused and nothing of it is stored."""
    old = review.stage
    claimed = session.execute(update(Review).where(Review.id == review.id, Review.stage == old)
                              .values(stage=new_stage.value, updated_at=now)
                              .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise WorkflowError(f"{review.reference} was moved on a moment ago by someone else; nothing was recorded. "
                            "See the pinned summary.")
    move(session, review, new_stage, transition, actor, now)


def show_date(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def first_delivery(session: Session, event_id: str, now: datetime) -> bool:
    """A platform re-sends an event it thinks we missed; only the first delivery is handled."""
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(event_id=event_id[:64], received_at=now))
        return True
    except IntegrityError:
        return False
