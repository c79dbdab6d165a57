"""Activities as Teams sends them to a bot: the common envelope, messages (with the text/html
attachment and, in group chats, the bot's mention), invokes and installation/membership events."""

from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Any

from .model import Chat, User
from .state import Tenant, now_iso

LOCALE = "en-GB"
TIMEZONE = "Europe/London"


def conversation(tenant: Tenant, chat: Chat) -> dict[str, Any]:
    ref: dict[str, Any] = {"conversationType": chat.kind, "tenantId": tenant.app.tenant_id, "id": chat.id}
    if chat.is_group:
        ref["isGroup"] = True
    return ref


def envelope(tenant: Tenant, kind: str, chat: Chat, sender: User, *, event: bool = False) -> dict[str, Any]:
    local = datetime.now(timezone.utc).astimezone()
    activity: dict[str, Any] = {
        "type": kind,
        "id": tenant.activity_ids.event() if event else tenant.activity_ids.next(),
        "timestamp": now_iso(),
        "localTimestamp": local.isoformat(timespec="milliseconds"),
        "localTimezone": TIMEZONE,
        "serviceUrl": tenant.service_url,
        "channelId": "msteams",
        "from": sender.account(),
        "conversation": conversation(tenant, chat),
        "recipient": tenant.bot_account(),
        "entities": [{"locale": LOCALE, "country": "GB", "platform": "Web", "timezone": TIMEZONE,
                      "type": "clientInfo"}],
        "channelData": {"tenant": {"id": tenant.app.tenant_id}},
        "locale": LOCALE,
    }
    if event:
        del activity["entities"], activity["localTimestamp"], activity["localTimezone"]
    return activity


def message(tenant: Tenant, chat: Chat, sender: User, text: str) -> dict[str, Any]:
    """What a person typing `text` sends; in a group chat Teams delivers it only when the bot is
    @mentioned, so it starts with the mention."""
    activity = envelope(tenant, "message", chat, sender)
    if chat.is_group:
        mention = f"<at>{tenant.app.bot_name}</at>"
        text = f"{mention} {text}"
        activity["entities"].insert(0, {"mentioned": tenant.bot_account(), "text": mention, "type": "mention"})
    activity.update({"text": text, "textFormat": "plain", "attachments": [_html_copy(text)]})
    return activity


def _html_copy(text: str) -> dict[str, Any]:
    """Teams attaches the message as HTML too; a bot must not take it for a file."""
    escaped = html.escape(text).replace("&lt;at&gt;", '<span itemscope="" itemtype="http://schema.skype.com/Mention">')
    escaped = escaped.replace("&lt;/at&gt;", "</span>")
    return {"contentType": "text/html", "content": f"<p>{escaped}</p>"}


def file_message(tenant: Tenant, chat: Chat, sender: User, text: str, name: str, download_url: str,
                 unique_id: str) -> dict[str, Any]:
    activity = envelope(tenant, "message", chat, sender)
    site = sender.upn.replace("@", "_").replace(".", "_")
    attachment = {
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "contentUrl": f"https://contoso-my.sharepoint.com/personal/{site}/Documents/Microsoft Teams Chat Files/{name}",
        "name": name,
        "content": {"downloadUrl": download_url, "uniqueId": unique_id,
                    "fileType": name.rsplit(".", 1)[-1].lower() if "." in name else ""},
    }
    activity["attachments"] = [attachment] + ([_html_copy(text)] if text else [])
    if text:
        activity.update({"text": text, "textFormat": "plain"})
    return activity


def card_submit(tenant: Tenant, chat: Chat, sender: User, message_id: str, data: Any) -> dict[str, Any]:
    """Action.Submit without msteams task/fetch: a message with no text and the data as value."""
    activity = envelope(tenant, "message", chat, sender)
    activity.update({"replyToId": message_id, "value": data})
    return activity


def invoke(tenant: Tenant, chat: Chat, sender: User, name: str, value: Any,
           reply_to_id: str | None = None) -> dict[str, Any]:
    activity = envelope(tenant, "invoke", chat, sender)
    activity.update({"name": name, "value": value})
    if reply_to_id:
        activity["replyToId"] = reply_to_id
    activity["channelData"]["source"] = {"name": "message"}
    return activity


def installation_update(tenant: Tenant, chat: Chat, sender: User, action: str) -> dict[str, Any]:
    activity = envelope(tenant, "installationUpdate", chat, sender, event=True)
    activity["action"] = action
    return activity


def members_changed(tenant: Tenant, chat: Chat, sender: User, added: list[dict[str, Any]],
                    removed: list[dict[str, Any]]) -> dict[str, Any]:
    activity = envelope(tenant, "conversationUpdate", chat, sender, event=True)
    if added:
        activity["membersAdded"] = added
    if removed:
        activity["membersRemoved"] = removed
    return activity


def member_ref(user: User) -> dict[str, Any]:
    return {"id": user.id, "aadObjectId": user.aad_id}
