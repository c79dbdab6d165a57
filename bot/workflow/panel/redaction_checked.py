"""The redaction check around any port: nothing with a registered term goes out, whatever the platform.

Every call that sends (posts, DMs, updates, space names, file names and titles, forms and replies
through an interaction port, and what a builder handed to the port returns) is checked before it
reaches the wrapped port, and loses any bidi
control that could make it read differently from what was checked. Reads (find_*, open_dm) pass
through. File contents are not scanned here: exports are checked row by row before they are built
(Redactions.first_hit_row), and uploads from people when they arrive.
"""
import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from bot.workflow.core.ports import NOT_ALLOWED, ChatError
from bot.workflow.core.unicode_text import without_bidi
from bot.workflow.panel.redaction_list import RedactionBlocked

log = logging.getLogger("dhr.guard")

READS = frozenset({"find_private_space", "find_post", "find_dm", "find_digest", "open_dm", "submitted_keys"})


class SendBlocked(RedactionBlocked, ChatError):
    """Both: the person is told why (a WorkflowError's message), and delivery code that expects a
    platform failure (the sweep, `deliver`) records a refusal that retrying will not cure."""

    def __init__(self):
        RedactionBlocked.__init__(self)
        self.code, self.retryable, self.kind = "redaction_blocked", False, NOT_ALLOWED


class RedactionChecked:
    """RedactionChecked(port, redactions): the same port, checked. `redactions` has `hit(payload)`
    returning where a term was found (or None), as bot.workflow.panel.redaction_list.Redactions does."""

    def __init__(self, port: Any, redactions: Any):
        self._port, self._redactions = port, redactions

    def __getattr__(self, name: str):
        target = getattr(self._port, name)
        if name in READS or name.startswith("_") or not callable(target):
            return target

        def checked(*args, **kwargs):
            args, kwargs = cleaned(args), cleaned(kwargs)
            self._check(name, [args, kwargs])
            args = tuple(self._later(a) for a in args)
            kwargs = {k: self._later(v) for k, v in kwargs.items()}
            return target(*args, **kwargs)
        checked.__name__ = name
        return checked

    def _check(self, name: str, payload) -> None:
        where = self._redactions.hit(scannable(payload))
        if where:
            log.warning("blocked %s: it contained a redacted term (at %s)", name, where)
            raise SendBlocked()

    def _later(self, arg):
        """A builder the port calls to make what it sends (a form built after a Loading view opens):
        what it returns is cleaned and checked too."""
        if not callable(arg) or isinstance(arg, type):
            return arg

        def built(*args, **kwargs):
            made = cleaned(arg(*args, **kwargs))
            self._check(getattr(arg, "__name__", "a builder"), made)
            return made
        return built


def cleaned(obj):
    """A copy with every bidi control removed from its strings, dataclasses (notices, text) included."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: cleaned(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
        same = all(changes[k] is getattr(obj, k) or changes[k] == getattr(obj, k) for k in changes)
        return obj if same else dataclasses.replace(obj, **changes)
    if isinstance(obj, Mapping):
        return {k: cleaned(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)) and not hasattr(obj, "_fields"):
        return type(obj)(cleaned(v) for v in obj)
    if isinstance(obj, (bytes, bytearray)):
        return obj
    return without_bidi(obj)


def scannable(obj):
    """Dicts, lists and strings for scan_payload: dataclasses as their fields, file bytes left out."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: scannable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): scannable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [scannable(v) for v in obj]
    if isinstance(obj, (bytes, bytearray)):
        return None
    return obj
