"""/dhr pause, /dhr resume and /dhr extend, in a review channel (coordinator or chair)."""
from bot.workflow.clock import timeline
from bot.workflow.clock.timescales import PAUSE_KINDS
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.notices import ClockChanged
from bot.workflow.views import provisioning
from handlers.slack.platform import modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import metadata_id, state_values
from messages.clock import timeline as timeline_forms
from messages.clock.timeline import TimelineCallbackId
from messages.intake import forms
from messages.reminders import reminders as _renderers  # noqa: F401  (registers the ClockChanged renderer)

EXPIRED = "This form is out of date. Run the command again in the review channel."


@subcommand("pause")
def _pause(svc, command, client, respond):
    def form(s, review, actor):
        timeline.check_can_pause(s, review, actor)
        return timeline_forms.pause(review.id, review.reference, command["args"])
    _open(svc, client, command, "Pause review", form)


@subcommand("extend")
def _extend(svc, command, client, respond):
    def form(s, review, actor):
        today = svc.clock.today()
        return timeline_forms.extend(review.id, review.reference, timeline.extendable(s, review, actor, today),
                                     today.isoformat())
    _open(svc, client, command, "Extend a deadline", form)


@subcommand("resume")
def _resume(svc, command, client, respond):
    actor = actor_of(command)
    with svc.db.session() as s:
        review = kernel.review_in_channel(s, command["channel_id"])
        done = timeline.resume(s, review, actor, now=svc.clock.now(), today=svc.clock.today())
        lines = timeline.deadline_lines(done.deadlines, svc.calendar)
    days = f"{done.paused_days} day{'s' if done.paused_days != 1 else ''} paused"
    _announce(svc, client, review, ClockChanged(actor.user_id, "resumed", days, lines))


def _open(svc, client, command, title, build) -> None:
    def make(s):
        return build(s, kernel.review_in_channel(s, command["channel_id"]), actor_of(command))
    modals.open_built(svc, client, command["trigger_id"], title, make)


def _announce(svc, client, review, notice) -> None:
    chat = SlackChat(client)
    provisioning.refresh_card(svc.db, review.id, chat, today=svc.clock.today(), calendar=svc.calendar)
    if review.space_id:
        chat.post(review.space_id, notice)


def register(app, svc: Services) -> None:
    @app.view(TimelineCallbackId.PAUSE)
    @reporting
    def pause_submitted(ack, body, view, client):
        review_id, actor = metadata_id(view), actor_of(body)
        if review_id is None:
            return ack(response_action="update", view=forms.notice("Pause review", EXPIRED))
        try:
            with svc.db.session() as s:
                review = kernel.get_review(s, review_id)
                row = timeline.pause(s, review, actor, state_values(view), now=svc.clock.now(),
                                     today=svc.clock.today())
        except WorkflowError as err:
            return refuse_submission(ack, "Pause review", err, view)
        ack()
        _announce(svc, client, review, ClockChanged(actor.user_id, "paused", PAUSE_KINDS.get(row.kind, row.kind)))

    @app.view(TimelineCallbackId.EXTEND)
    @reporting
    def extend_submitted(ack, body, view, client):
        review_id, actor = metadata_id(view), actor_of(body)
        if review_id is None:
            return ack(response_action="update", view=forms.notice("Extend a deadline", EXPIRED))
        try:
            with svc.db.session() as s:
                review = kernel.get_review(s, review_id)
                row, moved = timeline.extend(s, review, actor, state_values(view), now=svc.clock.now(),
                                             today=svc.clock.today())
                lines = timeline.deadline_lines([moved], svc.calendar)
        except WorkflowError as err:
            return refuse_submission(ack, "Extend a deadline", err, view)
        ack()
        _announce(svc, client, review, ClockChanged(actor.user_id, "extended",
                                                    f"agreed by {row.agreed_by}", lines))
