"""Sending requests to the app the way Slack does: signed with the signing secret, timed against
Slack's 3-second acknowledgement deadline."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

ACK_DEADLINE = 3.0  # seconds Slack waits for the HTTP answer before showing the user an error


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:{timestamp}:{raw body}"))."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Response:
    status: int  # 0 when the app did not answer within the client timeout
    headers: dict[str, str]  # lower-case names
    text: str
    elapsed: float
    too_slow: bool  # Slack would have given up (and shown an error) after 3 seconds
    outcome: str | None = None  # for view submissions: closed / errors / updated / pushed / cleared / generic_error
    event_id: str | None = None  # for events, to re-send the same event as a retry
    sent: dict[str, Any] = field(default_factory=dict)  # the payload/fields that were sent

    def json(self) -> Any:
        return json.loads(self.text) if self.text.strip() else None


class SignedSender:
    def __init__(self, url: str, secret: str, timeout: float = 10.0) -> None:
        self.url = url
        self.secret = secret
        self.timeout = timeout

    def post(
        self, body: bytes, content_type: str, *, headers: dict[str, str] | None = None, timestamp: str | None = None,
        secret: str | None = None, signature_value: str | None = None,
    ) -> Response:
        ts = timestamp if timestamp is not None else str(int(time.time()))
        sig = signature_value if signature_value is not None else signature(secret or self.secret, ts, body)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sig,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        request = urllib.request.Request(self.url, data=body, headers=all_headers, method="POST")
        started = time.monotonic()
        status, answer_headers, text = self._send(request)
        elapsed = time.monotonic() - started
        return Response(status, answer_headers, text, elapsed, too_slow=elapsed > ACK_DEADLINE or status == 0)

    def _send(self, request: urllib.request.Request) -> tuple[int, dict[str, str], str]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                return resp.status, _lower(resp.headers.items()), resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, _lower(err.headers.items()), err.read().decode("utf-8", "replace")
        except TimeoutError:
            return 0, {}, ""
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError):
                return 0, {}, ""
            raise


def _lower(items: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in items}
