"""The one error path: known workflow errors become a clear message; anything else an error id."""
import logging
import secrets

from bot.workflow.errors import WorkflowError

log = logging.getLogger("dhr.errors")

UNEXPECTED = ("Something went wrong on our side (error id {error_id}). Nothing you entered was lost; "
              "try again, and quote the id if you contact support.")


def register(app) -> None:
    @app.error
    def handle(error, body, respond, client):
        if isinstance(error, WorkflowError):
            text = error.message
        else:
            error_id = secrets.token_hex(4)
            # The exception type and frames only: messages can echo user input.
            log.error("unhandled error %s: %s", error_id, type(error).__name__,
                      exc_info=(type(error), error, error.__traceback__) if _safe(error) else None)
            text = UNEXPECTED.format(error_id=error_id)
        _tell(body, respond, client, text)


def _safe(error) -> bool:
    """SQLAlchemy hides bound parameters (see storage.db); other libraries' messages are not trusted."""
    return type(error).__module__.startswith(("sqlalchemy", "slack_sdk", "slack_bolt"))


def _tell(body, respond, client, text) -> None:
    try:
        if respond is not None and (body.get("response_url") or body.get("response_urls")
                                    or (body.get("type") == "block_actions" and body.get("container", {}).get("type") == "message")):
            respond(response_type="ephemeral", replace_original=False, text=text)
            return
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if user:
            client.chat_postMessage(channel=user, text=text)
    except Exception:  # noqa: BLE001 - last resort: never raise from the error handler
        log.warning("could not deliver an error message to the user")
