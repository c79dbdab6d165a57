"""/dhr pause, /dhr resume and /dhr extend, in a review channel (coordinator or chair). Each
listener parses, runs one use case, renders."""
from bot.workflow.clock import timeline_use_cases as clock
from handlers.slack.platform import listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import open_form, run, submitted
from messages.clock import timeline as msgs
from messages.clock.timeline import TimelineCallbackId
from messages.slack.render import read_state


@subcommand("pause")
def _pause(svc, command, client, respond):
    actor = actor_of(command)

    def build(s):
        data = clock.pause_form(s, command["channel_id"], actor)
        return msgs.pause_form(data.review_id, data.reference, command["args"])
    open_form(svc, SlackInteraction(None, command, client, respond), "Pause review", build)


@subcommand("extend")
def _extend(svc, command, client, respond):
    actor, today = actor_of(command), svc.clock.today()

    def build(s):
        data = clock.extend_form(s, command["channel_id"], actor, today)
        return msgs.extend_form(data.review_id, data.reference, data.deadlines, today.isoformat())
    open_form(svc, SlackInteraction(None, command, client, respond), "Extend a deadline", build)


@subcommand("resume")
def _resume(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond), lambda s, actor: clock.resume(
        s, command["channel_id"], actor, now=svc.clock.now(), today=svc.clock.today(), calendar=svc.calendar))


def pause_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Pause review", lambda s, actor: clock.pause(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today()))


def extend_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Extend a deadline", lambda s, actor: clock.extend(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today(),
        calendar=svc.calendar))


LISTENERS = [
    ("view", TimelineCallbackId.PAUSE, pause_submitted),
    ("view", TimelineCallbackId.EXTEND, extend_submitted),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
