"""Fixtures for testing the Slack fake itself: a running FakeSlack, a real slack_sdk WebClient
pointed at it, and a minimal Bolt app served over HTTP so SlackPlatform's signed requests go
through Bolt's real request verification."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.slackfake import FakeSlack, SlackPlatform

SIGNING_SECRET = "test-signing-secret"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    slack.add_user("U0000001", "alice", real_name="Alice Able")
    slack.add_user("U0000002", "bob", real_name="Bob Baker", tz="America/New_York")
    slack.add_user("U0000003", "carol", deleted=True)
    yield slack
    slack.stop()
    assert slack.internal_errors == [], slack.internal_errors[0]


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.bot_token, base_url=fake.base_url)


class HttpApp:
    """Serves a request handler (Bolt app or a raw recorder) on 127.0.0.1 for the platform to call."""

    def __init__(self, handle: Callable[[bytes, dict[str, str]], tuple[int, dict[str, str], bytes]]) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.received.append((body, headers))
                status, out_headers, payload = handle(body, headers)
                self.send_response(status)
                for name, value in out_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                return

        self.received: list[tuple[bytes, dict[str, str]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def bolt_handler(app: App) -> Callable[[bytes, dict[str, str]], tuple[int, dict[str, str], bytes]]:
    def handle(body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        response = app.dispatch(BoltRequest(body=body.decode(), headers=headers))
        flat = {k: v[0] for k, v in response.headers.items()}
        return response.status, flat, response.body.encode()

    return handle


@pytest.fixture
def bolt(fake: FakeSlack) -> Iterator[tuple[App, SlackPlatform]]:
    """A Bolt app (listeners added by each test) and a SlackPlatform that talks to it."""
    app = App(client=WebClient(token=fake.bot_token, base_url=fake.base_url), signing_secret=SIGNING_SECRET)
    server = HttpApp(bolt_handler(app))
    yield app, SlackPlatform(fake, server.url, SIGNING_SECRET)
    server.stop()


@pytest.fixture
def recorder_app() -> Iterator[HttpApp]:
    """A raw endpoint that records what Slack sent and answers 200 with an empty body."""
    server = HttpApp(lambda body, headers: (200, {}, b""))
    yield server
    server.stop()


@pytest.fixture
def modal_view() -> dict[str, Any]:
    """A modal using the common input types (fresh copy per test)."""
    return json.loads(json.dumps(MODAL_WITH_INPUTS))


MODAL_WITH_INPUTS: dict[str, Any] = {
    "type": "modal",
    "callback_id": "new_review",
    "title": {"type": "plain_text", "text": "New review"},
    "submit": {"type": "plain_text", "text": "Create"},
    "close": {"type": "plain_text", "text": "Cancel"},
    "private_metadata": '{"case": 7}',
    "blocks": [
        {"type": "section", "block_id": "intro", "text": {"type": "mrkdwn", "text": "Start a *review*"}},
        {
            "type": "input", "block_id": "name", "label": {"type": "plain_text", "text": "Name"},
            "element": {"type": "plain_text_input", "action_id": "name_input", "max_length": 20, "min_length": 2},
        },
        {
            "type": "input", "block_id": "due", "optional": True, "label": {"type": "plain_text", "text": "Due"},
            "element": {"type": "datepicker", "action_id": "due_input"},
        },
        {
            "type": "input", "block_id": "area", "label": {"type": "plain_text", "text": "Area"},
            "element": {
                "type": "static_select", "action_id": "area_input",
                "options": [
                    {"text": {"type": "plain_text", "text": "North"}, "value": "north"},
                    {"text": {"type": "plain_text", "text": "South"}, "value": "south"},
                ],
            },
        },
        {
            "type": "input", "block_id": "panel", "optional": True, "label": {"type": "plain_text", "text": "Panel"},
            "element": {"type": "multi_users_select", "action_id": "panel_input"},
        },
        {
            "type": "input", "block_id": "flags", "optional": True, "label": {"type": "plain_text", "text": "Flags"},
            "element": {
                "type": "checkboxes", "action_id": "flags_input",
                "options": [{"text": {"type": "mrkdwn", "text": "*Urgent*"}, "value": "urgent"}],
            },
        },
        {
            "type": "actions", "block_id": "tools",
            "elements": [{"type": "button", "action_id": "help", "text": {"type": "plain_text", "text": "Help"},
                          "value": "h"}],
        },
    ],
}
