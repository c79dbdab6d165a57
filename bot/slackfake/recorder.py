"""Records every request the fake answers so tests and benchmarks can assert on the traffic."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Call:
    method: str  # Web API method name, or "response_url" / "file_upload"
    params: dict[str, Any]  # decoded request parameters (JSON-valued fields decoded)
    response: Any  # decoded JSON answer (or text for non-JSON answers)
    status: int
    at: float  # time.monotonic() when the request arrived
    wall: float  # time.time() when the request arrived

    @property
    def ok(self) -> bool:
        return self.status == 200 and isinstance(self.response, dict) and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error") if isinstance(self.response, dict) else None


class Recorder:
    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._cond = threading.Condition()
        self._listeners: list[Callable[[Call], None]] = []
        self.stats: dict[str, dict[str, int]] = defaultdict(lambda: {"calls": 0, "ok": 0, "error": 0, "ratelimited": 0})

    def add(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._count(call)
            self._cond.notify_all()
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(call)
            except Exception:  # a broken test hook must not break the fake's HTTP answer
                log.exception("slackfake on_call listener failed")

    def _count(self, call: Call) -> None:
        entry = self.stats[call.method]
        entry["calls"] += 1
        if call.status == 429:
            entry["ratelimited"] += 1
        elif call.ok or (call.status == 200 and not isinstance(call.response, dict)):
            entry["ok"] += 1
        else:
            entry["error"] += 1

    def calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def reset(self) -> None:
        with self._cond:
            self._calls.clear()
            self.stats.clear()

    def on_call(self, callback: Callable[[Call], None]) -> None:
        with self._cond:
            self._listeners.append(callback)

    def wait_for(
        self, method: str, predicate: Callable[[Call], bool] | None = None, timeout: float = 5.0
    ) -> Call:
        """First recorded call (since the last reset) to `method` matching `predicate`, waiting if needed."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self._calls:
                    if call.method == method and (predicate is None or predicate(call)):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = sorted({c.method for c in self._calls})
                    raise TimeoutError(f"no matching {method} call within {timeout}s; methods seen: {seen}")
                self._cond.wait(remaining)
