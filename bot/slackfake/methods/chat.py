"""chat.* methods: posting, ephemeral messages, updates and deletes."""

from __future__ import annotations

from typing import Any

from .. import blockkit
from ..errors import SlackError
from ..model import Channel, Message
from .registry import Ctx, method

POST_TEXT_MAX = 40_000  # chat.postMessage silently truncates beyond this
UPDATE_TEXT_MAX = 4_000  # chat.update answers msg_too_long beyond this
MAX_ATTACHMENTS = 100


def resolve_target(ctx: Ctx, param: str = "channel") -> Channel:
    """A conversation id, a channel name, or a user id (meaning the app's DM with that user)."""
    ws = ctx.ws
    target = ctx.text(param)
    if not target:
        raise SlackError("channel_not_found")
    user = ws.user(target)
    if user is not None:
        if user.is_bot or target == ws.bot_user_id:
            raise SlackError("cannot_dm_bot")
        if not ws.messages_tab_enabled:
            raise SlackError("messages_tab_disabled")
        # Slack still delivers to deactivated users' DMs (python-slack-sdk#1156).
        return ws.im_for(target)
    if ws.conversation(target) is None and ws.channel_by_name(target) is not None:
        target = ws.channel_by_name(target).id
    return ws.visible(target)


def ensure_can_post(ctx: Ctx, ch: Channel) -> None:
    if ch.is_archived:
        raise SlackError("is_archived")
    if ctx.ws.bot_user_id in ch.members:
        return
    if ch.kind == "public" and "chat:write.public" in ctx.ws.scopes:
        return
    raise SlackError("not_in_channel")


def message_content(ctx: Ctx, *, text_max: int | None = None) -> dict[str, Any]:
    """text/blocks/attachments/metadata of a post, validated as Slack does. Only keys sent are returned."""
    content: dict[str, Any] = {}
    if "text" in ctx.params and ctx.params["text"] is not None:
        content["text"] = str(ctx.params["text"])
    if "blocks" in ctx.params and ctx.params["blocks"] is not None:
        content["blocks"] = _checked_blocks(ctx.decoded("blocks"))
    if "attachments" in ctx.params and ctx.params["attachments"] is not None:
        content["attachments"] = _checked_attachments(ctx.decoded("attachments"))
    if "metadata" in ctx.params and ctx.params["metadata"] not in (None, ""):
        content["metadata"] = _checked_metadata(ctx.decoded("metadata"))
    if text_max is not None and len(content.get("text", "")) > text_max:
        raise SlackError("msg_too_long")
    return content


def _checked_blocks(blocks: Any) -> list[dict[str, Any]]:
    if not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    problems = blockkit.message_problems(blocks)
    if problems:
        body = blockkit.message_error_body(problems)
        raise SlackError("invalid_blocks", errors=body["errors"], response_metadata=body["response_metadata"])
    return blockkit.fill_missing_ids(blocks)


def _checked_attachments(attachments: Any) -> list[dict[str, Any]]:
    if not isinstance(attachments, list):
        raise SlackError("invalid_attachments")
    if len(attachments) > MAX_ATTACHMENTS:
        raise SlackError("too_many_attachments")
    return attachments


def _checked_metadata(metadata: Any) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        raise SlackError("invalid_metadata_format")
    if not isinstance(metadata.get("event_type"), str) or not isinstance(metadata.get("event_payload"), dict):
        raise SlackError("invalid_metadata_schema")
    return metadata


def require_body(content: dict[str, Any]) -> None:
    if not content.get("text") and not content.get("blocks") and not content.get("attachments"):
        raise SlackError("no_text")


@method("chat.postMessage", "special", ("chat:write",))
def post_message(ctx: Ctx) -> dict[str, Any]:
    ch = resolve_target(ctx)
    ensure_can_post(ctx, ch)
    content = message_content(ctx)
    require_body(content)
    content["text"] = content.get("text", "")[:POST_TEXT_MAX]
    msg = ctx.ws.post_as_bot(ch, thread_ts=ctx.text("thread_ts"), **content)
    return {"channel": ch.id, "ts": msg.ts, "message": _with_team(ctx, msg.to_api())}


def _with_team(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    ws = ctx.ws
    data["team"] = ws.team_id
    data["bot_profile"] = {
        "id": ws.bot_id, "app_id": ws.app_id, "name": ws.bot_name, "deleted": False, "team_id": ws.team_id,
    }
    return data


@method("chat.postEphemeral", "4", ("chat:write",))
def post_ephemeral(ctx: Ctx) -> dict[str, Any]:
    ch = resolve_target(ctx)
    ensure_can_post(ctx, ch)
    uid = ctx.text("user")
    if ctx.ws.user(uid) is None:
        raise SlackError("user_not_found")
    if uid not in ch.members:
        raise SlackError("user_not_in_channel")
    content = message_content(ctx)
    require_body(content)
    msg = ctx.ws.post_as_bot(ch, ephemeral_to=uid, thread_ts=ctx.text("thread_ts"), **content)
    return {"message_ts": msg.ts}


def _own_message(ctx: Ctx, cant: str) -> tuple[Channel, Message]:
    ch = ctx.ws.visible(ctx.text("channel"))
    msg = ch.message(ctx.text("ts") or "")
    if msg is None:
        raise SlackError("message_not_found")
    if msg.user != ctx.ws.bot_user_id or msg.is_system:
        raise SlackError(cant)
    return ch, msg


@method("chat.update", "3", ("chat:write",))
def update(ctx: Ctx) -> dict[str, Any]:
    ch, msg = _own_message(ctx, "cant_update_message")
    if ch.is_archived:
        raise SlackError("is_archived")
    content = message_content(ctx, text_max=UPDATE_TEXT_MAX)
    # Fields left out keep their previous value; an empty list clears blocks/attachments.
    for key, value in content.items():
        setattr(msg, key, value)
    msg.edited = {"user": ctx.ws.bot_user_id, "ts": ctx.ws.ts.next()}
    return {"channel": ch.id, "ts": msg.ts, "text": msg.text, "message": _with_team(ctx, msg.to_api())}


@method("chat.delete", "3", ("chat:write",))
def delete(ctx: Ctx) -> dict[str, Any]:
    ch, msg = _own_message(ctx, "cant_delete_message")
    ch.messages.remove(msg)
    ch.pins.pop(msg.ts, None)
    return {"channel": ch.id, "ts": msg.ts}


@method("chat.getPermalink", "special")
def get_permalink(ctx: Ctx) -> dict[str, Any]:
    ch = ctx.ws.visible(ctx.text("channel"))
    msg = ch.message(ctx.text("message_ts") or "")
    if msg is None:
        raise SlackError("message_not_found")
    link = f"https://{ctx.ws.team_domain}.slack.com/archives/{ch.id}/p{msg.ts.replace('.', '')}"
    return {"channel": ch.id, "permalink": link}

