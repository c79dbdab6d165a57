"""The one error path: known workflow errors become a clear message; anything else an error id.

Listeners are wrapped with `reporting` rather than left to Bolt's error handler: in Bolt's
threaded runner an exception raised after ack() resets the ack, and Slack then gets a 404
after 3 s (slack_bolt/listener/thread_runner.py). The global handler stays for middleware.
"""
import inspect
import logging
import secrets

from slack_bolt import BoltResponse

from bot.workflow.core.errors import ValidationFailed, WorkflowError
from bot.workflow.core.ports import ChatError
from messages.slack import render as slack_render
from messages.slack import views as slack_views
from messages.slack import words

log = logging.getLogger("dhr.errors")

UNEXPECTED = ("Something went wrong on our side (error id {error_id}). Nothing you entered was lost; "
              "try again, and quote the id if you contact support.")
UNAVAILABLE = ("The database is not answering just now, so nothing was saved. "
               "Try again in a minute; if it keeps happening, tell whoever runs DHR Bot.")
NEEDED = ("ack", "body", "client", "context")
JSON = {"content-type": "application/json"}


def message_for(error: Exception) -> str:
    if isinstance(error, WorkflowError):
        return said(error)
    if unavailable(error):
        log.warning("database unavailable: %s; nothing was saved", type(error).__name__)
        return UNAVAILABLE
    if isinstance(error, ChatError) and error.kind in words.REFUSED:
        log.warning("Slack refused a call: %s", error.code)
        return words.REFUSED[error.kind]
    error_id = secrets.token_hex(4)
    # The exception type and frames only: messages can echo user input.
    log.error("unhandled error %s: %s", error_id, type(error).__name__,
              exc_info=(type(error), error, error.__traceback__) if _safe(error) else None)
    return UNEXPECTED.format(error_id=error_id)


def refusal(title: str, err: WorkflowError, view: dict | None, *, notice=slack_views.notice,
            keep_form: bool = False) -> dict:
    """The answer to a refused submission of `view`. Field errors go inline only when every one names
    an input block of that view: Slack refuses any other key with "We had some trouble connecting" and
    the person is stuck. Otherwise the same form comes back, with what was typed and the message on
    top; other refusals do too when `keep_form`, else the form is replaced by the message."""
    fields = err.field_errors if isinstance(err, ValidationFailed) else {}
    if fields and view is not None and set(fields) <= _input_ids(view):
        return {"response_action": "errors", "errors": fields}
    if view is not None and (isinstance(err, ValidationFailed) or keep_form):
        return {"response_action": "update", "view": slack_views.with_refusal(view, said(err))}
    return {"response_action": "update", "view": notice(title, said(err))}


def said(err: WorkflowError) -> str:
    """A refusal as Slack shows it: its neutral text (mentions, command hints) rendered, else its words."""
    return slack_render.mrkdwn(err.rich) if err.rich is not None else err.message


def _input_ids(view: dict) -> set[str]:
    return {b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"}


def reporting(fn):
    """Runs a listener; any error becomes a message to the user. Bolt injects what either needs."""
    own = list(inspect.signature(fn).parameters)
    names = own + [n for n in NEEDED if n not in own]

    def run(**kwargs):
        try:
            return fn(**{k: kwargs[k] for k in own})
        except Exception as error:  # noqa: BLE001 - this is the error path
            _report(error, kwargs)
    run.__name__ = fn.__name__
    run.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names])
    return run


def _report(error, kw) -> None:
    text, ack, body = message_for(error), kw["ack"], kw["body"]
    if ack.response is None and body.get("type") == "view_submission":
        ack(**_submission_answer(body, text, unavailable(error)))
        return
    if ack.response is None and body.get("command"):
        ack(text=text)  # the ephemeral reply to the command itself
        return
    if ack.response is None:
        ack()
    tell(body, kw["context"].get("respond"), kw["client"], text)


def register(app) -> None:
    @app.error
    def handle(error, body, respond, client):
        """Errors in middleware (before any listener acked): answer Slack at once, never a 500."""
        text = message_for(error)
        if body.get("type") == "view_submission":
            return BoltResponse(status=200, body=_submission_answer(body, text, unavailable(error)), headers=JSON)
        if body.get("command"):
            return BoltResponse(status=200, body=text)  # the ephemeral reply to the command
        if body.get("type") == "event_callback":
            return BoltResponse(status=503, body="")  # nothing was recorded: Slack delivers it again
        tell(body, respond, client, text)
        return BoltResponse(status=200, body="")


def _submission_answer(body, text: str, keep_form: bool) -> dict:
    """A database that is not answering leaves the form open with what was typed, the message under
    its first input block; anything else replaces the form with the message."""
    blocks = (body.get("view") or {}).get("blocks")
    first = next((b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("type") == "input"),
                 None) if isinstance(blocks, list) else None
    if keep_form and isinstance(first, str):
        return {"response_action": "errors", "errors": {first: text}}
    return {"response_action": "update", "view": slack_views.notice("DHR Bot", text)}


def unavailable(error) -> bool:
    """The database did not answer (refused, timed out, locked, dropped): nothing was saved.
    Recognised by SQLAlchemy's exception classes, by name: handlers do not import the database layer."""
    names = {(c.__module__, c.__name__) for c in type(error).__mro__}
    return bool(names & {("sqlalchemy.exc", "OperationalError"), ("sqlalchemy.exc", "TimeoutError")}) \
        or getattr(error, "connection_invalidated", False) is True


def _safe(error) -> bool:
    """SQLAlchemy hides bound parameters (see storage.db); other libraries' messages are not trusted."""
    return type(error).__module__.startswith(("sqlalchemy", "slack_sdk", "slack_bolt"))


def tell(body, respond, client, text) -> None:
    try:
        if respond is not None and (body.get("response_url") or body.get("response_urls")
                                    or (body.get("container") or {}).get("type") == "message"):
            respond(response_type="ephemeral", replace_original=False, text=text)
            return
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if user:
            client.chat_postMessage(channel=user, text=text)
    except Exception:  # noqa: BLE001 - last resort: never raise from the error path
        log.warning("could not deliver an error message to the user")
