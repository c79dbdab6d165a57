"""Registry of fake Web API methods: handler, rate-limit tier and the OAuth scopes each one needs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import SlackError
from ..state import Workspace


@dataclass
class Ctx:
    """What a handler gets: the workspace (already locked) and the decoded request parameters."""

    ws: Workspace
    params: dict[str, Any]

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.params.get(key)
        if value is None or value == "":
            return default
        return value if isinstance(value, str) else str(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.params.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes")

    def number(self, key: str, default: int) -> int:
        try:
            return int(self.params.get(key, default))
        except (TypeError, ValueError):
            raise SlackError("invalid_arguments") from None

    def id_list(self, key: str) -> list[str]:
        """Comma-separated ids (form style) or a JSON array (JSON body style)."""
        value = self.params.get(key)
        if not value:
            return []
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(i).strip() for i in items if str(i).strip()]

    def decoded(self, key: str) -> Any:
        """A JSON-valued argument: the server already decodes form strings; undecodable stays a str."""
        value = self.params.get(key)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value


@dataclass(frozen=True)
class Need:
    """Scopes satisfying a call (any one of them) and the `needed` string Slack reports."""

    any_of: tuple[str, ...]
    needed: str


ScopeRule = Callable[[Ctx], "Need | None"]


@dataclass(frozen=True)
class Method:
    name: str
    handler: Callable[[Ctx], dict[str, Any]]
    tier: str  # "1".."4" or "special"
    scope_rule: ScopeRule


REGISTRY: dict[str, Method] = {}


def method(name: str, tier: str, scopes: ScopeRule | tuple[str, ...] = ()) -> Callable:
    rule = scopes if callable(scopes) else fixed(*scopes)

    def register(fn: Callable[[Ctx], dict[str, Any]]) -> Callable[[Ctx], dict[str, Any]]:
        REGISTRY[name] = Method(name, fn, tier, rule)
        return fn

    return register


def fixed(*scopes: str) -> ScopeRule:
    need = Need(scopes, scopes[0]) if scopes else None
    return lambda ctx: need


def by_channel(
    *, param: str = "channel", public: tuple[str, ...] = (), private: tuple[str, ...] = (),
    im: tuple[str, ...] = (), mpim: tuple[str, ...] = (),
) -> ScopeRule:
    """Scope depends on the conversation type (channels:* for public, groups:* for private ...).

    For an unknown conversation any of the scopes lets the call through to channel_not_found, and
    `needed` lists the first scope of each type, as Slack does.
    """
    table = {"public": public, "private": private, "im": im, "mpim": mpim}

    def rule(ctx: Ctx) -> Need | None:
        scopes = table.get(ctx.ws.kind(ctx.text(param)) or "")
        if scopes:
            return Need(scopes, scopes[0])
        everything = tuple(s for group in table.values() for s in group)
        return Need(everything, ",".join(group[0] for group in table.values() if group))

    return rule


def check_scopes(rule: ScopeRule, ctx: Ctx) -> None:
    need = rule(ctx)
    if need is None or any(s in ctx.ws.scopes for s in need.any_of):
        return
    raise SlackError("missing_scope", needed=need.needed, provided=",".join(ctx.ws.scopes))
