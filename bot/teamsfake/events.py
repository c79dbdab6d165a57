"""The activities Teams raises toward the bot when the app is installed or removed and when people
join or leave a chat the app is in."""

from __future__ import annotations

from typing import Any

from . import activities
from .model import Chat, User
from .state import Tenant


def installed(tenant: Tenant, chat: Chat, actor: User) -> list[dict[str, Any]]:
    bot = {"id": tenant.bot_account_id}
    return [
        activities.installation_update(tenant, chat, actor, "add"),
        activities.members_changed(tenant, chat, actor, [bot], []),
    ]


def uninstalled(tenant: Tenant, chat: Chat, actor: User) -> list[dict[str, Any]]:
    bot = {"id": tenant.bot_account_id}
    return [
        activities.installation_update(tenant, chat, actor, "remove"),
        activities.members_changed(tenant, chat, actor, [], [bot]),
    ]


def members_added(tenant: Tenant, chat: Chat, actor: User, users: list[User]) -> list[dict[str, Any]]:
    if not chat.installed or not users:
        return []
    return [activities.members_changed(tenant, chat, actor, [activities.member_ref(u) for u in users], [])]


def members_removed(tenant: Tenant, chat: Chat, actor: User, users: list[User]) -> list[dict[str, Any]]:
    if not chat.installed or not users:
        return []
    return [activities.members_changed(tenant, chat, actor, [], [activities.member_ref(u) for u in users])]


def chat_actor(chat: Chat) -> User | None:
    """Who Teams names as the actor when the app acts with application permissions: the chat's
    first owner (a personal chat's person)."""
    if chat.owner:
        return chat.owner
    owners = [m.user for m in chat.members.values() if "owner" in m.roles]
    members = owners or [m.user for m in chat.members.values()]
    return members[0] if members else None
