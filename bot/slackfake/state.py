"""The workspace the fake simulates: one team, one installed app, its bot user, people and conversations.

All mutation happens under `Workspace.lock` (an RLock): the HTTP server is threaded and the
platform client and tests read the same objects.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any, Callable

from . import ids
from .errors import SlackError
from .model import Channel, Message, ResponseUrl, ScheduledMessage, Trigger, User, View


class Workspace:
    def __init__(
        self,
        *,
        team_id: str,
        bot_token: str,
        scopes: list[str],
        team_name: str = "DHR Test",
        team_domain: str = "dhr-test",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lock = threading.RLock()
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_token = bot_token
        self.scopes = list(scopes)
        self.bot_user_id = "UBOT0001"
        self.bot_id = "B0001"
        self.app_id = "A0001"
        self.bot_name = "dhr-bot"
        self.verification_token = "fake-verification-token"
        self.token_revoked = False
        # Behaviour switches read from the app manifest (both on unless the manifest says otherwise).
        self.home_tab_enabled = True
        self.messages_tab_enabled = True
        # Timing rules; `clock` is injectable so tests can expire things without sleeping.
        self.clock = clock
        self.trigger_ttl = 3.0
        self.response_url_ttl = 30 * 60.0
        self.response_url_uses = 5
        self.public_url = ""  # "http://127.0.0.1:PORT", set once the server listens
        self.file_redirect: str | None = None   # a fault to inject: url_private answers 302 to this origin
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.views: dict[str, View] = {}
        self.modal_stacks: dict[str, list[str]] = {}
        self.home_views: dict[str, str] = {}
        self.files: dict[str, Any] = {}
        self.uploads: dict[str, str] = {}  # upload token -> file id
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.ims: dict[str, str] = {}  # user id -> D... conversation id
        self.scheduled: dict[str, ScheduledMessage] = {}
        self.ts = ids.TsClock()
        self._seed_builtin_users()

    def _seed_builtin_users(self) -> None:
        self.add_user(self.bot_user_id, self.bot_name, real_name="DHR Bot", is_bot=True, tz=None, bot_id=self.bot_id)
        # Every real workspace has Slackbot, and famously it is *not* flagged is_bot.
        self.add_user("USLACKBOT", "slackbot", real_name="Slackbot", tz="America/Los_Angeles")

    # ---- users -------------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, **kwargs: Any) -> User:
        kwargs.setdefault("real_name", name)
        with self.lock:
            user = User(id=user_id, name=name, team_id=self.team_id, **kwargs)
            self.users[user_id] = user
            return user

    def user(self, user_id: str | None) -> User | None:
        return self.users.get(user_id or "")

    # ---- conversations -----------------------------------------------------------------------

    def conversation(self, channel_id: str | None) -> Channel | None:
        return self.channels.get(channel_id or "")

    def channel_by_name(self, name: str) -> Channel | None:
        name = name.lstrip("#")
        return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def kind(self, channel_id: str | None) -> str | None:
        ch = self.conversation(channel_id)
        return ch.kind if ch else None

    def visible(self, channel_id: str | None) -> Channel:
        """The conversation as the bot can see it.

        Private channels the bot is not in are indistinguishable from unknown ids: Slack answers
        channel_not_found for both.
        """
        ch = self.conversation(channel_id)
        if ch is None or (ch.kind in ("private", "mpim") and self.bot_user_id not in ch.members):
            raise SlackError("channel_not_found")
        return ch

    def new_conversation_id(self, prefix: str = "C") -> str:
        while True:
            cid = ids.slack_id(prefix)
            if cid not in self.channels:
                return cid

    def create_channel(self, name: str, *, is_private: bool, creator: str, members: list[str]) -> Channel:
        with self.lock:
            ch = Channel(
                id=self.new_conversation_id(),
                name=name,
                created=int(time.time()),
                creator=creator,
                is_private=is_private,
                members=list(dict.fromkeys(members)),
            )
            self.channels[ch.id] = ch
            return ch

    def im_for(self, user_id: str) -> Channel:
        """The app's DM with a person (its Messages tab), created on first use with a stable D id."""
        with self.lock:
            if user_id in self.ims:
                return self.channels[self.ims[user_id]]
            ch = Channel(
                id=self.new_conversation_id("D"),
                name=user_id,
                created=int(time.time()),
                creator=self.bot_user_id,
                is_private=True,
                is_im=True,
                im_user=user_id,
                members=[user_id, self.bot_user_id],
            )
            self.channels[ch.id] = ch
            self.ims[user_id] = ch.id
            return ch

    def post(self, ch: Channel, **fields: Any) -> Message:
        with self.lock:
            msg = Message(ts=self.ts.next(), channel=ch.id, **fields)
            if msg.ephemeral_to:
                ch.ephemerals.append(msg)
                return msg
            ch.messages.append(msg)
            parent = ch.message(msg.thread_ts) if msg.thread_ts else None
            if parent is not None:
                parent.reply_count += 1
            return msg

    def post_as_bot(self, ch: Channel, **fields: Any) -> Message:
        return self.post(ch, user=self.bot_user_id, bot_id=self.bot_id, app_id=self.app_id, **fields)

    def system_message(self, ch: Channel, subtype: str, user: str, text: str, **extra: Any) -> Message:
        """Notices Slack itself writes into a channel (joins, topic changes, pins)."""
        return self.post(ch, subtype=subtype, user=user, text=text, source="system", extra=extra)

    def deliver_scheduled(self, until: float | None = None) -> list[Message]:
        """Post scheduled messages whose post_at has come (by wall clock, or `until`).

        Slack documents a bug we reproduce: a scheduled message carrying `metadata` is never posted.
        """
        until = time.time() if until is None else until
        posted = []
        with self.lock:
            for item in sorted(self.scheduled.values(), key=lambda s: s.post_at):
                if item.posted_ts is None and item.post_at <= until:
                    item.posted_ts = "dropped"
                    if "metadata" not in item.content:
                        msg = self.post_as_bot(self.channels[item.channel], thread_ts=item.thread_ts, **item.content)
                        item.posted_ts = msg.ts
                        posted.append(msg)
        return posted

    def delete_file(self, file_id: str) -> None:
        """Gone from the workspace; the messages that shared it show Slack's tombstone instead."""
        with self.lock:
            stored = self.files.pop(file_id, None)
            for ch in map(self.conversation, stored.channels if stored else []):
                for msg in ch.messages if ch else []:
                    if msg.files and any(f.get("id") == file_id for f in msg.files):
                        msg.files = [{"id": file_id, "mode": "tombstone"} if f.get("id") == file_id else f
                                     for f in msg.files]

    def bot_can_see_file(self, stored: Any) -> bool:
        """The bot sees its own files and files shared where it is a member (DMs with it included)."""
        if stored.user == self.bot_user_id:
            return True
        return any(self.bot_user_id in ch.members for ch in map(self.conversation, stored.channels) if ch)

    # ---- triggers and response urls ----------------------------------------------------------

    def issue_trigger(self, user_id: str) -> str:
        with self.lock:
            trig = Trigger(id=ids.trigger_id(), user_id=user_id, issued_at=self.clock())
            self.triggers[trig.id] = trig
            return trig.id

    def exchange_trigger(self, trigger_id: str | None) -> Trigger:
        """Trigger ids are single use and expire after about 3 seconds."""
        if not trigger_id or not ids.TRIGGER_RE.match(str(trigger_id)):
            raise SlackError("invalid_trigger_id")
        trig = self.triggers.get(str(trigger_id))
        if trig is None:
            raise SlackError("invalid_trigger_id")
        if trig.used:
            raise SlackError("exchanged_trigger_id")
        if self.clock() - trig.issued_at > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        trig.used = True
        return trig

    def issue_response_url(self, channel_id: str, user_id: str, message_ts: str | None = None) -> str:
        with self.lock:
            token = secrets.token_urlsafe(18)
            self.response_urls[token] = ResponseUrl(
                token=token, channel_id=channel_id, user_id=user_id, issued_at=self.clock(), message_ts=message_ts
            )
            return f"{self.public_url}/response/{token}"

    # ---- views -------------------------------------------------------------------------------

    def stack(self, user_id: str) -> list[str]:
        return self.modal_stacks.setdefault(user_id, [])

    def top_view(self, user_id: str) -> View | None:
        stack = self.modal_stacks.get(user_id) or []
        return self.views[stack[-1]] if stack else None

    def close_view(self, view: View) -> None:
        view.closed = True
        stack = self.modal_stacks.get(view.user_id, [])
        if view.id in stack:
            stack.remove(view.id)

    def clear_stack(self, user_id: str) -> None:
        for vid in list(self.stack(user_id)):
            self.close_view(self.views[vid])
