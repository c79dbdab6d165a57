"""/dhr panel, /dhr admins, /dhr agencies and the confidentiality agreement buttons."""
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.notices import InvitationAnswered, PanelChanged
from bot.workflow.core.permissions import Role
from bot.workflow.core.ports import ChatError
from bot.workflow.evidence import joined
from bot.workflow.panel import panel
from bot.workflow.views import provisioning, summary_card
from handlers.slack.evidence.evidence import send_dms
from handlers.slack.platform import modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import int_value, metadata_channel, metadata_id, state_values
from messages.intake import forms
from messages.panel import panel as panel_msgs
from messages.slack.ids import ActionId, CallbackId


@subcommand("panel")
def _panel_command(svc, command, client, respond):
    _open_panel(svc, client, command["trigger_id"], actor_of(command),
                lambda s: kernel.review_in_channel(s, command["channel_id"]))


@subcommand("admins")
def _admins_command(svc, command, client, respond):
    view = modals.open_loading(client, command["trigger_id"], "CSP admins", "dhr.loading")
    actor = actor_of(command)
    try:
        with svc.db.session() as s:
            panel.require_admin(s, actor, svc.settings.admins, "change the admins")
            stored = [u for u in panel.admin_ids(s, actor.tenant_id, ()) if u not in svc.settings.admins]
        form = panel_msgs.admins_form(svc.settings.admins, stored)
    except WorkflowError as err:
        form = forms.notice("CSP admins", err.message)
    modals.replace(client, view, form)


@subcommand("agencies")
def _agencies_command(svc, command, client, respond):
    view = modals.open_loading(client, command["trigger_id"], "Agencies", "dhr.loading")
    actor = actor_of(command)
    try:
        with svc.db.session() as s:
            panel.require_admin(s, actor, svc.settings.admins, "change the list of agencies")
            names = [a.name for a in panel.active_agencies(s, actor.tenant_id)]
        form = panel_msgs.agencies_form(names, command.get("channel_id"))
    except WorkflowError as err:
        form = forms.notice("Agencies", err.message)
    modals.replace(client, view, form)


def _open_panel(svc, client, trigger_id, actor, find_review) -> None:
    view = modals.open_loading(client, trigger_id, "Review panel", "dhr.loading")
    try:
        with svc.db.session() as s:
            review = find_review(s)
            panel.authorize_panel_change(s, review, actor)
            agencies = [(a.id, a.name) for a in panel.active_agencies(s, review.tenant_id)]
            members = summary_card.summary_card(s, review, svc.clock.today(), svc.calendar).panel
            form = panel_msgs.panel_form(review.id, review.reference, agencies, members)
    except WorkflowError as err:
        form = forms.notice("Review panel", err.message)
    modals.replace(client, view, form)


def register(app, svc: Services) -> None:
    @app.action(ActionId.OPEN_PANEL)
    @reporting
    def open_panel(ack, body, action, client):
        ack()
        review_id = int_value(action.get("value"))
        _open_panel(svc, client, body["trigger_id"], actor_of(body), lambda s: kernel.get_review(s, review_id or 0))

    @app.view(CallbackId.PANEL)
    @reporting
    def panel_submitted(ack, body, view, client):
        actor, values = actor_of(body), state_values(view)
        try:
            with svc.db.session() as s:
                review = kernel.get_review(s, metadata_id(view) or 0)
                is_admin = actor.user_id in panel.admin_ids(s, actor.tenant_id, svc.settings.admins)
                changes = panel.change_panel(s, review, actor, values, is_admin=is_admin,
                                             statement_sha=panel_msgs.statement_sha(), now=svc.clock.now())
        except WorkflowError as err:
            return refuse_submission(ack, "Review panel", err, view)
        ack()
        _announce_changes(svc, SlackChat(client), review, actor.user_id, changes)

    @app.view(CallbackId.ADMINS)

    @reporting
    def admins_submitted(ack, body, view):
        try:
            with svc.db.session() as s:
                panel.set_admins(s, actor_of(body), state_values(view).get("admins") or [], svc.settings.admins,
                                 svc.clock.now())
        except WorkflowError as err:
            return refuse_submission(ack, "CSP admins", err, view)
        ack()

    @app.view(CallbackId.AGENCIES)
    @reporting
    def agencies_submitted(ack, body, view, client):
        actor = actor_of(body)
        try:
            with svc.db.session() as s:
                changed = panel.set_agencies(s, actor, state_values(view).get("agencies"), svc.settings.admins,
                                             svc.clock.now())
        except WorkflowError as err:
            return refuse_submission(ack, "Agencies", err, view)
        ack()
        tell_privately(client, metadata_channel(view), actor.user_id, panel_msgs.agencies_saved(changed))

    @app.action(ActionId.AGREE)

    @reporting
    def agree(ack, body, action, client, respond):
        ack()
        _answer(svc, body, action, client, respond, agreed=True)

    @app.action(ActionId.DECLINE)

    @reporting
    def decline(ack, body, action, client, respond):
        ack()
        _answer(svc, body, action, client, respond, agreed=False)


def tell_privately(client, space_id: str | None, user_id: str, message: dict) -> None:
    """Only to this person: beside the command where the bot may post, otherwise in their DM with the bot."""
    if space_id and not space_id.startswith("D"):
        try:
            client.chat_postEphemeral(channel=space_id, user=user_id, **message)
            return
        except SlackApiError:
            pass    # a channel the bot is not in: the DM still reaches them
    client.chat_postMessage(channel=user_id, **message)


def _announce_changes(svc, chat: SlackChat, review, by: str, changes: list) -> None:
    """Each new person gets their own invitation; the channel hears of removals and role changes at once."""
    lines, failed = [], []
    for change in changes:
        try:    # one person Slack refuses (a deactivated account) does not keep the others waiting
            if change.removed:
                chat.remove(review.space_id, change.user_id)
                lines.append(f"<@{by}> removed <@{change.user_id}> from the review.")
            elif change.invitation:
                chat.dm(change.user_id, change.invitation)
            else:
                lines.append(f"<@{by}> made <@{change.user_id}> {Role(change.member.role).label.lower()} "
                             "on this review.")
                send_dms(chat, change.dms)
        except ChatError as err:
            failed.append(err)
    if lines:
        chat.post(review.space_id, PanelChanged("\n".join(lines)))
    provisioning.refresh_card(svc.db, review.id, chat, today=svc.clock.today(), calendar=svc.calendar)
    if failed:
        raise failed[0]     # the error path tells whoever saved the form


def _answer(svc, body, action, client, respond, *, agreed: bool) -> None:
    actor = actor_of(body)
    answered = record_answer(svc, actor, int_value(action.get("value")) or 0, agreed)
    announce_answer(svc, client, actor, answered)
    respond(replace_original=True, **panel_msgs.invitation_answered(
        InvitationAnswered(agreed, answered.reference, answered.space_id if agreed else None)))


@dataclass(frozen=True)
class Answered:
    review_id: int
    reference: str
    space_id: str
    role: str           # as said in the channel: "chair", "IMR author"
    agreed: bool
    dms: list           # what a new member owes, DM'd once they are in


def record_answer(svc, actor, agreement_id: int, agreed: bool) -> Answered:
    """Stores the answer to the confidentiality statement (once); the invitation DM and App Home both use it."""
    with svc.db.session() as s:
        review, member = panel.answer(s, agreement_id, actor, agreed, svc.clock.now())
        label = Role(member.role).label
        role = label if label.startswith("IMR") else label.lower()
        dms = joined.on_active(s, review, member, svc.clock.now(), by=actor.user_id) if agreed else []
        return Answered(review.id, review.reference, review.space_id, role, agreed, dms)


def announce_answer(svc, client, actor, answered: Answered) -> None:
    """After the answer is stored (and acked): invite, tell the channel, send the DMs, refresh the card."""
    chat = SlackChat(client)
    if answered.agreed:
        chat.invite(answered.space_id, [actor.user_id])
        chat.post(answered.space_id, PanelChanged(f"<@{actor.user_id}> agreed to the confidentiality statement "
                                                    f"and joined as {answered.role}."))
        send_dms(chat, answered.dms)
    else:
        chat.post(answered.space_id, PanelChanged(f"<@{actor.user_id}> can't take part "
                                                    f"(invited as {answered.role})."))
    provisioning.refresh_card(svc.db, answered.review_id, chat, today=svc.clock.today(), calendar=svc.calendar)
