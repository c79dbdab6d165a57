"""How the Slack client reacts to the app's answer to a view_submission:
empty body or no response_action closes the view; "errors" shows field errors; "update" / "push"
replace or stack a view; "clear" closes them all. Anything it cannot use (a non-200 answer, an
answer after 3 s, an invalid view, errors keyed by non-input blocks) leaves the modal open with a
generic "We had some trouble connecting" message, recorded as view.generic_error."""

from __future__ import annotations

import json
from typing import Any

from . import viewstate, viewstore
from .errors import SlackError
from .model import View
from .signed_http import Response
from .state import Workspace

CLOSED, ERRORS, UPDATED, PUSHED, CLEARED, GENERIC = "closed", "errors", "updated", "pushed", "cleared", "generic_error"


def apply_submission_answer(ws: Workspace, view: View, resp: Response) -> str:
    """Apply the app's HTTP answer to the submitted view; return what the user ends up seeing."""
    with ws.lock:
        view.errors, view.generic_error, view.too_slow = None, False, resp.too_slow
        if resp.status != 200 or resp.too_slow:
            return _generic(view)
        if not resp.text.strip():
            ws.close_view(view)
            return CLOSED
        try:
            answer = json.loads(resp.text)
        except ValueError:
            return _generic(view)
        if not isinstance(answer, dict):
            return _generic(view)
        return _apply_response_action(ws, view, answer)


def _generic(view: View) -> str:
    view.generic_error = True
    return GENERIC


def _apply_response_action(ws: Workspace, view: View, answer: dict[str, Any]) -> str:
    action = answer.get("response_action")
    if action is None:
        ws.close_view(view)
        return CLOSED
    if action == "errors":
        return _apply_errors(view, answer.get("errors"))
    if action == "clear":
        ws.clear_stack(view.user_id)
        return CLEARED
    if action not in ("update", "push"):
        return _generic(view)
    try:
        content = viewstore.checked_view(answer.get("view"))
        viewstore.require_type(content, "modal")
        if action == "update":
            viewstore.ensure_external_id_free(ws, content, owner=view)
            viewstore.replace_content(view, content)
            return UPDATED
        viewstore.push_modal(ws, view.user_id, content)
        return PUSHED
    except SlackError:
        return _generic(view)


def _apply_errors(view: View, errors: Any) -> str:
    if not isinstance(errors, dict) or not errors:
        return _generic(view)
    input_ids = {b["block_id"] for b in viewstate.input_blocks(view)}
    if not {str(k) for k in errors} <= input_ids:
        return _generic(view)  # Slack shows none of them: the modal stays as it was, with a generic error
    view.errors = {str(k): str(v) for k, v in errors.items()}
    return ERRORS
