"""/dhr hold, /dhr lift and /dhr extend, in a review channel (coordinator or chair), and the card's "Lift a
hold" button. /dhr pause and /dhr resume answer with what replaced them. Each listener parses, runs one
use case, renders."""
from bot.workflow.clock import timeline_use_cases as clock
from handlers.slack.platform import listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import open_form, run, submitted
from messages.clock import timeline as msgs
from messages.clock.timeline import TimelineActionId, TimelineCallbackId
from messages.slack.render import read_state


@subcommand("hold")
def _hold(svc, command, client, respond):
    actor = actor_of(command)

    def build(s):
        data = clock.hold_form(s, command["channel_id"], actor)
        return msgs.hold_form(data.review_id, data.reference, data.agencies, command["args"])
    open_form(svc, SlackInteraction(None, command, client, respond), "Hold an activity", build)


@subcommand("lift")
def _lift(svc, command, client, respond):
    actor = actor_of(command)

    def build(s):
        data = clock.lift_form(s, actor, space_id=command["channel_id"])
        return msgs.lift_form(data.review_id, data.reference, data.holds)
    open_form(svc, SlackInteraction(None, command, client, respond), "Lift a hold", build)


def open_lift(svc: Services, body, action, client):
    """The summary card's button."""
    actor, review_id = actor_of(body), int_value(action.get("value")) or 0

    def build(s):
        data = clock.lift_form(s, actor, review_id=review_id)
        return msgs.lift_form(data.review_id, data.reference, data.holds)
    open_form(svc, SlackInteraction(None, body, client), "Lift a hold", build)


@subcommand("extend")
def _extend(svc, command, client, respond):
    actor, today = actor_of(command), svc.clock.today()

    def build(s):
        data = clock.extend_form(s, command["channel_id"], actor, today)
        return msgs.extend_form(data.review_id, data.reference, data.deadlines, today.isoformat())
    open_form(svc, SlackInteraction(None, command, client, respond), "Another timescale", build)


@subcommand("pause", "resume")
def _retired(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond), lambda s, actor: clock.pause_retired())


def hold_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Hold an activity", lambda s, actor: clock.hold(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today()))


def lift_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Lift a hold", lambda s, actor: clock.lift(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today()))


def extend_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "Another timescale", lambda s, actor: clock.extend(
        s, metadata_id(view) or 0, actor, read_state(view), now=svc.clock.now(), today=svc.clock.today(),
        calendar=svc.calendar))


LISTENERS = [
    ("view", TimelineCallbackId.HOLD, hold_submitted),
    ("view", TimelineCallbackId.LIFT, lift_submitted),
    ("view", TimelineCallbackId.EXTEND, extend_submitted),
    ("action", TimelineActionId.OPEN_LIFT, open_lift),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
