"""National recommendations' lifecycle: drafted (added to the action plan) -> submitted with the
report (the review's submission to the Home Office) -> sent to the department -> its response
recorded. Nothing of this is asked when a recommendation is drafted; each later fact is a step of
`stage`, with its own date, checked against the one before. The export is for the Domestic Abuse
Commissioner's oversight of national recommendations (one row each, its status and dates)."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from bot.workflow.core import fields
from bot.workflow.core.errors import ValidationFailed
from bot.workflow.core.kernel import show_date
from storage.models import Review
from storage.report import Recommendation, ReportStep

BODY_MAX, RESPONSE_MAX, CHOICE_MAX = 200, 3000, 75
STATUSES = {"drafted": "Drafted", "submitted": "Submitted with the report", "sent": "Sent to the department",
            "responded": "Response recorded"}
EXPORT_HEADER = ["Review", "Recommendation number", "Recommendation", "Department", "Status",
                 "Submitted with the report", "Sent to the department", "Response recorded", "Response"]


def submitted_on(session: Session, review_id: int) -> date | None:
    """The day the report first went to the Home Office: the recommendations went with it."""
    return session.exec(select(func.min(ReportStep.on_date)).where(
        ReportStep.review_id == review_id, ReportStep.step == "submit")).one()


def national(session: Session, review_id: int) -> list[Recommendation]:
    return list(session.exec(select(Recommendation).where(
        Recommendation.review_id == review_id, Recommendation.scope == "national").order_by(Recommendation.number)))


def status(rec: Recommendation, submitted: date | None) -> str:
    if rec.national_response_on:
        return "responded"
    if rec.national_sent_on:
        return "sent"
    return "submitted" if submitted else "drafted"


def status_text(rec: Recommendation, submitted: date | None) -> str:
    """"Sent to the Department for Education on Tue 1 Dec 2026": for the plan and its export."""
    key = status(rec, submitted)
    if key == "responded":
        return f"Response from {rec.national_body} recorded ({show_date(rec.national_response_on)})"
    if key == "sent":
        return f"Sent to {rec.national_body} on {show_date(rec.national_sent_on)}; no response yet"
    if key == "submitted":
        return f"Submitted with the report ({show_date(submitted)}); not yet sent to the department"
    return "Drafted; goes to the Home Office with the report"


# ---------------------------------------------------------------- the steps' choices

def _choice(rec: Recommendation) -> str:
    words = f"{rec.number}. {rec.text}"
    return words if len(words) <= CHOICE_MAX else words[: CHOICE_MAX - 1] + "\u2026"


def to_send(session: Session, review: Review) -> dict[str, str]:
    return {str(r.id): _choice(r) for r in national(session, review.id) if not r.national_sent_on}


def awaiting_response(session: Session, review: Review) -> dict[str, str]:
    return {str(r.id): _choice(r) for r in national(session, review.id)
            if r.national_sent_on and not r.national_response_on}


def _chosen(session: Session, review: Review, raw: dict, choices: dict[str, str], errors: dict,
            gone: str) -> Recommendation | None:
    value = raw.get("recommendation")
    if value not in choices:
        errors["recommendation"] = gone if value else "Choose the national recommendation."
        return None
    return session.get(Recommendation, int(value))


# ---------------------------------------------------------------- recording

@dataclass(frozen=True)
class Recorded:
    rec: Recommendation
    on: date


def record_sent(session: Session, review: Review, raw: dict, today: date) -> Recorded:
    errors: dict = {}
    rec = _chosen(session, review, raw, to_send(session, review), errors,
                  "That recommendation is already recorded as sent, or is not a national one of this review.")
    body, error = fields.text(raw.get("body"), label="department", max_len=BODY_MAX, required=False)
    body = body or (rec.national_body if rec else None)
    if error:
        errors["body"] = error
    elif rec and not body:
        errors["body"] = "Name the department it was sent to, e.g. the Department of Health and Social Care."
    on = _date(raw, "sent_on", "date it was sent", today, errors)
    submitted = submitted_on(session, review.id)
    if on and submitted and on < submitted:
        errors["sent_on"] = (f"A national recommendation goes to its department after the report is submitted to "
                             f"the Home Office ({show_date(submitted)}): choose that date or later.")
    if errors:
        raise ValidationFailed(errors)
    assert rec is not None and on is not None
    rec.national_body, rec.national_sent_on = body, on
    session.add(rec)
    return Recorded(rec, on)


def record_response(session: Session, review: Review, raw: dict, today: date) -> Recorded:
    errors: dict = {}
    rec = _chosen(session, review, raw, awaiting_response(session, review), errors,
                  "That recommendation has no response to wait for: it was not sent yet, or its response is "
                  "recorded.")
    on = _date(raw, "response_on", "date of the response", today, errors)
    response, error = fields.text(raw.get("response"), label="response", max_len=RESPONSE_MAX, required=True)
    if error:
        errors["response"] = error
    if rec and on and rec.national_sent_on and on < rec.national_sent_on:
        errors["response_on"] = (f"The response can't come before the recommendation was sent "
                                 f"({show_date(rec.national_sent_on)}).")
    if errors:
        raise ValidationFailed(errors)
    assert rec is not None and on is not None
    rec.national_response_on, rec.national_response = on, response
    session.add(rec)
    return Recorded(rec, on)


def _date(raw: dict, name: str, label: str, today: date, errors: dict) -> date | None:
    value, error = fields.iso_date(raw.get(name), label=label, required=True)
    if error:
        errors[name] = error
    elif value > today:
        errors[name] = f"The {label} can't be in the future."
    return value


# ---------------------------------------------------------------- the export

def export_rows(session: Session, review: Review) -> list[list[str]]:
    submitted = submitted_on(session, review.id)
    return [[review.reference, str(r.number), r.text, r.national_body or "", STATUSES[status(r, submitted)],
             submitted.isoformat() if submitted else "", r.national_sent_on.isoformat() if r.national_sent_on else "",
             r.national_response_on.isoformat() if r.national_response_on else "", r.national_response or ""]
            for r in national(session, review.id)]


def export_filename(review: Review, today: date, ext: str) -> str:
    """Reference and date only: never a name."""
    return f"{review.reference}_national-recommendations_{today.isoformat()}.{ext}"
