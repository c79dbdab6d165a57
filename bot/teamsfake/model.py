"""The live state objects of the fake: people, chats with their members and messages, files."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
ChatKind = Literal["groupChat", "personal"]


@dataclass
class User:
    aad_id: str  # the AAD object id (GUID), Graph's user id
    id: str  # the `29:` id the bot sees in activities
    name: str
    upn: str
    mail: str
    given_name: str = ""
    surname: str = ""

    def account(self) -> dict[str, Any]:
        """`from` of an activity sent by this person."""
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_id}

    def channel_account(self, tenant_id: str) -> dict[str, Any]:
        """TeamsChannelAccount, as the connector's members endpoints answer."""
        return {
            "id": self.id, "name": self.name, "aadObjectId": self.aad_id, "givenName": self.given_name,
            "surname": self.surname, "email": self.mail, "userPrincipalName": self.upn, "tenantId": tenant_id,
            "userRole": "user",
        }

    def graph(self) -> dict[str, Any]:
        return {
            "id": self.aad_id, "displayName": self.name, "givenName": self.given_name or None,
            "surname": self.surname or None, "userPrincipalName": self.upn, "mail": self.mail,
            "businessPhones": [], "jobTitle": None, "mobilePhone": None, "officeLocation": None,
            "preferredLanguage": "en-GB",
        }


@dataclass
class Membership:
    id: str  # Graph's conversationMember id
    user: User
    roles: list[str]
    added_at: str


@dataclass
class Message:
    id: str
    conversation_id: str
    sender_id: str  # "28:<bot id>" for the bot, a `29:` id for a person
    versions: list[dict[str, Any]]  # the activity JSON as stored, oldest first; the last is what people see
    reply_to_id: str | None = None
    deleted: bool = False

    @property
    def activity(self) -> dict[str, Any]:
        return self.versions[-1]

    @property
    def text(self) -> str:
        return str(self.activity.get("text") or "")

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards the message shows now."""
        return [a.get("content") for a in self.activity.get("attachments") or []
                if isinstance(a, dict) and a.get("contentType") == ADAPTIVE_CARD]

    def attachments_of(self, content_type: str) -> list[dict[str, Any]]:
        """The attachments of one kind the message shows now (file consent cards, file info cards)."""
        return [a for a in self.activity.get("attachments") or []
                if isinstance(a, dict) and a.get("contentType") == content_type]

    @property
    def updated(self) -> bool:
        return len(self.versions) > 1

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self.activity)


@dataclass
class Chat:
    id: str  # the id the Bot Connector and activities use
    kind: ChatKind
    graph_id: str  # Graph's id (same as id for group chats)
    created_at: str
    topic: str | None = None
    members: dict[str, Membership] = field(default_factory=dict)  # by AAD id
    installed: bool = False  # the bot is in the chat's roster
    installation_id: str | None = None
    messages: list[Message] = field(default_factory=list)
    owner: User | None = None  # the person of a personal chat

    @property
    def is_group(self) -> bool:
        return self.kind == "groupChat"

    def member(self, user_id: str) -> Membership | None:
        """By AAD id or `29:` id."""
        if user_id in self.members:
            return self.members[user_id]
        return next((m for m in self.members.values() if m.user.id == user_id), None)

    def message(self, message_id: str) -> Message | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def visible_messages(self) -> list[Message]:
        return [m for m in self.messages if not m.deleted]


@dataclass
class StoredFile:
    token: str
    name: str
    content: bytes
    uploader: str  # AAD id


@dataclass
class Dialog:
    """A dialog (task module) a person has open: the card the bot answered with."""

    user: str  # AAD id
    conversation_id: str
    card: dict[str, Any]
    title: str | None = None


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    status: int
    request: Any  # decoded JSON body, form fields or None
    response: Any  # decoded JSON answer or None
    at: float  # time.monotonic()


@dataclass(frozen=True)
class Delivery:
    """An activity the fake (as Teams) sent to the bot, and how the bot answered."""

    activity: dict[str, Any]
    status: int  # 0: no answer (unreachable or timed out)
    body: str
    at: float
