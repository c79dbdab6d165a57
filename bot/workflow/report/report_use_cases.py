"""The report's use cases: record a step (which may move the review on, up to its conclusion) and
conclude. Each checks, records, and returns what should happen; closing the space on the platform
follows (conclusion.finish_closure), after what the use case decided is delivered."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, Mention, Text, text
from bot.workflow.report import conclusion, report
from storage.models import Review


@dataclass(frozen=True)
class Recorded:
    """What recording a step decided; `closing` names the review whose space is to be closed now."""

    outcome: Outcome
    closing: int | None = None


def space_of(review: Review) -> SpaceRef | None:
    return SpaceRef(review.space_id) if review.space_id else None


def record_step(session: Session, review_id: int, actor: Actor, key: str, raw: dict, *, now: datetime,
                today: date, retention_years: int) -> Recorded:
    """The step's form answered: recorded, told to the review's space, the card redrawn; the
    conclusion (the plan's audit) also stops the reminders and starts closing the space."""
    review = kernel.get_review(session, review_id)
    done = report.record_step(session, review, actor, key, raw, now=now, today=today)
    if done.moved_to is Stage.CONCLUDED:
        conclusion.start_closure(session, review, actor, now=now, today=today, retention_years=retention_years)
    said = out.refresh(review.id) + out.post(space_of(review), step_recorded(actor, done))
    return Recorded(said, review.id if done.moved_to is Stage.CONCLUDED else None)


def step_recorded(actor: Actor, done: report.StepDone) -> Text:
    said = text(Mention(PersonRef(actor.user_id)), f" recorded: {report.sentence_start(done.summary)}.")
    if done.moved_to is Stage.DRAFTING and done.step.key == "qa_outcome":
        return text(said, " The QA panel's feedback is recorded (see ", Command("stage"),
                    "); the review is back in drafting.")
    if done.moved_to:
        return text(said, f" The review moves to \u201c{done.moved_to.label}\u201d. {done.moved_to.next_step}")
    return said


def conclude(session: Session, space_id: str, actor: Actor, *, now: datetime, today: date,
             retention_years: int) -> int:
    """Concludes the review of this space (or resumes closing it); the review whose space to close."""
    review = kernel.review_in_space(session, space_id)
    conclusion.conclude(session, review, actor, now=now, today=today, retention_years=retention_years)
    return review.id
