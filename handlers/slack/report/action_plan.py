"""/dhr recommend, /dhr action, /dhr actions; the owner's buttons (progress, complete) and the
coordinator's or chair's (verify, send back). Each listener parses, runs one use case, renders."""
from bot.workflow.report import action_plan_use_cases as plan
from bot.workflow.report import themes as learned
from handlers.slack.platform import listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import open_form, run, submitted
from handlers.slack.views import home
from messages.report import learning as learning_msgs
from messages.report import plan as msgs
from messages.report import plan_export
from messages.slack.ids import LearningCallbackId, PlanActionId, PlanCallbackId
from messages.slack.render import read_state


@subcommand("recommend")
def _recommend(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, SlackInteraction(None, command, client, respond), "Add recommendation",
              lambda s: msgs.recommendation_form(plan.plan_form(s, command["channel_id"], actor,
                                                                learned.catalogue(svc.settings.themes))))


@subcommand("action")
def _action(svc, command, client, respond):
    actor = actor_of(command)
    if command["args"].lower() == "link":       # answered by a strategic action of the CSP
        open_form(svc, SlackInteraction(None, command, client, respond), "Link strategic action",
                  lambda s: learning_msgs.link_form(plan.plan_form(s, command["channel_id"], actor)))
        return
    open_form(svc, SlackInteraction(None, command, client, respond), "Add action",
              lambda s: msgs.action_form(plan.plan_form(s, command["channel_id"], actor)))


@subcommand("actions")
def _actions(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond), lambda s, actor: plan.show_plan(
        s, command["channel_id"], actor, today=svc.clock.today(), now=svc.clock.now(), calendar=svc.calendar,
        exporters=plan_export.EXPORTERS, national_exporters=plan_export.NATIONAL_EXPORTERS))


def recommend_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Add recommendation", lambda s, actor: plan.recommend(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today(),
        themes=learned.catalogue(svc.settings.themes)), keep_form=True)


def action_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Add action", lambda s, actor: plan.add_action(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today()),
        keep_form=True)


def link_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Link strategic action", lambda s, actor: plan.link_action(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now()))


def open_progress(svc: Services, body, action, client):
    actor = actor_of(body)
    open_form(svc, SlackInteraction(None, body, client), "Progress update",
              lambda s: msgs.progress_form(plan.owner_form(s, int_value(action.get("value")) or 0, actor)))


def open_complete(svc: Services, body, action, client):
    actor, today = actor_of(body), svc.clock.today().isoformat()
    open_form(svc, SlackInteraction(None, body, client), "Mark complete",
              lambda s: msgs.complete_form(plan.owner_form(s, int_value(action.get("value")) or 0, actor), today))


def progress_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Progress update", lambda s, actor: plan.record_progress(
        s, metadata_id(view, "action_id") or 0, actor, read_state(view), now=svc.clock.now(),
        today=svc.clock.today()))


def complete_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Mark complete", lambda s, actor: plan.record_completion(
        s, metadata_id(view, "action_id") or 0, actor, read_state(view), now=svc.clock.now(),
        today=svc.clock.today()))


def verify(svc: Services, body, action, client, respond):
    """On the App Home there is no message to replace: the Home is drawn again instead."""
    from_home = (body.get("container") or {}).get("type") == "view"
    run(svc, SlackInteraction(None, body, client, respond), lambda s, actor: plan.verify(
        s, int_value(action.get("value")) or 0, actor, now=svc.clock.now(), from_home=from_home))
    if from_home:
        home.publish(svc, client, actor_of(body))


def open_return(svc: Services, body, action, client):
    actor = actor_of(body)
    open_form(svc, SlackInteraction(None, body, client), "Send back",
              lambda s: msgs.return_form(*plan.return_form(s, int_value(action.get("value")) or 0, actor)))


def return_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Send back", lambda s, actor: plan.send_back(
        s, metadata_id(view, "action_id") or 0, actor, read_state(view), now=svc.clock.now()))


LISTENERS = [
    ("view", PlanCallbackId.RECOMMEND, recommend_submitted),
    ("view", PlanCallbackId.ACTION, action_submitted),
    ("view", LearningCallbackId.LINK, link_submitted),
    ("action", PlanActionId.ACTION_PROGRESS, open_progress),
    ("action", PlanActionId.ACTION_COMPLETE, open_complete),
    ("view", PlanCallbackId.ACTION_PROGRESS, progress_submitted),
    ("view", PlanCallbackId.ACTION_COMPLETE, complete_submitted),
    ("action", PlanActionId.ACTION_VERIFY, verify),
    ("action", PlanActionId.ACTION_RETURN, open_return),
    ("view", PlanCallbackId.ACTION_RETURN, return_submitted),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
