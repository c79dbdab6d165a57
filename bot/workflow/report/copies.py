"""Copies and notices once the report is completed (the CSP's sign-off): a checklist on the summary
card, each line dated with who recorded it, reminded until it is recorded.

Who gets what: each participating agency's senior manager (the agencies of the agreed terms of
reference), the family (a copy, and the publication date in advance), the Home Office, the Domestic
Abuse Commissioner (s9(3B)-(3C) of the 2004 Act), the coroner where the coroner asks, and the
Secretary of State once section 19 of the Victims and Prisoners Act 2024 is in force (a setting,
off by default). The Commissioner's copy and the family's date have their own forms (the stage's
"Copy sent to the Domestic Abuse Commissioner" and `family`); the others are recorded here.
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from bot.workflow.clock.due import DueItem, DueWindow, due_source, leads_by_review
from bot.workflow.core import fields, naming
from bot.workflow.core.errors import ValidationFailed
from bot.workflow.core.kernel import show_date
from bot.workflow.core.stages import Stage
from bot.workflow.evidence import family_steps
from storage.models import Review
from storage.panel import Agency
from storage.report import ReportStep
from storage.terms import TermsOfReference

SEND_WITHIN = 10            # working days after completion: a local target, as for the Commissioner's copy
STEP, COMPLETED = "copy_sent", "csp_sign_off"
FAMILY_COPY, HOME_OFFICE, CORONER, SECRETARY_OF_STATE = "family_copy", "home_office", "coroner", "secretary_of_state"
COMMISSIONER, FAMILY_DATE = "commissioner", "family_date"
LABELS = {FAMILY_COPY: "The family: a copy of the report",
          FAMILY_DATE: "The family: told the publication date in advance",
          HOME_OFFICE: "The Home Office: the final report",
          COMMISSIONER: "The Domestic Abuse Commissioner: a copy",
          CORONER: "The coroner, who asked for a copy",
          SECRETARY_OF_STATE: "The Secretary of State: a copy (section 19, Victims and Prisoners Act 2024)"}
REMINDER = "Copies and notices after sign-off"


def section_19_in_force() -> bool:
    """DHR_STATUTORY_BASIS=2024: section 19 of the 2024 Act adds the Secretary of State's copy."""
    return naming.current().secretary_of_state_copy


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    done_on: date | None = None
    by: str | None = None           # who recorded it
    recorded_here: bool = True      # else recorded with its own form (the Commissioner's, the family's date)
    reminded: bool = True           # the coroner's copy is only sent when asked: listed, never reminded


# ---------------------------------------------------------------- the checklist

def completed_on(session: Session, review_id: int) -> date | None:
    return session.exec(select(func.min(ReportStep.on_date)).where(
        ReportStep.review_id == review_id, ReportStep.step == COMPLETED)).one()


def agencies_of(session: Session, review_id: int) -> dict[int, str]:
    """The participating agencies: those of the latest agreed terms of reference."""
    return agencies_by_review(session, [review_id]).get(review_id, {})


def agencies_by_review(session: Session, review_ids: list[int]) -> dict[int, dict[int, str]]:
    """The same for many reviews at once (the reminder sweep): two queries."""
    latest: dict[int, list[int]] = {}
    for terms in session.exec(select(TermsOfReference).where(
            TermsOfReference.review_id.in_(review_ids), TermsOfReference.agreed_on.is_not(None))
            .order_by(TermsOfReference.review_id, TermsOfReference.version)):
        latest[terms.review_id] = [int(i) for i in terms.agency_ids]
    wanted_ids = {i for ids in latest.values() for i in ids}
    names = {a.id: a.name for a in session.exec(select(Agency).where(Agency.id.in_(wanted_ids)))} \
        if wanted_ids else {}
    return {review_id: dict(sorted(((i, names[i]) for i in ids if i in names), key=lambda p: p[1]))
            for review_id, ids in latest.items()}


def wanted(agencies: dict[int, str], *, section_19: bool | None = None) -> list[tuple[str, str]]:
    """(key, label) of every copy recorded with this checklist's own form, in the card's order."""
    s19 = section_19_in_force() if section_19 is None else section_19
    lines = [(f"agency-{i}", f"{name}: the senior manager's copy") for i, name in agencies.items()]
    lines += [(FAMILY_COPY, LABELS[FAMILY_COPY]), (HOME_OFFICE, LABELS[HOME_OFFICE])]
    return lines + ([(SECRETARY_OF_STATE, LABELS[SECRETARY_OF_STATE])] if s19 else []) + [(CORONER, LABELS[CORONER])]


def checklist(session: Session, review: Review, *, section_19: bool | None = None) -> list[Line]:
    """Every line, once the report is completed; nothing before."""
    if completed_on(session, review.id) is None:
        return []
    sent = _recorded(session, review.id)
    lines = [Line(key, label, *sent.get(key, (None, None)), reminded=key != CORONER)
             for key, label in wanted(agencies_of(session, review.id), section_19=section_19)]
    dac = session.exec(select(ReportStep).where(ReportStep.review_id == review.id, ReportStep.step == "dac_copy")
                       .order_by(ReportStep.id.desc())).first()
    told = family_steps.steps(session, review.id).get("publication_told")
    lines.insert(len(lines) - 1, Line(COMMISSIONER, LABELS[COMMISSIONER], dac.on_date if dac else None,
                                      dac.recorded_by if dac else None, recorded_here=False))
    lines.insert(len(lines) - 1, Line(FAMILY_DATE, LABELS[FAMILY_DATE], told.on_date if told else None,
                                      told.recorded_by if told else None, recorded_here=False))
    return lines


def _recorded(session: Session, review_id: int) -> dict[str, tuple[date, str]]:
    rows = session.exec(select(ReportStep).where(ReportStep.review_id == review_id, ReportStep.step == STEP)
                        .order_by(ReportStep.id))
    return {row.outcome: (row.on_date, row.recorded_by) for row in rows}


def open_choices(session: Session, review: Review) -> dict[str, str]:
    """The copies still to record with this checklist's form: the form's choices."""
    return {line.key: line.label for line in checklist(session, review) if line.recorded_here and not line.done_on}


# ---------------------------------------------------------------- recording one

def validate(session: Session, review: Review, raw: dict, today: date) -> tuple[str, date, str]:
    """One copy or notice sent: to whom (still open), on which day (from completion, not in the future)."""
    errors = {}
    choices = open_choices(session, review)
    recipient, error = fields.choice(raw.get("recipient"), choices, label="copy")
    if error:
        errors["recipient"] = ("That copy is already recorded, or is not on this review's list: choose one still "
                               "to record." if raw.get("recipient") else error)
    on, error = fields.iso_date(raw.get("sent_on"), label="date it was sent", required=True)
    completed = completed_on(session, review.id)
    if error:
        errors["sent_on"] = error
    elif on > today:
        errors["sent_on"] = "The date it was sent can't be in the future."
    elif completed and on < completed:
        errors["sent_on"] = (f"Copies go once the report is completed: the CSP signed it off on "
                             f"{show_date(completed)}; choose that date or later.")
    if errors:
        raise ValidationFailed(errors)
    return recipient, on, choices[recipient][:200]


def summary(row: ReportStep) -> str:
    """"Copy sent: Northshire Police: the senior manager's copy (1 Dec 2026)"."""
    return f"Copy sent: {row.place or 'a copy'} ({show_date(row.on_date)})"


# ---------------------------------------------------------------- the reminder

@due_source("copies")
def copies_and_notices(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """One reminder per copy not yet recorded, due SEND_WITHIN working days after completion and
    repeated while overdue (the Commissioner's and the family's date have their own reminders)."""
    latest = window.due_until - timedelta(days=SEND_WITHIN)   # n working days are at least n days
    rows = session.exec(
        select(Review.id, Review.reference, Review.space_id, func.min(ReportStep.on_date))
        .join(ReportStep, ReportStep.review_id == Review.id)
        .where(ReportStep.step == COMPLETED, Review.stage != Stage.CONCLUDED.value, window.reviews(Review.id))
        .group_by(Review.id, Review.reference, Review.space_id)
        .having(func.min(ReportStep.on_date) <= latest)).all()
    ids = [r[0] for r in rows]
    leads, sent, agencies = leads_by_review(session, ids), _sent_by_review(session, ids), \
        agencies_by_review(session, ids)
    items = []
    for review_id, reference, space_id, completed in rows:
        due = window.add_working_days(completed, SEND_WITHIN)
        still = [key for key, _ in wanted(agencies.get(review_id, {}))
                 if key != CORONER and key not in sent[review_id]]
        if due <= window.due_until and still and leads.get(review_id):
            # one reminder for the list, however many are left: it names no recipient (an agency's name
            # with the review's reference would say which agencies a death involved)
            items.append(DueItem(review_id=review_id, reference=reference, space_id=space_id, kind="copies",
                                 key="copies", label=f"{REMINDER}: {len(still)} still to record", due=due,
                                 owners=leads[review_id], since=completed))
    return items


def _sent_by_review(session: Session, ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    if ids:
        for review_id, key in session.exec(select(ReportStep.review_id, ReportStep.outcome).where(
                ReportStep.review_id.in_(ids), ReportStep.step == STEP)):
            out[review_id].add(key)
    return out
