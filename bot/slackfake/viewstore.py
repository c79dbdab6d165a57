"""Modal stacks and Home tabs: the view operations shared by views.* methods and by the platform
client applying a view_submission's response_action (update / push / clear)."""

from __future__ import annotations

import copy
from typing import Any

from . import blockkit, ids
from .errors import SlackError
from .model import View
from .state import Workspace

MAX_STACK = 3  # Slack allows a root modal plus two pushed views


def checked_view(payload: Any) -> dict[str, Any]:
    """Validate a view payload like Slack and return the stored copy (with block/action ids filled)."""
    if isinstance(payload, dict) and blockkit.view_is_too_large(payload):
        raise SlackError("view_too_large")
    problems = blockkit.view_problems(payload)
    if problems:
        raise SlackError("invalid_arguments", response_metadata=blockkit.view_error_body(problems)["response_metadata"])
    content = copy.deepcopy(payload)
    content["blocks"] = blockkit.fill_missing_ids(content["blocks"])
    return content


def require_type(content: dict[str, Any], expected: str) -> None:
    if content.get("type") != expected:
        message = f"[ERROR] must be a {expected} view [json-pointer:/view/type]"
        raise SlackError("invalid_arguments", response_metadata={"messages": [message]})


def ensure_external_id_free(ws: Workspace, content: dict[str, Any], owner: View | None = None) -> None:
    external_id = content.get("external_id")
    if not external_id:
        return
    for view in ws.views.values():
        if view is not owner and not view.closed and view.external_id == external_id:
            raise SlackError("duplicate_external_id")


def _new_view(ws: Workspace, user_id: str, content: dict[str, Any], root: str | None, previous: str | None) -> View:
    view_id = ids.slack_id("V")
    view = View(
        id=view_id, team_id=ws.team_id, user_id=user_id, app_id=ws.app_id, bot_id=ws.bot_id,
        content=content, hash=ids.view_hash(), root_view_id=root or view_id, previous_view_id=previous,
    )
    ws.views[view_id] = view
    return view


def open_modal(ws: Workspace, user_id: str, content: dict[str, Any]) -> View:
    """A new root modal; anything the user had open is replaced."""
    ensure_external_id_free(ws, content)
    ws.clear_stack(user_id)
    view = _new_view(ws, user_id, content, root=None, previous=None)
    ws.stack(user_id).append(view.id)
    return view


def push_modal(ws: Workspace, user_id: str, content: dict[str, Any]) -> View:
    stack = ws.stack(user_id)
    if not stack:
        return open_modal(ws, user_id, content)
    if len(stack) >= MAX_STACK:
        raise SlackError("push_limit_reached")
    ensure_external_id_free(ws, content)
    top = ws.views[stack[-1]]
    view = _new_view(ws, user_id, content, root=top.root_view_id, previous=top.id)
    stack.append(view.id)
    return view


def replace_content(view: View, content: dict[str, Any]) -> None:
    """Same view id, new content and hash. Typed input survives where block_id+action_id still match."""
    view.history.append(view.content)
    if "external_id" not in content and view.external_id:
        content = {**content, "external_id": view.external_id}  # the view keeps its external id
    view.content = content
    view.hash = ids.view_hash()
    view.errors = None
    kept = _id_pairs(content.get("blocks", []))
    preserved: dict[str, dict[str, Any]] = {}
    for bid, actions in view.state.items():
        still_shown = {aid: value for aid, value in actions.items() if (bid, aid) in kept}
        if still_shown:
            preserved[bid] = still_shown
    view.state = preserved


def _id_pairs(blocks: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {
        (block.get("block_id"), el.get("action_id"))
        for block in blocks
        for el in blockkit.block_elements(block)
    }


def find_view(ws: Workspace, view_id: str | None, external_id: str | None) -> View:
    view = ws.views.get(view_id or "") if view_id else None
    if view is None and external_id:
        view = next((v for v in ws.views.values() if v.external_id == external_id and not v.closed), None)
    if view is None or view.closed:
        raise SlackError("not_found")
    return view


def publish_home(ws: Workspace, user_id: str, content: dict[str, Any]) -> View:
    current = ws.views.get(ws.home_views.get(user_id, ""))
    ensure_external_id_free(ws, content, owner=current)
    if current is not None:
        replace_content(current, content)
        return current
    view = _new_view(ws, user_id, content, root=None, previous=None)
    ws.home_views[user_id] = view.id
    return view
