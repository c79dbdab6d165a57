"""A review's statutory deadlines, derived from what is stored: its preset and notification date,
the decision, the other timescales the CSP agreed (recorded with the extend command),
and the stage changes that meet a deadline. Nothing here is stored back.

Also the review-milestone source of due items (see due.py) the reminder sweep reads.
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, literal
from sqlalchemy.orm import object_session
from sqlmodel import Session, and_, col, or_, select

from bot.workflow.clock.due import DueItem, DueWindow, due_source, leads_by_review, one_of
from bot.workflow.clock.timescales import (
    DEADLINE_LABELS,
    DECISION,
    OVERVIEW_REPORT,
    PRESETS,
    TERMS_OF_REFERENCE,
    Deadline,
    Extension,
    compute_deadlines,
    get_preset,
)
from bot.workflow.core.stages import Stage
from storage.models import Decision, Review, StageChange
from storage.report import ReportStep
from storage.terms import TermsOfReference
from storage.timeline import DeadlineExtension

LONDON = ZoneInfo("Europe/London")

# Which statutory milestones are still to be met in each stage (later ones are met by moving on).
OPEN_MILESTONES: dict[str, tuple[str, ...]] = {
    Stage.NOTIFIED.value: (DECISION,),
    Stage.SETUP.value: (TERMS_OF_REFERENCE, OVERVIEW_REPORT),
    Stage.EVIDENCE.value: (OVERVIEW_REPORT,),
    Stage.DRAFTING.value: (OVERVIEW_REPORT,),
    Stage.SIGN_OFF.value: (OVERVIEW_REPORT,),
}


@dataclass
class Timeline:
    """The other timescales the CSP agreed for a review's deadlines. (Holds never move a deadline.)"""

    extensions: list[Extension] = field(default_factory=list)

    def extended_on(self, key: str) -> date | None:
        return max((e.recorded_on for e in self.extensions if e.deadline == key), default=None)


def timelines(session: Session, review_ids: Iterable[int], *, reasons: bool = False) -> dict[int, Timeline]:
    """Extensions of many reviews in one query. The reasons (encrypted narrative) are only read
    when asked for: the sweep needs dates alone."""
    ids = sorted(set(review_ids))
    out: dict[int, Timeline] = defaultdict(Timeline)
    reason_e = DeadlineExtension.reason if reasons else literal("")
    if not ids:
        return out
    # Newest first: timescales picks the latest recorded_on and keeps the first of equals,
    # so a second extension recorded the same day wins.
    for e in session.exec(select(DeadlineExtension.review_id, DeadlineExtension.deadline,
                                 DeadlineExtension.new_due, DeadlineExtension.agreed_by, DeadlineExtension.agreed_on,
                                 DeadlineExtension.recorded_on, reason_e.label("reason"))
                          .where(one_of(session, DeadlineExtension.review_id, ids))
                          .order_by(DeadlineExtension.id.desc())):
        out[e.review_id].extensions.append(Extension(e.deadline, e.new_due, e.reason, e.agreed_by, e.agreed_on,
                                                       e.recorded_on))
    return out


def timeline(session: Session, review_id: int, *, reasons: bool = False) -> Timeline:
    return timelines(session, [review_id], reasons=reasons).get(review_id) or Timeline()


def timeline_of(review: Review) -> Timeline:
    """The review's agreed extensions, read through the session it was loaded in."""
    session = object_session(review)
    return timeline(session, review.id) if session is not None and review.id else Timeline()


def local_date(instant: datetime, tz: ZoneInfo = LONDON) -> date:
    return instant.astimezone(tz).date()


def _met_dates(session: Session, review: Review, tz: ZoneInfo) -> tuple[date | None, date | None]:
    """(terms of reference agreed, overview report submitted): the stage changes say whether; the dates
    typed in the forms say when, since a step is often recorded days after it happened."""
    rows = session.exec(select(StageChange).where(StageChange.review_id == review.id).order_by(StageChange.id))
    tor = submitted = None
    for row in rows:
        if tor is None and row.from_stage == Stage.SETUP.value and row.to_stage == Stage.EVIDENCE.value:
            tor = local_date(row.at, tz)
        if submitted is None and row.to_stage == Stage.SUBMITTED.value:
            submitted = local_date(row.at, tz)
    if tor:
        tor = session.exec(select(func.min(TermsOfReference.agreed_on)).where(
            TermsOfReference.review_id == review.id, TermsOfReference.agreed_on.is_not(None))).one() or tor
    if submitted:
        submitted = session.exec(select(col(ReportStep.on_date)).where(
            ReportStep.review_id == review.id, ReportStep.step == "submit", ReportStep.on_date.is_not(None))
            .order_by(ReportStep.id)).first() or submitted
    return tor, submitted


DIRECTED = "review_directed"   # the Home Office's reply that directs a review (report.HO_DIRECTED)


def directed_on(outcome: str | None, reply: str | None, reply_on: date | None) -> date | None:
    """The date the CSP received a Home Office direction to hold a review, if it was directed."""
    return reply_on if outcome == "no_review" and reply == DIRECTED else None


def review_deadlines(session: Session, review: Review, today: date, *, made: Decision | None = None,
                     tl: Timeline | None = None, tz: ZoneInfo = LONDON) -> list[Deadline]:
    """Every statutory deadline of one review (met ones included), with agreed extensions."""
    if made is None:
        made = session.exec(select(Decision).where(Decision.review_id == review.id)).first()
    tl = tl or timeline(session, review.id)
    tor_agreed_on, submitted_on = _met_dates(session, review, tz) if made else (None, None)
    return compute_deadlines(
        preset=get_preset(review.preset), notified_on=review.notified_on,
        decision_on=made.decided_on if made else None,
        decision_review=(made.outcome == "review") if made else None,
        tor_agreed_on=tor_agreed_on, submitted_on=submitted_on,
        extensions=tl.extensions, today=today,
        directed_on=directed_on(made.outcome, made.home_office_reply, made.home_office_reply_on) if made else None)


def open_deadlines(session: Session, review: Review, today: date, tz: ZoneInfo = LONDON) -> list[Deadline]:
    """The statutory deadlines that can still be extended (open in the review's current stage)."""
    keys = OPEN_MILESTONES.get(review.stage, ())
    return [d for d in review_deadlines(session, review, today, tz=tz) if d.key in keys and d.is_open]


# ---------------------------------------------------------------- the milestone source

def _bound(due_until: date, months: int) -> date:
    """Latest start date whose `months`-later deadline can be due by `due_until`. Agreed
    extensions only ever move a deadline later, so this is a safe filter (a few days generous,
    because adding months clamps to the month's end)."""
    return due_until - relativedelta(months=months) + timedelta(days=3)


@due_source("milestone")
def statutory_milestones(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """Decision, terms of reference and overview report, whether or not an activity is held
    (only an agreed timescale moves them). Reminders go to the review's coordinators and chairs."""
    decision_months = min(p.decision_months for p in PRESETS.values())
    tor_months = min(p.tor_months_from_notification for p in PRESETS.values())
    overview_months = min(p.overview_months_from_decision for p in PRESETS.values())
    notified_by = _bound(window.due_until, min(decision_months, tor_months))
    decided_by = _bound(window.due_until, overview_months)
    rows = session.exec(
        select(Review.id, Review.reference, Review.space_id, Review.stage, Review.preset, Review.notified_on,
               Review.created_at, Decision.decided_on, Decision.outcome, Decision.recorded_at,
               Decision.home_office_reply, Decision.home_office_reply_on)
        .join(Decision, Decision.review_id == Review.id, isouter=True)
        .where(or_(
            and_(Review.stage == Stage.NOTIFIED.value, Review.notified_on <= notified_by),
            and_(Review.stage == Stage.SETUP.value, or_(Review.notified_on <= notified_by,
                                                         Decision.decided_on <= decided_by)),
            and_(Review.stage.in_([Stage.EVIDENCE.value, Stage.DRAFTING.value, Stage.SIGN_OFF.value]),
                 Decision.decided_on <= decided_by),
        ), window.reviews(Review.id))
    ).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    tls = timelines(session, ids)
    leads = leads_by_review(session, ids)
    items = []
    for r in rows:
        tl = tls.get(r.id) or Timeline()
        owners = leads.get(r.id, ())
        if not owners:
            continue
        directed = directed_on(r.outcome, r.home_office_reply, r.home_office_reply_on)
        deadlines = compute_deadlines(
            preset=get_preset(r.preset), notified_on=r.notified_on, decision_on=r.decided_on,
            decision_review=(r.outcome == "review") if r.outcome else None,
            extensions=tl.extensions, today=window.today, directed_on=directed)
        for d in deadlines:
            if d.key not in OPEN_MILESTONES.get(r.stage, ()) or d.due > window.due_until:
                continue
            began = local_date(r.created_at, window.tz) if d.key == DECISION or not r.recorded_at \
                else directed or local_date(r.recorded_at, window.tz)
            since = max(x for x in (began, tl.extended_on(d.key)) if x is not None)
            items.append(DueItem(review_id=r.id, reference=r.reference, space_id=r.space_id,
                                 kind="milestone", key=d.key, label=DEADLINE_LABELS[d.key], due=d.due,
                                 owners=owners, since=since))
    return items
