"""The report's use cases: record a step (which may move the review on, up to its conclusion) and
conclude. Each checks, records, and returns what should happen; closing the space on the platform
follows (conclusion.finish_closure), after what the use case decided is delivered."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, Mention, Text, text
from bot.workflow.report import conclusion, guide, report
from bot.workflow.report.themes import learning_lines
from storage.models import Review


@dataclass(frozen=True)
class Recorded:
    """What recording a step decided; `closing` names the review whose space is to be closed now."""

    outcome: Outcome
    closing: int | None = None


def space_of(review: Review) -> SpaceRef | None:
    return SpaceRef(review.space_id) if review.space_id else None


GuideFile = Callable[[guide.GuideDraft], bytes]     # the one-minute guide's draft as a .docx
DirectSpace = Callable[[PersonRef], SpaceRef]        # the DM space with a person, where files go to them
PUBLISHED_ROUTES = ("publish", "publish_summary_only")


def record_step(session: Session, review_id: int, actor: Actor, key: str, raw: dict, *, now: datetime,
                today: date, retention_years: int, guide_file: GuideFile | None = None,
                dm_space: DirectSpace | None = None, themes: dict[str, str] | None = None) -> Recorded:
    """The step's form answered: recorded, told to the review's space, the card redrawn; the
    conclusion (the plan's audit) also stops the reminders and starts closing the space. A publication
    sends each chair the one-minute guide's draft, with the review's themes (`themes`: the CSP's list) and lessons."""
    review = kernel.get_review(session, review_id)
    done = report.record_step(session, review, actor, key, raw, now=now, today=today)
    if done.moved_to is Stage.CONCLUDED:
        conclusion.start_closure(session, review, actor, now=now, today=today, retention_years=retention_years)
    said = out.refresh(review.id) + out.post(space_of(review), step_recorded(actor, done))
    if key in PUBLISHED_ROUTES and guide_file is not None and dm_space is not None:
        said = said + _guide_draft(session, review, raw, guide_file, dm_space, themes)
    return Recorded(said, review.id if done.moved_to is Stage.CONCLUDED else None)


def _guide_draft(session: Session, review: Review, raw: dict, guide_file: GuideFile, dm_space: DirectSpace,
                 themes: dict[str, str] | None) -> Outcome:
    learned = learning_lines(session, review.id, themes or {})
    drafted = guide_file(guide.draft(session, review, str(raw.get("published_where") or "").strip() or None,
                                     learned))
    sent = out.NOTHING
    for chair in guide.chairs(session, review):
        sent = sent + out.upload(dm_space(PersonRef(chair)), f"{review.reference}-{guide.FILE_SUFFIX}", drafted,
                                 f"{review.reference} one-minute guide (draft)") + out.dm(PersonRef(chair), text(
            f"{review.reference} is published. Here is the draft of its one-minute guide, from the recorded "
            "recommendations, themes and lessons: edit it in Word and send it back to me with "
            "\u201cone-minute guide\u201d in its name. "
            "I check it for the review's registered names and its headings; once it passes, ", Command("guide approve"),
            " approves it for sharing."))
    return sent


def guide_command(session: Session, space_id: str, actor: Actor, words: str, *, now: datetime) -> Outcome:
    """`guide approve` approves; `guide` alone says where the guide stands."""
    review = kernel.review_in_space(session, space_id)
    if words.strip().lower() == "approve":
        return approve_guide(session, review, actor, now=now)
    kernel.authorize(session, review, actor, Operation.MOVE_STAGE)
    return out.reply(text(guide.card_line(session, review.id) or (
        f"No one-minute guide of {review.reference} has been checked yet: its draft comes to the chair when the "
        "report is published."), " ", Command("guide approve"), " approves one that passed its check."))


def approve_guide(session: Session, review: Review, actor: Actor, *, now: datetime) -> Outcome:
    """Recorded, said in the review's space, the card redrawn."""
    guide.approve(session, review, actor, now)
    return out.refresh(review.id) + out.post(space_of(review), text(
        Mention(PersonRef(actor.user_id)), " approved the one-minute guide: it can be shared.")) + out.reply(
        f"The one-minute guide of {review.reference} is approved.")


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
