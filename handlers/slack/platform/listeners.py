"""A handler module's listeners as a table: `register(app, svc)` is `add(app, svc, LISTENERS)`.

Each row is (kind, id, function): kind is "command", "action", "view" or "event" (Bolt's app
methods of those names), the id what it listens for, and the function takes `svc` first and then
whatever Bolt arguments it names (ack, body, view, action, command, client, respond, context).
Commands and button presses are acknowledged at once (Slack waits 3 seconds at most); a form's
submission is answered by the handler (handlers/submission.py), since the answer is the ack.
Every listener runs inside the one error path (handlers/slack/errors.reporting).
"""
import inspect
from collections.abc import Callable, Iterable

from handlers.slack.platform.errors import reporting

KINDS = ("command", "action", "view", "event")
ACK_FIRST = frozenset({"command", "action"})
Row = tuple[str, str, Callable]


def add(app, svc, rows: Iterable[Row]) -> None:
    for kind, listen_for, fn in rows:
        if kind not in KINDS:
            raise ValueError(f"unknown listener kind {kind!r} for {listen_for}")
        getattr(app, kind)(listen_for)(reporting(bound(fn, svc, ack_first=kind in ACK_FIRST)))


def bound(fn: Callable, svc, *, ack_first: bool = False) -> Callable:
    """fn(svc, ...) as a Bolt listener taking the Bolt arguments fn names (plus ack when acking first)."""
    wanted = list(inspect.signature(fn).parameters)[1:]
    names = wanted + (["ack"] if ack_first and "ack" not in wanted else [])

    def listener(**kwargs):
        if ack_first:
            kwargs["ack"]()
        return fn(svc, **{k: kwargs[k] for k in wanted})
    listener.__name__ = fn.__name__
    # Bolt passes the arguments a listener names
    listener.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names])
    return listener
