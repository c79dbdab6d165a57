"""The reminder for a deferred publication: on the day set to revisit it, the coordinator and chair
are reminded, and again while overdue, until publication is recorded (by any route) or deferred
again with a new date (a new reminder: its key is the deferral's row). While publication is held (a hold
agreed with the coroner, SIO or CPS), no reminder goes: the hold's own date brings one instead."""
from collections.abc import Iterable

from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from bot.workflow.clock.due import DueItem, DueWindow, due_source, leads_by_review
from bot.workflow.clock.holds import PUBLICATION, held_reviews
from bot.workflow.core.stages import Stage
from bot.workflow.report.report import PUBLICATION_STEPS
from storage.models import Review
from storage.report import ReportStep

LABEL = "Deferred publication: revisit the decision"


@due_source("publication_revisit")
def deferred_publication(session: Session, window: DueWindow) -> Iterable[DueItem]:
    later = aliased(ReportStep)
    settled = exists().where(later.review_id == ReportStep.review_id, later.id > ReportStep.id,
                             later.step.in_(list(PUBLICATION_STEPS)))
    rows = session.exec(
        select(ReportStep.id, ReportStep.on_date, ReportStep.revisit_on, Review.id, Review.reference, Review.space_id)
        .join(Review, Review.id == ReportStep.review_id)
        .where(ReportStep.step == "defer_publication", ReportStep.revisit_on <= window.due_until, ~settled,
               Review.stage != Stage.CONCLUDED.value, window.reviews(Review.id))).all()
    leads = leads_by_review(session, [r[3] for r in rows])
    held = held_reviews(session, [r[3] for r in rows], PUBLICATION)
    return [DueItem(review_id=review_id, reference=reference, space_id=space_id, kind="publication_revisit",
                    key=f"deferral-{row_id}", label=LABEL, due=revisit, owners=leads[review_id], since=deferred_on)
            for row_id, deferred_on, revisit, review_id, reference, space_id in rows
            if leads.get(review_id) and review_id not in held]
