"""The audit log's latest entries, as the coordinator or chair reads them privately."""
import re

from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Mention, Text, text
from bot.workflow.views.audit_log import RichLine
from bot.workflow.views.audit_use_cases import AuditListing
from messages import tree
from messages.slack.ids import ActionId

BOT_JOB = re.compile("[a-z_]+")     # the bot's own jobs ("reminders"): lower-case words, unlike any platform's ids


def _who(actor: str) -> Text:
    """A person is mentioned; the bot's own jobs (the reminder sweep) are named as the bot."""
    return text("DHR Bot") if BOT_JOB.fullmatch(actor) else text(Mention(PersonRef(actor)))


def _line(e: RichLine) -> Text:
    return text(f"{e.at:%d %b %H:%M} ", _who(e.actor), ": ", e.words)


def audit_listing(n: AuditListing) -> tree.Message:
    lines = [_line(e) for e in n.lines] or [text("No entries yet.")]
    said = text(Bold(f"Audit log of {n.reference}"), f" (latest {len(n.lines)})")
    for line in lines:
        said += text("\n", line)
    return tree.Message([tree.Paragraph(said), tree.Actions([
        tree.Button("Export the full log as CSV", ActionId.EXPORT_AUDIT, str(n.review_id))])],
        f"Audit log of {n.reference}")
