"""What a person asks about their reviews: the list of them (the bare command, and App Home's
top), one review's summary card, and which unfinished set-up to try again."""
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage, stage_label
from bot.workflow.core.text import Command, text
from bot.workflow.panel import panel
from bot.workflow.report import retention
from bot.workflow.views import provisioning, summary_card
from bot.workflow.views.provisioning import COMPLETE


@dataclass(frozen=True)
class ReviewRow:
    reference: str
    stage_label: str
    space_id: str | None            # None until the set-up has finished
    set_up: bool


@dataclass(frozen=True)
class MyReviews:
    """The person's reviews; with none, the CSP admins to ask (or that they are one)."""

    rows: list[ReviewRow]
    admins: list[str]
    is_admin: bool


@dataclass(frozen=True)
class RetryChoice:
    """The review whose set-up to try again, or the reply saying why there is none."""

    review_id: int | None
    refusal: Outcome = Outcome()


def my_reviews(session: Session, actor: Actor, env_admins: tuple[str, ...]) -> MyReviews:
    rows = [ReviewRow(r.reference, stage_label(Stage(r.stage)), r.space_id if r.setup_state == COMPLETE else None,
                      r.setup_state == COMPLETE) for r in kernel.reviews_for(session, actor)]
    admins = [] if rows else panel.admin_ids(session, actor.tenant_id, env_admins)
    return MyReviews(rows, admins, actor.user_id in admins)


def list_mine(session: Session, actor: Actor, env_admins: tuple[str, ...]) -> Outcome:
    return out.reply(my_reviews(session, actor, env_admins))


def status(session: Session, space_id: str, actor: Actor, reference: str, *, today: date,
           calendar: WorkingCalendar) -> Outcome:
    """In a review's space, or anywhere with a reference (an archived space takes no commands)."""
    review = retention.member_review(session, actor, reference) if reference \
        else kernel.review_in_space(session, space_id)
    kernel.authorize(session, review, actor, Operation.VIEW_REVIEW)
    deleted = retention.deleted_summary(session, review)
    return out.reply(deleted or summary_card.summary_card(session, review, today, calendar))


def choose_retry(session: Session, actor: Actor, wanted: str) -> RetryChoice:
    """The review whose set-up to retry: the one named, or the actor's only unfinished one."""
    stuck = provisioning.unfinished_setups(session, actor)
    if wanted:
        match = [r for r in stuck if r.reference.lower() == wanted.lower()]
        return _chosen(session, actor, match[0].id) if match else RetryChoice(None, out.reply(text(
            "None of your reviews with an unfinished set-up has that reference. ", Command(""),
            " lists your reviews.")))
    if not stuck:
        return RetryChoice(None, out.reply(text("All your reviews are set up: there is nothing to try again.")))
    if len(stuck) > 1:
        refs = ", ".join(r.reference for r in stuck[:10])
        return RetryChoice(None, out.reply(text(f"Several of your reviews are not set up yet ({refs}). Say which: ",
                                                Command(f"retry {stuck[0].reference}"), ".")))
    return _chosen(session, actor, stuck[0].id)


def _chosen(session: Session, actor: Actor, review_id: int) -> RetryChoice:
    kernel.authorize(session, kernel.get_review(session, review_id), actor, Operation.MANAGE_PANEL)
    return RetryChoice(review_id)
