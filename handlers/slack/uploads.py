"""Files people share with the bot: chronologies (CSV/XLSX) and IMRs (DOCX). Checked before anything is kept;
replies go only to the uploader (ephemeral in a channel, or in the DM), never to the channel."""
from slack_sdk.errors import SlackApiError

from bot.workflow import chronology, imr
from bot.workflow.chronology_rows import FileRefused, file_kind
from bot.workflow.permissions import Operation
from bot.workflow.reviews import Actor
from handlers.slack import files
from handlers.slack.chat import SlackChat
from handlers.slack.context import Services, actor_of
from handlers.slack.errors import message_for, reporting
from handlers.slack.forms import int_value
from messages import chronology as msgs
from messages.ids import EvidenceId

NOT_OURS = ("I read chronologies as CSV or XLSX files and IMRs as Word (.docx) files. "
            "This file is neither, so I have not kept it.")


def tell(client, channel: str, user: str, message: dict) -> None:
    if channel.startswith("D"):
        client.chat_postMessage(channel=channel, **message)
    else:
        client.chat_postEphemeral(channel=channel, user=user, **message)


def handle_file(svc: Services, client, team_id: str, event: dict) -> None:
    actor, channel = Actor(team_id=team_id, user_id=event.get("user_id") or ""), event.get("channel_id") or ""
    try:
        shared = files.info(client, event.get("file_id") or "")
    except SlackApiError:
        return   # deleted, or not somewhere the bot can see
    kind = file_kind(shared.name)
    if kind is None and not channel.startswith("D"):
        return   # other files in a review channel are the panel's business
    try:
        with svc.db.session() as s:
            review = chronology.review_for_upload(s, channel, actor)
            if review is None:
                return
            if kind is None:
                raise FileRefused(NOT_OURS)
            chronology.submitter(s, review, actor, Operation.SUBMIT_IMR if kind == "docx" else
                                 Operation.SUBMIT_AGENCY_EVIDENCE)
        content = files.download(client, shared)   # only once the person may submit here
        (_imr if kind == "docx" else _chronology)(svc, client, channel, actor, shared, content)
    except Exception as err:  # noqa: BLE001 - the uploader always hears what happened
        tell(client, channel, actor.user_id, {"text": message_for(err)})


def _chronology(svc, client, channel, actor, shared, content) -> None:
    with svc.db.session() as s:
        review = chronology.review_for_upload(s, channel, actor)
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
        review = chronology.review_for_upload(s, channel, actor)
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

    @app.action(EvidenceId.IMPORT_ROWS)
    @reporting
    def import_rows(ack, body, action, client, respond):
        ack()
        with svc.db.session() as s:
            done = chronology.import_upload(s, int_value(action.get("value")) or 0, actor_of(body), svc.clock.now())
        respond(replace_original=True, text=msgs.imported(done.reference, done.count, done.first_id, done.last_id))
