"""The tenant as Teams holds it: people, chats and their rosters, where the app is installed, messages.

One re-entrant lock guards everything; the HTTP handlers and the platform take it for each change.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from . import ids
from .model import Chat, Dialog, Membership, Message, StoredFile, User
from .onedrive import OneDrive


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class AppIdentity:
    tenant_id: str
    bot_id: str  # the Entra app (client) id, also the Bot Framework app id
    client_secret: str
    bot_name: str
    catalog_id: str  # the id Teams' org catalog gave the app package
    external_id: str  # the manifest's id


class Tenant:
    def __init__(self, app: AppIdentity) -> None:
        self.app = app
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}  # by AAD id
        self.chats: dict[str, Chat] = {}  # by connector id
        self._aliases: dict[str, str] = {}  # Graph id -> connector id (personal chats)
        self.files: dict[str, StoredFile] = {}  # what people sent the bot, by download token
        self.drive = OneDrive()  # what the bot put in people's OneDrive, by consent card
        self.dialogs: dict[str, Dialog] = {}  # open dialog per person (AAD id)
        self.activity_ids = ids.ActivityIds()
        self.root_url = ""  # set when the server starts

    @property
    def service_path_segments(self) -> list[str]:
        """The service URL's path, regional and per tenant as Teams gives it (smba…/amer/<tenant>/)."""
        return ["amer", self.app.tenant_id]

    @property
    def service_url(self) -> str:
        return f"{self.root_url}/{'/'.join(self.service_path_segments)}/"

    @property
    def bot_account_id(self) -> str:
        return f"28:{self.app.bot_id}"

    def bot_account(self) -> dict[str, Any]:
        return {"id": self.bot_account_id, "name": self.app.bot_name}

    # ---- people ------------------------------------------------------------------------------------

    def add_user(self, name: str, upn: str | None = None) -> User:
        with self.lock:
            local = re.sub(r"[^a-z0-9.]+", ".", name.lower()).strip(".") or "user"
            upn = upn or f"{local}@contoso.onmicrosoft.com"
            given, _, surname = name.partition(" ")
            user = User(ids.guid(), ids.user_id(), name, upn, upn, given, surname)
            self.users[user.aad_id] = user
            return user

    def find_user(self, key: str) -> User | None:
        """By AAD id, `29:` id or UPN/mail (case-insensitive), as Graph and the connector accept."""
        if key in self.users:
            return self.users[key]
        lowered = key.lower()
        return next((u for u in self.users.values()
                     if u.id == key or u.aad_id.lower() == lowered or u.upn.lower() == lowered
                     or u.mail.lower() == lowered), None)

    # ---- chats -------------------------------------------------------------------------------------

    def chat(self, chat_id: str) -> Chat | None:
        return self.chats.get(chat_id) or self.chats.get(self._aliases.get(chat_id, ""))

    def create_group_chat(self, topic: str | None, members: list[tuple[User, list[str]]]) -> Chat:
        with self.lock:
            chat_id = ids.group_chat_id()
            chat = Chat(chat_id, "groupChat", chat_id, now_iso(), topic=topic)
            for user, roles in members:
                self.add_member(chat, user, roles)
            self.chats[chat_id] = chat
            return chat

    def personal_chat(self, user: User, create: bool = True) -> Chat | None:
        with self.lock:
            found = next((c for c in self.chats.values() if c.kind == "personal" and c.owner is user), None)
            if found or not create:
                return found
            graph_id = ids.personal_graph_chat_id(user.aad_id, self.app.bot_id)
            chat = Chat(ids.personal_conversation_id(), "personal", graph_id, now_iso(), owner=user)
            self.add_member(chat, user, ["owner"])
            self.chats[chat.id] = chat
            self._aliases[graph_id] = chat.id
            return chat

    def add_member(self, chat: Chat, user: User, roles: list[str]) -> tuple[Membership, bool]:
        """The membership and whether it is new (adding someone already there changes nothing)."""
        with self.lock:
            existing = chat.members.get(user.aad_id)
            if existing:
                return existing, False
            membership = Membership(ids.membership_id(user.aad_id, chat.graph_id), user, list(roles), now_iso())
            chat.members[user.aad_id] = membership
            return membership, True

    def install_in(self, chat: Chat) -> None:
        with self.lock:
            chat.installed = True
            chat.installation_id = ids.installation_id(chat.graph_id, self.app.catalog_id)

    def uninstall_from(self, chat: Chat) -> None:
        with self.lock:
            chat.installed = False
            chat.installation_id = None

    def installed_for(self, user: User) -> Chat | None:
        chat = self.personal_chat(user, create=False)
        return chat if chat and chat.installed else None

    # ---- messages ----------------------------------------------------------------------------------

    def record_message(self, chat: Chat, activity: dict[str, Any], sender_id: str,
                       reply_to_id: str | None = None) -> Message:
        with self.lock:
            activity.setdefault("id", self.activity_ids.next())
            message = Message(activity["id"], chat.id, sender_id, [activity], reply_to_id)
            chat.messages.append(message)
            return message

    def store_file(self, name: str, content: bytes, uploader: User) -> StoredFile:
        with self.lock:
            stored = StoredFile(secrets.token_urlsafe(24), name, content, uploader.aad_id)
            self.files[stored.token] = stored
            return stored
