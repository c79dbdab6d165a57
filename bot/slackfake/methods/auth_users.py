"""auth.test and users.* methods."""

from __future__ import annotations

import base64
from typing import Any, Sequence

from ..errors import SlackError
from .registry import Ctx, method


@method("auth.test", "special")
def auth_test(ctx: Ctx) -> dict[str, Any]:
    ws = ctx.ws
    return {
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_name,
        "user": ws.bot_name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


@method("users.info", "4", ("users:read",))
def users_info(ctx: Ctx) -> dict[str, Any]:
    user = ctx.ws.user(ctx.text("user"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.to_api()}


@method("users.list", "2", ("users:read",))
def users_list(ctx: Ctx) -> dict[str, Any]:
    members = [u.to_api() for u in ctx.ws.users.values()]
    page, next_cursor = paginate(ctx, members, default_limit=0)
    return {"members": page, "cache_ts": 1700000000, "response_metadata": {"next_cursor": next_cursor}}


@method("users.lookupByEmail", "3", ("users:read.email",))
def users_lookup_by_email(ctx: Ctx) -> dict[str, Any]:
    email = (ctx.text("email") or "").lower()
    user = next((u for u in ctx.ws.users.values() if (u.email or "").lower() == email and email), None)
    if user is None:
        raise SlackError("users_not_found")
    return {"user": user.to_api()}


def paginate(ctx: Ctx, items: Sequence[Any], default_limit: int = 100) -> tuple[list[Any], str]:
    """Slack-style cursor pagination: opaque base64 cursors, "" when there is no next page.

    A limit of 0 (users.list's default) means "as many as possible", which here is everything.
    """
    limit = ctx.number("limit", default_limit)
    start = 0
    cursor = ctx.text("cursor")
    if cursor:
        try:
            start = int(base64.b64decode(cursor).decode().removeprefix("offset:"))
        except ValueError:
            raise SlackError("invalid_cursor") from None
    end = len(items) if limit <= 0 else start + limit
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return list(items[start:end]), next_cursor
