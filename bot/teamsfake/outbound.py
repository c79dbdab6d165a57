"""Teams' side of the wire toward the bot: POST each activity to the messaging endpoint with a
Bot Framework JWT, record what was delivered, and judge invoke answers as Teams does (an invoke
answered late, with an error or with an empty body shows the person "Unable to reach app")."""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from .keys import SigningKey, activity_claims
from .model import Delivery
from .state import Tenant

INVOKE_DEADLINE = 15.0  # seconds Teams waits for an invoke answer before giving up


@dataclass
class Response:
    status: int  # 0: no answer within the timeout, or nothing listening
    headers: dict[str, str]
    text: str
    elapsed: float
    sent: dict[str, Any] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.text) if self.text.strip() else None


class BotLink:
    def __init__(self, tenant: Tenant, key: SigningKey) -> None:
        self.tenant = tenant
        self.key = key
        self.endpoint: str | None = None
        self.timeout = 30.0
        self.deliveries: list[Delivery] = []
        self.invoke_failures: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._worker: threading.Thread | None = None

    def token_for(self, activity: dict[str, Any], *, key: SigningKey | None = None, audience: str | None = None,
                  lifetime: int = 3600, service_url: str | None = None, issued_at: float | None = None) -> str:
        claims = activity_claims(self.tenant.app.bot_id, activity.get("serviceUrl", ""), lifetime=lifetime,
                                 now=issued_at)
        if audience is not None:
            claims["aud"] = audience
        if service_url is not None:
            claims["serviceurl"] = service_url
        return (key or self.key).sign(claims)

    def send(self, activity: dict[str, Any], authorization: str | None = None, *, signed: bool = True) -> Response:
        """POST the activity; signed with a fresh token unless `authorization` (a whole header value)
        is given or signed=False (no Authorization header at all)."""
        if not self.endpoint:
            raise RuntimeError("FakeTeams has no messaging endpoint: set fake.messaging_endpoint")
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Microsoft-SkypeBotApi"}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif signed:
            headers["Authorization"] = f"Bearer {self.token_for(activity)}"
        body = json.dumps(activity).encode()
        request = urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")
        started = time.monotonic()
        status, answer_headers, text = _exchange(request, self.timeout)
        response = Response(status, answer_headers, text, time.monotonic() - started, activity)
        self._record(activity, response)
        return response

    def _record(self, activity: dict[str, Any], response: Response) -> None:
        with self._lock:
            self.deliveries.append(Delivery(activity, response.status, response.text, time.monotonic()))
        reason = _invoke_problem(response) if activity.get("type") == "invoke" else None
        if reason:
            self.record_invoke_failure(activity, response, reason)

    def record_invoke_failure(self, activity: dict[str, Any], response: Response, reason: str) -> None:
        with self._lock:
            self.invoke_failures.append({"name": activity.get("name"), "activity_id": activity.get("id"),
                                         "status": response.status, "body": response.text, "reason": reason})

    def send_later(self, activities: list[dict[str, Any]]) -> None:
        """Events Teams raises after answering a Graph call: delivered in order, off the request thread."""
        if not self.endpoint:
            with self._lock:
                self.deliveries.extend(Delivery(a, 0, "no messaging endpoint", time.monotonic()) for a in activities)
            return
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._deliver_queued, name="teamsfake-events", daemon=True)
                self._worker.start()
        for activity in activities:
            self._queue.put(activity)

    def _deliver_queued(self) -> None:
        while True:
            activity = self._queue.get()
            try:
                self.send(activity)
            except Exception:  # the endpoint was unset meanwhile: recorded as undelivered
                self.deliveries.append(Delivery(activity, 0, "not delivered", time.monotonic()))
            finally:
                self._queue.task_done()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until events already queued have been delivered (at most `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)


def _invoke_problem(response: Response) -> str | None:
    if response.status == 0 or response.elapsed > INVOKE_DEADLINE:
        return "Unable to reach app: no answer in time"
    if response.status != 200:
        return f"Unable to reach app: HTTP {response.status}"
    if not response.text.strip() and response.sent.get("name") != "fileConsent/invoke":
        return "Unable to reach app: empty invoke response"   # a consent answer needs only the 200
    return None


def _exchange(request: urllib.request.Request, timeout: float) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, _lower(resp.headers.items()), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, _lower(err.headers.items()), err.read().decode("utf-8", "replace")
    except (TimeoutError, ConnectionError, urllib.error.URLError):
        return 0, {}, ""


def _lower(items: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in items}
