"""Plain records the fake keeps: users, conversations, messages, views, files, triggers.

Each record knows how to render itself as the JSON object the Web API returns, so method handlers
stay short and every method answers with the same shapes.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo


@dataclass
class User:
    id: str
    name: str
    team_id: str
    real_name: str = ""
    deleted: bool = False
    is_bot: bool = False
    tz: str | None = "Europe/London"
    email: str | None = None
    bot_id: str | None = None

    def to_api(self) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "team": self.team_id,
        }
        if self.email:
            profile["email"] = self.email
        if self.bot_id:
            profile["bot_id"] = self.bot_id
        data: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1700000000,
        }
        data.update(_tz_fields(self.tz))
        return data


def _tz_fields(tz: str | None) -> dict[str, Any]:
    # Bot users may have no tz at all; people get tz, tz_label and the current (DST-dependent) offset.
    if not tz:
        return {}
    now = dt.datetime.now(ZoneInfo(tz))
    offset = now.utcoffset() or dt.timedelta(0)
    return {"tz": tz, "tz_label": now.tzname() or tz, "tz_offset": int(offset.total_seconds())}


@dataclass
class Message:
    ts: str
    channel: str
    text: str = ""
    user: str | None = None
    blocks: list[dict[str, Any]] | None = None
    attachments: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    subtype: str | None = None
    files: list[dict[str, Any]] | None = None
    edited: dict[str, str] | None = None
    ephemeral_to: str | None = None  # recipient of an ephemeral message
    source: str = "api"  # api | response_url | command_reply | file_upload | system
    reply_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_system(self) -> bool:
        """Join/topic/rename/pin notices Slack writes itself; tests usually want to skip them."""
        return self.source == "system"

    def to_api(self, include_metadata: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "message", "text": self.text, "ts": self.ts}
        optional = {
            "subtype": self.subtype,
            "user": self.user,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "thread_ts": self.thread_ts,
            "edited": self.edited,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        if self.blocks is not None:
            data["blocks"] = copy.deepcopy(self.blocks)
        if self.attachments:
            data["attachments"] = copy.deepcopy(self.attachments)
        if self.files:
            data["files"] = copy.deepcopy(self.files)
            data["upload"] = True
        if self.metadata and include_metadata:
            data["metadata"] = copy.deepcopy(self.metadata)
        if self.reply_count:
            data["reply_count"] = self.reply_count
        data.update(copy.deepcopy(self.extra))
        return data


@dataclass
class Pin:
    created: int
    created_by: str


@dataclass
class Channel:
    id: str
    name: str
    created: int
    creator: str
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    im_user: str | None = None
    members: list[str] = field(default_factory=list)
    is_archived: bool = False
    topic: dict[str, Any] = field(default_factory=lambda: {"value": "", "creator": "", "last_set": 0})
    purpose: dict[str, Any] = field(default_factory=lambda: {"value": "", "creator": "", "last_set": 0})
    messages: list[Message] = field(default_factory=list)
    ephemerals: list[Message] = field(default_factory=list)
    pins: dict[str, Pin] = field(default_factory=dict)
    previous_names: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.is_im:
            return "im"
        if self.is_mpim:
            return "mpim"
        return "private" if self.is_private else "public"

    def message(self, ts: str) -> Message | None:
        return next((m for m in self.messages if m.ts == ts), None)

    def to_api(self, viewer: str) -> dict[str, Any]:
        if self.is_im:
            return self._im_api()
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_mpim,
            "is_group": False,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": False,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": None,
            "updated": self.created * 1000,
            "parent_conversation": None,
            "creator": self.creator,
            "is_member": viewer in self.members,
            "last_read": "0000000000.000000",
            "topic": dict(self.topic),
            "purpose": dict(self.purpose),
            "previous_names": list(self.previous_names),
            "priority": 0,
        }

    def _im_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "is_im": True,
            "is_org_shared": False,
            "user": self.im_user,
            "is_user_deleted": False,
            "last_read": "0000000000.000000",
            "latest": None,
            "unread_count": 0,
            "unread_count_display": 0,
            "is_open": True,
            "priority": 0,
        }


@dataclass
class View:
    """One modal or Home tab as Slack holds it. `content` is the app's view payload (ids filled in)."""

    id: str
    team_id: str
    user_id: str
    app_id: str
    bot_id: str
    content: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    state: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    errors: dict[str, str] | None = None
    generic_error: bool = False
    too_slow: bool = False
    closed: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier contents, oldest first

    @property
    def type(self) -> str:
        return self.content.get("type", "")

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return self.content.get("blocks", [])

    @property
    def title(self) -> dict[str, Any] | None:
        return self.content.get("title")

    @property
    def private_metadata(self) -> str:
        return self.content.get("private_metadata", "")

    @property
    def callback_id(self) -> str:
        return self.content.get("callback_id", "")

    @property
    def external_id(self) -> str:
        return self.content.get("external_id", "")

    @property
    def notify_on_close(self) -> bool:
        return bool(self.content.get("notify_on_close", False))

    def to_api(self, state: dict[str, Any] | None = None) -> dict[str, Any]:
        """The view object Slack returns; `state` overrides the stored values (interaction payloads)."""
        c = self.content
        values = self.state if state is None else state
        return {
            "id": self.id,
            "team_id": self.team_id,
            "type": self.type,
            "title": copy.deepcopy(c.get("title")),
            "submit": copy.deepcopy(c.get("submit")),
            "close": copy.deepcopy(c.get("close")),
            "blocks": copy.deepcopy(self.blocks),
            "private_metadata": self.private_metadata,
            "callback_id": self.callback_id,
            "external_id": self.external_id,
            "state": {"values": copy.deepcopy(values)},
            "hash": self.hash,
            "clear_on_close": bool(c.get("clear_on_close", False)),
            "notify_on_close": self.notify_on_close,
            "submit_disabled": bool(c.get("submit_disabled", False)),
            "root_view_id": self.root_view_id,
            "previous_view_id": self.previous_view_id,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }


_MIMETYPES = {
    "csv": "text/csv", "txt": "text/plain", "pdf": "application/pdf", "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class StoredFile:
    id: str
    name: str
    length: int
    user: str
    created: int
    upload_token: str
    title: str | None = None
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None
    completed: bool = False
    channels: list[str] = field(default_factory=list)
    host: str = "https://files.slack.com"  # where url_private points; the fake serves it itself
    team_id: str = "T0"
    # A link to a file held elsewhere (Google Drive, Dropbox, an app's remote file): Slack keeps no bytes,
    # and url_private is the outside address.
    external_url: str | None = None
    external_type: str | None = None

    @property
    def filetype(self) -> str:
        name = self.name.lower()
        return name.rsplit(".", 1)[-1] if "." in name else "binary"

    @property
    def url_path(self) -> str:
        return f"/files-pri/{self.team_id}-{self.id}/{self.name}"

    def to_api(self) -> dict[str, Any]:
        if self.external_url:
            return {**self._common(), "mode": "external", "is_external": True, "external_type": self.external_type,
                    "external_url": self.external_url, "url_private": self.external_url, "size": 0}
        return {**self._common(), "size": len(self.content or b""), "mode": "hosted", "is_external": False,
                "external_type": "",
                "url_private": f"{self.host}{self.url_path}",
                "url_private_download": f"{self.host}/files-pri/{self.team_id}-{self.id}/download/{self.name}"}

    def _common(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.name,
            "title": self.title or self.name,
            "mimetype": _MIMETYPES.get(self.filetype, "application/octet-stream"),
            "filetype": self.filetype,
            "pretty_type": self.filetype.upper(),
            "user": self.user,
            "editable": False,
            "is_public": False,
            "public_url_shared": False,
            "channels": list(self.channels),
            "groups": [],
            "ims": [],
        }


@dataclass
class Trigger:
    id: str
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    token: str
    channel_id: str
    user_id: str
    issued_at: float
    message_ts: str | None = None
    uses: int = 0


@dataclass
class ScheduledMessage:
    id: str
    channel: str
    post_at: int
    date_created: int
    content: dict[str, Any]  # text / blocks / attachments / metadata as validated at scheduling time
    thread_ts: str | None = None
    posted_ts: str | None = None  # set once delivered

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id, "channel_id": self.channel, "post_at": self.post_at,
            "date_created": self.date_created, "text": self.content.get("text", ""),
        }
