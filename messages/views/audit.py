"""The audit log's latest entries, as the coordinator or chair reads them privately."""
import re

from bot.workflow.views.audit_use_cases import AuditListing
from messages.slack import blocks as bk
from messages.slack import render
from messages.slack.ids import ActionId


def _who(actor: str) -> str:
    """A person is mentioned; the bot's own jobs (the reminder sweep) are named as the bot."""
    return f"<@{actor}>" if re.fullmatch("[UW][A-Z0-9]+", actor) else "DHR Bot"


def audit_listing(n: AuditListing) -> dict:
    lines = [f"`{e.at:%d %b %H:%M}` {_who(e.actor)}: {render.mrkdwn(e.words)}" for e in n.lines] \
        or ["No entries yet."]
    return bk.message([
        bk.section(f"*Audit log of {n.reference}* (latest {len(n.lines)})\n" + "\n".join(lines)),
        bk.actions(bk.button("Export the full log as CSV", ActionId.EXPORT_AUDIT, str(n.review_id))),
    ], f"Audit log of {n.reference}")
