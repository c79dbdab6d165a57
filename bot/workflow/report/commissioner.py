"""The reminder for the Domestic Abuse Commissioner's copy of the overview report.

Section 9(3B)-(3C) of the 2004 Act asks for the copy as soon as reasonably practicable after the
report is completed (report.COMPLETED_STEP). The Act sets no number of days; the reminder is due a
local target of SEND_WITHIN working days after completion and repeats while overdue, until the copy
is recorded. It never holds the review back.
"""
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import exists, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from bot.workflow.clock.due import DueItem, DueWindow, due_source, leads_by_review
from bot.workflow.core.stages import Stage
from bot.workflow.report.report import COMPLETED_STEP
from storage.models import Review
from storage.report import ReportStep

SEND_WITHIN = 10    # working days
LABEL = "Copy of the overview report to the Domestic Abuse Commissioner"


@due_source("commissioner_copy")
def commissioner_copy(session: Session, window: DueWindow) -> Iterable[DueItem]:
    latest = window.due_until - timedelta(days=SEND_WITHIN)   # n working days are at least n days
    copy = aliased(ReportStep)
    sent = exists().where(copy.review_id == Review.id, copy.step == "dac_copy")
    rows = session.exec(
        select(Review.id, Review.reference, Review.space_id, func.min(ReportStep.on_date).label("completed"))
        .join(ReportStep, ReportStep.review_id == Review.id)
        .where(ReportStep.step == COMPLETED_STEP, Review.stage != Stage.CONCLUDED.value, ~sent,
               window.reviews(Review.id))
        .group_by(Review.id, Review.reference, Review.space_id)
        .having(func.min(ReportStep.on_date) <= latest)).all()
    leads = leads_by_review(session, [r.id for r in rows])
    items = []
    for r in rows:
        due = window.add_working_days(r.completed, SEND_WITHIN)
        if due <= window.due_until and leads.get(r.id):
            items.append(DueItem(review_id=r.id, reference=r.reference, space_id=r.space_id,
                                 kind="commissioner_copy", key="dac_copy", label=LABEL, due=due,
                                 owners=leads[r.id], since=r.completed))
    return items
