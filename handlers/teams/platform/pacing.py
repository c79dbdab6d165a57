"""Teams' send limits, kept before Teams has to enforce them (reference/teams-platform.md §2.9).

Per bot per conversation: 7 in 1 s, 8 in 2 s, 60 in 30 s, 1,800 in an hour; and 50 a second for the
app in the tenant. A send waits for the first moment every window has room: the reminder sweep's
burst is spread out instead of being answered with 429s (which the sender still honours).
"""
import threading
import time
from collections import deque
from collections.abc import Callable

PER_CONVERSATION = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
PER_APP = ((45, 1.0),)     # under the 50/s, since other instances or retries share it
GLOBAL = "*"


class Pacer:
    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, conversation_id: str) -> None:
        with self._lock:
            at = max(self._room(GLOBAL, PER_APP), self._room(conversation_id, PER_CONVERSATION))
            self._note(GLOBAL, at, PER_APP)
            self._note(conversation_id, at, PER_CONVERSATION)
        delay = at - self._clock()
        if delay > 0:
            self._sleep(delay)

    def _room(self, key: str, windows) -> float:
        """The first moment a send to `key` fits every window."""
        sent, at = self._sent.get(key, ()), self._clock()
        for count, seconds in windows:
            if len(sent) >= count:
                at = max(at, sent[-count] + seconds)
        return at

    def _note(self, key: str, at: float, windows) -> None:
        longest = max(seconds for _, seconds in windows)
        sent = self._sent.setdefault(key, deque(maxlen=max(count for count, _ in windows)))
        sent.append(at)
        while sent and sent[0] < at - longest:
            sent.popleft()
        if len(self._sent) > 10_000:          # forget conversations quiet for longer than any window
            cutoff = at - longest
            for quiet in [k for k, v in self._sent.items() if not v or v[-1] < cutoff]:
                del self._sent[quiet]
