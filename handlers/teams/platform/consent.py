"""A person's answer to a file consent card (`fileConsent/invoke`): on Allow, the waiting file is PUT to the
upload URL Teams gives and a file info card shows it; on Decline, the file is dropped and they are told.
Either way the consent card is replaced by a line saying what happened, so it cannot be answered twice."""
import logging

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.text import Bold, text
from handlers.teams.platform import files_in, files_out
from handlers.teams.platform.context import Teams
from handlers.teams.platform.directory import Address
from handlers.teams.platform.interaction import TeamsInteraction

log = logging.getLogger("dhr.teams")

GONE = ("That file is no longer waiting for you (an hour passed, or the bot restarted), so nothing was saved. "
        "Ask for it again.")


def answer(teams: Teams, ui: TeamsInteraction) -> None:
    action, token, info = files_out.consent_answer(ui.activity.value)
    try:
        if action == "accept":
            _accept(teams, ui, token, info)
        elif action == "decline":
            _decline(teams, ui, token)
    except WorkflowError as err:
        _say(ui, err.rich or text(err.message))


def _accept(teams: Teams, ui: TeamsInteraction, token: str, info: dict) -> None:
    url = info.get("uploadUrl")
    if not isinstance(url, str) or not files_in.trusted(url, teams.service_origins) or teams.http is None:
        raise WorkflowError("Teams did not give a place to save the file, so nothing was saved. Ask for it again.")
    pending = teams.pending.take(token, ui.activity.user_id)
    if pending is None:
        raise WorkflowError(GONE)
    files_out.put_bytes(teams.http, url, pending.content)
    where = Address(ui.activity.conversation_id, ui.activity.service_url)
    ui.port.send_activity(where, files_out.file_info_activity(info))
    _say(ui, text("Saved ", Bold(pending.name), " to your OneDrive."))


def _decline(teams: Teams, ui: TeamsInteraction, token: str) -> None:
    pending = teams.pending.take(token, ui.activity.user_id)
    name = pending.name if pending is not None else "the file"
    _say(ui, text("You declined ", Bold(name), ": nothing was saved to your OneDrive. Ask for it again whenever "
                  "you need it."))


def _say(ui: TeamsInteraction, said) -> None:
    """In place of the consent card when Teams says which it was, else as a new message."""
    ui.reply(said, replace_source=bool(ui.activity.reply_to_id))
