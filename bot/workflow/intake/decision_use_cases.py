"""Recording the CSP's decision as a use case: it checks, records, and returns what should happen
(the decision told in the review's space, its summary card redrawn, and for a suspected suicide a
DM to each coordinator to liaise with the coroner)."""
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.clock import due
from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.notices import CoronerLiaison, DecisionRecorded
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.stages import Stage, stage_label
from bot.workflow.intake import opening
from bot.workflow.intake.decision import OUTCOMES


def decide(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime, today: date) -> Outcome:
    review = kernel.get_review(session, review_id)
    made = opening.record_decision(session, review, raw, actor, now, today)
    space = SpaceRef(review.space_id) if review.space_id else None
    done = out.post(space, DecisionRecorded(OUTCOMES[made.outcome], actor.user_id, stage_label(Stage(review.stage))))
    done += out.refresh(review.id)
    if review.suspected_suicide and review.space_id:
        # the inquest runs alongside the review; the DM carries the reference and a link only
        for user_id in due.coordinators_by_review(session, [review.id]).get(review.id, ()):
            done += out.dm(PersonRef(user_id), CoronerLiaison(review.reference, review.space_id))
    return done
