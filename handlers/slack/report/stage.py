"""/dhr stage (and the card's button): record the report's steps; /dhr conclude: close the review.
Each listener parses, runs one use case (bot/workflow/report/report_use_cases.py), delivers, renders."""
import re

from bot.workflow.clock import holds
from bot.workflow.core import kernel
from bot.workflow.core.deliver import deliver
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.permissions import Operation, may
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.stages import next_step_text, stage_label
from bot.workflow.report import conclusion, report, report_use_cases
from bot.workflow.report.themes import catalogue
from bot.workflow.views import provisioning
from handlers.slack.platform import files, listeners, modals
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata, metadata_id, state_values
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.port import slack_port
from handlers.submission import submit
from messages import tree
from messages.report import closing
from messages.report import plan as msgs
from messages.report.report_documents import one_minute_guide
from messages.slack import render
from messages.slack.ids import PlanActionId, PlanCallbackId

TITLE = "Review stage"


def stage_view(svc, s, review, actor, key: str | None) -> tree.Form:
    """The step's form when one is named, else what is recorded and the steps the actor may take."""
    if key:
        step = report.get_step(key)
        report.check_can_take(s, review, actor, step)
        return msgs.step_form(review.id, review.reference, step, svc.clock.today().isoformat(),
                              report.step_choices(s, review, step))
    roles = kernel.authorize(s, review, actor, Operation.VIEW_REVIEW)
    now_steps = report.steps_now(s, review)
    steps = [st for st in now_steps if may(roles, st.operation)]
    if now_steps and not steps:     # say who may, rather than that there is nothing to do
        kernel.authorize(s, review, actor, now_steps[0].operation)
    return msgs.stage_chooser(review.id, review.reference, stage_label(review.stage), next_step_text(review.stage),
                              report.recorded_lines(s, review), steps,
                              report.latest_feedback(s, review) if may(roles, Operation.MOVE_STAGE) else None,
                              held=[h.describe() for h in holds.open_holds(s, review.id)])


def _show(svc, client, view, actor, find_review, key=None) -> None:
    try:
        with svc.db.session() as s:
            form = stage_view(svc, s, find_review(s), actor, key)
    except WorkflowError as err:
        form = tree.notice(TITLE, err.rich or err.message)
    modals.replace(client, view, render.modal(form))


@subcommand("stage")
def _stage(svc, command, client, respond):
    view = modals.open_loading(client, command["trigger_id"], TITLE, "dhr.loading")
    key = command["args"].split(" ")[0].lower() or None
    _show(svc, client, view, actor_of(command), lambda s: kernel.review_in_space(s, command["channel_id"]), key)


@subcommand("conclude")
def _conclude(svc, command, client, respond):
    actor = actor_of(command)
    with svc.db.session() as s:
        review_id = report_use_cases.conclude(s, command["channel_id"], actor, now=svc.clock.now(),
                                              today=svc.clock.today(), retention_years=svc.settings.retention_years)
    close_space(svc, client, review_id, actor.user_id)


def close_space(svc, client, review_id: int, user_id: str) -> None:
    """The concluded review's space: summary, rename, archive; a DM to the person if that stopped."""
    port = slack_port(client, svc.redactions)
    done = conclusion.finish_closure(svc.db, review_id, port, refresh_card=lambda: _refresh_card(svc, client,
                                                                                              review_id))
    if not done.ok:   # a DM: the space may already be archived
        port.dm(PersonRef(user_id), closing.closing_unfinished(done))


def open_stage(svc, body, action, client):
    view = modals.open_loading(client, body["trigger_id"], TITLE, "dhr.loading")
    review_id = int_value(action.get("value")) or 0
    _show(svc, client, view, actor_of(body), lambda s: kernel.get_review(s, review_id))


def choose_step(svc, body, action, client):
    review_id, _, key = str(action.get("value") or "").partition(":")
    _show(svc, client, body["view"], actor_of(body), lambda s: kernel.get_review(s, int_value(review_id) or 0), key)


def step_submitted(svc, ack, body, view, client):
    ui, actor = SlackInteraction(ack, body, client), actor_of(body)

    def record() -> report_use_cases.Recorded:
        with svc.db.session() as s:
            return report_use_cases.record_step(
                s, metadata_id(view) or 0, actor, _step_key(view), state_values(view), now=svc.clock.now(),
                today=svc.clock.today(), retention_years=svc.settings.retention_years,
                guide_file=one_minute_guide, dm_space=files.dm_space(client),
                themes=catalogue(svc.settings.themes))
    done = submit(ui, TITLE, record, keep_form=True)
    if done is None:
        return
    ui.close()
    deliver(done.outcome, slack_port(client, svc.redactions), refresh_card=lambda rid: _refresh_card(svc, client, rid))
    if done.closing is not None:
        close_space(svc, client, done.closing, actor.user_id)


def _step_key(view) -> str:
    return str(metadata(view).get("step") or "")


def _refresh_card(svc, client, review_id: int) -> None:
    checked = slack_port(client, svc.redactions)
    provisioning.refresh_card(svc.db, review_id, checked, today=svc.clock.today(), calendar=svc.calendar)


LISTENERS = [
    ("action", PlanActionId.OPEN_STAGE, open_stage),
    ("action", re.compile(rf"^{re.escape(PlanActionId.STAGE_STEP)}(\.[a-z_]+)?$"), choose_step),
    ("view", PlanCallbackId.STAGE_STEP, step_submitted),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
