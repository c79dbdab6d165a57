"""Identifier formats that look like Slack's, so code that pattern-matches ids behaves as in production."""

from __future__ import annotations

import re
import secrets
import string
import threading
import time

_ALNUM = string.ascii_uppercase + string.digits
_SHORT = string.ascii_letters + string.digits + "+="

# Slack documents trigger ids as "12345.98765.abcd2358fdea": two digit groups and a hex group.
TRIGGER_RE = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")


def slack_id(prefix: str, length: int = 10) -> str:
    """C/D/V/F... followed by uppercase alphanumerics, like real conversation, view and file ids."""
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(length))


def short_id(length: int = 5) -> str:
    """Slack fills in missing block_id/action_id values with short random strings such as "2WGp9"."""
    return "".join(secrets.choice(_SHORT) for _ in range(length))


def trigger_id() -> str:
    return f"{secrets.randbelow(10**13)}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"


def view_hash() -> str:
    """Slack's view hashes look like "1569262015.55b5e41b"."""
    return f"{int(time.time())}.{secrets.token_hex(4)}"


def event_id() -> str:
    return "Ev" + slack_id("", 9)


class TsClock:
    """Message timestamps: wall-clock seconds with microseconds, strictly increasing per workspace.

    Slack uses ts as the message id, so two messages posted in the same microsecond must still differ.
    """

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            micros = max(int(time.time() * 1_000_000), self._last + 1)
            self._last = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"
