"""The few Microsoft Graph calls the bot makes: a group chat per review, the app in it, its members,
people's names, and the app installed for a person so the bot can reach them unprompted.

Our own thin client (not msgraph-sdk) so that GRAPH_API_URL can point at a local fake.
"""
from urllib.parse import quote

from handlers.teams.platform.http import Service

MEMBER_TYPE = "#microsoft.graph.aadUserConversationMember"


class Graph:
    def __init__(self, service: Service, base_url: str, catalog_id: str):
        self._service, self._base, self._catalog = service, base_url, catalog_id

    def create_group_chat(self, topic: str, members: list[str]) -> str:
        body = {"chatType": "group", "topic": topic, "members": [self._member(m) for m in members]}
        return str(self._service.call("POST", self._url("chats"), json=body)["id"])

    def install_in_chat(self, chat_id: str) -> None:
        self._service.call("POST", self._url(f"chats/{_q(chat_id)}/installedApps"), json=self._app(), ok=(409,))

    def add_member(self, chat_id: str, user_id: str) -> None:
        self._service.call("POST", self._url(f"chats/{_q(chat_id)}/members"), json=self._member(user_id), ok=(409,))

    def remove_member(self, chat_id: str, user_id: str) -> None:
        members = self._service.call("GET", self._url(f"chats/{_q(chat_id)}/members")).get("value") or []
        for m in members:
            if isinstance(m, dict) and str(m.get("userId", "")).lower() == user_id.lower():
                self._service.call("DELETE", self._url(f"chats/{_q(chat_id)}/members/{_q(str(m.get('id')))}"),
                                   ok=(404,))

    def rename_chat(self, chat_id: str, topic: str) -> None:
        self._service.call("PATCH", self._url(f"chats/{_q(chat_id)}"), json={"topic": topic})

    def display_name(self, user_id: str) -> str | None:
        return self._service.call("GET", self._url(f"users/{_q(user_id)}")).get("displayName")

    def install_for(self, user_id: str) -> str:
        """Installs the app for the person (already installed is fine); returns their 1:1 chat's id."""
        base = f"users/{_q(user_id)}/teamwork/installedApps"
        self._service.call("POST", self._url(base), json=self._app(), ok=(409,))
        found = self._service.call("GET", self._url(
            f"{base}?$expand=teamsApp&$filter=teamsApp/id eq '{self._catalog}'")).get("value") or []
        installation = next((i for i in found if isinstance(i, dict) and i.get("id")), None)
        if installation is None:
            return ""
        return str(self._service.call("GET", self._url(f"{base}/{_q(installation['id'])}/chat")).get("id") or "")

    def _member(self, user_id: str) -> dict:
        return {"@odata.type": MEMBER_TYPE, "roles": ["owner"], "user@odata.bind": self._url(f"users('{user_id}')")}

    def _app(self) -> dict:
        return {"teamsApp@odata.bind": self._url(f"appCatalogs/teamsApps/{self._catalog}")}

    def _url(self, path: str) -> str:
        return self._base + path


def _q(value: str) -> str:
    return quote(value, safe="")
