"""Read the parts of a Slack app manifest (YAML or JSON) that change how Slack treats the app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class AppConfig:
    bot_scopes: list[str]
    home_tab_enabled: bool = True
    messages_tab_enabled: bool = True
    messages_tab_read_only: bool = False    # people can't write (or upload) in the app's DM
    commands: frozenset[str] | None = None  # None: no manifest, so any command is allowed
    bot_events: frozenset[str] | None = None
    interactivity_enabled: bool = True


def load_manifest(path: str | Path) -> AppConfig:
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text()) or {}
    features = data.get("features") or {}
    app_home = features.get("app_home") or {}
    settings = data.get("settings") or {}
    events = (settings.get("event_subscriptions") or {}).get("bot_events")
    interactivity = settings.get("interactivity") or {}
    return AppConfig(
        bot_scopes=list(((data.get("oauth_config") or {}).get("scopes") or {}).get("bot") or []),
        home_tab_enabled=bool(app_home.get("home_tab_enabled", False)),
        messages_tab_enabled=bool(app_home.get("messages_tab_enabled", True)),
        messages_tab_read_only=bool(app_home.get("messages_tab_read_only_enabled", False)),
        commands=frozenset(c["command"] for c in features.get("slash_commands") or []),
        bot_events=frozenset(events or []),
        interactivity_enabled=bool(interactivity.get("is_enabled", False)),
    )
