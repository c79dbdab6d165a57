"""The workflow's ChatPort on Slack's Web API."""
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.workflow.ports import ChatError, SpaceNameTaken, SpaceRef
from messages.cards import render_notice

HARMLESS = {"already_in_channel", "already_pinned", "not_in_channel"}


def error_code(err: SlackApiError) -> str:
    status = err.response.status_code
    if status == 429:
        return "ratelimited"
    data = err.response.data if isinstance(err.response.data, dict) else {}
    return data.get("error") or f"http_{status}"


class SlackChat:
    def __init__(self, client: WebClient):
        self.client = client

    def _call(self, method: str, **kwargs):
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError as err:
            code = error_code(err)
            if code in HARMLESS:
                return None
            if code == "name_taken":
                raise SpaceNameTaken() from None
            raise ChatError(code, retryable=code == "ratelimited" or code.startswith("http_5")) from None
        except (URLError, OSError, TimeoutError):
            raise ChatError("connection_failed", retryable=True) from None

    def create_private_space(self, name: str) -> SpaceRef:
        channel = self._call("conversations_create", name=name, is_private=True)["channel"]
        return SpaceRef(id=channel["id"], name=channel["name"])

    def invite(self, space_id: str, user_ids: list[str]) -> None:
        self._call("conversations_invite", channel=space_id, users=",".join(user_ids))

    def post(self, space_id: str, notice) -> str:
        return self._call("chat_postMessage", channel=space_id, **render_notice(notice))["ts"]

    def update(self, space_id: str, message_ref: str, notice) -> None:
        self._call("chat_update", channel=space_id, ts=message_ref, **render_notice(notice))

    def pin(self, space_id: str, message_ref: str) -> None:
        self._call("pins_add", channel=space_id, timestamp=message_ref)

    def dm(self, user_id: str, notice) -> None:
        self._call("chat_postMessage", channel=user_id, **render_notice(notice))

    def remove(self, space_id: str, user_id: str) -> None:
        self._call("conversations_kick", channel=space_id, user=user_id)

    def upload(self, space_id: str, filename: str, content: bytes, title: str) -> None:
        self._call("files_upload_v2", channel=space_id, content=content, filename=filename, title=title)

    def rename(self, space_id: str, name: str) -> str:
        return self._call("conversations_rename", channel=space_id, name=name)["channel"]["name"]

    def archive(self, space_id: str) -> None:
        try:
            self._call("conversations_archive", channel=space_id)
        except ChatError as err:
            if err.code != "already_archived":
                raise
