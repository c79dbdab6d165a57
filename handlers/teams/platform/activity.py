"""An inbound Bot Framework activity, read only after its token was verified, and checked for shape.

Teams sends JSON activities; only what the bot uses is read, each with its type checked, so a
forged or truncated body is a clear 400 rather than an exception deep in a handler.
"""
import html
import re
from dataclasses import dataclass, field
from typing import Any

PERSONAL, GROUP_CHAT = "personal", "groupChat"
MENTION = re.compile(r"<at>.*?</at>", re.S)
TAG = re.compile(r"<[^>]{0,200}>")


class Malformed(ValueError):
    """What is wrong with the body, in a few words (logged; never the body itself)."""

    status = 400


class ForeignTenant(Malformed):
    """Signed by Teams, but from another organisation: this bot serves one tenant."""

    status = 403


@dataclass(frozen=True)
class Activity:
    type: str
    service_url: str
    tenant_id: str
    conversation_id: str
    conversation_type: str
    user_id: str                 # the person's Entra object id (lower case): the id the bot stores
    platform_user_id: str        # Teams' bot-scoped 29:… id
    user_name: str
    id: str = ""
    text: str = ""
    name: str = ""               # an invoke's name (task/fetch, task/submit, …)
    value: Any = None
    reply_to_id: str = ""
    action: str = ""             # installationUpdate: add / remove
    attachments: tuple = field(default_factory=tuple)

    @property
    def personal(self) -> bool:
        return self.conversation_type == PERSONAL

    @property
    def data(self) -> dict:
        """An invoke's `value.data` (a card's Action.Submit data), or {}."""
        value = self.value if isinstance(self.value, dict) else {}
        data = value.get("data")
        return data if isinstance(data, dict) else {}

    def command_text(self) -> str:
        """The words typed to the bot: @mentions and markup removed, spaces collapsed."""
        plain = html.unescape(TAG.sub(" ", MENTION.sub(" ", self.text)))
        return " ".join(plain.split())


def parse(body: Any, tenant_id: str) -> Activity:
    if not isinstance(body, dict):
        raise Malformed("not a JSON object")
    kind = _str(body, "type", required=True)
    conversation = _obj(body, "conversation")
    sender = _obj(body, "from")
    tenant = (_str(conversation, "tenantId") or _str(_obj(_obj(body, "channelData"), "tenant"), "id")).lower()
    if tenant != tenant_id:
        raise ForeignTenant("another tenant")
    if _str(body, "channelId") not in ("msteams", ""):
        raise Malformed("not from Teams")
    return Activity(
        type=kind, service_url=_str(body, "serviceUrl", required=True), tenant_id=tenant,
        conversation_id=_str(conversation, "id", required=True),
        conversation_type=_str(conversation, "conversationType") or PERSONAL,
        user_id=_str(sender, "aadObjectId").lower(), platform_user_id=_str(sender, "id"),
        user_name=_str(sender, "name"), id=_str(body, "id"), text=_str(body, "text"), name=_str(body, "name"),
        value=body.get("value"), reply_to_id=_str(body, "replyToId"), action=_str(body, "action"),
        attachments=tuple(a for a in _list(body, "attachments") if isinstance(a, dict)),
    )


def _obj(body: dict, key: str) -> dict:
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Malformed(f"{key} is not an object")
    return value


def _list(body: dict, key: str) -> list:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{key} is not a list")
    return value


def _str(body: dict, key: str, *, required: bool = False) -> str:
    value = body.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise Malformed(f"{key} is missing or not text")
    return value
