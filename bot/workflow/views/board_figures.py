"""The CSP board's figures across all its reviews: timeliness per year of notification against the
national figures, days in each stage, reviews open by stage, actions by RAG and overdue evidence by
agency. Aggregates only: no review's reference, pseudonym or narrative (agency names are fine).

A handful of queries whatever the number of reviews (one per figure, none per review): the month
arithmetic of the timeliness shares is done here, not in SQL, as it must mean the same on SQLite and
PostgreSQL (calendar months clamp to the month's end, as the statutory deadlines do)."""
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from bot.workflow.clock.deadlines import local_date
from bot.workflow.clock.quarters import Quarter, quarter_of
from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.stages import Stage
from bot.workflow.evidence.evidence_items import OPEN as OPEN_EVIDENCE
from bot.workflow.report import action_plan as plan
from storage.evidence import EvidenceItem
from storage.models import Decision, Review, StageChange
from storage.panel import Agency
from storage.report import PlanAction, ReportStep

# BBC analysis of 495 reviews in the Home Office library (June 2025; dhr-domain.md section 8).
NATIONAL_WITHIN_6 = 1       # per cent finished within six months (7 of 495)
NATIONAL_WITHIN_12 = 18     # per cent finished within twelve months
NATIONAL_SOURCE = ("BBC analysis of 495 reviews in the Home Office library, June 2025: 7 (1%) finished within "
                   "six months, 18% within twelve")
CLOSED_STAGES = (Stage.CONCLUDED.value, Stage.NOT_COMMISSIONED.value)
RAG_ORDER = ("red", "amber", "green", "complete")
QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
FIRST_YEAR = 2011       # reviews became statutory in April 2011


def parse_quarter(words: str, today: date) -> Quarter:
    """"2026-Q3" (or 2026Q3, any case); nothing is the current quarter, to date. "report 2026-Q3" reads the
    same ("board report 2026-Q3" as well as "board 2026-Q3")."""
    words = (words or "").strip()
    first, _, rest = words.partition(" ")
    if first.lower() == "report":
        words = rest.strip()
    if not words:
        return quarter_of(today)
    m = QUARTER.fullmatch(words)
    if not m:
        raise WorkflowError("Say the quarter as year and quarter, e.g. 2026-Q3 (Q1 is January to March), or "
                            "nothing for this quarter so far.")
    q = Quarter(int(m.group(1)), int(m.group(2)))
    if q.year < FIRST_YEAR:
        raise WorkflowError(f"Domestic homicide reviews began in {FIRST_YEAR}: choose a quarter from {FIRST_YEAR} on.")
    if q.start > today:
        raise WorkflowError(f"{q.label} has not started yet: choose this quarter ({quarter_of(today).label}) "
                            "or an earlier one.")
    return q


# ---------------------------------------------------------------- the figures

@dataclass(frozen=True)
class YearLine:
    """One year of notification. Each share counts only reviews whose deadline has passed by the
    report's date, or that already met it: a review notified last week is not yet late."""

    year: int
    notified: int
    decision_due: int           # decided, or notified over a month ago
    decided_in_month: int
    submission_due_6: int       # commissioned, and submitted or decided over six months ago
    submitted_in_6: int
    submission_due_12: int
    submitted_in_12: int

    @staticmethod
    def share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def decided_share(self) -> int | None:
        return self.share(self.decided_in_month, self.decision_due)

    @property
    def within_6_share(self) -> int | None:
        return self.share(self.submitted_in_6, self.submission_due_6)

    @property
    def within_12_share(self) -> int | None:
        return self.share(self.submitted_in_12, self.submission_due_12)


@dataclass(frozen=True)
class StageTime:
    label: str
    stays: int                  # completed stays in the stage
    median_days: float
    mean_days: float


@dataclass(frozen=True)
class BoardFigures:
    quarter: Quarter
    as_at: date                 # timeliness counts what happened by this day (the quarter's end, or today)
    today: date                 # the open reviews, actions and evidence are as they stand today
    reviews: int
    years: list[YearLine]
    stage_times: list[StageTime]
    open_by_stage: list[tuple[str, int]]
    actions_by_rag: dict[str, int]
    overdue_by_agency: list[tuple[str, int]]

    @property
    def overdue_total(self) -> int:
        return sum(n for _, n in self.overdue_by_agency)


def board_figures(session: Session, platform: str, tenant_id: str, quarter: Quarter, today: date,
                  calendar: WorkingCalendar) -> BoardFigures:
    as_at = min(quarter.end, today)
    ours = (Review.platform == platform, Review.tenant_id == tenant_id)
    mine = (*ours, Review.notified_on <= as_at)         # the history: what was known by the quarter's end
    years = timeliness(session, mine, as_at)
    return BoardFigures(quarter, as_at, today, sum(y.notified for y in years), years,
                        stage_times(session, mine, as_at), open_by_stage(session, ours),
                        actions_by_rag(session, ours, today, calendar), overdue_by_agency(session, ours, today))


def timeliness(session: Session, mine: tuple, as_at: date) -> list[YearLine]:
    submitted = (select(ReportStep.review_id, func.min(ReportStep.on_date).label("on"))
                 .where(ReportStep.step == "submit").group_by(ReportStep.review_id).subquery())
    rows = session.exec(
        select(Review.notified_on, Decision.outcome, Decision.decided_on, submitted.c.on)
        .outerjoin(Decision, Decision.review_id == Review.id)
        .outerjoin(submitted, submitted.c.review_id == Review.id).where(*mine)).all()
    counts: dict[int, Counter] = defaultdict(Counter)
    for notified, outcome, decided, submit_on in rows:
        c = counts[notified.year]
        c["notified"] += 1
        decided = decided if decided and decided <= as_at else None
        submit_on = submit_on if submit_on and submit_on <= as_at else None
        _count(c, "decision", decided, add_months(notified, 1), as_at)
        if decided and outcome == "review":
            _count(c, "six", submit_on, add_months(decided, 6), as_at)
            _count(c, "twelve", submit_on, add_months(decided, 12), as_at)
    return [YearLine(y, c["notified"], c["decision_due"], c["decision_met"], c["six_due"], c["six_met"],
                     c["twelve_due"], c["twelve_met"]) for y, c in sorted(counts.items())]


def _count(c: Counter, key: str, done: date | None, deadline: date, as_at: date) -> None:
    """Counted once its deadline has passed or it is done; met if done by the deadline."""
    if done is not None or deadline < as_at:
        c[f"{key}_due"] += 1
        c[f"{key}_met"] += bool(done and done <= deadline)


def stage_times(session: Session, mine: tuple, as_at: date) -> list[StageTime]:
    """Completed stays only (entered and left by the report's date): a stay still running has no length yet."""
    rows = session.exec(select(StageChange.review_id, StageChange.to_stage, StageChange.at)
                        .join(Review, Review.id == StageChange.review_id).where(*mine)
                        .order_by(StageChange.review_id, StageChange.at, StageChange.id)).all()
    days: dict[str, list[int]] = defaultdict(list)
    for this, nxt in zip(rows, rows[1:]):
        left = local_date(nxt.at)
        if this.review_id == nxt.review_id and left <= as_at:
            days[this.to_stage].append((left - local_date(this.at)).days)
    return [StageTime(s.label, len(days[s.value]), float(statistics.median(days[s.value])),
                      round(statistics.fmean(days[s.value]), 1))
            for s in Stage if days.get(s.value)]


def open_by_stage(session: Session, mine: tuple) -> list[tuple[str, int]]:
    counts = dict(session.exec(select(Review.stage, func.count()).where(
        *mine, Review.stage.not_in(CLOSED_STAGES)).group_by(Review.stage)).all())
    return [(s.label, counts[s.value]) for s in Stage if counts.get(s.value)]


def actions_by_rag(session: Session, mine: tuple, today: date, calendar: WorkingCalendar) -> dict[str, int]:
    """Every action of the reviews not yet concluded, by RAG as the action plan shows it."""
    counts = Counter(plan.rag(a, today, calendar) for a in session.exec(
        select(*plan.RAG_COLUMNS).join(Review, Review.id == PlanAction.review_id)
        .where(*mine, Review.stage != Stage.CONCLUDED.value)))
    return {key: counts.get(key, 0) for key in RAG_ORDER}


def overdue_by_agency(session: Session, mine: tuple, today: date) -> list[tuple[str, int]]:
    """Evidence an agency still owes past its due date, on live reviews: most overdue first."""
    rows = session.exec(
        select(Agency.name, func.count(EvidenceItem.id))
        .join(EvidenceItem, EvidenceItem.agency_id == Agency.id).join(Review, Review.id == EvidenceItem.review_id)
        .where(*mine, Review.stage.not_in(CLOSED_STAGES), EvidenceItem.due_on < today,
               EvidenceItem.status.in_([s.value for s in OPEN_EVIDENCE]))
        .group_by(Agency.name)).all()
    return sorted(((name, n) for name, n in rows), key=lambda r: (-r[1], r[0]))
