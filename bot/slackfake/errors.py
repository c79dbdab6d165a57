"""Exceptions used inside the fake."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """A Web API error: answered as HTTP 200 {"ok": false, "error": code, **extra}, as Slack does."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.code, **self.extra}


class ClientSideValidation(Exception):
    """The Slack client refused to send an interaction (e.g. a required modal input left empty).

    Real Slack shows the problem next to the field and never contacts the app, so tests see this
    exception instead of an HTTP exchange.
    """

    def __init__(self, block_id: str, message: str) -> None:
        super().__init__(f"{block_id}: {message}")
        self.block_id = block_id
        self.message = message


class NotShown(Exception):
    """A simulated user tried to interact with something Slack would not be showing them."""
