"""conversations.* methods, with Slack's naming, membership and visibility rules."""

from __future__ import annotations

import re
import time
from typing import Any

from ..errors import SlackError
from ..model import Channel
from .auth_users import paginate
from .registry import Ctx, Need, by_channel, fixed, method

MANAGE = by_channel(public=("channels:manage",), private=("groups:write",), im=("im:write",), mpim=("mpim:write",))
INVITE = by_channel(
    public=("channels:manage", "channels:write.invites"),
    private=("groups:write", "groups:write.invites"),
    im=("im:write",),
    mpim=("mpim:write",),
)
TOPIC = by_channel(
    public=("channels:manage", "channels:write.topic"),
    private=("groups:write", "groups:write.topic"),
    im=("im:write", "im:write.topic"),
    mpim=("mpim:write", "mpim:write.topic"),
)
READ = by_channel(public=("channels:read",), private=("groups:read",), im=("im:read",), mpim=("mpim:read",))
HISTORY = by_channel(
    public=("channels:history",), private=("groups:history",), im=("im:history",), mpim=("mpim:history",)
)

_NAME_CHARS = re.compile(r"^[a-z0-9_-]+$")
TOPIC_MAX = 250


def check_name(name: str | None) -> str:
    """Channel names: lowercase letters, digits, '-' and '_', at most 80 characters, not only punctuation."""
    if not name:
        raise SlackError("invalid_name_required")
    if len(name) > 80:
        raise SlackError("invalid_name_maxlength")
    if not _NAME_CHARS.match(name):
        raise SlackError("invalid_name_specials")
    if not name.strip("-_"):
        raise SlackError("invalid_name_punctuation")
    return name


def ensure_name_free(ctx: Ctx, name: str, except_id: str | None = None) -> None:
    # Archived channels keep their names reserved (monzo/response#23), private ones too.
    for ch in ctx.ws.channels.values():
        if not ch.is_im and ch.name == name and ch.id != except_id:
            raise SlackError("name_taken")


def managed_channel(ctx: Ctx, *, allow_archived: bool = False) -> Channel:
    """A real channel (not a DM) the bot belongs to, as management methods require."""
    ch = ctx.ws.visible(ctx.text("channel"))
    if ch.is_im or ch.is_mpim:
        raise SlackError("method_not_supported_for_channel_type")
    if ctx.ws.bot_user_id not in ch.members:
        raise SlackError("not_in_channel")
    if ch.is_archived and not allow_archived:
        raise SlackError("is_archived")
    return ch


def channel_body(ctx: Ctx, ch: Channel) -> dict[str, Any]:
    return {"channel": ch.to_api(ctx.ws.bot_user_id)}


@method("conversations.create", "2", lambda ctx: _create_need(ctx))
def create(ctx: Ctx) -> dict[str, Any]:
    name = check_name(ctx.text("name"))
    ensure_name_free(ctx, name)
    bot = ctx.ws.bot_user_id
    ch = ctx.ws.create_channel(name, is_private=ctx.flag("is_private"), creator=bot, members=[bot])
    return channel_body(ctx, ch)


def _create_need(ctx: Ctx) -> Need:
    scope = "groups:write" if ctx.flag("is_private") else "channels:manage"
    return Need((scope,), scope)


@method("conversations.invite", "3", INVITE)
def invite(ctx: Ctx) -> dict[str, Any]:
    ch = managed_channel(ctx)
    users = ctx.id_list("users")
    if not users:
        raise SlackError("no_user")
    if len(users) > 1000:
        raise SlackError("invalid_arguments")
    problems = [p for p in (_invite_problem(ctx, ch, uid) for uid in users) if p]
    # Without force=true, one bad id means nobody is invited (documented "partially failed calls").
    if problems and not ctx.flag("force"):
        raise SlackError(problems[0]["error"], errors=problems)
    failed = {p["user"] for p in problems}
    for uid in dict.fromkeys(users):
        if uid not in failed:
            ch.members.append(uid)
            ctx.ws.system_message(ch, "channel_join", uid, f"<@{uid}> has joined the channel",
                                  inviter=ctx.ws.bot_user_id)
    body = channel_body(ctx, ch)
    if problems:
        body["errors"] = problems
    return body


def _invite_problem(ctx: Ctx, ch: Channel, uid: str) -> dict[str, Any] | None:
    user = ctx.ws.user(uid)
    if uid == ctx.ws.bot_user_id:
        error = "cant_invite_self"
    elif user is None:
        error = "user_not_found"
    elif user.deleted:
        error = "cant_invite"
    elif uid in ch.members:
        error = "already_in_channel"
    else:
        return None
    return {"user": uid, "ok": False, "error": error}


@method("conversations.kick", "3", MANAGE)
def kick(ctx: Ctx) -> dict[str, Any]:
    ch = managed_channel(ctx)
    uid = ctx.text("user")
    if not uid:
        raise SlackError("no_user")
    if uid == ctx.ws.bot_user_id:
        raise SlackError("cant_kick_self")
    if ctx.ws.user(uid) is None:
        raise SlackError("user_not_found")
    if uid not in ch.members:
        raise SlackError("not_in_channel")
    ch.members.remove(uid)
    return {"errors": {}}


@method("conversations.info", "3", READ)
def info(ctx: Ctx) -> dict[str, Any]:
    ch = ctx.ws.visible(ctx.text("channel"))
    body = channel_body(ctx, ch)
    if ctx.flag("include_num_members") and not ch.is_im:
        body["channel"]["num_members"] = len(ch.members)
    return body


@method("conversations.members", "4", READ)
def members(ctx: Ctx) -> dict[str, Any]:
    ch = ctx.ws.visible(ctx.text("channel"))
    page, cursor = paginate(ctx, ch.members)
    return {"members": page, "response_metadata": {"next_cursor": cursor}}


@method("conversations.archive", "2", MANAGE)
def archive(ctx: Ctx) -> dict[str, Any]:
    ch = managed_channel(ctx, allow_archived=True)
    if ch.is_archived:
        raise SlackError("already_archived")
    ctx.ws.system_message(ch, "channel_archive", ctx.ws.bot_user_id, "archived the channel")
    ch.is_archived = True
    return {}


@method("conversations.unarchive", "2", MANAGE)
def unarchive(ctx: Ctx) -> dict[str, Any]:
    ch = managed_channel(ctx, allow_archived=True)
    if not ch.is_archived:
        raise SlackError("not_archived")
    ch.is_archived = False
    ctx.ws.system_message(ch, "channel_unarchive", ctx.ws.bot_user_id, "un-archived the channel")
    return {}


@method("conversations.rename", "2", MANAGE)
def rename(ctx: Ctx) -> dict[str, Any]:
    ch = managed_channel(ctx)
    name = check_name(ctx.text("name"))
    if name != ch.name:
        ensure_name_free(ctx, name, except_id=ch.id)
        ch.previous_names.insert(0, ch.name)
        old, ch.name = ch.name, name
        ctx.ws.system_message(
            ch, "channel_name", ctx.ws.bot_user_id, f"renamed the channel from \"{old}\" to \"{name}\"",
            old_name=old, name=name,
        )
    return channel_body(ctx, ch)


def _set_text_attribute(ctx: Ctx, attr: str, param: str) -> dict[str, Any]:
    ch = ctx.ws.visible(ctx.text("channel"))
    if ch.is_archived:
        raise SlackError("is_archived")
    if ctx.ws.bot_user_id not in ch.members:
        raise SlackError("not_in_channel")
    value = ctx.text(param, "") or ""
    if len(value) > TOPIC_MAX:
        raise SlackError("too_long")
    setattr(ch, attr, {"value": value, "creator": ctx.ws.bot_user_id, "last_set": int(time.time())})
    ctx.ws.system_message(ch, f"channel_{attr}", ctx.ws.bot_user_id, f"set the channel {attr}: {value}",
                          **{attr: value})
    return channel_body(ctx, ch)


@method("conversations.setTopic", "2", TOPIC)
def set_topic(ctx: Ctx) -> dict[str, Any]:
    return _set_text_attribute(ctx, "topic", "topic")


@method("conversations.setPurpose", "2", TOPIC)
def set_purpose(ctx: Ctx) -> dict[str, Any]:
    return _set_text_attribute(ctx, "purpose", "purpose")


@method("conversations.join", "3", ("channels:join",))
def join(ctx: Ctx) -> dict[str, Any]:
    ch = ctx.ws.visible(ctx.text("channel"))
    if ch.kind != "public":
        raise SlackError("method_not_supported_for_channel_type")
    if ch.is_archived:
        raise SlackError("is_archived")
    bot = ctx.ws.bot_user_id
    if bot in ch.members:
        body = channel_body(ctx, ch)
        body.update(warning="already_in_channel", response_metadata={"warnings": ["already_in_channel"]})
        return body
    ch.members.append(bot)
    ctx.ws.system_message(ch, "channel_join", bot, f"<@{bot}> has joined the channel")
    return channel_body(ctx, ch)


@method("conversations.list", "2", fixed("channels:read", "groups:read", "im:read", "mpim:read"))
def list_conversations(ctx: Ctx) -> dict[str, Any]:
    types = ctx.id_list("types") or ["public_channel"]
    wanted = {"public_channel": "public", "private_channel": "private", "im": "im", "mpim": "mpim"}
    kinds = {wanted[t] for t in types if t in wanted}
    visible = [
        ch for ch in ctx.ws.channels.values()
        if ch.kind in kinds
        and (ch.kind == "public" or ctx.ws.bot_user_id in ch.members)
        and not (ctx.flag("exclude_archived") and ch.is_archived)
    ]
    page, cursor = paginate(ctx, [ch.to_api(ctx.ws.bot_user_id) for ch in visible])
    return {"channels": page, "response_metadata": {"next_cursor": cursor}}


@method("conversations.open", "3", lambda ctx: _open_need(ctx))
def open_conversation(ctx: Ctx) -> dict[str, Any]:
    if ctx.text("channel"):
        ch = ctx.ws.visible(ctx.text("channel"))
        return _open_body(ctx, ch, already=True)
    users = ctx.id_list("users")
    if not users:
        raise SlackError("users_list_not_supplied")
    if len(users) > 8:
        raise SlackError("too_many_users")
    for uid in users:
        user = ctx.ws.user(uid)
        if user is None:
            raise SlackError("user_not_found")
        if user.deleted:
            raise SlackError("user_disabled")
    if len(users) == 1:
        already = users[0] in ctx.ws.ims
        return _open_body(ctx, ctx.ws.im_for(users[0]), already=already)
    return _open_mpim(ctx, users)


def _open_need(ctx: Ctx) -> Need:
    scope = "mpim:write" if len(ctx.id_list("users")) > 1 else "im:write"
    return Need((scope,), scope)


def _open_body(ctx: Ctx, ch: Channel, *, already: bool) -> dict[str, Any]:
    full = ch.to_api(ctx.ws.bot_user_id)
    if already:
        return {"no_op": True, "already_open": True, "channel": full}
    return {"channel": full if ctx.flag("return_im") else {"id": ch.id}}


def _open_mpim(ctx: Ctx, users: list[str]) -> dict[str, Any]:
    bot = ctx.ws.bot_user_id
    wanted = set(users) | {bot}
    existing = next((c for c in ctx.ws.channels.values() if c.is_mpim and set(c.members) == wanted), None)
    if existing:
        return _open_body(ctx, existing, already=True)
    names = "--".join(ctx.ws.users[u].name for u in users)
    ch = ctx.ws.create_channel(f"mpdm-{names}-1", is_private=True, creator=bot, members=[*users, bot])
    ch.is_mpim = True
    return _open_body(ctx, ch, already=False)


def _readable(ctx: Ctx) -> Channel:
    ch = ctx.ws.visible(ctx.text("channel"))
    if ctx.ws.bot_user_id not in ch.members:
        raise SlackError("not_in_channel")
    return ch


@method("conversations.history", "3", HISTORY)
def history(ctx: Ctx) -> dict[str, Any]:
    ch = _readable(ctx)
    top_level = [m for m in ch.messages if not m.thread_ts or m.thread_ts == m.ts]
    chosen = _in_time_range(ctx, top_level)[::-1]  # newest first
    page, cursor = paginate(ctx, chosen)
    metadata = ctx.flag("include_all_metadata")
    return {
        "messages": [m.to_api(include_metadata=metadata) for m in page],
        "has_more": bool(cursor),
        "pin_count": len(ch.pins),
        "channel_actions_ts": None,
        "channel_actions_count": 0,
        "response_metadata": {"next_cursor": cursor},
    }


@method("conversations.replies", "3", HISTORY)
def replies(ctx: Ctx) -> dict[str, Any]:
    ch = _readable(ctx)
    parent = ch.message(ctx.text("ts") or "")
    if parent is None:
        raise SlackError("thread_not_found")
    thread = [parent] + [m for m in ch.messages if m.thread_ts == parent.ts and m.ts != parent.ts]
    page, cursor = paginate(ctx, _in_time_range(ctx, thread))
    metadata = ctx.flag("include_all_metadata")
    return {
        "messages": [m.to_api(include_metadata=metadata) for m in page],
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }


def _in_time_range(ctx: Ctx, messages: list[Any]) -> list[Any]:
    oldest = float(ctx.text("oldest", "0") or 0)
    latest = float(ctx.text("latest", "0") or 0) or float("inf")
    inclusive = ctx.flag("inclusive")

    def keep(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    return [m for m in messages if keep(float(m.ts))]
