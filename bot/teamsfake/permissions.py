"""Which Graph application permissions each call accepts (Graph's reference pages, least privileged
first), and the check Graph makes: one of them among the token's roles, or, for a chat the app is
installed in, among the resource-specific (RSC) permissions its manifest grants in that chat."""

from __future__ import annotations

from typing import Any

from .state import Tenant
from .wire import Reply, graph_error

DEFAULT_ROLES = [
    "Chat.Create", "ChatMember.ReadWrite.All", "Chat.ReadBasic.All", "User.Read.All",
    "TeamsAppInstallation.ReadWriteSelfForChat.All", "TeamsAppInstallation.ReadWriteSelfForUser.All",
]
DEFAULT_RSC = ["ChatSettings.ReadWrite.Chat", "ChatMember.Read.Chat"]

_CHAT_READ = ("ChatSettings.Read.Chat", "ChatSettings.ReadWrite.Chat", "Chat.Manage.Chat", "Chat.ReadBasic.All",
              "Chat.Read.All", "Chat.ReadWrite.All")
_MEMBERS_READ = ("ChatMember.Read.Chat", "Chat.Manage.Chat", "ChatMember.Read.All", "ChatMember.ReadWrite.All",
                 "Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All")
_MEMBERS_WRITE = ("Chat.Manage.Chat", "ChatMember.ReadWrite.All", "Chat.ReadWrite.All")
_CHAT_APPS_READ = ("TeamsAppInstallation.ReadSelfForChat.All", "TeamsAppInstallation.ReadWriteSelfForChat.All",
                   "TeamsAppInstallation.ReadForChat.All", "TeamsAppInstallation.ReadWriteForChat.All")
_USER_APPS_READ = ("TeamsAppInstallation.ReadSelfForUser.All", "TeamsAppInstallation.ReadWriteSelfForUser.All",
                   "TeamsAppInstallation.ReadForUser.All", "TeamsAppInstallation.ReadWriteForUser.All")
_USER_APPS_WRITE = ("TeamsAppInstallation.ReadWriteSelfForUser.All", "TeamsAppInstallation.ReadWriteForUser.All")

# (method, path shape after /v1.0/) -> permissions that allow it
ACCEPTED: dict[tuple[str, str], tuple[str, ...]] = {
    ("POST", "chats"): ("Chat.Create", "Chat.ReadWrite.All"),
    ("GET", "chats/*"): _CHAT_READ,
    ("PATCH", "chats/*"): ("ChatSettings.ReadWrite.Chat", "Chat.Manage.Chat", "Chat.ReadWrite.All"),
    ("GET", "chats/*/installedApps"): _CHAT_APPS_READ,
    ("POST", "chats/*/installedApps"): ("TeamsAppInstallation.ReadWriteSelfForChat.All",
                                        "TeamsAppInstallation.ReadWriteForChat.All"),
    ("GET", "chats/*/members"): _MEMBERS_READ,
    ("POST", "chats/*/members"): _MEMBERS_WRITE,
    ("DELETE", "chats/*/members/*"): _MEMBERS_WRITE,
    ("GET", "users/*"): ("User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"),
    ("GET", "users/*/teamwork/installedApps"): _USER_APPS_READ,
    ("POST", "users/*/teamwork/installedApps"): _USER_APPS_WRITE,
    ("GET", "users/*/teamwork/installedApps/*"): _USER_APPS_READ,
    ("DELETE", "users/*/teamwork/installedApps/*"): _USER_APPS_WRITE,
    ("GET", "users/*/teamwork/installedApps/*/chat"): _USER_APPS_READ,
}


def shape(pattern: tuple[str | None, ...]) -> str:
    return "/".join("*" if p is None else p for p in pattern)


def refusal(tenant: Tenant, method: str, pattern: tuple[str | None, ...], args: list[str],
            claims: dict[str, Any], rsc: list[str]) -> Reply | None:
    accepted = ACCEPTED.get((method, shape(pattern)), ())
    roles = [r for r in claims.get("roles") or [] if isinstance(r, str)]
    if set(accepted) & set(roles):
        return None
    if pattern[:1] == ("chats",) and args:
        chat = tenant.chat(args[0])
        if chat is not None and chat.installed and set(accepted) & set(rsc):
            return None
    return graph_error(403, "Forbidden", f"Missing role permissions on the request. API requires one of "
                       f"'{', '.join(accepted)}'. Roles on the request '{', '.join(roles)}'.")
