"""The family's involvement, step by step: their input to the terms of reference, the pseudonym they
chose, a tribute or pen portrait, the advocate they chose and the referral made, and being told the
QA outcome and the publication date before it happens. Each step is dated and says who recorded it;
a contact is named by relationship only. Publication waits for the family to have been told the
date, unless a reason is recorded (report.py asks publication_check)."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from bot.workflow.core import fields
from bot.workflow.core.errors import NotFound
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit, authorize, show_date
from bot.workflow.core.permissions import Operation
from bot.workflow.evidence import family
from storage.family import FamilyContact, FamilyStep
from storage.models import Review
from storage.report import ReportStep

STEPS = {
    "tor_input": "Gave their input to the terms of reference",
    "pseudonym": "Chose the pseudonym",
    "tribute": "Tribute or pen portrait",
    "advocate": "Chose an advocate; referral made",
    "qa_outcome_told": "Told the QA outcome",
    "publication_told": "Told the publication date",
}
ADVOCATES = {"aafda": "AAFDA (Advocacy After Fatal Domestic Abuse)",
             "homicide_service": "National Homicide Service",
             "other_specialist": "Another specialist advocacy service",
             "declined": "Declined advocacy"}
TRIBUTES = {"tribute": "Tribute written by the family", "pen_portrait": "Pen portrait",
            "declined": "Did not wish to give one"}
DETAIL_CHOICES = {"advocate": ADVOCATES, "tribute": TRIBUTES}
MAX_PSEUDONYM = 40


class StepForm(FormSpec):
    """`contact` is offered only when the review has contacts (their relationships, when built)."""

    kind = Field("Step", Kind.RADIO, options=STEPS)
    on = Field("Date of the step", Kind.DATE)
    contact = Field("Which contact (optional)", Kind.SELECT, required=False)
    pseudonym = Field("Pseudonym they chose (for that step)", required=False, max_length=MAX_PSEUDONYM,
                      hint="Never the real name.")
    tribute = Field("Tribute or pen portrait (for that step)", Kind.RADIO, required=False, options=TRIBUTES)
    advocate = Field("Advocate chosen (for that step)", Kind.RADIO, required=False, options=ADVOCATES)
# What the card reminds the coordinator of, by stage: the step is due before the stage's move.
DUE_IN_STAGE = {"setup": ("tor_input",), "amending": ("qa_outcome_told", "publication_told")}


@dataclass(frozen=True)
class StepLine:
    kind: str
    text: str            # "Told the publication date: Tue 1 Dec 2026 (mother)"
    recorded_by: str     # user id, rendered by messages/


def steps(session: Session, review_id: int) -> dict[str, FamilyStep]:
    rows = session.exec(select(FamilyStep).where(FamilyStep.review_id == review_id)).all()
    return {r.kind: r for r in rows}


def _contact(session: Session, review: Review, raw, errors: dict) -> FamilyContact | None:
    if not raw:
        return None
    try:
        row = family.contact_for(session, review, int(raw))
    except (ValueError, TypeError, NotFound):
        row = None
    if row is None:
        errors[StepForm.contact.key] = "Choose one of this review's contacts from the list."
    return row


def _qa_letter_on(session: Session, review_id: int) -> date | None:
    row = session.exec(select(ReportStep).where(ReportStep.review_id == review_id, ReportStep.step == "qa_outcome")
                       .order_by(ReportStep.id.desc())).first()
    return row.on_date if row else None


def _validate(session: Session, review: Review, raw: dict, today: date) -> dict:
    f, errors = StepForm, {}
    kind, err = fields.choice(f.kind.of(raw), STEPS, label="step")
    if err:
        errors[f.kind.key] = err
    on, err = fields.iso_date(f.on.of(raw), label="date of the step")
    if err:
        errors[f.on.key] = err
    elif on > today:
        errors[f.on.key] = "The date of the step can't be in the future."
    elif on < review.notified_on:
        errors[f.on.key] = f"The date can't be before the notification ({show_date(review.notified_on)})."
    contact = _contact(session, review, f.contact.of(raw), errors)
    detail = None
    if kind == "pseudonym":
        detail, err = fields.text(f.pseudonym.of(raw), label="pseudonym the family chose", max_len=MAX_PSEUDONYM)
        errors.update({f.pseudonym.key: err} if err else {})
    elif kind in DETAIL_CHOICES:
        detail, err = fields.choice(raw.get(kind), DETAIL_CHOICES[kind], label="answer")
        errors.update({kind: err} if err else {})
    if kind == "qa_outcome_told" and on and f.on.key not in errors:
        letter_on = _qa_letter_on(session, review.id)
        if letter_on is None:
            errors[f.kind.key] = "No QA outcome is recorded yet: record it first, then that the family was told."
        elif on < letter_on:
            errors[f.on.key] = f"They can't have been told before the QA panel's letter ({show_date(letter_on)})."
    if errors:
        raise f.invalid(errors)
    return {"kind": kind, "on_date": on, "contact_number": contact.number if contact else None, "detail": detail}


def record(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime, today: date) -> FamilyStep:
    authorize(session, review, actor, Operation.RECORD_FAMILY_CONTACT)
    values = _validate(session, review, raw, today)
    row = steps(session, review.id).get(values["kind"]) or FamilyStep(review_id=review.id, kind=values["kind"],
                                                                      on_date=values["on_date"],
                                                                      recorded_by=actor.user_id, recorded_at=now)
    for key, value in values.items():
        setattr(row, key, value)
    row.recorded_by, row.recorded_at = actor.user_id, now
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "family.step_recorded", now, review.id, kind=row.kind,
          on=row.on_date.isoformat(), contact=row.contact_number)
    return row


def lines(session: Session, review_id: int) -> list[StepLine]:
    rel = {c.number: family.relationship_label(c).lower() for c in family.contacts(session, review_id)}
    recorded, out = steps(session, review_id), []
    for kind, label in STEPS.items():
        row = recorded.get(kind)
        if row is None:
            continue
        detail = DETAIL_CHOICES[kind][row.detail] if kind in DETAIL_CHOICES else row.detail
        who = f" ({rel[row.contact_number]})" if row.contact_number in rel else ""
        out.append(StepLine(kind, f"{label}: {show_date(row.on_date)}{who}" + (f", {detail}" if detail else ""),
                            row.recorded_by))
    return out


def due(session: Session, review: Review) -> list[str]:
    """Steps the coordinator should record before the review moves on from its stage."""
    done = steps(session, review.id)
    return [f"Family: {STEPS[k].lower()}: not recorded yet." for k in DUE_IN_STAGE.get(review.stage, ())
            if k not in done]


def publication_check(session: Session, review_id: int, published_on: date | None, reason: str | None) -> str | None:
    """An error for the publication form, or None: the family is told the date before publication."""
    told = steps(session, review_id).get("publication_told")
    if reason or published_on is None:
        return None
    if told is None:
        return ("The family hasn't been recorded as told the publication date. Record that first, or give the "
                "reason they were not told.")
    if told.on_date > published_on:
        return (f"The family was told on {show_date(told.on_date)}, after this publication date. Check the date, "
                "or give the reason they were not told beforehand.")
    return None
