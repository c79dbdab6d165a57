"""Driving the Teams fake with plain HTTP as a bot would: calls, tokens from its login endpoint, a tiny
bot endpoint that records what Teams sent, and the Teams SDK's own check of an inbound JWT."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import urlencode

from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.apps.auth.token_validator import TokenValidator

from bot.teamsfake import CONNECTOR_SCOPE, FakeTeams, User


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def error_code(self) -> str | None:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return error.get("code") if isinstance(error, dict) else error


def call(method: str, url: str, *, json_body: Any = None, form: dict[str, str] | None = None,
         token: str | None = None, raw: bytes | None = None) -> Answer:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = raw
    if json_body is not None:
        data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    elif form is not None:
        data, headers["Content-Type"] = urlencode(form).encode(), "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            status, answer_headers, text = resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        status, answer_headers, text = err.code, dict(err.headers.items()), err.read()
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = text
    return Answer(status, {k.lower(): v for k, v in answer_headers.items()}, body)


def get_token(teams: FakeTeams, scope: str = CONNECTOR_SCOPE, secret: str | None = None) -> Answer:
    return call("POST", f"{teams.login_url}/{teams.tenant_id}/oauth2/v2.0/token", form={
        "grant_type": "client_credentials", "client_id": teams.bot_id,
        "client_secret": teams.client_secret if secret is None else secret, "scope": scope})


def validate(teams: FakeTeams, authorization: str | None, service_url: str) -> dict[str, Any]:
    """Check a request's JWT exactly as the Teams SDK does for inbound activities."""
    cloud = with_overrides(PUBLIC, openid_metadata_url=teams.openid_metadata_url)
    validator = TokenValidator.for_service(teams.bot_id, service_url, cloud)
    token = (authorization or "").removeprefix("Bearer ")
    return asyncio.run(validator.validate_token(token, service_url))


class BotEndpoint:
    """Plays the bot's POST /api/messages: records each activity and its Authorization header and
    answers with `answer(activity)` -> (status, JSON body or None)."""

    def __init__(self) -> None:
        outer = self
        self.answer: Callable[[dict[str, Any]], tuple[int, Any]] = lambda activity: (200, None)
        self.received: list[tuple[dict[str, Any], str | None]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                activity = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                outer.received.append((activity, self.headers.get("Authorization")))
                status, body = outer.answer(activity)
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/messages"

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [a for a, _ in self.received if a["type"] == kind]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def member_bind(user: User, roles: tuple[str, ...] = ("owner",)) -> dict[str, Any]:
    return {"@odata.type": "#microsoft.graph.aadUserConversationMember", "roles": list(roles),
            "user@odata.bind": f"https://graph.microsoft.com/v1.0/users('{user.aad_id}')"}


def app_bind(catalog_id: str) -> dict[str, str]:
    return {"teamsApp@odata.bind": f"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{catalog_id}"}
