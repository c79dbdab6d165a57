"""Retention: the reminder's *Delete* button and `/dhr retention confirm DHR-YYYY-NN` delete a
concluded review's content once its retention period is over (coordinator or CSP admin)."""
from bot.workflow.core.errors import WorkflowError
from bot.workflow.panel import panel
from bot.workflow.report import retention
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import reporting
from handlers.slack.platform.port import slack_port
from messages.report import retention as msgs
from messages.slack.ids import COMMAND, RetentionActionId

USAGE = f"Use `{COMMAND} retention confirm DHR-YYYY-NN` to delete a concluded review's content once its " \
        "retention period is over."


def delete_content(svc: Services, client, actor, reference: str) -> str:
    """Deletes, then closes the review's channel if its conclusion left it open; returns the reply."""
    with svc.db.session() as s:
        review = retention.review_by_reference(s, actor.tenant_id, reference)
        is_admin = actor.user_id in panel.admin_ids(s, actor.tenant_id, svc.settings.admins)
        done = retention.confirm(s, review, actor, is_admin=is_admin, now=svc.clock.now(), today=svc.clock.today())
    error = retention.close_space(svc.db, done.review_id, slack_port(client, svc.redactions))
    reply = msgs.deleted_reply(done)
    if error:
        reply += f" Slack could not archive its channel ({error}): archive it by hand."
    return reply


@subcommand("retention")
def _retention(svc, command, client, respond):
    action, _, reference = command["args"].partition(" ")
    if action.lower() != "confirm" or not reference.strip():
        raise WorkflowError(USAGE)
    respond(response_type="ephemeral", text=delete_content(svc, client, actor_of(command), reference))


def register(app, svc: Services) -> None:
    @app.action(RetentionActionId.CONFIRM)
    @reporting
    def confirm_clicked(ack, body, action, client, respond):
        ack()
        text = delete_content(svc, client, actor_of(body), str(action.get("value") or ""))
        respond(replace_original=False, response_type="ephemeral", text=text)
