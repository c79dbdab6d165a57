"""Retention: the button in a coordinator's reminder, and what is left of a review afterwards."""
from bot.workflow.core.notices import DueLine
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Command, Icon, Mention, SpaceWord, Text, join, text
from bot.workflow.report.retention import KIND, ContentDeleted, Deleted
from messages import tree
from messages.slack.ids import RetentionActionId

MAX_BUTTONS = 5
STAGES_SHOWN = 40


def delete_buttons(lines: list[DueLine]) -> list[tree.Actions]:
    """One "Delete the content" button per review past its retention period, each asking first."""
    refs = sorted({line.reference for line in lines if line.kind == KIND})
    buttons = [tree.Button(f"Delete {ref}'s content", RetentionActionId.CONFIRM, ref, style="danger",
                           confirm=_confirm(ref)) for ref in refs[:MAX_BUTTONS]]
    return [tree.Actions(buttons, id="retention")] if buttons else []


def _confirm(reference: str) -> tree.Confirm:
    return tree.Confirm("Delete the content?", f"This deletes {reference}'s case content for good: narrative, "
                        "chronologies, IMRs, family records, terms of reference, the action plan's text and the "
                        "redaction list. Only the reference, dates, stage history and audit log remain.",
                        yes="Delete", no="Keep it")


CONFIRM_FORM = "dhr.retention.confirm_form"     # where a button cannot ask first (Teams): a dialog asks


def confirm_form(reference: str) -> tree.Form:
    """The button's question as a dialog, for a platform whose buttons cannot ask before they act."""
    asked = _confirm(reference)
    return tree.Form(CONFIRM_FORM, asked.title, [tree.Paragraph(asked.text)], submit=asked.yes, close=asked.no,
                     metadata={"reference": reference})


def deleted_reply(done: Deleted, archive_error: str | None = None, *, platform: str = "Slack", close: str = "archive",
                  by_hand: str = "archive it by hand") -> Text:
    """`archive_error`: the platform's code when it could not close the review's space (archive it; on
    Teams, remove its members)."""
    unarchived = text(f" {platform} could not {close} its ", SpaceWord(), f" ({archive_error}): {by_hand}.") \
        if archive_error else ""
    return text(Icon("wastebasket"), f" The content of {done.reference} is deleted under the retention policy. "
                "Its reference, dates, stage history and audit log remain (", Command(f"status {done.reference}"),
                ").", unarchived)


def content_deleted(n: ContentDeleted) -> tree.Message:
    history = [f"• {d}: {label}" for d, label in n.stages[:STAGES_SHOWN]] or ["• (none recorded)"]
    said = text(Bold(n.reference), f" · {n.stage_label}\nThe content of this review was deleted under the retention "
                f"policy on {n.deleted_on} by ", Mention(PersonRef(n.deleted_by)),
                f" (kept until {n.retain_until}). What remains is the audit skeleton: notified {n.notified_on}, "
                f"concluded {n.concluded_on}, and the stage history:\n", join("\n", history))
    return tree.Message([tree.Paragraph(said)], f"{n.reference}: content deleted under the retention policy")
