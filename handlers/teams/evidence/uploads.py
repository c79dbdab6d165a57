"""Files people send the bot on Teams: chronologies (CSV/XLSX) and IMRs (DOCX), as on Slack
(handlers/slack/evidence/uploads.py), through the same use cases and checks (uploads_use_cases.py).

Teams gives a bot files only in its 1:1 chat, so every file comes there, from everyone on a review. The
uploader names the review when they are on several (a card of choices; the bot never guesses). A file
posted in a review's group chat never reaches the bot (Teams passes only the @mention): its sender is told,
in their 1:1 chat, where files go."""
import json

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.text import Bold, text
from bot.workflow.evidence import shared_files
from bot.workflow.evidence import uploads_use_cases as uploads
from bot.workflow.report import report_check_use_cases as report_uploads
from handlers.teams.platform import files_in
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.use_case import deliver_to, int_or_zero
from messages import tree
from messages.evidence import chronology as msgs
from messages.teams.text import plain

CHOOSE_REVIEW = "dhr.file.for_review"     # a button of the "which review?" card (value: the file and the review)
NOT_ON_A_REVIEW = ("I read chronologies and IMRs only from the people on a review, and you are not on one, so I "
                   "have not read or kept this file.")
IN_GROUP_CHAT = ("Teams doesn't pass me files posted in a group chat, so if you attached one there I have not read "
                 "it. Send chronologies (CSV or XLSX) and IMRs (.docx) to me here, in our 1:1 chat: attach the file "
                 "to a message. (To use a command in the group chat, type it after mentioning me; help lists "
                 "them.)")


def file_in_personal(teams: Teams, ui: TeamsInteraction) -> None:
    sent = files_in.sent_file(ui.activity.attachments)
    if sent is None:
        return
    if not shared_files.readable(sent.name):
        raise WorkflowError(uploads.NOT_OURS)
    with teams.svc.db.session() as s:
        choices = uploads.reviews_for(s, actor_of(ui.activity))
    if not choices:
        raise WorkflowError(NOT_ON_A_REVIEW)
    if len(choices) == 1:
        _check(teams, ui, sent, choices[0][0])
        return
    ui.reply(_which_review(sent, choices))


def _which_review(sent: files_in.SentFile, choices: list[tuple[int, str]]) -> tree.Message:
    """One button per review; each carries the file's link back (it is this person's own file, in their
    own chat), and pressing one checks them against that review again."""
    said = text("Which review is ", Bold(sent.name), " for? You are on several, so I have not read it yet.")
    buttons = [tree.Button(reference[:40], CHOOSE_REVIEW, json.dumps(
        {"review": review_id, "name": sent.name, "url": sent.url, "id": sent.unique_id}, separators=(",", ":")))
        for review_id, reference in choices[:20]]
    rows = [tree.Actions(tuple(buttons[i:i + 5])) for i in range(0, len(buttons), 5)]
    return tree.Message((tree.Paragraph(said), *rows), f"Which review is {sent.name} for?")


def review_chosen(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    try:
        chosen = json.loads(value)
    except ValueError:
        chosen = None
    if not isinstance(chosen, dict) or not all(isinstance(chosen.get(k), str) for k in ("name", "url", "id")):
        ui.close("This button is not one the bot made.")
        return
    sent = files_in.SentFile(chosen["name"][:255], chosen["url"][:4096], chosen["id"][:64])
    ui.close(text("Checking ", Bold(sent.name), ": the answer is in our chat."))
    try:
        _check(teams, ui, sent, int_or_zero(chosen.get("review")))
    except WorkflowError as err:      # said in the chat, beside the file, rather than in a passing dialog
        ui.reply(err.rich or text(err.message))


def _check(teams: Teams, ui: TeamsInteraction, sent: files_in.SentFile, review_id: int) -> None:
    """As on Slack: the name and content screened for registered terms (the uploader and coordinators told
    where), then the file's own check, answered to the uploader only."""
    svc, actor = teams.svc, actor_of(ui.activity)
    shared = uploads.Shared(sent.unique_id or sent.name, sent.name, ui.activity.conversation_id, in_dm=True,
                            review_id=review_id or None)
    with svc.db.session() as s:      # checked before anything is fetched: a forged choice reads nothing
        if review_id not in {rid for rid, _ in uploads.reviews_for(s, actor)}:
            raise WorkflowError("That review is not one you are on, so I have not read the file.")
    screened = uploads.screen(sent.name, lambda: _download(teams, sent), svc.redactions.checker()[1])
    if screened.found:
        with svc.db.session() as s:
            flagged = uploads.flag(s, shared, actor, screened.found, deleted=False, now=svc.clock.now())
        deliver_to(teams, ui, flagged, strict=False)
    if screened.failure is not None:
        raise screened.failure
    port = teams.port(ui.activity.service_url)
    with svc.db.session() as s:
        done = report_uploads.submit(s, shared, actor, screened.content, now=svc.clock.now(), today=svc.clock.today(),
                              redaction=svc.redactions.checker(), error_report=_error_report, dm_space=port.open_dm)
    deliver_to(teams, ui, done)


def _download(teams: Teams, sent: files_in.SentFile) -> bytes:
    if teams.http is None:
        raise WorkflowError("Files can't be fetched here.")
    return files_in.download(teams.http, sent, teams.service_origins)


def _error_report(check) -> bytes:
    """The file of problems, each written as Teams shows plain text."""
    return msgs.error_report_csv(check, plain)


def file_in_group(teams: Teams, ui: TeamsInteraction) -> None:
    """Nothing is read; only the sender hears where files go (ui.reply from a group chat is their 1:1 chat)."""
    ui.reply(text(IN_GROUP_CHAT))


LISTENERS = [
    ("file", "personal", file_in_personal),
    ("file", "group", file_in_group),
    ("action", CHOOSE_REVIEW, review_chosen),
]
