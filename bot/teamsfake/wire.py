"""Requests and answers as the route handlers see them, and the error bodies each service uses:
the Bot Connector's {"error": {"code", "message"}}, Graph's same shape with Graph's codes, and the
login service's OAuth errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qs


class BadJson(ValueError):
    pass


@dataclass
class Request:
    method: str
    path: str  # percent-decoded, without the query string
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise BadJson(str(err)) from err

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}

    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def decoded(self) -> Any:
        """The body for the call log: JSON, form fields, or None."""
        if "x-www-form-urlencoded" in self.headers.get("content-type", ""):
            return {k: v for k, v in self.form().items() if k != "client_secret"}
        try:
            return self.json()
        except BadJson:
            return None


@dataclass
class Reply:
    status: int
    body: Any = None  # dict/list: JSON; bytes: raw; None: empty body
    headers: dict[str, str] = field(default_factory=dict)
    sent: Callable[[bool], None] | None = None  # told whether the whole body reached the client

    def encoded(self) -> tuple[bytes, str]:
        if self.body is None:
            return b"", self.headers.pop("Content-Type", "text/plain")
        if isinstance(self.body, bytes):
            return self.body, self.headers.pop("Content-Type", "application/octet-stream")
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


def connector_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}}, dict(headers or {}))


def graph_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message, "innerError": {
        "date": "", "request-id": "00000000-0000-0000-0000-000000000000"}}})


def connector_unauthorized() -> Reply:
    """What the Bot Connector answers without a valid token (ASP.NET's default body)."""
    return Reply(401, {"message": "Authorization has been denied for this request."})
