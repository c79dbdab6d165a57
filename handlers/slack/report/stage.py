"""/dhr stage (and the card's button): record the report's steps; /dhr conclude: close the review."""
import re

from bot.workflow.clock import deadlines
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.notices import ReportNotice
from bot.workflow.core.permissions import Operation, may
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.stages import Stage, next_step_text, stage_label
from bot.workflow.report import conclusion, report
from bot.workflow.views import provisioning
from handlers.slack.platform import modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import int_value, metadata, metadata_id, state_values
from handlers.slack.platform.port import slack_port
from messages.intake import forms
from messages.report import plan as msgs
from messages.slack.ids import PlanActionId, PlanCallbackId

TITLE = "Review stage"


def stage_view(svc, s, review, actor, key: str | None) -> dict:
    """The step's form when one is named, else what is recorded and the steps the actor may take."""
    if key:
        step = report.get_step(key)
        report.check_can_take(s, review, actor, step)
        return msgs.step_form(review.id, review.reference, step, svc.clock.today().isoformat())
    roles = kernel.authorize(s, review, actor, Operation.VIEW_REVIEW)
    now_steps = report.steps_now(s, review)
    steps = [st for st in now_steps if may(roles, st.operation)]
    if now_steps and not steps:     # say who may, rather than that there is nothing to do
        kernel.authorize(s, review, actor, now_steps[0].operation)
    return msgs.stage_chooser(review.id, review.reference, stage_label(review.stage), next_step_text(review.stage),
                              report.recorded_lines(s, review), steps,
                              report.latest_feedback(s, review) if may(roles, Operation.MOVE_STAGE) else None,
                              deadlines.paused(review))


def _show(svc, client, view, actor, find_review, key=None) -> None:
    try:
        with svc.db.session() as s:
            form = stage_view(svc, s, find_review(s), actor, key)
    except WorkflowError as err:
        form = forms.notice(TITLE, err.message)
    modals.replace(client, view, form)


@subcommand("stage")
def _stage(svc, command, client, respond):
    view = modals.open_loading(client, command["trigger_id"], TITLE, "dhr.loading")
    key = command["args"].split(" ")[0].lower() or None
    _show(svc, client, view, actor_of(command), lambda s: kernel.review_in_channel(s, command["channel_id"]), key)


@subcommand("conclude")
def _conclude(svc, command, client, respond):
    actor = actor_of(command)
    with svc.db.session() as s:
        review = kernel.review_in_channel(s, command["channel_id"])
        conclusion.conclude(s, review, actor, now=svc.clock.now(), today=svc.clock.today(),
                            retention_years=svc.settings.retention_years)
        review_id = review.id
    close_channel(svc, client, review_id, actor.user_id)


def close_channel(svc, client, review_id: int, user_id: str) -> None:
    port = slack_port(client, svc.redactions)
    done = conclusion.finish_closure(svc.db, review_id, port, refresh_card=lambda: provisioning.refresh_card(
        svc.db, review_id, SlackChat(client), today=svc.clock.today(), calendar=svc.calendar))
    if not done.ok:   # a DM: the space may already be archived
        port.dm(PersonRef(user_id), ReportNotice(
            f"{done.reference} is concluded, but Slack could not finish closing its "
            f"channel ({done.error}). Run `/dhr conclude` in it again to finish."))


def register(app, svc: Services) -> None:
    @app.action(PlanActionId.OPEN_STAGE)
    @reporting
    def open_stage(ack, body, action, client):
        ack()
        view = modals.open_loading(client, body["trigger_id"], TITLE, "dhr.loading")
        review_id = int_value(action.get("value")) or 0
        _show(svc, client, view, actor_of(body), lambda s: kernel.get_review(s, review_id))

    @app.action(re.compile(rf"^{re.escape(PlanActionId.STAGE_STEP)}(\.[a-z_]+)?$"))
    @reporting
    def choose_step(ack, body, action, client):
        ack()
        review_id, _, key = str(action.get("value") or "").partition(":")
        _show(svc, client, body["view"], actor_of(body), lambda s: kernel.get_review(s, int_value(review_id) or 0),
              key)

    @app.view(PlanCallbackId.STAGE_STEP)
    @reporting
    def step_submitted(ack, body, view, client):
        actor, key = actor_of(body), _step_key(view)
        try:
            with svc.db.session() as s:
                review = kernel.get_review(s, metadata_id(view) or 0)
                done = report.record_step(s, review, actor, key, state_values(view), now=svc.clock.now(),
                                          today=svc.clock.today())
                if done.moved_to is Stage.CONCLUDED:
                    conclusion.start_closure(s, review, actor, now=svc.clock.now(), today=svc.clock.today(),
                                             retention_years=svc.settings.retention_years)
        except WorkflowError as err:
            step = report.STEPS.get(key)    # None when the form named no step we know (forged)
            return refuse_submission(ack, TITLE, err, view if step else None, keep_form=True)
        ack()
        _announce(svc, client, review, actor.user_id, done)


def _step_key(view) -> str:
    return str(metadata(view).get("step") or "")


def _announce(svc, client, review, user_id: str, done: report.StepDone) -> None:
    chat = SlackChat(client)
    text = f"<@{user_id}> recorded: {report.sentence_start(done.summary)}."
    if done.moved_to is Stage.DRAFTING and done.step.key == "qa_outcome":
        text += " The QA panel's feedback is recorded (see `/dhr stage`); the review is back in drafting."
    elif done.moved_to:
        text += f" The review moves to \u201c{done.moved_to.label}\u201d. {done.moved_to.next_step}"
    provisioning.refresh_card(svc.db, review.id, chat, today=svc.clock.today(), calendar=svc.calendar)
    chat.post(review.space_id, ReportNotice(text))
    if done.moved_to is Stage.CONCLUDED:
        close_channel(svc, client, review.id, user_id)
