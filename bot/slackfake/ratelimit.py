"""Sliding-window rate limits per method (and per channel for chat.postMessage), off by default.

Tiers follow https://docs.slack.dev/apis/web-api/rate-limits: T1 1/min, T2 20/min, T3 50/min,
T4 100/min. chat.postMessage allows about one message per second per channel with short bursts,
modelled as two windows: 5 per second and 60 per minute. `scale` shrinks every window so tests
can exercise limits in milliseconds instead of minutes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from typing import Callable

Window = tuple[float, int]  # (seconds, max requests in that many seconds)

TIER_WINDOWS: dict[str, list[Window]] = {
    "1": [(60.0, 1)],
    "2": [(60.0, 20)],
    "3": [(60.0, 50)],
    "4": [(60.0, 100)],
    "special": [(60.0, 100)],
}
POST_MESSAGE_WINDOWS: list[Window] = [(1.0, 5), (60.0, 60)]


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = False
        self.scale = 1.0
        self._clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def configure(self, enabled: bool, scale: float) -> None:
        with self._lock:
            self.enabled = enabled
            self.scale = scale
            self._hits.clear()

    def check(self, method: str, tier: str, channel: str | None) -> int | None:
        """Record a call and return None, or return Retry-After seconds when it is over the limit."""
        if not self.enabled:
            return None
        if method == "chat.postMessage":
            key, windows = f"{method}:{channel or ''}", POST_MESSAGE_WINDOWS
        else:
            key, windows = method, TIER_WINDOWS.get(tier, TIER_WINDOWS["special"])
        with self._lock:
            now = self._clock()
            hits = self._hits[key]
            longest = max(span for span, _ in windows) * self.scale
            while hits and now - hits[0] >= longest:
                hits.popleft()
            wait = max(self._wait(hits, now, w) for w in windows)
            if wait > 0:
                return max(1, math.ceil(wait))  # Retry-After is whole seconds
            hits.append(now)
            return None

    def _wait(self, hits: deque[float], now: float, window: Window) -> float:
        """Seconds until one more request fits in this window (0 when it fits now)."""
        span, limit = window[0] * self.scale, window[1]
        recent = [t for t in hits if now - t < span]
        if len(recent) < limit:
            return 0.0
        return span - (now - recent[-limit])
