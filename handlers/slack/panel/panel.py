"""/dhr panel, /dhr admins, /dhr agencies and the confidentiality agreement buttons. Each listener
parses, runs one use case, renders."""
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.workflow.core.deliver import deliver
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Reply
from bot.workflow.panel import panel_use_cases as cases
from bot.workflow.panel.panel_use_cases import SpaceChange
from bot.workflow.views import provisioning
from handlers.slack.platform import listeners
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata_channel, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.port import SlackPort
from handlers.slack.platform.use_case import open_form, submitted
from handlers.submission import submit
from messages.panel import panel as msgs
from messages.render import render_notice
from messages.slack.ids import ActionId, CallbackId
from messages.slack.render import read_state


@subcommand("panel")
def _panel_command(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, SlackInteraction(None, command, client, respond), "Review panel",
              lambda s: msgs.panel_form(cases.panel_form(s, actor, space_id=command["channel_id"])))


@subcommand("admins")
def _admins_command(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, SlackInteraction(None, command, client, respond), "CSP admins",
              lambda s: msgs.admins_form(cases.admins_form(s, actor, svc.settings.admins)))


@subcommand("agencies")
def _agencies_command(svc, command, client, respond):
    actor = actor_of(command)
    open_form(svc, SlackInteraction(None, command, client, respond), "Agencies",
              lambda s: msgs.agencies_form(cases.agencies_form(s, actor, svc.settings.admins),
                                           command.get("channel_id")))


def open_panel(svc: Services, body, action, client):
    """The summary card's button."""
    actor, review_id = actor_of(body), int_value(action.get("value")) or 0
    open_form(svc, SlackInteraction(None, body, client), "Review panel",
              lambda s: msgs.panel_form(cases.panel_form(s, actor, review_id=review_id)))


def panel_submitted(svc: Services, ack, body, view, client):
    ui, actor = SlackInteraction(ack, body, client), actor_of(body)

    def run() -> SpaceChange:
        with svc.db.session() as s:
            return cases.change_panel(s, metadata_id(view) or 0, actor, read_state(view), admins=svc.settings.admins,
                                      statement_sha=msgs.statement_sha(), now=svc.clock.now())
    change = submit(ui, "Review panel", run)
    if change is not None:
        ui.close()
        carry_out(svc, client, change, strict=True)    # a refused account is told to whoever saved


def admins_submitted(svc: Services, ack, body, view, client):
    submitted(svc, SlackInteraction(ack, body, client), "CSP admins", lambda s, actor: cases.set_admins(
        s, actor, read_state(view), svc.settings.admins, now=svc.clock.now()))


def agencies_submitted(svc: Services, ack, body, view, client):
    ui, actor = SlackInteraction(ack, body, client), actor_of(body)

    def run():
        with svc.db.session() as s:
            return cases.set_agencies(s, actor, read_state(view), svc.settings.admins, now=svc.clock.now())
    done = submit(ui, "Agencies", run)
    if done is not None:
        ui.close()
        deliver(done, SlackPort(SlackChat(client)), reply=privately(client, metadata_channel(view), actor.user_id))


def agree(svc: Services, body, action, client, respond):
    _answer(svc, SlackInteraction(None, body, client, respond), action, agreed=True)


def decline(svc: Services, body, action, client, respond):
    _answer(svc, SlackInteraction(None, body, client, respond), action, agreed=False)


def _answer(svc: Services, ui: SlackInteraction, action, *, agreed: bool) -> None:
    """The invitation they answered is replaced by what happened."""
    change = record_answer(svc, actor_of(ui.body), int_value(action.get("value")) or 0, agreed)
    carry_out(svc, ui.client, change, reply=lambda answer: ui.reply(answer.body, replace_source=answer.replace_source))


def record_answer(svc: Services, actor: Actor, agreement_id: int, agreed: bool) -> SpaceChange:
    """Stores the answer to the confidentiality statement (once); the invitation DM and App Home both use it."""
    with svc.db.session() as s:
        return cases.answer_invitation(s, agreement_id, actor, agreed, now=svc.clock.now())


def announce_answer(svc: Services, client, actor: Actor, answered: SpaceChange) -> None:
    """After the answer is stored (and acked), from App Home: invite, tell the space, send the DMs,
    refresh the card (Home is drawn again instead of a reply)."""
    carry_out(svc, client, answered.without_reply())


def carry_out(svc: Services, client, change: SpaceChange, *, reply: Callable[[Reply], None] | None = None,
              strict: bool = False) -> None:
    """Moves people in or out of the space, then delivers; `strict`: the first failure the saver
    should hear of is raised at the end (else failures are only logged)."""
    port = SlackPort(SlackChat(client))
    failed = cases.carry_out(change, port)
    done = deliver(change.outcome, port, reply=reply, strict=False, refresh_card=lambda review_id: (
        provisioning.refresh_card(svc.db, review_id, port, today=svc.clock.today(),
                                  calendar=svc.calendar)))
    failures = failed + cases.to_report(done)
    if strict and failures:
        raise failures[0]


def privately(client, space_id: str | None, user_id: str) -> Callable[[Reply], None]:
    """Only to this person: beside the command where the bot may post, otherwise in their DM with the bot."""
    def reply(answer: Reply) -> None:
        message = render_notice(answer.body)
        if space_id and not space_id.startswith("D"):
            try:
                client.chat_postEphemeral(channel=space_id, user=user_id, **message)
                return
            except SlackApiError:
                pass    # a channel the bot is not in: the DM still reaches them
        client.chat_postMessage(channel=user_id, **message)
    return reply


LISTENERS = [
    ("action", ActionId.OPEN_PANEL, open_panel),
    ("view", CallbackId.PANEL, panel_submitted),
    ("view", CallbackId.ADMINS, admins_submitted),
    ("view", CallbackId.AGENCIES, agencies_submitted),
    ("action", ActionId.AGREE, agree),
    ("action", ActionId.DECLINE, decline),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
