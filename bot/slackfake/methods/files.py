"""files.* methods for the external upload flow used by WebClient.files_upload_v2:
files.getUploadURLExternal -> raw POST of the bytes to upload_url -> files.completeUploadExternal."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from .. import ids
from ..errors import SlackError
from ..model import Channel, StoredFile
from .registry import Ctx, method

_CHANNEL_ID = re.compile(r"^[CGDZ][A-Z0-9]{8,}$")


@method("files.getUploadURLExternal", "4", ("files:write",))
def get_upload_url(ctx: Ctx) -> dict[str, Any]:
    filename = ctx.text("filename")
    length = ctx.number("length", 0)
    if not filename or length <= 0:
        raise SlackError("missing_argument")
    token = secrets.token_urlsafe(18)
    stored = StoredFile(
        id=ids.slack_id("F"), name=filename, length=length, user=ctx.ws.bot_user_id, created=int(time.time()),
        upload_token=token, alt_txt=ctx.text("alt_txt"), snippet_type=ctx.text("snippet_type"),
        host=ctx.ws.public_url or "https://files.slack.com", team_id=ctx.ws.team_id,
    )
    ctx.ws.files[stored.id] = stored
    ctx.ws.uploads[token] = stored.id
    return {"upload_url": f"{ctx.ws.public_url}/upload/v1/{token}", "file_id": stored.id}


@method("files.completeUploadExternal", "4", ("files:write",))
def complete_upload(ctx: Ctx) -> dict[str, Any]:
    entries = ctx.decoded("files")
    if not isinstance(entries, list) or not entries:
        raise SlackError("invalid_arguments")
    channel = _share_target(ctx)
    stored = [_uploaded_file(ctx, entry) for entry in entries]
    for f, entry in zip(stored, entries):
        f.title = entry.get("title") or f.name
        f.completed = True
        if channel is not None:
            f.channels.append(channel.id)
    if channel is not None:
        ctx.ws.post_as_bot(
            channel, text=ctx.text("initial_comment", "") or "", files=[f.to_api() for f in stored],
            thread_ts=ctx.text("thread_ts"), source="file_upload",
        )
    return {"files": [f.to_api() for f in stored]}


def _share_target(ctx: Ctx) -> Channel | None:
    channel_id = ctx.text("channel_id") or (ctx.id_list("channels") or [None])[0]
    if channel_id is None:
        return None  # Slack keeps the file private to the uploader
    if not _CHANNEL_ID.match(channel_id):
        message = f"[ERROR] input must match regex pattern: {_CHANNEL_ID.pattern} [json-pointer:/channel_id]"
        raise SlackError("invalid_arguments", response_metadata={"messages": [message]})
    ch = ctx.ws.visible(channel_id)
    # Unlike chat.postMessage, chat:write.public does not help here: real membership is required.
    if ctx.ws.bot_user_id not in ch.members:
        raise SlackError("not_in_channel")
    if ch.is_archived:
        raise SlackError("is_archived")
    return ch


def _uploaded_file(ctx: Ctx, entry: Any) -> StoredFile:
    file_id = entry.get("id") if isinstance(entry, dict) else None
    stored = ctx.ws.files.get(file_id or "")
    if stored is None or stored.content is None or stored.completed:
        raise SlackError("file_not_found")
    return stored


@method("files.info", "4", ("files:read",))
def files_info(ctx: Ctx) -> dict[str, Any]:
    stored = ctx.ws.files.get(ctx.text("file") or "")
    if stored is None or not stored.completed or not ctx.ws.bot_can_see_file(stored):
        raise SlackError("file_not_found")
    return {"file": stored.to_api()}


@method("files.delete", "3", ("files:write",))
def files_delete(ctx: Ctx) -> dict[str, Any]:
    """A bot token deletes only the files its app uploaded: anyone else's answers cant_delete_file, as in Slack."""
    stored = ctx.ws.files.get(ctx.text("file") or "")
    if stored is None or not stored.completed or not ctx.ws.bot_can_see_file(stored):
        raise SlackError("file_not_found")
    if stored.user != ctx.ws.bot_user_id:
        raise SlackError("cant_delete_file")
    ctx.ws.delete_file(stored.id)
    return {}


@method("files.upload", "2", ("files:write",))
def legacy_files_upload(ctx: Ctx) -> dict[str, Any]:
    """Sunset on 2025-11-12 (and never available to apps created after 2024-05-16): use files_upload_v2."""
    raise SlackError("method_deprecated")
