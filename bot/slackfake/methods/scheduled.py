"""chat.scheduleMessage and friends. Slack holds the message and posts it at post_at; the fake
delivers due messages lazily (before every API call and when tests inspect messages)."""

from __future__ import annotations

import time
from typing import Any

from .. import ids
from ..errors import SlackError
from ..model import ScheduledMessage
from .auth_users import paginate
from .chat import ensure_can_post, message_content, require_body, resolve_target
from .registry import Ctx, method

MAX_AHEAD = 120 * 24 * 3600  # post_at may be at most 120 days away
WINDOW, WINDOW_MAX = 300, 30  # at most 30 scheduled messages per channel within any 5 minutes


@method("chat.scheduleMessage", "3", ("chat:write",))
def schedule_message(ctx: Ctx) -> dict[str, Any]:
    ch = resolve_target(ctx)
    ensure_can_post(ctx, ch)
    post_at = _post_at(ctx)
    pending = [s for s in ctx.ws.scheduled.values() if s.channel == ch.id and s.posted_ts is None]
    if sum(1 for s in pending if abs(s.post_at - post_at) < WINDOW) >= WINDOW_MAX:
        raise SlackError("restricted_too_many")
    content = message_content(ctx)
    require_body(content)
    item = ScheduledMessage(
        id=ids.slack_id("Q"), channel=ch.id, post_at=post_at, date_created=int(time.time()),
        content=content, thread_ts=ctx.text("thread_ts"),
    )
    ctx.ws.scheduled[item.id] = item
    message = {"type": "message", "text": content.get("text", ""), "user": ctx.ws.bot_user_id, "bot_id": ctx.ws.bot_id}
    return {"channel": ch.id, "scheduled_message_id": item.id, "post_at": post_at, "message": message}


def _post_at(ctx: Ctx) -> int:
    try:
        post_at = int(float(ctx.text("post_at") or ""))
    except ValueError:
        raise SlackError("invalid_time") from None
    now = time.time()
    if post_at <= now:
        raise SlackError("time_in_past")
    if post_at > now + MAX_AHEAD:
        raise SlackError("time_too_far")
    return post_at


@method("chat.deleteScheduledMessage", "3", ("chat:write",))
def delete_scheduled_message(ctx: Ctx) -> dict[str, Any]:
    ch = resolve_target(ctx)
    item = ctx.ws.scheduled.get(ctx.text("scheduled_message_id") or "")
    if item is None or item.channel != ch.id or item.posted_ts is not None:
        raise SlackError("invalid_scheduled_message_id")
    del ctx.ws.scheduled[item.id]
    return {}


@method("chat.scheduledMessages.list", "3", ("chat:write",))
def list_scheduled_messages(ctx: Ctx) -> dict[str, Any]:
    channel = ctx.text("channel")
    items = [
        s.to_api() for s in sorted(ctx.ws.scheduled.values(), key=lambda s: s.post_at)
        if s.posted_ts is None and (not channel or s.channel == channel)
    ]
    page, cursor = paginate(ctx, items)
    return {"scheduled_messages": page, "response_metadata": {"next_cursor": cursor}}
