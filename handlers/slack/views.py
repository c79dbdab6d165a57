"""Modal submissions. Validation answers inline, within Slack's 3 seconds; Slack calls come after the ack."""
import logging
from concurrent.futures import TimeoutError as FuturesTimeout

from bot.workflow import due, intake, panel, provisioning, reviews
from bot.workflow.decision import OUTCOMES
from bot.workflow.errors import ValidationFailed, WorkflowError
from bot.workflow.notices import CoronerLiaison, DecisionRecorded, SetupFailed
from bot.workflow.stages import Stage, stage_label
from handlers.slack.chat import SlackChat
from handlers.slack.context import Services, actor_of
from handlers.slack.forms import metadata_id, state_values
from handlers.slack.errors import reporting
from messages import forms
from messages import panel as panel_msgs
from messages.ids import CallbackId


def register(app, svc: Services) -> None:
    @app.view(CallbackId.NEW_REVIEW)
    @reporting
    def new_review(ack, body, view, client):
        actor = actor_of(body)
        try:
            with svc.db.session() as s:
                panel.require_admin(s, actor, svc.settings.admins, "open a new review")
                data = intake.validate_new_review(state_values(view), today=svc.clock.today(),
                                                  reference_taken=lambda ref: reviews.reference_taken(s, ref))
                review = reviews.open_review(s, data, actor, svc.clock.now(), svc.settings.preset)
                panel.record_creator_agreement(s, review, actor, panel_msgs.statement_sha(), svc.clock.now())
        except ValidationFailed as err:
            return ack(response_action="errors", errors=err.field_errors)
        except WorkflowError as err:
            return ack(response_action="update", view=forms.notice("New review", err.message))
        # Set up within the ack when Slack is quick, so the final view travels in the ack itself:
        # a views.update racing the ack's own update could otherwise be overwritten by it.
        job = svc.background.submit(set_up, svc, client, review.id)
        try:
            outcome = job.result(timeout=ACK_BUDGET_S)
        except FuturesTimeout:
            ack(response_action="update", view=forms.setup_progress(review.reference))
            show_setup_outcome(svc, client, job.result(), view_id=view["id"])
            return
        ack(response_action="update", view=outcome_view(outcome))
        show_setup_outcome(svc, client, outcome, view_id=None)

    @app.view(CallbackId.DECIDE)

    @reporting
    def decide(ack, body, view, client):
        review_id = metadata_id(view)
        if review_id is None:
            return ack(response_action="update", view=forms.notice("Record decision", FORM_EXPIRED))
        try:
            with svc.db.session() as s:
                review = reviews.get_review(s, review_id)
                made = reviews.record_decision(s, review, state_values(view), actor_of(body),
                                               svc.clock.now(), svc.clock.today())
        except ValidationFailed as err:
            return ack(response_action="errors", errors=err.field_errors)
        except WorkflowError as err:
            return ack(response_action="update", view=forms.notice("Record decision", err.message))
        ack()
        chat = SlackChat(client)
        provisioning.refresh_card(svc.db, review_id, chat, today=svc.clock.today(), calendar=svc.calendar)
        chat.post(review.channel_id, DecisionRecorded(OUTCOMES[made.outcome], actor_of(body).user_id,
                                                      stage_label(Stage(review.stage))))
        if review.suspected_suicide:
            _prompt_coroner_liaison(svc, chat, review)


def _prompt_coroner_liaison(svc: Services, chat: SlackChat, review) -> None:
    """A suspected suicide: the inquest runs alongside the review, so each coordinator is reminded to
    liaise with the coroner. The DM carries the reference and a link only."""
    with svc.db.session() as s:
        coordinators = due.coordinators_by_review(s, [review.id]).get(review.id, ())
    for user_id in coordinators:
        chat.dm(user_id, CoronerLiaison(review.reference, review.channel_id))


FORM_EXPIRED = "This form is out of date. Open it again with `/dhr decide` in the review channel."


ACK_BUDGET_S = 2.0  # of Slack's 3 s for a view_submission ack


def set_up(svc: Services, client, review_id: int) -> provisioning.SetupOutcome:
    return provisioning.set_up(svc.db, review_id, SlackChat(client), now=svc.clock.now,
                               today=svc.clock.today, calendar=svc.calendar)


def outcome_view(outcome: provisioning.SetupOutcome) -> dict:
    if outcome.ok:
        return forms.setup_done(outcome.reference, outcome.channel_id)
    return forms.setup_failed(outcome.reference, outcome.message, outcome.review_id)


def show_setup_outcome(svc: Services, client, outcome, *, view_id: str | None) -> None:
    """Update the modal if asked, and DM the coordinator when set-up failed (the modal may be gone)."""
    if view_id:
        _best_effort(lambda: client.views_update(view_id=view_id, view=outcome_view(outcome)))
    if not outcome.ok:
        with svc.db.session() as s:
            coordinator = reviews.get_review(s, outcome.review_id).created_by
        _best_effort(lambda: SlackChat(client).dm(coordinator, SetupFailed(outcome.review_id, outcome.message)))


def _best_effort(call) -> None:
    """The user may have closed the modal, or Slack may still be failing: the stored state is the truth."""
    try:
        call()
    except Exception:  # noqa: BLE001 - reported through the stored setup_state instead
        logging.getLogger(__name__).warning("could not show the set-up outcome")
