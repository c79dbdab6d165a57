"""The one error path on Teams: a workflow refusal is said as it is, anything else gets an error id."""
import logging
import secrets

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.text import text

log = logging.getLogger("dhr.errors")

UNEXPECTED = ("Something went wrong on our side (error id {error_id}). Nothing you entered was lost; "
              "try again, and quote the id if you contact support.")


def tell(ui, err: Exception) -> None:
    if isinstance(err, WorkflowError):
        message = err.rich or text(err.message)
    else:
        error_id = secrets.token_hex(4)
        # The type only: an exception's message can echo what someone typed.
        log.error("unhandled error %s: %s", error_id, type(err).__name__)
        message = text(UNEXPECTED.format(error_id=error_id))
    if ui.in_dialog_call:
        ui.response = None
        ui.close(message)
        return
    try:
        ui.reply(message)
    except Exception as failed:  # noqa: BLE001 - Teams itself failing: nothing more to tell anyone
        log.warning("could not tell the person: %s", type(failed).__name__)

