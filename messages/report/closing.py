"""A concluded review's closing: the summary posted in its space, the word before it is archived, and
what the person who concluded it is told when the platform could not finish closing it."""
from bot.workflow.core.notices import ClosingSummary, SpaceClosing
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Command, Icon, Mention, SpaceWord, Text, text
from bot.workflow.report.conclusion import ClosingOutcome
from messages import tree


def closing_summary(n: ClosingSummary) -> tree.Message:
    verified = (f"{n.actions_verified} action{'s' if n.actions_verified != 1 else ''} completed and verified. "
                if n.actions_verified or n.audit_on else "")
    audited = text(f"Action plan audited {n.audit_on} by ", Mention(PersonRef(n.audit_by or "")), ".") \
        if n.audit_on else text()
    said = text(Icon("checkered_flag"), " ", Bold(f"{n.reference} is concluded"), f" ({n.concluded_on}, by ",
                Mention(PersonRef(n.by)), f"). {verified}", audited,
                "\nReminders for this review have stopped. The ", SpaceWord(),
                " is renamed and archived; " if n.archived else
                " is renamed and everyone but the coordinator removed from it; ",
                f"its records are kept until {n.retain_until} (the CSP's retention period).")
    return tree.Message([tree.Paragraph(said)], f"{n.reference} is concluded")


def space_closing(n: SpaceClosing) -> tree.Message:
    if not n.archived:      # no archive (Teams): the chat stays, with the coordinator only
        said = text(Icon("lock"), " ", Mention(PersonRef(n.by)), f" concluded {n.reference}, so DHR Bot renamed this ",
                    SpaceWord(), f" \u201c{n.new_name}\u201d on their behalf and is removing everyone but the "
                                 "coordinator now.")
        return tree.Message([tree.Paragraph(said)], said)
    said = text(Icon("lock"), " ", Mention(PersonRef(n.by)), f" concluded {n.reference}, so DHR Bot renamed this "
                f"channel #{n.new_name} on their behalf and is archiving it now.")
    return tree.Message([tree.Paragraph(said)], said)


def closing_unfinished(done: ClosingOutcome, platform: str = "Slack") -> Text:
    return text(f"{done.reference} is concluded, but {platform} could not finish closing its ", SpaceWord(),
                f" ({done.error}). "
                "Run ", Command("conclude"), " in it again to finish.")
