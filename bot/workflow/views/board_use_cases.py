"""The quarterly board report as a use case: for CSP admins and review coordinators only, built from the
CSP's figures and sent privately to the person who asked (never to a review's space)."""
from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session, select

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import outcome as out
from bot.workflow.core.errors import PermissionDenied
from bot.workflow.core.kernel import ACTIVE, Actor, audit
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Role
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, text
from bot.workflow.panel import panel
from bot.workflow.views import board_figures as board
from storage.models import Membership, Person, Review

Render = Callable[[board.BoardFigures], bytes]      # the figures -> the report's DOCX
DirectSpace = Callable[[PersonRef], SpaceRef]        # the DM space with a person, where files go to them
REFUSED = "Only CSP admins and review coordinators can produce the board report."


def is_coordinator(session: Session, actor: Actor) -> bool:
    """An active coordinator of any of the CSP's reviews."""
    return session.exec(select(Membership.id).join(Person, Person.id == Membership.person_id)
                        .join(Review, Review.id == Membership.review_id)
                        .where(Person.platform == actor.platform, Person.tenant_id == actor.tenant_id,
                               Person.user_id == actor.user_id, Membership.status == ACTIVE,
                               Membership.role == Role.COORDINATOR.value, Review.tenant_id == actor.tenant_id)
                        ).first() is not None


def may_produce(session: Session, actor: Actor, env_admins: tuple[str, ...]) -> bool:
    return actor.user_id in panel.admin_ids(session, actor.tenant_id, env_admins) or is_coordinator(session, actor)


def board_report(session: Session, actor: Actor, words: str, *, env_admins: tuple[str, ...], today: date,
                 now: datetime, calendar: WorkingCalendar, render: Render, dm_space: DirectSpace) -> Outcome:
    """`words`: the quarter ("2026-Q3"), or nothing for this quarter so far. Refused before anything is read."""
    if not may_produce(session, actor, env_admins):
        raise PermissionDenied(REFUSED)
    quarter = board.parse_quarter(words, today)
    figures = board.board_figures(session, actor.platform, actor.tenant_id, quarter, today, calendar)
    audit(session, actor.user_id, "board.report", now, None, quarter=quarter.label, reviews=figures.reviews)
    name = f"dhr-board-report-{quarter.label}.docx"
    return (out.upload(dm_space(PersonRef(actor.user_id)), name, render(figures), f"DHR board report {quarter.label}")
            + out.reply(text("I've sent the board report for ", Bold(quarter.label), f" ({figures.reviews} review"
                             f"{'' if figures.reviews == 1 else 's'}; five charts, each with its table) to our "
                             "private chat.")))


def home_timeliness(session: Session, actor: Actor, env_admins: tuple[str, ...], today: date
                    ) -> list[board.YearLine] | None:
    """For the home of a CSP admin or coordinator: the last three years' timeliness (one query); else None."""
    if not may_produce(session, actor, env_admins):
        return None
    mine = (Review.platform == actor.platform, Review.tenant_id == actor.tenant_id, Review.notified_on <= today)
    return board.timeliness(session, mine, today)[-3:]
