"""What a person sees in the sandbox's Teams view, read from the Teams fake's state: their chats (the
1:1 chat with the bot, and each group chat they are in, titled by its topic), the messages of one
with their cards, and the dialog they have open. Call these under `fake.tenant.lock`.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.teamsfake.cardwalk import actions, inputs
from bot.teamsfake.model import ADAPTIVE_CARD

BOT_NAME = "DHR Bot"
FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"


@dataclass
class ChatView:
    id: str
    label: str          # the group chat's topic, or "DHR Bot" for the 1:1 chat
    kind: str           # personal | groupChat
    members: list[str] = field(default_factory=list)
    app_added: bool = True


@dataclass
class Attachment:
    kind: str           # card | consent | file | other
    card: dict | None = None
    index: int = 0      # the card's place among the message's cards (to press its buttons)
    name: str = ""
    description: str = ""
    content_type: str = ""
    raw: dict | None = None


@dataclass
class MessageView:
    id: str
    author: str
    at: datetime
    text: str
    text_format: str
    attachments: list[Attachment]
    from_bot: bool
    edited: bool


def chats(tenant, user) -> list[ChatView]:
    """The 1:1 chat with the bot first, then the group chats the person is in, newest first (as Teams lists them)."""
    out = []
    personal = tenant.installed_for(user)
    if personal is not None:
        out.append(ChatView(personal.id, BOT_NAME, "personal"))
    groups = [c for c in tenant.chats.values() if c.is_group and c.member(user.aad_id) is not None]
    groups.sort(key=lambda c: _last_activity(c), reverse=True)
    for c in groups:
        names = sorted(m.user.name for m in c.members.values())
        out.append(ChatView(c.id, c.topic or ", ".join(names), "groupChat", names, c.installed))
    return out


def _last_activity(chat) -> str:
    latest = [str(m.activity.get("timestamp") or "") for m in chat.messages]
    return max(latest, default=chat.created_at)


def can_see(chat, user) -> bool:
    return chat is not None and chat.member(user.aad_id) is not None


def messages(tenant, clock, chat) -> list[MessageView]:
    out = []
    for m in chat.visible_messages():
        activity = m.activity
        from_bot = m.sender_id == tenant.bot_account_id
        sender = None if from_bot else tenant.find_user(m.sender_id)
        at = _when(clock, m.versions[0].get("timestamp"))
        out.append(MessageView(m.id, BOT_NAME if from_bot else (sender.name if sender else m.sender_id),
                               at, str(activity.get("text") or ""), str(activity.get("textFormat") or "markdown"),
                               _attachments(activity), from_bot, m.updated))
    return out


def _when(clock, stamp: Any) -> datetime:
    """Bot time of a message: the platform stamps real time; the sandbox clock may be ahead."""
    try:
        real = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return clock.now().astimezone(clock.tz)
    return clock.at(real).astimezone(clock.tz)


def _attachments(activity: dict) -> list[Attachment]:
    out, cards = [], 0
    for a in activity.get("attachments") or []:
        if not isinstance(a, dict):
            continue
        kind = a.get("contentType", "")
        content = a.get("content") if isinstance(a.get("content"), dict) else {}
        if kind == ADAPTIVE_CARD:
            out.append(Attachment("card", content, cards, content_type=kind))
            cards += 1
        elif kind == FILE_CONSENT:
            out.append(Attachment("consent", name=str(a.get("name", "")), content_type=kind, raw=a,
                                  description=str(content.get("description", ""))))
        elif kind in (FILE_INFO, FILE_DOWNLOAD):
            out.append(Attachment("file", name=str(a.get("name", "")), content_type=kind, raw=a))
        elif kind != "text/html":          # Teams' HTML copy of typed words is not shown twice
            out.append(Attachment("other", name=str(a.get("name", "")), content_type=kind, raw=a))
    return out


def action_list(card: dict) -> list[dict]:
    """The card's Submit/Execute actions in the order the page numbers its buttons."""
    return actions(card)


def input_specs(card: dict) -> dict[str, dict]:
    return inputs(card)
