"""The Bot Connector's per-bot-per-conversation windows (msteams-docs "Optimize your bot with rate
limiting", reference §2.9): sends, conversation creation and roster reads each have four sliding
windows; on top, 50 requests per second per app per tenant. Over any window: 429 with Retry-After.

On by default (a bot must pace itself against Teams); `scale` shrinks every window for tests.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from typing import Callable

Window = tuple[float, int]  # (seconds, operations allowed in that many seconds)

WINDOWS: dict[str, list[Window]] = {
    "send": [(1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800)],
    "create": [(1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800)],
    "members": [(1.0, 14), (2.0, 16), (30.0, 120), (3600.0, 3600)],
}
GLOBAL_WINDOWS: list[Window] = [(1.0, 50)]


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = True
        self.scale = 1.0
        self._clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def configure(self, enabled: bool, scale: float) -> None:
        with self._lock:
            self.enabled, self.scale = enabled, scale
            self._hits.clear()

    def check(self, bucket: str, conversation: str) -> int | None:
        """Count one operation and return None, or return Retry-After seconds (nothing counted)."""
        if not self.enabled:
            return None
        keys = [(f"{bucket}:{conversation}", WINDOWS[bucket]), ("global", GLOBAL_WINDOWS)]
        with self._lock:
            now = self._clock()
            wait = max(self._wait(self._trim(key, windows, now), now, w) for key, windows in keys for w in windows)
            if wait > 0:
                return max(1, math.ceil(wait))
            for key, _ in keys:
                self._hits[key].append(now)
            return None

    def _trim(self, key: str, windows: list[Window], now: float) -> deque[float]:
        hits = self._hits[key]
        longest = max(span for span, _ in windows) * self.scale
        while hits and now - hits[0] >= longest:
            hits.popleft()
        return hits

    def _wait(self, hits: deque[float], now: float, window: Window) -> float:
        span, limit = window[0] * self.scale, window[1]
        recent = [t for t in hits if now - t < span]
        if len(recent) < limit:
            return 0.0
        return span - (now - recent[-limit])
