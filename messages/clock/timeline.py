"""The pause and extend forms, and their ids (one place, like messages/slack/ids.py)."""
from enum import StrEnum

from bot.workflow.clock.timeline import MAX_PAUSE_REASON, ExtendForm, PauseForm
from bot.workflow.clock.timescales import Deadline
from bot.workflow.core.form_spec import Kind
from bot.workflow.core.text import Bold, text
from messages import tree


class TimelineCallbackId(StrEnum):
    PAUSE = "dhr.pause"
    EXTEND = "dhr.extend"
    LOADING = "dhr.loading"


def _show(d) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


# ---------------------------------------------------------------- neutral forms

def pause_form(review_id: int, reference: str, reason: str | None) -> tree.Form:
    return tree.Form(TimelineCallbackId.PAUSE, "Pause review", [
        tree.Paragraph(text(Bold(reference), ": pausing holds the statutory guidance's timescales. When you resume, "
                            "every later deadline moves by the days paused; until then no reminders go for them.")),
        PauseForm.kind,
        PauseForm.reason.but(initial=(reason or "")[:MAX_PAUSE_REASON] or None),
    ], submit="Pause", metadata={"review_id": review_id})


def extend_form(review_id: int, reference: str, deadlines: list[Deadline], today_iso: str) -> tree.Form:
    choices = {d.key: f"{d.label} (due {_show(d.due)})" for d in deadlines}
    deadline = ExtendForm.deadline.but(options=choices, kind=Kind.RADIO if len(choices) <= 10 else Kind.SELECT)
    return tree.Form(TimelineCallbackId.EXTEND, "Extend a deadline", [
        tree.Paragraph(text(Bold(reference), ": record another timescale the CSP agreed for one deadline of the "
                            "guidance. Reminders follow the new date.")),
        deadline, ExtendForm.new_due.but(initial=today_iso), ExtendForm.reason, ExtendForm.agreed_by,
    ], submit="Record", metadata={"review_id": review_id})
