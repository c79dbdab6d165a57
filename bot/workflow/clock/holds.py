"""Holds: one activity of a review waits, by agreement with a parallel process (a criminal trial, an
inquest, an IOPC investigation), while the rest of the review goes on.

A hold records who agreed it (the SIO, the CPS, the coroner), on which day, and until when or until what
event. A hold stops the reminders and steps of its own activity only, and never moves a deadline: only
another timescale agreed by the CSP does (timeline.extend). When a hold's date passes, the coordinators are
reminded to lift it or record it again (the "hold" due source below); it is never lifted silently.
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.clock.due import DueItem, DueWindow, due_source, leads_by_review, one_of
from bot.workflow.core import fields
from bot.workflow.core.errors import ValidationFailed, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit, authorize, show_date
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, text
from storage.evidence import EvidenceItem
from storage.models import Membership, Review
from storage.panel import Agency
from storage.timeline import ActivityHold

WITNESS_INTERVIEWS, FAMILY_CONTACT, PERPETRATOR_INTERVIEW = "witness_interviews", "family_contact", "perpetrator"
PUBLICATION, AGENCY_EVIDENCE = "publication", "agency_evidence"
ACTIVITIES: dict[str, str] = {
    WITNESS_INTERVIEWS: "Interviews with witnesses",
    FAMILY_CONTACT: "Contact with the family",
    PERPETRATOR_INTERVIEW: "Interview with the alleged perpetrator",
    PUBLICATION: "Publication of the report",
    AGENCY_EVIDENCE: "One agency's chronology and IMR",
}
MAX_REASON = 500
MAX_AGREED_BY = 200
MAX_EVENT = 200
NO_AGENCY = 0


class HoldForm(FormSpec):
    """The agency's options (the review's agencies) are given when the form is built."""

    activity = Field("Activity to hold", Kind.SELECT, options=ACTIVITIES)
    agency = Field("Agency (when one agency's evidence is held)", Kind.SELECT, required=False,
                   options={"0": "Not one agency's"})
    agreed_by = Field("Who agreed the hold", max_length=MAX_AGREED_BY,
                      placeholder="e.g. SIO, Northshire Police / the CPS / the coroner")
    agreed_on = Field("Date it was agreed", Kind.DATE)
    until_on = Field("Held until (date)", Kind.DATE, required=False,
                     hint="A date, or the event below: one of the two.")
    until_event = Field("Or held until (event)", required=False, max_length=MAX_EVENT,
                        placeholder="e.g. the end of the criminal trial")
    reason = Field("Reason", Kind.MULTILINE, max_length=MAX_REASON,
                   hint="What the parallel process needs. Pseudonyms only, never a real name.")


class LiftForm(FormSpec):
    """The hold's options (the review's open holds) are given when the form is built."""

    hold = Field("Hold to lift", Kind.RADIO)


@dataclass(frozen=True)
class Hold:
    id: int
    activity: str
    agency_id: int
    agency: str | None
    agreed_by: str
    agreed_on: date
    until_on: date | None
    until_event: str | None
    reason: str

    @property
    def label(self) -> str:
        if self.activity == AGENCY_EVIDENCE and self.agency:
            return f"{self.agency}'s chronology and IMR"
        return ACTIVITIES.get(self.activity, self.activity)

    @property
    def in_sentence(self) -> str:
        return _in_sentence(self.activity, self.agency)

    @property
    def until(self) -> str:
        return show_date(self.until_on) if self.until_on else (self.until_event or "not recorded")

    def describe(self) -> str:
        """"Interviews with witnesses: held, agreed by the CPS on Tue 1 Dec 2026, until the end of the trial"."""
        return (f"{self.label}: held, agreed by {self.agreed_by} on {show_date(self.agreed_on)}, "
                f"until {self.until}")


def _in_sentence(activity: str, agency: str | None) -> str:
    """The label inside a sentence: "interviews with witnesses", but an agency keeps its capitals
    ("Northshire NHS Trust's chronology and IMR")."""
    if activity == AGENCY_EVIDENCE and agency:
        return f"{agency}'s chronology and IMR"
    return fields.sentence_start(ACTIVITIES.get(activity, activity))


def _to_hold(row: ActivityHold, agencies: dict[int, str], reason: bool) -> Hold:
    return Hold(row.id or 0, row.activity, row.agency_id, agencies.get(row.agency_id), row.agreed_by, row.agreed_on,
                row.until_on, row.until_event, row.reason if reason else "")


def open_holds(session: Session, review_id: int, *, reasons: bool = False) -> list[Hold]:
    rows = session.exec(select(ActivityHold).where(ActivityHold.review_id == review_id,
                                                   ActivityHold.lifted_on.is_(None)).order_by(ActivityHold.id)).all()
    names = _agency_names(session, [r.agency_id for r in rows])
    return [_to_hold(r, names, reasons) for r in rows]


def held_agencies(session: Session, review_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(review, agency) pairs whose evidence is held: their requests send no reminders."""
    ids = sorted(set(review_ids))
    if not ids:
        return set()
    return {(r, a) for r, a in session.exec(select(ActivityHold.review_id, ActivityHold.agency_id).where(
        one_of(session, ActivityHold.review_id, ids), ActivityHold.activity == AGENCY_EVIDENCE,
        ActivityHold.lifted_on.is_(None)))}


def held_reviews(session: Session, review_ids: Iterable[int], activity: str) -> set[int]:
    """The reviews among these whose `activity` is held: its reminders stop."""
    ids = sorted(set(review_ids))
    if not ids:
        return set()
    return set(session.exec(select(ActivityHold.review_id).where(
        one_of(session, ActivityHold.review_id, ids), ActivityHold.activity == activity,
        ActivityHold.lifted_on.is_(None))))


def holds_by_review(session: Session, review_ids: Iterable[int]) -> dict[int, list[Hold]]:
    """Open holds of many reviews (no reasons): home and the weekly status."""
    ids = sorted(set(review_ids))
    out: dict[int, list[Hold]] = defaultdict(list)
    if not ids:
        return out
    rows = session.exec(select(ActivityHold).where(one_of(session, ActivityHold.review_id, ids),
                                                   ActivityHold.lifted_on.is_(None)).order_by(ActivityHold.id)).all()
    names = _agency_names(session, [r.agency_id for r in rows])
    for r in rows:
        out[r.review_id].append(_to_hold(r, names, False))
    return out


def refuse_if_held(session: Session, review: Review, activity: str, verb: str) -> None:
    """Refuses a step of a held activity with the hold's own words: who agreed, until when."""
    hold = next((h for h in open_holds(session, review.id) if h.activity == activity), None)
    if hold:
        raise WorkflowError(text(f"Can't {verb}: {hold.in_sentence} is held, agreed by {hold.agreed_by} on "
                                 f"{show_date(hold.agreed_on)}, until {hold.until}. ", Command("lift"),
                                 " records that the hold is over."))


def review_agencies(session: Session, review: Review) -> dict[int, str]:
    """The agencies taking part: on the panel or asked for evidence."""
    ids = set(session.exec(select(EvidenceItem.agency_id).where(EvidenceItem.review_id == review.id)))
    ids |= {a for a in session.exec(select(Membership.agency_id).where(
        Membership.review_id == review.id, Membership.agency_id.is_not(None))) if a}
    return dict(sorted(_agency_names(session, ids).items(), key=lambda kv: kv[1]))


def _agency_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {a.id: a.name for a in session.exec(select(Agency).where(Agency.id.in_(wanted))) if a.id}


# ---------------------------------------------------------------- recording and lifting

def check_can_hold(session: Session, review: Review, actor: Actor) -> dict[int, str]:
    """Before showing the form: a clear refusal rather than a form that can't be submitted. Returns the
    review's agencies for the form's agency list."""
    authorize(session, review, actor, Operation.HOLD_ACTIVITY)
    if Stage(review.stage) is Stage.CONCLUDED:
        raise WorkflowError("This review is concluded, so there is nothing to hold.")
    return review_agencies(session, review)


def hold(session: Session, review: Review, actor: Actor, raw: dict[str, Any], *, now: datetime,
         today: date) -> ActivityHold:
    agencies = check_can_hold(session, review, actor)
    values = _validated(raw, agencies, today)
    row = ActivityHold(review_id=review.id, started_by=actor.user_id, started_at=now, **values)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:   # the same activity is already held (or was, a moment ago, by someone else)
        raise ValidationFailed({HoldForm.activity.key: "This activity is already held. Lift that hold first, or "
                                                      "choose another activity."}) from None
    audit(session, actor.user_id, "hold.recorded", now, review.id, activity=row.activity, agency_id=row.agency_id,
          agreed_by=row.agreed_by, agreed_on=row.agreed_on.isoformat(),
          until=row.until_on.isoformat() if row.until_on else row.until_event)
    return row


def _validated(raw: dict[str, Any], agencies: dict[int, str], today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    activity = raw.get(HoldForm.activity.key)
    if activity not in ACTIVITIES:
        errors[HoldForm.activity.key] = "Choose the activity to hold from the list."
    agency_id = _agency(raw.get(HoldForm.agency.key), activity, agencies, errors)
    agreed_by, error = fields.text(raw.get(HoldForm.agreed_by.key), label="name of who agreed the hold",
                                   max_len=MAX_AGREED_BY, single_line=True)
    if error:
        errors[HoldForm.agreed_by.key] = error if _given(raw, HoldForm.agreed_by) else \
            "Say who agreed the hold (for example the SIO, the CPS or the coroner)."
    agreed_on, error = fields.iso_date(raw.get(HoldForm.agreed_on.key), label="date the hold was agreed")
    if error:
        errors[HoldForm.agreed_on.key] = error
    elif agreed_on and agreed_on > today:
        errors[HoldForm.agreed_on.key] = f"A hold can't be agreed in the future; choose {show_date(today)} or earlier."
    until_on, error = fields.iso_date(raw.get(HoldForm.until_on.key), label="date the hold ends", required=False)
    event, event_error = fields.text(raw.get(HoldForm.until_event.key), label="event the hold waits for",
                                     max_len=MAX_EVENT, required=False, single_line=True)
    if error or event_error:
        errors.update({k: e for k, e in ((HoldForm.until_on.key, error), (HoldForm.until_event.key, event_error)) if e})
    elif until_on and event:
        errors[HoldForm.until_event.key] = "Give a date or an event, not both (clear one of them)."
    elif not until_on and not event:
        errors[HoldForm.until_on.key] = "Say until when the activity is held: a date, or the event below."
        errors[HoldForm.until_event.key] = "Or name the event it waits for (for example the end of the trial)."
    elif until_on and agreed_on and until_on < agreed_on:
        errors[HoldForm.until_on.key] = f"The hold was agreed on {show_date(agreed_on)}; it can't end before that."
    reason, error = fields.text(raw.get(HoldForm.reason.key), label="reason", max_len=MAX_REASON)
    if error:
        errors[HoldForm.reason.key] = error if _given(raw, HoldForm.reason) else \
            "Say what the parallel process needs (for example, witnesses give evidence at the trial first)."
    if errors:
        raise ValidationFailed(errors)
    return dict(activity=activity, agency_id=agency_id, agreed_by=agreed_by, agreed_on=agreed_on, until_on=until_on,
                until_event=event, reason=reason)


def _given(raw: dict[str, Any], field: Field) -> bool:
    return bool(str(raw.get(field.key) or "").strip())


def _agency(raw: object, activity: object, agencies: dict[int, str], errors: dict[str, str]) -> int:
    chosen = int(raw) if isinstance(raw, str) and raw.isdigit() else NO_AGENCY
    if activity == AGENCY_EVIDENCE and chosen not in agencies:
        errors[HoldForm.agency.key] = "Choose the agency whose chronology and IMR are held."
    elif activity != AGENCY_EVIDENCE and chosen:
        errors[HoldForm.agency.key] = "Only one agency's evidence is held for an agency: leave this empty."
    return chosen if activity == AGENCY_EVIDENCE else NO_AGENCY


def liftable(session: Session, review: Review, actor: Actor) -> list[Hold]:
    authorize(session, review, actor, Operation.HOLD_ACTIVITY)
    holds = open_holds(session, review.id)
    if not holds:
        raise WorkflowError(f"{review.reference} has no activity on hold, so there is nothing to lift.")
    return holds


def lift(session: Session, review: Review, actor: Actor, hold_id: object, *, now: datetime, today: date) -> Hold:
    """Lifts one open hold of this review. A hold id of another review, or one already lifted, is refused."""
    holds = {h.id: h for h in liftable(session, review, actor)}
    chosen = holds.get(int(hold_id) if isinstance(hold_id, (int, str)) and str(hold_id).isdigit() else -1)
    if chosen is None:
        raise ValidationFailed({LiftForm.hold.key: f"That hold isn't open on {review.reference} (it may have been "
                                                   "lifted a moment ago). Choose one from the list."})
    row = session.get(ActivityHold, chosen.id)
    assert row is not None
    row.lifted_on, row.lifted_by, row.lifted_at = today, actor.user_id, now
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "hold.lifted", now, review.id, activity=row.activity, agency_id=row.agency_id,
          agreed_on=row.agreed_on.isoformat(), lifted_on=today.isoformat())
    return chosen


# ---------------------------------------------------------------- the sweep: a hold whose date has passed

@due_source("hold")
def holds_past_their_date(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """A hold whose date comes within the window: its coordinators and chairs are reminded to lift it or
    record it again (with who agreed the new date). A hold waiting for an event has no date to remind of."""
    rows = session.exec(
        select(ActivityHold.id, ActivityHold.review_id, ActivityHold.activity, ActivityHold.agency_id,
               ActivityHold.until_on, ActivityHold.agreed_on, Review.reference, Review.space_id)
        .join(Review, Review.id == ActivityHold.review_id)
        .where(ActivityHold.lifted_on.is_(None), ActivityHold.until_on.is_not(None),
               ActivityHold.until_on <= window.due_until, Review.stage != Stage.CONCLUDED.value,
               window.reviews(ActivityHold.review_id))).all()
    if not rows:
        return []
    leads = leads_by_review(session, [r.review_id for r in rows])
    agencies = _agency_names(session, [r.agency_id for r in rows])
    return [DueItem(review_id=r.review_id, reference=r.reference, space_id=r.space_id, kind="hold", key=str(r.id),
                    label=f"Hold on {_in_sentence(r.activity, agencies.get(r.agency_id))} ends: lift it or agree it "
                          "again",
                    due=r.until_on, owners=leads[r.review_id], since=r.until_on, once=True)
            for r in rows if leads.get(r.review_id)]
