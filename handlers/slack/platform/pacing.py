"""Pacing the reminder sweep's calls to Slack's Web API (handlers/slack/platform/port.py uses it).

The WebClient is a copy of the one built by handlers/slack/platform/app.web_client, whose retry handlers retry
connection errors and 5xx; a 429 is retried in place only when Retry-After is short: a longer wait
goes back to the ledger (the row stays pending until then), so one person's rate limit does not hold
up everyone else's digest. On top of that a pacer keeps each method under its published rate-limit
tier, so a sweep with a thousand reminders waits its turn instead of collecting 429s.
"""
import copy
import threading
import time
from collections import defaultdict, deque

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

Window = tuple[float, int]      # (seconds, at most this many calls in that many seconds)

# Slack's tiers (docs.slack.dev/apis/web-api/rate-limits): conversations.open and .history are
# Tier 3 (50+/min); chat.postMessage about 1 per second per channel.
SLACK_LIMITS: dict[str, list[Window]] = {
    "conversations.open": [(60.0, 50)],
    "conversations.history": [(60.0, 50)],
    "chat.postMessage": [(1.0, 1)],
}
PER_CHANNEL = frozenset({"chat.postMessage"})
WAIT_IN_PLACE = 2       # seconds of Retry-After worth sleeping for; longer goes back to the ledger


class ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """Retries a 429 only when Slack asks for a short wait."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        wait = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), ["1"])
        try:
            return int(wait[0] if isinstance(wait, list) else wait) <= WAIT_IN_PLACE
        except (TypeError, ValueError):
            return False


def without_long_waits(client: WebClient) -> WebClient:
    """A copy of the client (the Bolt app's own keeps its handlers) whose 429 retry sleeps only briefly."""
    mine = copy.copy(client)
    mine.retry_handlers = [ShortRateLimitRetry(max_retry_count=h.max_retry_count)
                           if isinstance(h, RateLimitErrorRetryHandler) else h for h in client.retry_handlers]
    return mine


class Pacer:
    """Sliding windows per method (and per channel where Slack counts per channel). A call waits
    until it fits every window, counting earlier calls from when their answers arrived (never
    before the server counted them) and calls still in flight. Thread-safe; one per process."""

    def __init__(self, limits: dict[str, list[Window]] | None = None, sleep=time.sleep, clock=time.monotonic):
        self.limits = SLACK_LIMITS if limits is None else limits
        self._sleep, self._clock = sleep, clock
        self._done: dict[str, deque] = defaultdict(deque)     # answer times, oldest first
        self._in_flight: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        self.waited = 0.0

    def _key(self, method: str, channel: str | None) -> str:
        return f"{method}:{channel}" if method in PER_CHANNEL else method

    def wait(self, method: str, channel: str | None = None) -> None:
        windows = self.limits.get(method)
        if not windows:
            return
        key = self._key(method, channel)
        longest = max(span for span, _ in windows)
        while True:
            with self._lock:
                now = self._clock()
                done = self._done[key]
                while done and now - done[0] >= longest:
                    done.popleft()
                pause = 0.0
                for span, limit in windows:
                    recent = [t for t in done if now - t < span]
                    over = len(recent) + self._in_flight[key] - limit + 1
                    if over > 0:
                        pause = max(pause, span - (now - recent[over - 1]) if over <= len(recent) else 0.01)
                if pause <= 0:
                    self._in_flight[key] += 1
                    return
            self.waited += pause
            self._sleep(pause)

    def done(self, method: str, channel: str | None = None) -> None:
        if method not in self.limits:
            return
        key = self._key(method, channel)
        with self._lock:
            self._in_flight[key] = max(0, self._in_flight[key] - 1)
            self._done[key].append(self._clock())
            if method in PER_CHANNEL and not self._in_flight[key] and len(self._done) > 10_000:
                self._forget_idle()

    def _forget_idle(self) -> None:
        now = self._clock()
        for key in [k for k, v in self._done.items() if not v or now - v[-1] > 120 and not self._in_flight[k]]:
            self._done.pop(key, None)
            self._in_flight.pop(key, None)


def retry_after(err: SlackApiError) -> int | None:
    headers = getattr(err.response, "headers", None) or {}
    for key, value in headers.items():
        if key.lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None
