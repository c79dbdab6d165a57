"""Buttons. Every value is re-checked: a button value can be copied or forged."""
from bot.workflow.core import kernel
from bot.workflow.core.errors import NotFound
from bot.workflow.core.permissions import Operation
from handlers.slack.intake import setup
from handlers.slack.platform import modals
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import reporting
from handlers.slack.platform.forms import int_value
from messages.slack.ids import ActionId


def register(app, svc: Services) -> None:
    @app.action(ActionId.RETRY_SETUP)
    @reporting
    def retry_setup(ack, body, action, client, respond):
        ack()
        review_id = _review_id(action)
        with svc.db.session() as s:
            review = kernel.get_review(s, review_id)
            kernel.authorize(s, review, actor_of(body), Operation.MANAGE_PANEL)
        view_id = (body.get("view") or {}).get("id")
        outcome = setup.run(svc, client, review_id)
        if outcome.running and not view_id:
            return respond(response_type="ephemeral", replace_original=False, **setup.reply(outcome))
        setup.show_setup_outcome(svc, client, outcome, view_id=view_id)
        if not view_id and outcome.ok:
            respond(replace_original=True, **setup.reply(outcome))

    @app.action(ActionId.OPEN_DECIDE)

    @reporting
    def open_decide(ack, body, action, client):
        ack()
        review_id = _review_id(action)
        modals.open_decide(svc, client, body["trigger_id"], actor_of(body),
                           lambda s: kernel.get_review(s, review_id))


def _review_id(action: dict) -> int:
    review_id = int_value(action.get("value"))
    if review_id is None:
        raise NotFound("That button no longer points at a review.")
    return review_id
