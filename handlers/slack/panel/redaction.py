"""/dhr redact: add a term to the review's redaction list. The term is never stored or shown back."""
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.permissions import Operation
from bot.workflow.panel.redaction_list import add_term, entry_count
from handlers.slack.platform import modals
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import metadata_id, state_values
from messages.intake import forms
from messages.panel import panel as panel_msgs
from messages.slack.ids import CallbackId


@subcommand("redact", "redaction")
def _redact_command(svc, command, client, respond):
    view = modals.open_loading(client, command["trigger_id"], "Redaction list", "dhr.loading")
    try:
        with svc.db.session() as s:
            review = kernel.review_in_channel(s, command["channel_id"])
            kernel.authorize(s, review, actor_of(command), Operation.MANAGE_REDACTIONS)
            form = panel_msgs.redaction_form(review.id, review.reference, entry_count(s, review))
    except WorkflowError as err:
        form = forms.notice("Redaction list", err.message)
    modals.replace(client, view, form)


def register(app, svc: Services) -> None:
    @app.view(CallbackId.REDACTION)
    @reporting
    def redaction_submitted(ack, body, view):
        try:
            with svc.db.session() as s:
                review = kernel.get_review(s, metadata_id(view) or 0)
                count = add_term(s, review, actor_of(body), state_values(view), svc.redactions.key, svc.clock.now())
        except WorkflowError as err:
            return refuse_submission(ack, "Redaction list", err, view)
        ack(response_action="update", view=forms.notice(
            "Redaction list", f":lock: Added. The list now has {count} {'entry' if count == 1 else 'entries'}; "
                              "the bot refuses anything that contains one."))
