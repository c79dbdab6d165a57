"""Files people share with the bot: chronologies (CSV/XLSX) and IMRs (DOCX). Slack's side only: reading
the file's details, downloading it, trying to delete a flagged one; the use cases decide whether it is
ours, who hears what, and check it. Replies go only to the uploader, never to the channel."""
from slack_sdk.errors import SlackApiError

from bot.workflow.core.chat_port import tell_privately
from bot.workflow.core.deliver import deliver
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import text
from bot.workflow.evidence import uploads_use_cases as uploads
from bot.workflow.report import report_check_use_cases as report_uploads
from bot.workflow.views import provisioning
from handlers.slack.platform import files, listeners
from handlers.slack.platform.context import Services
from handlers.slack.platform.errors import message_for
from handlers.slack.platform.port import slack_port
from messages.evidence import chronology as msgs
from messages.slack.render import field_error


def handle_file(svc: Services, client, tenant_id: str, event: dict) -> None:
    actor, space = Actor(tenant_id=tenant_id, user_id=event.get("user_id") or ""), event.get("channel_id") or ""
    try:
        found = files.info(client, event.get("file_id") or "")
    except SlackApiError:
        return   # deleted, or not somewhere the bot can see
    shared = uploads.Shared(found.id, found.name, space, in_dm=space.startswith("D"))
    try:
        with svc.db.session() as s:
            if not uploads.is_ours(s, shared, actor):
                return
        content = _screened(svc, client, shared, found, actor)
        with svc.db.session() as s:   # the usual check, which keeps no row with a term
            done = report_uploads.submit(s, shared, actor, content, now=svc.clock.now(), today=svc.clock.today(),
                                  redaction=svc.redactions.checker(), error_report=_error_report,
                                  dm_space=files.dm_space(client))
        _deliver(client, shared, actor, done, svc=svc)
    except Exception as err:  # noqa: BLE001 - the uploader always hears what happened
        said = err.rich if isinstance(err, WorkflowError) and err.rich is not None else text(message_for(err))
        tell_privately(slack_port(client), _private_in(shared), PersonRef(actor.user_id), said)


def _error_report(check) -> bytes:
    """The file of problems, each written as Slack shows plain text (a command hint as `/dhr …`)."""
    return msgs.error_report_csv(check, field_error)


def _screened(svc: Services, client, shared: uploads.Shared, found: files.SharedFile, actor: Actor) -> bytes:
    """A registered term found is flagged (the bot tries to delete the file) before the download's own
    failure, if any, is told."""
    screened = uploads.screen(found.name, lambda: files.download(client, found), svc.redactions.checker()[1])
    if screened.found:
        deleted = _delete(client, found.id)
        with svc.db.session() as s:
            flagged = uploads.flag(s, shared, actor, screened.found, deleted=deleted, now=svc.clock.now())
        _deliver(client, shared, actor, flagged, strict=False)   # a coordinator gone does not stop the rest
    if screened.failure is not None:
        raise screened.failure
    return screened.content


def _deliver(client, shared: uploads.Shared, actor: Actor, outcome: Outcome, *, strict: bool = True,
             svc: Services | None = None) -> None:
    """`svc`: the review's summary card is redrawn when the outcome asks (a draft report's check)."""
    port = slack_port(client)

    def card(review_id: int) -> None:
        if svc is not None:
            provisioning.refresh_card(svc.db, review_id, port, today=svc.clock.today(), calendar=svc.calendar)
    deliver(outcome, port, actor=PersonRef(actor.user_id), space=_private_in(shared), strict=strict,
            refresh_card=card)


def _private_in(shared: uploads.Shared) -> SpaceRef | None:
    """Where the uploader is answered privately: the space, or (None) their DM with the bot."""
    return None if shared.in_dm else SpaceRef(shared.space_id)


def _delete(client, file_id: str) -> bool:
    try:
        client.files_delete(file=file_id)
        return True
    except SlackApiError:
        return False   # cant_delete_file: an app token may delete only the files its app uploaded


def file_shared(svc: Services, event, body, client, context):
    if event.get("user_id") in (None, context.get("bot_user_id")):
        return   # the bot's own exports (retried deliveries are dropped by middleware.once_per_event)
    handle_file(svc, client, body.get("team_id") or "", event)


LISTENERS = [("event", "file_shared", file_shared)]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
