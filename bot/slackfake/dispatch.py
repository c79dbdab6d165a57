"""Turns one HTTP request into Slack's answer, independent of the HTTP server plumbing.

Order of checks for Web API calls mirrors Slack: route -> (injected failure) -> auth -> rate
limit -> scopes -> method handler. Every request is recorded, whatever the outcome.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import SlackError
from .http_params import multipart_parts, parse_params
from .methods import REGISTRY, Ctx, check_scopes
from .ratelimit import RateLimiter
from .recorder import Call, Recorder
from .replies import apply_reply
from .state import Workspace

log = logging.getLogger(__name__)


@dataclass
class Reply:
    status: int
    body: Any  # dict -> JSON, str -> text/plain
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode(), "application/json; charset=utf-8"
        return str(self.body).encode(), "text/plain; charset=utf-8"


@dataclass
class Injection:
    error: str
    status: int
    remaining: int
    retry_after: int | None
    user: str | None = None     # only calls about this user (conversations.open for them, posts in their DM)


class Hold:
    """A call held before Slack acts on it (FakeSlack.hold_next): a slow answer, during which the app
    may be killed. `arrived` is set when the call comes in; it is acted on once `release()` is called
    (or after `timeout`), and its answer then goes to whoever is still listening."""

    def __init__(self, timeout: float, when=None) -> None:
        self.when = when
        self.arrived = threading.Event()
        self._released = threading.Event()
        self.timeout = timeout

    def release(self) -> None:
        self._released.set()

    def wait(self) -> None:
        self.arrived.set()
        self._released.wait(self.timeout)


class Injector:
    """Failures queued by tests with FakeSlack.fail_next(), and holds from hold_next()."""

    def __init__(self) -> None:
        self._queued: dict[str, list[Injection]] = {}
        self._holds: dict[str, list[Hold]] = {}
        self._lock = threading.Lock()

    def hold(self, method: str, hold: Hold) -> None:
        with self._lock:
            self._holds.setdefault(method, []).append(hold)

    def take_hold(self, method: str, params: dict[str, Any]) -> Hold | None:
        with self._lock:
            queue = self._holds.get(method) or []
            for i, hold in enumerate(queue):
                if hold.when is None or hold.when(params):
                    return queue.pop(i)
            return None

    def add(self, method: str, injection: Injection) -> None:
        with self._lock:
            self._queued.setdefault(method, []).append(injection)

    def take(self, method: str, about: str | None = None) -> Injection | None:
        """The first queued failure for `method` that applies to a call about user `about`."""
        with self._lock:
            queue = self._queued.get(method) or []
            injection = next((i for i in queue if i.user is None or i.user == about), None)
            if injection is None:
                return None
            injection.remaining -= 1
            if injection.remaining <= 0:
                queue.remove(injection)
            return injection


class Dispatcher:
    def __init__(self, ws: Workspace, recorder: Recorder, limiter: RateLimiter, injector: Injector) -> None:
        self.ws = ws
        self.recorder = recorder
        self.limiter = limiter
        self.injector = injector
        self.internal_errors: list[str] = []

    # ---- Web API -------------------------------------------------------------------------------

    def api(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        arrived, wall = time.monotonic(), time.time()
        params: dict[str, Any] = {}
        try:
            params = parse_params(query, headers.get("content-type", ""), body)
            reply = self._answer(method, params, headers)
        except SlackError as exc:
            reply = Reply(200, exc.body())
        reply.headers.setdefault("x-oauth-scopes", ",".join(self.ws.scopes))
        self.recorder.add(Call(method, params, reply.body, reply.status, arrived, wall))
        return reply

    def _answer(self, name: str, params: dict[str, Any], headers: Mapping[str, str]) -> Reply:
        method = REGISTRY.get(name)
        if method is None:
            return Reply(200, {"ok": False, "error": "unknown_method", "req_method": name})
        held = self.injector.take_hold(name, params)
        if held is not None:
            held.wait()
        injected = self.injector.take(name, self._about(params))
        if injected is not None:
            return self._injected(injected)
        self._authenticate(params, headers)
        ctx = Ctx(self.ws, params)
        retry_after = self.limiter.check(name, method.tier, ctx.text("channel"))
        if retry_after is not None:
            return Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
        with self.ws.lock:
            self.ws.deliver_scheduled()
            check_scopes(method.scope_rule, ctx)
            return Reply(200, {"ok": True, **self._run(method.handler, ctx)})

    def _run(self, handler: Any, ctx: Ctx) -> dict[str, Any]:
        try:
            return handler(ctx)
        except SlackError:
            raise
        except Exception:  # a bug in the fake: answer like Slack's own internal_error, and keep it visible
            self.internal_errors.append(traceback.format_exc())
            log.exception("slackfake handler crashed")
            raise SlackError("internal_error") from None

    def _about(self, params: dict[str, Any]) -> str | None:
        """The user a call is about: the one a DM is opened with or posted to."""
        users = params.get("users")
        if isinstance(users, str) and users:
            return users.split(",")[0]
        channel = params.get("channel")
        ch = self.ws.channels.get(channel) if isinstance(channel, str) else None
        return ch.im_user if ch is not None and ch.is_im else channel

    def _authenticate(self, params: dict[str, Any], headers: Mapping[str, str]) -> None:
        auth = headers.get("authorization", "")
        token = auth[len("Bearer "):].strip() if auth.startswith("Bearer ") else params.get("token")
        if not token:
            raise SlackError("not_authed")
        if token != self.ws.bot_token:
            raise SlackError("invalid_auth")
        if self.ws.token_revoked:
            raise SlackError("token_revoked")

    @staticmethod
    def _injected(injection: Injection) -> Reply:
        if injection.status == 429:
            retry = str(injection.retry_after if injection.retry_after is not None else 1)
            return Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": retry})
        headers = {"Retry-After": str(injection.retry_after)} if injection.retry_after is not None else {}
        return Reply(injection.status, {"ok": False, "error": injection.error}, headers)

    # ---- file upload URLs ----------------------------------------------------------------------

    def upload(self, token: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """The upload_url handed out by files.getUploadURLExternal: raw bytes (or multipart), no auth."""
        arrived, wall = time.monotonic(), time.time()
        content = self._upload_bytes(headers.get("content-type", ""), body)
        with self.ws.lock:
            stored = self.ws.files.get(self.ws.uploads.get(token, ""))
            if stored is None:
                reply = Reply(404, "invalid upload url")
            else:
                stored.content = content
                reply = Reply(200, f"OK - {len(content)}")
        params = {"token": token, "length": len(content), "file_id": stored.id if stored else None}
        self.recorder.add(Call("file_upload", params, reply.body, reply.status, arrived, wall))
        return reply

    @staticmethod
    def _upload_bytes(content_type: str, body: bytes) -> bytes:
        if content_type.lower().startswith("multipart/form-data"):
            files = [value for _, value, filename in multipart_parts(content_type, body) if filename]
            if files:
                return files[0]
        return body

    # ---- url_private of shared files ------------------------------------------------------------

    LOGIN_PAGE = ("<!DOCTYPE html><html><head><title>Slack</title></head><body><h1>Sign in to Slack</h1>"
                  "</body></html>")

    def file_download(self, path: str, headers: Mapping[str, str]) -> Reply:
        """GET url_private: the bytes with `Authorization: Bearer <token with files:read>`; otherwise Slack
        answers 200 with its HTML sign-in page, not the file."""
        arrived, wall = time.monotonic(), time.time()
        auth = headers.get("authorization", "")
        token = auth[len("Bearer "):].strip() if auth.startswith("Bearer ") else ""
        file_id = path.split("/")[2].rsplit("-", 1)[-1] if path.count("/") >= 3 else ""
        if self.ws.file_redirect:
            self.recorder.add(Call("file_download", {"file_id": file_id, "redirected": True}, "", 302, arrived, wall))
            return Reply(302, "", {"Location": f"{self.ws.file_redirect}{path}"})
        with self.ws.lock:
            stored = self.ws.files.get(file_id)
            allowed = (token == self.ws.bot_token and not self.ws.token_revoked and "files:read" in self.ws.scopes
                       and stored is not None and stored.content is not None and self.ws.bot_can_see_file(stored))
            content = stored.content if allowed else None
        if content is None:
            reply = Reply(200, self.LOGIN_PAGE, {"Content-Type": "text/html; charset=utf-8"})
            reply.body = self.LOGIN_PAGE.encode()
        else:
            reply = Reply(200, content, {"Content-Type": "application/octet-stream"})
        self.recorder.add(Call("file_download", {"file_id": file_id, "authorized": content is not None,
                                                 "bytes": len(content or b"")}, "", 200, arrived, wall))
        return reply

    # ---- response_url --------------------------------------------------------------------------

    def response_url(self, token: str, headers: Mapping[str, str], body: bytes) -> Reply:
        arrived, wall = time.monotonic(), time.time()
        try:
            payload: Any = json.loads(body.decode("utf-8") or "null")
        except ValueError:
            payload = None
        reply = self._respond(token, payload)
        params = payload if isinstance(payload, dict) else {"raw": body.decode("utf-8", "replace")}
        self.recorder.add(Call("response_url", {**params, "_token": token}, reply.body, reply.status, arrived, wall))
        return reply

    def _respond(self, token: str, payload: Any) -> Reply:
        with self.ws.lock:
            target = self.ws.response_urls.get(token)
            if target is None:
                return Reply(404, "invalid_token")
            if self.ws.clock() - target.issued_at > self.ws.response_url_ttl:
                return Reply(404, "expired_url")
            if target.uses >= self.ws.response_url_uses:
                return Reply(404, "used_url")
            target.uses += 1
            status, text = apply_reply(
                self.ws, target.channel_id, target.user_id, payload, message_ts=target.message_ts, source="response_url"
            )
        return Reply(status, text)
