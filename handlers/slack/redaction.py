"""/dhr redact: add a term to the review's redaction list. The term is never stored or shown back."""
from bot.workflow import reviews
from bot.workflow.errors import WorkflowError
from bot.workflow.permissions import Operation
from bot.workflow.redaction_list import add_term, entry_count
from handlers.slack import modals
from handlers.slack.commands import subcommand
from handlers.slack.context import Services, actor_of
from handlers.slack.forms import metadata_id, state_values
from handlers.slack.errors import refuse_submission, reporting
from messages import forms
from messages import panel as panel_msgs
from messages.ids import CallbackId


@subcommand("redact", "redaction")
def _redact_command(svc, command, client, respond):
    view = modals.open_loading(client, command["trigger_id"], "Redaction list", "dhr.loading")
    try:
        with svc.db.session() as s:
            review = reviews.review_in_channel(s, command["channel_id"])
            reviews.authorize(s, review, actor_of(command), Operation.MANAGE_REDACTIONS)
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
                review = reviews.get_review(s, metadata_id(view) or 0)
                count = add_term(s, review, actor_of(body), state_values(view), svc.redactions.key, svc.clock.now())
        except WorkflowError as err:
            return refuse_submission(ack, "Redaction list", err, view)
        ack(response_action="update", view=forms.notice(
            "Redaction list", f":lock: Added. The list now has {count} {'entry' if count == 1 else 'entries'}; "
                              "the bot refuses anything that contains one."))
