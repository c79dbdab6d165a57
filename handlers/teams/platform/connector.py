"""The Bot Connector: posting, updating and starting conversations at a conversation's own serviceUrl."""
from urllib.parse import quote

from handlers.teams.platform.http import Service
from handlers.teams.platform.pacing import Pacer


class Connector:
    def __init__(self, service: Service, bot_id: str, pacer: Pacer | None = None):
        self._service, self.bot_id, self._pacer = service, bot_id, pacer or Pacer()

    def send(self, service_url: str, conversation_id: str, activity: dict) -> str:
        self._pacer.wait(conversation_id)
        answer = self._service.call("POST", _activities(service_url, conversation_id), json=activity)
        return str(answer.get("id") or "")

    def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict) -> None:
        self._pacer.wait(conversation_id)
        self._service.call("PUT", f"{_activities(service_url, conversation_id)}/{quote(activity_id, safe='')}",
                           json={**activity, "id": activity_id})

    def personal_conversation(self, service_url: str, tenant_id: str, user_id: str) -> str:
        """The 1:1 conversation with someone the app is installed for (Teams gives back the existing one)."""
        answer = self._service.call("POST", f"{service_url.rstrip('/')}/v3/conversations", json={
            "bot": {"id": f"28:{self.bot_id}"}, "members": [{"id": user_id}], "isGroup": False,
            "tenantId": tenant_id, "channelData": {"tenant": {"id": tenant_id}}})
        return str(answer.get("id") or "")


def _activities(service_url: str, conversation_id: str) -> str:
    return f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
