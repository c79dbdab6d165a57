"""What Slack does with a message sent back to it through a response_url or a slash command's
synchronous answer: post in channel, show ephemerally, replace or delete the original message."""

from __future__ import annotations

from typing import Any

from . import blockkit
from .model import Channel, Message
from .state import Workspace


def apply_reply(
    ws: Workspace, channel_id: str, user_id: str, payload: Any, *, message_ts: str | None, source: str
) -> tuple[int, str]:
    """Apply one reply and return the (HTTP status, body) Slack's webhook endpoint would answer."""
    if not isinstance(payload, dict):
        return 400, "invalid_payload"
    with ws.lock:
        ch = ws.conversation(channel_id)
        original = _original(ch, message_ts, user_id) if ch is not None and message_ts else None
        if payload.get("delete_original"):
            if original is None:
                return 404, "message_not_found"
            (ch.ephemerals if original.ephemeral_to else ch.messages).remove(original)
            return 200, "ok"
        blocks = payload.get("blocks")
        if blocks is not None:
            if not isinstance(blocks, list) or blockkit.message_problems(blocks):
                return 400, "invalid_blocks"
            blocks = blockkit.fill_missing_ids(blocks)
        if not payload.get("text") and not blocks and not payload.get("attachments"):
            return 400, "no_text"
        fields = _message_fields(payload, blocks)
        if payload.get("replace_original") and original is not None:
            _replace(original, fields)
        elif ch is not None:
            _post(ws, ch.id, user_id, payload, fields, source)
    return 200, "ok"


def _original(ch: Channel, ts: str, user_id: str) -> Message | None:
    """The message the interaction came from: a channel message or the user's ephemeral one."""
    found = ch.message(ts)
    if found is None:
        found = next((m for m in ch.ephemerals if m.ts == ts and m.ephemeral_to == user_id), None)
    return found


def _message_fields(payload: dict[str, Any], blocks: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {
        "text": str(payload.get("text") or ""),
        "blocks": blocks,
        "attachments": payload.get("attachments"),
        "thread_ts": payload.get("thread_ts"),
    }


def _replace(original: Message, fields: dict[str, Any]) -> None:
    original.text = fields["text"]
    original.blocks = fields["blocks"]
    original.attachments = fields["attachments"]


def _post(ws: Workspace, channel_id: str, user_id: str, payload: dict[str, Any], fields: dict[str, Any],
          source: str) -> None:
    ch = ws.channels[channel_id]
    # Replies appear from the app; "ephemeral" (the default) is shown only to the interacting user.
    in_channel = payload.get("response_type") == "in_channel"
    ws.post_as_bot(ch, ephemeral_to=None if in_channel else user_id, source=source, **fields)
