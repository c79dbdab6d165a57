"""FakeSlack: the public face of the fake Web API server, with seeding, failure injection,
rate limits, call recording and inspectors for tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Iterable

from .dispatch import Dispatcher, Hold, Injection, Injector
from .manifest import AppConfig, load_manifest
from .model import Channel, Message, ScheduledMessage, StoredFile, User, View
from .ratelimit import RateLimiter
from .recorder import Call, Recorder
from .server import HttpServer
from .state import Workspace

# Granted when neither scopes nor a manifest are given: everything the fake's methods can ask for.
DEFAULT_SCOPES = [
    "channels:manage", "channels:read", "channels:history", "channels:join", "channels:write.invites",
    "groups:write", "groups:read", "groups:history", "im:write", "im:read", "im:history", "mpim:write",
    "mpim:read", "chat:write", "chat:write.public", "pins:write", "pins:read", "users:read",
    "users:read.email", "files:write", "files:read", "commands",
]


class FakeSlack:
    def __init__(
        self,
        bot_token: str = "xoxb-test",
        team_id: str = "T0001",
        scopes: Iterable[str] | None = None,
        manifest_path: str | Path | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.app_config: AppConfig | None = load_manifest(manifest_path) if manifest_path else None
        granted = list(scopes) if scopes is not None else (
            self.app_config.bot_scopes if self.app_config else list(DEFAULT_SCOPES)
        )
        self.ws = Workspace(team_id=team_id, bot_token=bot_token, scopes=granted)
        if self.app_config:
            self.ws.home_tab_enabled = self.app_config.home_tab_enabled
            self.ws.messages_tab_enabled = self.app_config.messages_tab_enabled
        self._recorder = Recorder()
        self._limiter = RateLimiter()
        self._injector = Injector()
        self._dispatcher = Dispatcher(self.ws, self._recorder, self._limiter, self._injector)
        self._host, self._port = host, port
        self._server: HttpServer | None = None

    # ---- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "FakeSlack":
        self._server = HttpServer(self._dispatcher, self._host, self._port)
        self.ws.public_url = self._server.root_url
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        return self.ws.public_url

    @property
    def base_url(self) -> str:
        """Give this to WebClient(base_url=...) / SLACK_API_URL."""
        return f"{self.ws.public_url}/api/"

    # ---- identity and settings -------------------------------------------------------------------

    @property
    def team_id(self) -> str:
        return self.ws.team_id

    @property
    def team_domain(self) -> str:
        return self.ws.team_domain

    @property
    def bot_token(self) -> str:
        return self.ws.bot_token

    @property
    def bot_user_id(self) -> str:
        return self.ws.bot_user_id

    @property
    def bot_id(self) -> str:
        return self.ws.bot_id

    @property
    def app_id(self) -> str:
        return self.ws.app_id

    @property
    def verification_token(self) -> str:
        return self.ws.verification_token

    @property
    def scopes(self) -> list[str]:
        return list(self.ws.scopes)

    @property
    def trigger_ttl(self) -> float:
        return self.ws.trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float) -> None:
        self.ws.trigger_ttl = seconds

    @property
    def clock(self) -> Callable[[], float]:
        """Monotonic clock used for trigger and response_url expiry; replace it to time-travel."""
        return self.ws.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.ws.clock = clock

    # ---- seeding ---------------------------------------------------------------------------------

    def add_user(
        self, user_id: str, name: str, real_name: str | None = None, deleted: bool = False,
        is_bot: bool = False, tz: str | None = "Europe/London", email: str | None = None,
    ) -> User:
        return self.ws.add_user(
            user_id, name, real_name=real_name or name, deleted=deleted, is_bot=is_bot, tz=tz, email=email
        )

    def add_channel(
        self, name: str, is_private: bool = False, members: Iterable[str] = (), bot_member: bool = True,
        archived: bool = False, creator: str | None = None,
    ) -> Channel:
        """A channel that already exists in the workspace (e.g. created by a person)."""
        people = list(members) + ([self.bot_user_id] if bot_member else [])
        ch = self.ws.create_channel(name, is_private=is_private, creator=creator or "USLACKBOT", members=people)
        ch.is_archived = archived
        return ch

    def revoke_token(self) -> None:
        """Simulate the app being uninstalled: every call answers token_revoked."""
        self.ws.token_revoked = True

    def issue_trigger(self, user_id: str) -> str:
        return self.ws.issue_trigger(user_id)

    def issue_response_url(self, channel_id: str, user_id: str, message_ts: str | None = None) -> str:
        return self.ws.issue_response_url(channel_id, user_id, message_ts)

    # ---- failure injection and rate limits ---------------------------------------------------------

    def fail_next(
        self, method: str, error: str = "restricted_action", status: int = 200, times: int = 1,
        retry_after: int | None = None, user: str | None = None,
    ) -> None:
        """The next `times` calls to `method` fail: ok:false with `error` (status 200), HTTP 429 with
        Retry-After (status 429), or that HTTP status (5xx). With `user`, only calls about that user
        fail (conversations.open with them, posts in their DM); other calls go through."""
        self._injector.add(method, Injection(error, status, times, retry_after, user))

    def redirect_file_downloads(self, origin: str | None) -> None:
        """From now on url_private answers `302 Location: <origin><same path>` (None: serve files again)."""
        self.ws.file_redirect = origin

    def hold_next(self, method: str, timeout: float = 30.0, when: Callable[[dict], bool] | None = None) -> Hold:
        """The next call to `method` (whose parameters satisfy `when`, if given) waits, before Slack acts
        on it, until the returned Hold is released (a slow answer: the app may give up or be killed
        meanwhile; Slack still acts on the call)."""
        hold = Hold(timeout, when)
        self._injector.hold(method, hold)
        return hold

    def set_rate_limits(self, enabled: bool = True, scale: float = 1.0) -> None:
        self._limiter.configure(enabled, scale)

    @property
    def stats(self) -> dict[str, dict[str, int]]:
        """Per method: calls, ok, error, ratelimited (429s included in calls)."""
        return {method: dict(counts) for method, counts in self._recorder.stats.items()}

    # ---- recorded traffic --------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        return self._recorder.calls(method)

    def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None, timeout: float = 5) -> Call:
        return self._recorder.wait_for(method, predicate, timeout)

    def reset_calls(self) -> None:
        self._recorder.reset()

    def on_call(self, callback: Callable[[Call], None]) -> None:
        self._recorder.on_call(callback)

    def responses(self) -> list[Call]:
        """Messages the app sent to response_urls."""
        return self._recorder.calls("response_url")

    @property
    def internal_errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake itself (answered as internal_error)."""
        return list(self._dispatcher.internal_errors)

    # ---- inspectors ------------------------------------------------------------------------------

    @property
    def users(self) -> dict[str, User]:
        return self.ws.users

    @property
    def channels(self) -> dict[str, Channel]:
        return self.ws.channels

    @property
    def views(self) -> dict[str, View]:
        return self.ws.views

    @property
    def files(self) -> dict[str, StoredFile]:
        return self.ws.files

    def channel_by_name(self, name: str) -> Channel | None:
        return self.ws.channel_by_name(name)

    def _conversation_for(self, channel_or_user_id: str) -> Channel | None:
        if channel_or_user_id in self.ws.users:
            cid = self.ws.ims.get(channel_or_user_id)
            return self.ws.channels.get(cid) if cid else None
        return self.ws.conversation(channel_or_user_id) or self.ws.channel_by_name(channel_or_user_id)

    def messages(self, channel_or_user_id: str, include_system: bool = False) -> list[Message]:
        """Messages in a channel (or the app's DM with a user), oldest first. Slack's own notices
        (joins, topic changes, pins) are left out unless include_system=True."""
        with self.ws.lock:
            self.ws.deliver_scheduled()
            ch = self._conversation_for(channel_or_user_id)
            if ch is None:
                return []
            return [m for m in ch.messages if include_system or not m.is_system]

    def dm_messages(self, user_id: str) -> list[Message]:
        return self.messages(user_id)

    def ephemeral_messages(self, channel_or_user_id: str, user: str | None = None) -> list[Message]:
        with self.ws.lock:
            ch = self._conversation_for(channel_or_user_id)
            if ch is None:
                return []
            return [m for m in ch.ephemerals if user is None or m.ephemeral_to == user]

    def scheduled_messages(self, channel_id: str | None = None) -> list[ScheduledMessage]:
        """Messages scheduled with chat.scheduleMessage and not yet posted."""
        return [
            s for s in self.ws.scheduled.values()
            if s.posted_ts is None and (channel_id is None or s.channel == channel_id)
        ]

    def deliver_scheduled(self, until: float | None = None) -> list[Message]:
        """Post scheduled messages due by `until` (wall-clock seconds; default now), e.g. to skip ahead."""
        return self.ws.deliver_scheduled(until)

    def pins(self, channel_id: str) -> list[str]:
        ch = self.ws.conversation(channel_id)
        return list(ch.pins) if ch else []

    def open_view_for(self, user_id: str) -> View | None:
        """The modal the user is looking at (top of their stack), if any."""
        return self.ws.top_view(user_id)

    def modal_stack(self, user_id: str) -> list[View]:
        return [self.ws.views[v] for v in self.ws.modal_stacks.get(user_id, [])]

    def home_view(self, user_id: str) -> View | None:
        view_id = self.ws.home_views.get(user_id)
        return self.ws.views.get(view_id) if view_id else None

    def wait_until(self, condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.01) -> Any:
        """Poll `condition` (e.g. lambda: fake.open_view_for(U)) until truthy; the value is returned."""
        deadline = time.monotonic() + timeout
        while True:
            with self.ws.lock:
                value = condition()
            if value or time.monotonic() >= deadline:
                if not value:
                    raise TimeoutError("condition not met within timeout")
                return value
            time.sleep(interval)
