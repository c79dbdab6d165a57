"""Modal submissions. Validation answers inline, within Slack's 3 seconds; Slack calls come after the ack."""
from concurrent.futures import TimeoutError as FuturesTimeout

from bot.workflow.clock import due
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.notices import CoronerLiaison, DecisionRecorded
from bot.workflow.core.stages import Stage, stage_label
from bot.workflow.intake import intake, opening
from bot.workflow.intake.decision import OUTCOMES
from bot.workflow.panel import panel
from bot.workflow.views import provisioning
from handlers.slack.intake import setup
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import metadata_id, state_values
from messages.intake import forms
from messages.panel import panel as panel_msgs
from messages.slack import render
from messages.slack.ids import CallbackId


def register(app, svc: Services) -> None:
    @app.view(CallbackId.NEW_REVIEW)
    @reporting
    def new_review(ack, body, view, client):
        actor = actor_of(body)
        try:
            with svc.db.session() as s:
                panel.require_admin(s, actor, svc.settings.admins, "open a new review")
                data = intake.validate_new_review(state_values(view), today=svc.clock.today(),
                                                  reference_taken=lambda ref: kernel.reference_taken(s, ref))
                review = opening.open_review(s, data, actor, svc.clock.now(), svc.settings.preset)
                panel.record_creator_agreement(s, review, actor, panel_msgs.statement_sha(), svc.clock.now())
        except WorkflowError as err:
            return refuse_submission(ack, "New review", err, view)
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

    @app.view(CallbackId.DECIDE)

    @reporting
    def decide(ack, body, view, client):
        review_id = metadata_id(view)
        if review_id is None:
            return ack(response_action="update", view=forms.notice("Record decision", FORM_EXPIRED))
        try:
            with svc.db.session() as s:
                review = kernel.get_review(s, review_id)
                made = opening.record_decision(s, review, state_values(view), actor_of(body),
                                               svc.clock.now(), svc.clock.today())
        except WorkflowError as err:
            return refuse_submission(ack, "Record decision", err, view)
        ack()
        chat = SlackChat(client)
        provisioning.refresh_card(svc.db, review_id, chat, today=svc.clock.today(), calendar=svc.calendar)
        chat.post(review.space_id, DecisionRecorded(OUTCOMES[made.outcome], actor_of(body).user_id,
                                                      stage_label(Stage(review.stage))))
        if review.suspected_suicide:
            _prompt_coroner_liaison(svc, chat, review)


def _prompt_coroner_liaison(svc: Services, chat: SlackChat, review) -> None:
    """A suspected suicide: the inquest runs alongside the review, so each coordinator is reminded to
    liaise with the coroner. The DM carries the reference and a link only."""
    with svc.db.session() as s:
        coordinators = due.coordinators_by_review(s, [review.id]).get(review.id, ())
    for user_id in coordinators:
        chat.dm(user_id, CoronerLiaison(review.reference, review.space_id))


FORM_EXPIRED = "This form is out of date. Open it again with `/dhr decide` in the review channel."


ACK_BUDGET_S = 2.0  # of Slack's 3 s for a view_submission ack
