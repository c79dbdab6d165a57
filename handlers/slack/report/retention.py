"""Retention: the reminder's *Delete* button and `/dhr retention confirm DHR-YYYY-NN` delete a
concluded review's content once its retention period is over (coordinator or CSP admin)."""
from bot.workflow.core.errors import WorkflowError
from bot.workflow.report import retention, retention_use_cases
from handlers.slack.platform import listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.port import slack_port
from messages.report import retention as msgs
from messages.slack.ids import COMMAND, RetentionActionId

USAGE = f"Use `{COMMAND} retention confirm DHR-YYYY-NN` to delete a concluded review's content once its " \
        "retention period is over."


def delete_content(svc: Services, ui: SlackInteraction, reference: str) -> None:
    """Deletes, then closes the review's space if its conclusion left it open; tells the actor."""
    with svc.db.session() as s:
        done = retention_use_cases.confirm_deletion(s, actor_of(ui.body), reference, admins=svc.settings.admins,
                                                    now=svc.clock.now(), today=svc.clock.today())
    error = retention.close_space(svc.db, done.review_id, slack_port(ui.client, svc.redactions))
    ui.reply(msgs.deleted_reply(done, error))


@subcommand("retention")
def _retention(svc, command, client, respond):
    action, _, reference = command["args"].partition(" ")
    if action.lower() != "confirm" or not reference.strip():
        raise WorkflowError(USAGE)
    delete_content(svc, SlackInteraction(None, command, client, respond), reference)


def confirm_clicked(svc: Services, body, action, client, respond):
    delete_content(svc, SlackInteraction(None, body, client, respond), str(action.get("value") or ""))


LISTENERS = [("action", RetentionActionId.CONFIRM, confirm_clicked)]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
