"""Identifiers in the shapes Teams, the Bot Connector and Graph use, so a bot that stores or parses
them meets the real lengths and characters (`29:` user ids, `a:` personal conversations,
`19:…@thread.v2` group chats, GUIDs for AAD objects)."""

from __future__ import annotations

import base64
import itertools
import secrets
import threading
import time
import uuid


def guid() -> str:
    return str(uuid.uuid4())


def user_id() -> str:
    """A `29:` id: opaque, about 80 characters, unique to the bot and the user."""
    return "29:1" + secrets.token_urlsafe(60)


def personal_conversation_id() -> str:
    """The Bot Connector's id for the bot's 1:1 chat with a person (as activities carry it)."""
    return "a:1" + secrets.token_urlsafe(72)


def personal_graph_chat_id(user_aad_id: str, bot_id: str) -> str:
    """Graph's id for the same 1:1 chat; the connector accepts it too."""
    return f"19:{user_aad_id}_{bot_id}@unq.gbl.spaces"


def group_chat_id() -> str:
    return f"19:{uuid.uuid4().hex}@thread.v2"


def membership_id(user_aad_id: str, chat_id: str) -> str:
    """Graph's conversationMember id: base64 of the user, the chat and the tenant's roster entry."""
    return base64.urlsafe_b64encode(f"MCMj{user_aad_id}##{chat_id}".encode()).decode()


def installation_id(scope_id: str, catalog_id: str) -> str:
    return base64.urlsafe_b64encode(f"{scope_id}##{catalog_id}".encode()).decode()


class ActivityIds:
    """Message ids are the post time in epoch milliseconds, as Teams chats use; never twice the same."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()
        self._seq = itertools.count()

    def next(self) -> str:
        with self._lock:
            self._last = max(self._last + 1, int(time.time() * 1000))
            return str(self._last)

    def event(self) -> str:
        """Ids of events (installationUpdate, conversationUpdate) start with `f:`."""
        return f"f:{secrets.token_hex(8)}{next(self._seq)}"
