"""The hold, lift and extend forms, and their ids (one place, like messages/slack/ids.py)."""
from enum import StrEnum

from bot.workflow.clock.holds import AGENCY_EVIDENCE, MAX_REASON, NO_AGENCY, Hold, HoldForm, LiftForm
from bot.workflow.clock.timeline import ExtendForm
from bot.workflow.clock.timescales import Deadline
from bot.workflow.core.form_spec import Kind
from bot.workflow.core.text import Bold, text
from messages import tree


class TimelineCallbackId(StrEnum):
    HOLD = "dhr.hold"
    LIFT = "dhr.lift"
    EXTEND = "dhr.extend"
    LOADING = "dhr.loading"


class TimelineActionId(StrEnum):
    OPEN_LIFT = "dhr.open_lift"      # the summary card's "Lift a hold" (value: the review's id)


def _show(d) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


# ---------------------------------------------------------------- neutral forms

def hold_form(review_id: int, reference: str, agencies: dict[int, str], reason: str | None) -> tree.Form:
    agency_options = {str(NO_AGENCY): "Not one agency's", **{str(k): v[:75] for k, v in agencies.items()}}
    return tree.Form(TimelineCallbackId.HOLD, "Hold an activity", [
        tree.Paragraph(text(Bold(reference), ": the review goes on during a trial or inquest; record here one "
                            "activity that waits, by agreement with the SIO, the CPS or the coroner. A hold stops that "
                            "activity's reminders and steps only, and never moves a deadline.")),
        HoldForm.activity,
        HoldForm.agency.but(options=agency_options, initial=str(NO_AGENCY),
                            hint=f"Only for \u201c{dict(HoldForm.activity.options)[AGENCY_EVIDENCE]}\u201d."),
        HoldForm.agreed_by, HoldForm.agreed_on, HoldForm.until_on, HoldForm.until_event,
        HoldForm.reason.but(initial=(reason or "")[:MAX_REASON] or None),
    ], submit="Record hold", metadata={"review_id": review_id})


def lift_form(review_id: int, reference: str, holds: list[Hold]) -> tree.Form:
    choices = {str(h.id): f"{h.label}, until {h.until} (agreed by {h.agreed_by})"[:150] for h in holds}
    return tree.Form(TimelineCallbackId.LIFT, "Lift a hold", [
        tree.Paragraph(text(Bold(reference), ": the activity may go ahead again; its reminders start again.")),
        LiftForm.hold.but(options=choices, kind=Kind.RADIO if len(choices) <= 10 else Kind.SELECT,
                          initial=next(iter(choices)) if len(choices) == 1 else None),
    ], submit="Lift", metadata={"review_id": review_id})


def extend_form(review_id: int, reference: str, deadlines: list[Deadline], today_iso: str) -> tree.Form:
    choices = {d.key: f"{d.label} (due {_show(d.due)})" for d in deadlines}
    deadline = ExtendForm.deadline.but(options=choices, kind=Kind.RADIO if len(choices) <= 10 else Kind.SELECT)
    return tree.Form(TimelineCallbackId.EXTEND, "Another timescale", [
        tree.Paragraph(text(Bold(reference), ": record another timescale the CSP agreed for one deadline of the "
                            "statutory guidance: who agreed it, on which date, and the new date. A deadline moves "
                            "only this way. Reminders follow the new date.")),
        deadline, ExtendForm.new_due.but(initial=today_iso), ExtendForm.reason, ExtendForm.agreed_by,
        ExtendForm.agreed_on,
    ], submit="Record", metadata={"review_id": review_id})
