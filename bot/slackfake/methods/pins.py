"""pins.* methods."""

from __future__ import annotations

import time
from typing import Any

from ..errors import SlackError
from ..model import Channel, Message, Pin
from .registry import Ctx, method


def _pin_target(ctx: Ctx) -> tuple[Channel, Message]:
    ch = ctx.ws.visible(ctx.text("channel"))
    if ctx.ws.bot_user_id not in ch.members:
        raise SlackError("not_in_channel")
    ts = ctx.text("timestamp")
    if not ts:
        raise SlackError("no_item_specified")
    msg = ch.message(ts)
    if msg is None:
        raise SlackError("message_not_found")
    return ch, msg


@method("pins.add", "2", ("pins:write",))
def pins_add(ctx: Ctx) -> dict[str, Any]:
    ch, msg = _pin_target(ctx)
    if msg.ts in ch.pins:
        raise SlackError("already_pinned")
    ch.pins[msg.ts] = Pin(created=int(time.time()), created_by=ctx.ws.bot_user_id)
    ctx.ws.system_message(
        ch, "pinned_item", ctx.ws.bot_user_id, f"<@{ctx.ws.bot_user_id}> pinned a message to this channel.",
        item_type="C", item={"ts": msg.ts},
    )
    return {}


@method("pins.remove", "2", ("pins:write",))
def pins_remove(ctx: Ctx) -> dict[str, Any]:
    ch, msg = _pin_target(ctx)
    if ch.pins.pop(msg.ts, None) is None:
        raise SlackError("no_pin")
    return {}


@method("pins.list", "2", ("pins:read",))
def pins_list(ctx: Ctx) -> dict[str, Any]:
    ch = ctx.ws.visible(ctx.text("channel"))
    items = []
    for ts, pin in ch.pins.items():
        msg = ch.message(ts)
        if msg is not None:
            items.append({
                "type": "message", "created": pin.created, "created_by": pin.created_by,
                "channel": ch.id, "message": msg.to_api(),
            })
    return {"items": items}
