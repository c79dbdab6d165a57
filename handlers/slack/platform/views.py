"""Modal submissions. Validation answers inline, within Slack's 3 seconds; Slack calls come after the ack."""
from concurrent.futures import TimeoutError as FuturesTimeout

from bot.workflow.core import kernel
from bot.workflow.intake import decision_use_cases as decisions
from bot.workflow.intake import intake, opening
from bot.workflow.panel import panel
from handlers.slack.intake import setup
from handlers.slack.platform import listeners
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import metadata_id, state_values
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import submitted
from handlers.submission import submit
from messages.intake import forms
from messages.panel import panel as panel_msgs
from messages.slack import render
from messages.slack import views as slack_views
from messages.slack.ids import CallbackId
from messages.slack.render import read_state


def new_review(svc: Services, ack, body, view, client):
    actor = actor_of(body)

    def open_it():
        with svc.db.session() as s:
            panel.require_admin(s, actor, svc.settings.admins, "open a new review")
            data = intake.validate_new_review(state_values(view), today=svc.clock.today(),
                                              reference_taken=lambda ref: kernel.reference_taken(s, ref))
            review = opening.open_review(s, data, actor, svc.clock.now(), svc.settings.preset)
            panel.record_creator_agreement(s, review, actor, panel_msgs.statement_sha(), svc.clock.now())
            return review
    review = submit(SlackInteraction(ack, body, client), "New review", open_it)
    if review is None:      # refused: the submission is answered, nothing was stored
        return
    # Set up within the ack when Slack is quick, so the final view travels in the ack itself:
    # a views.update racing the ack's own update could otherwise be overwritten by it.
    job = svc.background.submit(setup.run, svc, client, review.id)
    try:
        outcome = job.result(timeout=ACK_BUDGET_S)
    except FuturesTimeout:
        ack(response_action="update", view=render.modal(forms.setup_progress_form(review.reference)))
        setup.show_setup_outcome(svc, client, job.result(), view_id=view["id"])
        return
    ack(response_action="update", view=setup.outcome_view(outcome))
    setup.show_setup_outcome(svc, client, outcome, view_id=None)


def decide(svc: Services, ack, body, view, client):
    review_id = metadata_id(view)
    if review_id is None:
        return ack(response_action="update", view=slack_views.notice("Record decision", FORM_EXPIRED))
    submitted(svc, SlackInteraction(ack, body, client), "Record decision", lambda s, actor: decisions.decide(
        s, review_id, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today()))


LISTENERS = [
    ("view", CallbackId.NEW_REVIEW, new_review),
    ("view", CallbackId.DECIDE, decide),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)


FORM_EXPIRED = "This form is out of date. Open it again with `/dhr decide` in the review channel."


ACK_BUDGET_S = 2.0  # of Slack's 3 s for a view_submission ack
