"""The /dhr pause and /dhr extend modals, and their ids (one place, like messages/slack/ids.py)."""
import json
from enum import StrEnum

from bot.workflow.clock.timescales import PAUSE_KINDS, Deadline
from messages.slack import blocks as bk


class TimelineCallbackId(StrEnum):
    PAUSE = "dhr.pause"
    EXTEND = "dhr.extend"
    LOADING = "dhr.loading"


PAUSE_FIELDS = frozenset({"kind", "reason"})
EXTEND_FIELDS = frozenset({"deadline", "new_due", "reason", "agreed_by"})


def _show(d) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def pause(review_id: int, reference: str, reason: str | None) -> dict:
    blocks = [
        bk.section(f"*{reference}*: pausing holds the statutory guidance's timescales. When you resume, "
                   "every later deadline moves by the days paused; until then no reminders go for them."),
        bk.select_input("kind", "What is the review waiting for?", PAUSE_KINDS),
        bk.text_input("reason", "Reason", initial=(reason or "")[:500] or None, multiline=True, max_length=500,
                      hint="For example the trial or inquest date. Pseudonyms only, never a real name."),
    ]
    return bk.modal("Pause review", blocks, callback_id=TimelineCallbackId.PAUSE, submit="Pause", close="Cancel",
                    private_metadata=json.dumps({"review_id": review_id}))


def extend(review_id: int, reference: str, deadlines: list[Deadline], today_iso: str) -> dict:
    choices = {d.key: f"{d.label} (due {_show(d.due)})" for d in deadlines}
    blocks = [
        bk.section(f"*{reference}*: record another timescale the CSP agreed for one deadline of the guidance. "
                   "Reminders follow the new date."),
        bk.radio_input("deadline", "Deadline", choices) if len(choices) <= 10 else
        bk.select_input("deadline", "Deadline", choices),
        bk.date_input("new_due", "New due date", initial=today_iso),
        bk.text_input("reason", "Reason", multiline=True, max_length=1000,
                      hint="Why the CSP agreed another timescale. Pseudonyms only."),
        bk.text_input("agreed_by", "Who at the CSP agreed it", max_length=200,
                      placeholder="e.g. the CSP chair, at the partnership meeting"),
    ]
    return bk.modal("Extend a deadline", blocks, callback_id=TimelineCallbackId.EXTEND, submit="Record",
                    close="Cancel", private_metadata=json.dumps({"review_id": review_id}))
