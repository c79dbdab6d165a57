"""The slice of Microsoft Graph v1.0 the bot uses: group chats (create, rename, members, app
installation) and users (look-up, app installation for the person, their chat with the bot).
Errors are Graph's {"error": {"code", "message"}}; installing the app makes Teams send the bot
its installationUpdate and conversationUpdate, after the 201."""

from __future__ import annotations

import re
from typing import Any

from . import events
from .model import Chat, Membership, User
from .outbound import BotLink
from .state import Tenant
from .wire import BadJson, Reply, Request, graph_error

GRAPH = "https://graph.microsoft.com/v1.0"
MAX_TOPIC = 250
MAX_GROUP_MEMBERS = 250
MEMBER_TYPE = "#microsoft.graph.aadUserConversationMember"
_USER_BIND = re.compile(r"/users(?:\('([^']+)'\)|/([^/?()]+))$")
_APP_BIND = re.compile(r"/appCatalogs/teamsApps/([^/?]+)$")


def _body(req: Request) -> dict[str, Any] | Reply:
    try:
        body = req.json()
    except BadJson:
        return graph_error(400, "BadRequest", "Unable to read JSON request payload.")
    if not isinstance(body, dict):
        return graph_error(400, "BadRequest", "The request body must be a JSON object.")
    return body


class Graph:
    def __init__(self, tenant: Tenant, link: BotLink) -> None:
        self.tenant = tenant
        self.link = link

    # ---- shapes --------------------------------------------------------------------------------------

    def _chat_json(self, chat: Chat) -> dict[str, Any]:
        return {
            "@odata.context": f"{GRAPH}/$metadata#chats/$entity", "id": chat.graph_id, "topic": chat.topic,
            "createdDateTime": chat.created_at, "lastUpdatedDateTime": chat.created_at,
            "chatType": "group" if chat.is_group else "oneOnOne", "tenantId": self.tenant.app.tenant_id,
            "webUrl": f"https://teams.microsoft.com/l/chat/{chat.graph_id}/0?tenantId={self.tenant.app.tenant_id}",
        }

    def _member_json(self, membership: Membership) -> dict[str, Any]:
        return {
            "@odata.type": MEMBER_TYPE, "id": membership.id, "roles": membership.roles,
            "displayName": membership.user.name, "visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
            "userId": membership.user.aad_id, "email": membership.user.mail, "tenantId": self.tenant.app.tenant_id,
        }

    def _app_json(self, installation_id: str, expand: bool) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": installation_id}
        if expand:
            entry["teamsApp"] = {"id": self.tenant.app.catalog_id, "externalId": self.tenant.app.external_id,
                                 "displayName": self.tenant.app.bot_name, "distributionMethod": "organization"}
        return entry

    # ---- look-ups --------------------------------------------------------------------------------------

    def _group_chat(self, chat_id: str) -> Chat | Reply:
        chat = self.tenant.chat(chat_id)
        if chat is None:
            return graph_error(404, "NotFound", f"Chat '{chat_id}' was not found.")
        return chat

    def _user(self, key: str) -> User | Reply:
        user = self.tenant.find_user(key)
        if user is None or user.id == key:  # Graph knows AAD ids and UPNs, not the bot's 29: ids
            return graph_error(404, "Request_ResourceNotFound", f"Resource '{key}' does not exist or one of its "
                               "queried reference-property objects are not present.")
        return user

    def _bound_user(self, member: Any) -> User | Reply:
        if not isinstance(member, dict) or member.get("@odata.type") != MEMBER_TYPE:
            return graph_error(400, "BadRequest", f"Each member must be of type {MEMBER_TYPE[1:]}.")
        match = _USER_BIND.search(str(member.get("user@odata.bind") or ""))
        if not match:
            return graph_error(400, "BadRequest", "Each member needs a user@odata.bind to a user.")
        roles = member.get("roles")
        if not isinstance(roles, list) or any(r not in ("owner", "guest") for r in roles):
            return graph_error(400, "BadRequest", "roles must be a list of 'owner' or 'guest'.")
        user = self.tenant.find_user(match.group(1) or match.group(2))
        if user is None:
            return graph_error(404, "NotFound", "The member's user was not found.")
        return user

    def _catalog_app(self, body: dict[str, Any]) -> Reply | None:
        match = _APP_BIND.search(str(body.get("teamsApp@odata.bind") or ""))
        if not match:
            return graph_error(400, "BadRequest", "teamsApp@odata.bind is required.")
        if match.group(1) != self.tenant.app.catalog_id:
            return graph_error(404, "NotFound", f"Teams app '{match.group(1)}' was not found in the app catalog.")
        return None

    # ---- chats ---------------------------------------------------------------------------------------

    def create_chat(self, req: Request) -> Reply:
        body = _body(req)
        if isinstance(body, Reply):
            return body
        if body.get("chatType") != "group":
            return graph_error(400, "BadRequest", "Only chatType 'group' is supported by this fake.")
        topic = body.get("topic")
        if topic is not None and (not isinstance(topic, str) or len(topic) > MAX_TOPIC):
            return graph_error(400, "BadRequest", f"The chat topic must be a string of at most {MAX_TOPIC} characters.")
        members = body.get("members")
        # Graph's chat-post page sets no minimum for an application making a group chat (no signed-in
        # user is in it); "Chat members cannot be null" is what an empty list gets.
        if not isinstance(members, list) or not members:
            return graph_error(400, "BadRequest", "Chat members cannot be null. (Parameter 'Members')")
        if len(members) > MAX_GROUP_MEMBERS:
            return graph_error(400, "BadRequest", f"A group chat holds at most {MAX_GROUP_MEMBERS} members.")
        with self.tenant.lock:
            people: list[tuple[User, list[str]]] = []
            for member in members:
                user = self._bound_user(member)
                if isinstance(user, Reply):
                    return user
                if any(u is user for u, _ in people):
                    return graph_error(400, "BadRequest", "A member is listed twice.")
                people.append((user, list(member["roles"])))
            chat = self.tenant.create_group_chat(topic, people)
            return Reply(201, self._chat_json(chat))

    def get_chat(self, req: Request, chat_id: str) -> Reply:
        with self.tenant.lock:
            chat = self._group_chat(chat_id)
            return chat if isinstance(chat, Reply) else Reply(200, self._chat_json(chat))

    def update_chat(self, req: Request, chat_id: str) -> Reply:
        body = _body(req)
        if isinstance(body, Reply):
            return body
        with self.tenant.lock:
            chat = self._group_chat(chat_id)
            if isinstance(chat, Reply):
                return chat
            topic = body.get("topic")
            if not chat.is_group:
                return graph_error(400, "BadRequest", "Only a group chat has a topic.")
            if not isinstance(topic, str) or len(topic) > MAX_TOPIC:
                return graph_error(400, "BadRequest", f"The chat topic must be a string of at most {MAX_TOPIC} "
                                   "characters.")
            chat.topic = topic
        return Reply(204)

    def chat_apps(self, req: Request, chat_id: str) -> Reply:
        with self.tenant.lock:
            chat = self._group_chat(chat_id)
            if isinstance(chat, Reply):
                return chat
            expand = "teamsApp" in req.query.get("$expand", "")
            value = [self._app_json(chat.installation_id, expand)] if chat.installation_id else []
        return Reply(200, {"@odata.context": f"{GRAPH}/$metadata#chats('{chat_id}')/installedApps", "value": value})

    def install_in_chat(self, req: Request, chat_id: str) -> Reply:
        body = _body(req)
        if isinstance(body, Reply):
            return body
        with self.tenant.lock:
            chat = self._group_chat(chat_id)
            if isinstance(chat, Reply):
                return chat
            refused = self._catalog_app(body)
            if refused:
                return refused
            if chat.installed:
                return graph_error(409, "Conflict", "The app is already installed in this chat.")
            actor = events.chat_actor(chat)
            self.tenant.install_in(chat)
            activities = events.installed(self.tenant, chat, actor) if actor else []
        self.link.send_later(activities)
        return Reply(201)

    def chat_members(self, req: Request, chat_id: str) -> Reply:
        with self.tenant.lock:
            chat = self._group_chat(chat_id)
            if isinstance(chat, Reply):
                return chat
            value = [self._member_json(m) for m in chat.members.values()]
        return Reply(200, {"@odata.context": f"{GRAPH}/$metadata#chats('{chat_id}')/members",
                           "@odata.count": len(value), "value": value})

    def add_chat_member(self, req: Request, chat_id: str) -> Reply:
        body = _body(req)
        if isinstance(body, Reply):
            return body
        with self.tenant.lock:
            chat = self._group_chat(chat_id)
            if isinstance(chat, Reply):
                return chat
            if not chat.is_group:
                return graph_error(400, "BadRequest", "Members can only be added to a group chat.")
            user = self._bound_user(body)
            if isinstance(user, Reply):
                return user
            if user.aad_id not in chat.members and len(chat.members) >= MAX_GROUP_MEMBERS:
                return graph_error(403, "Forbidden", f"A group chat holds at most {MAX_GROUP_MEMBERS} members.")
            membership, new = self.tenant.add_member(chat, user, list(body["roles"]))
            actor = events.chat_actor(chat)
            activities = events.members_added(self.tenant, chat, actor, [user]) if new and actor else []
            answer = self._member_json(membership)
        self.link.send_later(activities)
        return Reply(201, answer, {"Location": f"/chats/{chat.graph_id}/members/{membership.id}"})

    def remove_chat_member(self, req: Request, chat_id: str, membership_id: str) -> Reply:
        with self.tenant.lock:
            chat = self._group_chat(chat_id)
            if isinstance(chat, Reply):
                return chat
            membership = next((m for m in chat.members.values() if m.id == membership_id), None)
            if membership is None or not chat.is_group:
                return graph_error(404, "NotFound", f"Member '{membership_id}' was not found in the chat.")
            del chat.members[membership.user.aad_id]
            actor = events.chat_actor(chat)
            activities = events.members_removed(self.tenant, chat, actor, [membership.user]) if actor else []
        self.link.send_later(activities)
        return Reply(204)

    # ---- users -----------------------------------------------------------------------------------------

    def get_user(self, req: Request, key: str) -> Reply:
        with self.tenant.lock:
            user = self._user(key)
            if isinstance(user, Reply):
                return user
            return Reply(200, {"@odata.context": f"{GRAPH}/$metadata#users/$entity", **user.graph()})

    def user_apps(self, req: Request, key: str) -> Reply:
        with self.tenant.lock:
            user = self._user(key)
            if isinstance(user, Reply):
                return user
            chat = self.tenant.installed_for(user)
            value = [chat.installation_id] if chat and chat.installation_id else []
        if not self._matches_filter(req.query.get("$filter", "")):
            value = []
        expand = "teamsApp" in req.query.get("$expand", "")
        return Reply(200, {"@odata.context": f"{GRAPH}/$metadata#users('{key}')/teamwork/installedApps",
                           "value": [self._app_json(i, expand) for i in value]})

    def install_for_user(self, req: Request, key: str) -> Reply:
        body = _body(req)
        if isinstance(body, Reply):
            return body
        with self.tenant.lock:
            user = self._user(key)
            if isinstance(user, Reply):
                return user
            refused = self._catalog_app(body)
            if refused:
                return refused
            if self.tenant.installed_for(user):
                return graph_error(409, "Conflict", "The app is already installed for this user.")
            chat = self.tenant.personal_chat(user)
            assert chat is not None
            self.tenant.install_in(chat)
            activities = events.installed(self.tenant, chat, user)
        self.link.send_later(activities)
        return Reply(201)

    def _matches_filter(self, expression: str) -> bool:
        """`teamsApp/id eq '<catalog id>'` or `teamsApp/externalId eq '<manifest id>'`; no filter matches."""
        match = re.search(r"teamsApp/(id|externalId)\s+eq\s+'([^']*)'", expression)
        if not match:
            return True
        wanted = self.tenant.app.catalog_id if match.group(1) == "id" else self.tenant.app.external_id
        return match.group(2) == wanted

    def _user_installation(self, key: str, installation_id: str) -> tuple[User, Chat] | Reply:
        user = self._user(key)
        if isinstance(user, Reply):
            return user
        chat = self.tenant.installed_for(user)
        if chat is None or chat.installation_id != installation_id:
            return graph_error(404, "NotFound", f"Installation '{installation_id}' was not found for the user.")
        return user, chat

    def user_app(self, req: Request, key: str, installation_id: str) -> Reply:
        with self.tenant.lock:
            found = self._user_installation(key, installation_id)
            if isinstance(found, Reply):
                return found
        return Reply(200, self._app_json(installation_id, "teamsApp" in req.query.get("$expand", "")))

    def user_app_chat(self, req: Request, key: str, installation_id: str) -> Reply:
        with self.tenant.lock:
            found = self._user_installation(key, installation_id)
            if isinstance(found, Reply):
                return found
            return Reply(200, self._chat_json(found[1]))

    def uninstall_for_user(self, req: Request, key: str, installation_id: str) -> Reply:
        with self.tenant.lock:
            found = self._user_installation(key, installation_id)
            if isinstance(found, Reply):
                return found
            user, chat = found
            self.tenant.uninstall_from(chat)
            activities = events.uninstalled(self.tenant, chat, user)
        self.link.send_later(activities)
        return Reply(204)
