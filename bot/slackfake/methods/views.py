"""views.* methods: modals (open / push / update) and the Home tab (publish)."""

from __future__ import annotations

from typing import Any

from .. import viewstore
from ..errors import SlackError
from .registry import Ctx, method


def _trigger_user(ctx: Ctx) -> str:
    trigger = ctx.text("trigger_id") or ctx.text("interactivity_pointer")
    return ctx.ws.exchange_trigger(trigger).user_id


@method("views.open", "4")
def views_open(ctx: Ctx) -> dict[str, Any]:
    content = viewstore.checked_view(ctx.decoded("view"))
    viewstore.require_type(content, "modal")
    user_id = _trigger_user(ctx)
    return {"view": viewstore.open_modal(ctx.ws, user_id, content).to_api()}


@method("views.push", "4")
def views_push(ctx: Ctx) -> dict[str, Any]:
    content = viewstore.checked_view(ctx.decoded("view"))
    viewstore.require_type(content, "modal")
    user_id = _trigger_user(ctx)
    return {"view": viewstore.push_modal(ctx.ws, user_id, content).to_api()}


@method("views.update", "4")
def views_update(ctx: Ctx) -> dict[str, Any]:
    view_id, external_id = ctx.text("view_id"), ctx.text("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments",
                         response_metadata={"messages": ["[ERROR] either view_id or external_id is required"]})
    content = viewstore.checked_view(ctx.decoded("view"))
    view = viewstore.find_view(ctx.ws, view_id, external_id)
    _check_hash(ctx, view.hash)
    viewstore.ensure_external_id_free(ctx.ws, content, owner=view)
    viewstore.replace_content(view, content)
    return {"view": view.to_api()}


def _check_hash(ctx: Ctx, current: str) -> None:
    sent = ctx.text("hash")
    if sent and sent != current:
        raise SlackError("hash_conflict")


@method("views.publish", "4")
def views_publish(ctx: Ctx) -> dict[str, Any]:
    user = ctx.ws.user(ctx.text("user_id"))
    if user is None or user.is_bot:
        raise SlackError("invalid_arguments", response_metadata={"messages": ["invalid `user_id`"]})
    if not ctx.ws.home_tab_enabled:
        raise SlackError("not_enabled")
    content = viewstore.checked_view(ctx.decoded("view"))
    viewstore.require_type(content, "home")
    current = ctx.ws.views.get(ctx.ws.home_views.get(user.id, ""))
    if current is not None:
        _check_hash(ctx, current.hash)
    return {"view": viewstore.publish_home(ctx.ws, user.id, content).to_api()}
