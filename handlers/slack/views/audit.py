"""/dhr audit: the latest entries, and the full log as CSV in the review channel."""
import re

from bot.workflow.core import kernel
from bot.workflow.core.kernel import audit
from bot.workflow.views import audit_log
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import reporting
from handlers.slack.platform.forms import int_value
from messages.core.exports import csv_bytes
from messages.core.text import escape
from messages.slack import blocks as bk
from messages.slack.ids import ActionId

MARK = "\x00"    # stands for a mention until the words are escaped (agency names are typed by people)


def _mrkdwn(words: str) -> str:
    return re.sub(f"{MARK}([A-Z0-9]+){MARK}", r"<@\1>", escape(words))


def _who(actor: str) -> str:
    """A person is mentioned; the bot's own jobs (the reminder sweep) are named as the bot."""
    return f"<@{actor}>" if re.fullmatch("[UW][A-Z0-9]+", actor) else "DHR Bot"


@subcommand("audit")
def _audit_command(svc, command, client, respond):
    with svc.db.session() as s:
        review = kernel.review_in_channel(s, command["channel_id"])
        entries = audit_log.latest(s, review, actor_of(command), person=lambda user: f"{MARK}{user}{MARK}")
        lines = [f"`{e.at:%d %b %H:%M}` {_who(e.actor)}: {_mrkdwn(e.words)}" for e in entries] or ["No entries yet."]
        review_id, reference = review.id, review.reference
    respond(response_type="ephemeral", **bk.message([
        bk.section(f"*Audit log of {reference}* (latest {len(entries)})\n" + "\n".join(lines)),
        bk.actions(bk.button("Export the full log as CSV", ActionId.EXPORT_AUDIT, str(review_id))),
    ], f"Audit log of {reference}"))


def register(app, svc: Services) -> None:
    @app.action(ActionId.EXPORT_AUDIT)
    @reporting
    def export(ack, body, action, client, respond):
        ack()
        actor = actor_of(body)
        with svc.db.session() as s:
            review = kernel.get_review(s, int_value(action.get("value")) or 0)
            rows = audit_log.export_rows(s, review, actor)
            filename = audit_log.export_filename(review, svc.clock.today())
            channel = review.space_id
            audit(s, actor.user_id, "audit.exported", svc.clock.now(), review.id, rows=len(rows))
        SlackChat(client).upload(channel, filename, csv_bytes(audit_log.COLUMNS, rows), "Audit log")
        respond(response_type="ephemeral", replace_original=False,
                text=f"The audit log ({len(rows)} entries) is in <#{channel}>.")
