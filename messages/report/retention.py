"""Retention: the button in a coordinator's reminder, and what is left of a review afterwards."""
from slack_sdk.models.blocks import ConfirmObject

from bot.workflow.core.notices import DueLine
from bot.workflow.core.text import Command, Icon, Text, text
from bot.workflow.report.retention import KIND, ContentDeleted, Deleted
from messages.core.text import escape
from messages.slack import blocks as bk
from messages.slack.ids import RetentionActionId

MAX_BUTTONS = 5


def delete_buttons(lines: list[DueLine]) -> list:
    """One "Delete the content" button per review past its retention period, each with a warning."""
    refs = sorted({line.reference for line in lines if line.kind == KIND})
    buttons = [bk.button(f"Delete {ref}'s content", RetentionActionId.CONFIRM, ref, style="danger")
               for ref in refs[:MAX_BUTTONS]]
    for button in buttons:
        button.confirm = ConfirmObject(
            title="Delete the content?", confirm="Delete", deny="Keep it", style="danger",
            text=f"This deletes {button.value}'s case content for good: narrative, chronologies, IMRs, "
                 "family records, terms of reference, the action plan's text and the redaction list. "
                 "Only the reference, dates, stage history and audit log remain.")
    return [bk.actions(*buttons, block_id="retention")] if buttons else []


def deleted_reply(done: Deleted, archive_error: str | None = None) -> Text:
    """`archive_error`: the platform's code when it could not archive the review's space."""
    unarchived = f" Slack could not archive its channel ({archive_error}): archive it by hand." if archive_error else ""
    return text(Icon("wastebasket"), f" The content of {done.reference} is deleted under the retention policy. "
                "Its reference, dates, stage history and audit log remain (", Command(f"status {done.reference}"),
                f").{unarchived}")


def content_deleted(n: ContentDeleted) -> dict:
    history = "\n".join(f"• {d}: {escape(label)}" for d, label in n.stages) or "• (none recorded)"
    text = (f"*{escape(n.reference)}* · {escape(n.stage_label)}\n"
            f"The content of this review was deleted under the retention policy on {n.deleted_on} "
            f"by <@{n.deleted_by}> (kept until {n.retain_until}). What remains is the audit skeleton: "
            f"notified {n.notified_on}, concluded {n.concluded_on}, and the stage history:\n{history}")
    return bk.message([bk.section(text[:2900])], f"{n.reference}: content deleted under the retention policy")
