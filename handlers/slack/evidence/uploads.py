"""Files people share with the bot: chronologies (CSV/XLSX) and IMRs (DOCX). Checked before anything is kept;
replies go only to the uploader (ephemeral in a channel, or in the DM), never to the channel."""
import logging

from slack_sdk.errors import SlackApiError

from bot.workflow.core.kernel import Actor
from bot.workflow.core.permissions import Operation
from bot.workflow.evidence import chronology, imr, shared_files
from bot.workflow.evidence.chronology_rows import FileRefused, file_kind
from handlers.slack.platform import files
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.context import Services
from handlers.slack.platform.errors import message_for, reporting
from messages.evidence import chronology as msgs
from messages.evidence import shared_files as file_msgs

log = logging.getLogger("dhr.uploads")
NOT_OURS = ("I read chronologies as CSV or XLSX files and IMRs as Word (.docx) files. "
            "This file is neither, so I have not kept it.")


def tell(client, channel: str, user: str, message: dict) -> None:
    if channel.startswith("D"):
        client.chat_postMessage(channel=channel, **message)
    else:
        client.chat_postEphemeral(channel=channel, user=user, **message)


def handle_file(svc: Services, client, tenant_id: str, event: dict) -> None:
    actor, channel = Actor(tenant_id=tenant_id, user_id=event.get("user_id") or ""), event.get("channel_id") or ""
    try:
        shared = files.info(client, event.get("file_id") or "")
    except SlackApiError:
        return   # deleted, or not somewhere the bot can see
    try:
        with svc.db.session() as s:
            if chronology.review_for_upload(s, channel, actor, in_dm=channel.startswith("D")) is None:
                return   # not a review's channel, nor a DM from someone who submits evidence
        content = _screened(svc, client, channel, actor, shared)
        _submit(svc, client, channel, actor, shared, content)   # the usual check, which keeps no row with a term
    except Exception as err:  # noqa: BLE001 - the uploader always hears what happened
        tell(client, channel, actor.user_id, {"text": message_for(err)})


def _screened(svc, client, channel: str, actor: Actor, shared: files.SharedFile) -> bytes:
    """The bytes of a kind the bot reads (else b""), once its name and content were checked for registered
    terms, whoever shared it, since everyone in the channel can open it. A name is flagged even when the
    download then fails."""
    redacted = svc.redactions.checker()[1]
    found = shared_files.check_name(shared.name, redacted)
    try:
        content = files.download(client, shared) if shared_files.readable(shared.name) else b""
        found = shared_files.check_content(found, shared.name, content, redacted) if content else found
    finally:
        if found:
            _flag(svc, client, channel, actor, shared, found)
    return content


def _submit(svc, client, channel: str, actor: Actor, shared: files.SharedFile, content: bytes) -> None:
    kind = file_kind(shared.name)
    if kind is None:
        if channel.startswith("D"):
            raise FileRefused(NOT_OURS)
        return   # other files in a review channel are the panel's business
    with svc.db.session() as s:
        review = chronology.review_for_upload(s, channel, actor, in_dm=channel.startswith("D"))
        chronology.submitter(s, review, actor, Operation.SUBMIT_IMR if kind == "docx" else
                             Operation.SUBMIT_AGENCY_EVIDENCE)
    (_imr if kind == "docx" else _chronology)(svc, client, channel, actor, shared, content)


def _flag(svc, client, channel: str, actor: Actor, shared: files.SharedFile, found) -> None:
    """The uploader and the coordinators hear where the term is (never the term); the bot deletes the file
    where Slack lets it, which for a person's file it does not."""
    deleted = _delete(client, shared.id)
    with svc.db.session() as s:
        review = chronology.review_for_upload(s, channel, actor, in_dm=channel.startswith("D"))
        flagged = shared_files.record(s, review, actor, shared.id, found, deleted, svc.clock.now())
    in_dm, where = channel.startswith("D"), found.where()
    tell(client, channel, actor.user_id, file_msgs.to_uploader(flagged.reference, where, deleted, in_dm,
                                                                  bool(flagged.coordinators)))
    for user in flagged.coordinators:
        try:
            client.chat_postMessage(channel=user, **file_msgs.to_coordinator(
                flagged.reference, actor.user_id, None if in_dm else channel, where, deleted))
        except SlackApiError as err:
            log.warning("could not tell a coordinator about a flagged file: %s", err.response.get("error"))


def _delete(client, file_id: str) -> bool:
    try:
        client.files_delete(file=file_id)
        return True
    except SlackApiError:
        return False   # cant_delete_file: an app token may delete only the files its app uploaded


def _chronology(svc, client, channel, actor, shared, content) -> None:
    with svc.db.session() as s:
        review = chronology.review_for_upload(s, channel, actor, in_dm=channel.startswith("D"))
        staged = chronology.stage_upload(s, review, actor, shared.id, shared.name, content, svc.clock.now(),
                                         svc.redactions.checker())   # (mark, check)
    full_report = len(staged.check.errors) > msgs.LISTED_ERRORS
    if full_report:
        dm = client.conversations_open(users=actor.user_id)["channel"]["id"]
        SlackChat(client).upload(dm, f"{staged.reference}-chronology-errors-{svc.clock.today().isoformat()}.csv",
                                 msgs.error_report_csv(staged.check), f"{staged.reference}: rows to fix")
    tell(client, channel, actor.user_id, msgs.upload_report(staged.reference, staged.check, staged.upload_id,
                                                            full_report))


def _imr(svc, client, channel, actor, shared, content) -> None:
    with svc.db.session() as s:
        review = chronology.review_for_upload(s, channel, actor, in_dm=channel.startswith("D"))
        row, result = imr.stage_imr(s, review, actor, content, svc.clock.now(), svc.redactions.checker()[1])
        reference, ready = review.reference, (row.id, row.version) if row else None
    if ready is None:
        return tell(client, channel, actor.user_id, {"text": msgs.imr_incomplete(reference, result.missing)})
    tell(client, channel, actor.user_id, msgs.imr_ready(reference, *ready))


def register(app, svc: Services) -> None:
    @app.event("file_shared")
    @reporting
    def file_shared(event, body, client, context):
        if event.get("user_id") in (None, context.get("bot_user_id")):
            return   # the bot's own exports (retried deliveries are dropped by middleware.once_per_event)
        handle_file(svc, client, body.get("team_id") or "", event)
