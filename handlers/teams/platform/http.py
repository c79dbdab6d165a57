"""Calling Microsoft's services: bearer tokens, retries where Microsoft asks for them, errors as ChatError.

The Teams SDK does not retry sends, so this does: 429 after its Retry-After (capped, so a request
never hangs on it), 412, 502, 503 and 504 with a short backoff with jitter, then gives up with a
ChatError whose `kind` the workflow understands and whose `retry_after` the sweep can honour.
"""
import random
import time
from collections.abc import Callable

import httpx

from bot.workflow.core import ports
from bot.workflow.core.ports import ChatError
from handlers.teams.platform.auth import Tokens

TRIES = 3
LONGEST_WAIT = 5.0      # seconds: a longer Retry-After is handed back to the caller instead
RETRY_STATUSES = frozenset({412, 429, 502, 503, 504})

# Microsoft's error codes (Bot Connector and Graph) as the workflow reads them.
KINDS = {
    "BotNotInConversationRoster": ports.NOT_IN_SPACE, "ConversationNotFound": ports.NOT_IN_SPACE,
    "ConversationBlockedByUser": ports.PERSON_UNAVAILABLE, "ForbiddenOperationException": ports.PERSON_UNAVAILABLE,
    "BotDisabledByAdmin": ports.NOT_ALLOWED, "MessageWritesBlocked": ports.NOT_ALLOWED,
    "MessageSizeTooBig": ports.MESSAGE_REFUSED, "BadArgument": ports.MESSAGE_REFUSED,
    "Throttled": ports.BUSY, "Request_ResourceNotFound": ports.PERSON_UNAVAILABLE,
    "Authorization_RequestDenied": ports.MISSING_PERMISSION, "Forbidden": ports.MISSING_PERMISSION,
    "InvalidAuthenticationToken": ports.AUTH_FAILED,
}
STATUS_KINDS = {401: ports.AUTH_FAILED, 403: ports.MISSING_PERMISSION, 404: ports.NOT_IN_SPACE,
                413: ports.MESSAGE_REFUSED, 400: ports.MESSAGE_REFUSED, 429: ports.BUSY}


class Service:
    """One of Microsoft's APIs (the Bot Connector, Graph), reached with tokens of one scope."""

    def __init__(self, http: httpx.Client, tokens: Tokens, scope: str, *, sleep: Callable[[float], None] = time.sleep):
        self._http, self._tokens, self._scope, self._sleep = http, tokens, scope, sleep

    def call(self, method: str, url: str, *, json=None, ok: tuple[int, ...] = ()) -> dict:
        """The JSON answer ({} when there is none). Statuses in `ok` count as success (409: already so)."""
        for attempt in range(1, TRIES + 1):
            answer = self._once(method, url, json)
            if answer.status_code < 300 or answer.status_code in ok:
                return _json(answer)
            if answer.status_code == 401 and attempt == 1:
                self._tokens.forget(self._scope)
                continue
            wait = _wait(answer, attempt)
            if answer.status_code not in RETRY_STATUSES or attempt == TRIES or wait > LONGEST_WAIT:
                raise failure(answer)
            self._sleep(wait)
        raise ChatError("unreachable", retryable=True)

    def _once(self, method: str, url: str, body) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._tokens.bearer(self._scope)}"}
        try:
            return self._http.request(method, url, json=body, headers=headers)
        except httpx.HTTPError:
            raise ChatError("connection_failed", retryable=True) from None


def failure(answer: httpx.Response) -> ChatError:
    code = _code(answer)
    kind = KINDS.get(code) or (ports.UNAVAILABLE if answer.status_code >= 500 else
                               STATUS_KINDS.get(answer.status_code, ports.OTHER))
    err = ChatError(code, retryable=kind in (ports.BUSY, ports.UNAVAILABLE), kind=kind)
    if answer.status_code == 429:
        err.retry_after = int(_retry_after(answer) or 1)
    return err


def _code(answer: httpx.Response) -> str:
    try:
        error = answer.json().get("error")
    except ValueError:
        error = None
    code = error.get("code") if isinstance(error, dict) else error if isinstance(error, str) else None
    return str(code)[:64] if code else f"http_{answer.status_code}"


def _retry_after(answer: httpx.Response) -> float | None:
    raw = answer.headers.get("Retry-After", "")
    try:
        return max(float(raw), 0.0)
    except ValueError:
        return None


def _wait(answer: httpx.Response, attempt: int) -> float:
    said = _retry_after(answer)
    return said if said is not None else 0.25 * 2 ** attempt + random.uniform(0, 0.25)


def _json(answer: httpx.Response) -> dict:
    if not answer.content:
        return {}
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
