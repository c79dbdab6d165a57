"""Shared machinery for the Block Kit validator: a problem collector with typed field checks.

Messages mimic the wording of Slack's own schema validator ("must be less than 3001 characters",
"no more than 25 items allowed", "missing required field: text", "invalid additional property: x").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class Problem:
    message: str
    pointer: str
    # Pointer of the enclosing "one of several schemas" node (e.g. a text object that may be
    # plain_text or mrkdwn). Slack reports "failed to match all allowed schemas" there first.
    union: str | None = None

    def __str__(self) -> str:
        return f"{self.message} [json-pointer:{self.pointer}]"


_TYPE_NAMES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "an integer"}


class Checker:
    """Collects problems for one surface (a message's blocks or one view)."""

    def __init__(self, surface: str) -> None:
        self.surface = surface  # "message" | "modal" | "home"
        self.problems: list[Problem] = []
        self.union: str | None = None  # set while checking inside a union node
        self.focus_pointers: list[str] = []
        self.markdown_chars = 0
        self.tables = 0

    def err(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(message, pointer, self.union))

    # ---- structural checks -------------------------------------------------------------------

    def is_type(self, value: Any, kind: type, pointer: str) -> bool:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            self.err(pointer, f"must provide {_TYPE_NAMES[kind]}")
        return ok

    def allowed_keys(self, node: dict[str, Any], allowed: Iterable[str], pointer: str) -> None:
        allowed = set(allowed)
        for key in node:
            if key not in allowed:
                self.err(pointer, f"invalid additional property: {key}")

    def required(self, node: dict[str, Any], key: str, pointer: str) -> bool:
        if key not in node:
            self.err(pointer, f"missing required field: {key}")
            return False
        return True

    def field(self, node: dict[str, Any], key: str, kind: type, pointer: str, required: bool = False) -> Any:
        """Return node[key] when present and of the right JSON type, else None (problem recorded)."""
        if key not in node:
            if required:
                self.err(pointer, f"missing required field: {key}")
            return None
        value = node[key]
        return value if self.is_type(value, kind, f"{pointer}/{key}") else None

    # ---- scalar constraints ------------------------------------------------------------------

    def string(
        self, node: dict[str, Any], key: str, pointer: str, *, max_len: int | None = None,
        min_len: int = 0, required: bool = False,
    ) -> str | None:
        value = self.field(node, key, str, pointer, required)
        if value is not None:
            self.length(value, f"{pointer}/{key}", max_len=max_len, min_len=min_len)
        return value

    def length(self, value: str, pointer: str, *, max_len: int | None, min_len: int = 0) -> None:
        if len(value) < min_len:
            self.err(pointer, f"must be more than {min_len - 1} characters")
        if max_len is not None and len(value) > max_len:
            self.err(pointer, f"must be less than {max_len + 1} characters")

    def boolean(self, node: dict[str, Any], key: str, pointer: str, required: bool = False) -> bool | None:
        return self.field(node, key, bool, pointer, required)

    def integer(
        self, node: dict[str, Any], key: str, pointer: str, *, minimum: int | None = None,
        maximum: int | None = None, required: bool = False,
    ) -> int | None:
        value = self.field(node, key, int, pointer, required)
        if value is None:
            return None
        if minimum is not None and value < minimum:
            self.err(f"{pointer}/{key}", f"must be greater than or equal to {minimum}")
        if maximum is not None and value > maximum:
            self.err(f"{pointer}/{key}", f"must be less than or equal to {maximum}")
        return value

    def enum(self, node: dict[str, Any], key: str, values: Iterable[str], pointer: str) -> None:
        value = self.field(node, key, str, pointer)
        values = list(values)
        if value is not None and value not in values:
            self.err(f"{pointer}/{key}", f"must be one of: {', '.join(values)}")

    def array(
        self, node: dict[str, Any], key: str, pointer: str, *, min_items: int = 0,
        max_items: int | None = None, required: bool = False,
    ) -> list[Any] | None:
        value = self.field(node, key, list, pointer, required)
        if value is None:
            return None
        if len(value) < min_items:
            self.err(f"{pointer}/{key}", f"must provide at least {min_items} items")
        if max_items is not None and len(value) > max_items:
            self.err(f"{pointer}/{key}", f"no more than {max_items} items allowed")
        return value

    # ---- composition: text objects -----------------------------------------------------------

    def text(
        self, node: dict[str, Any], key: str, pointer: str, *, max_len: int = 3000,
        plain_only: bool = False, required: bool = False,
    ) -> dict[str, Any] | None:
        obj = self.field(node, key, dict, pointer, required)
        if obj is not None:
            self.text_object(obj, f"{pointer}/{key}", max_len=max_len, plain_only=plain_only)
        return obj

    def text_object(self, obj: dict[str, Any], pointer: str, *, max_len: int = 3000, plain_only: bool = False) -> None:
        outer, self.union = self.union, (self.union if plain_only else pointer)
        try:
            kind = obj.get("type")
            allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
            if "type" not in obj:
                self.err(pointer, "missing required field: type")
            elif kind not in allowed:
                self.err(f"{pointer}/type", f"must be one of: {', '.join(allowed)}")
            extra = "emoji" if kind == "plain_text" else "verbatim"
            self.allowed_keys(obj, ("type", "text", extra), pointer)
            self.string(obj, "text", pointer, max_len=max_len, min_len=1, required=True)
            self.boolean(obj, extra, pointer)
        finally:
            self.union = outer

    def focus(self, node: dict[str, Any], pointer: str) -> None:
        if self.boolean(node, "focus_on_load", pointer):
            self.focus_pointers.append(f"{pointer}/focus_on_load")


def format_slack_messages(problems: list[Problem], surface_union: str | None = None) -> list[str]:
    """Build response_metadata.messages the way Slack does: "[ERROR] ..." lines, each failing
    union node announced once ("failed to match all allowed schemas") before its details."""
    lines: list[str] = []
    announced: set[str] = set()

    def announce(pointer: str | None) -> None:
        if pointer and pointer not in announced:
            announced.add(pointer)
            lines.append(f"[ERROR] failed to match all allowed schemas [json-pointer:{pointer}]")

    if problems:
        announce(surface_union)
    for problem in problems:
        announce(problem.union)
        lines.append(f"[ERROR] {problem}")
    return lines
