"""The workflow's ChatPort on Slack's Web API.

Each call names the error codes that mean its intent already holds (inviting someone already in the
channel, pinning a pinned message); every other code is raised as a ChatError whose `kind` says what
it means, so the workflow never sees a Slack code's spelling. `not_in_channel` on a post or pin
means the bot must join first: it tries (a public channel it may join), and otherwise raises.
"""
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.workflow.core import ports
from bot.workflow.core.ports import ChatError, SpaceNameTaken
from bot.workflow.core.refs import SpaceRef
from messages.render import render_notice

TAG_EVENT = "dhr_tagged_post"   # message metadata event_type carrying a post's tag (see find_post)
HISTORY_PAGES = 5               # a set-up's card is among a young channel's first messages
LIST_PAGES = 50

KINDS = {
    "not_in_channel": ports.NOT_IN_SPACE, "channel_not_found": ports.NOT_IN_SPACE,
    "is_archived": ports.SPACE_ARCHIVED,
    "user_not_found": ports.PERSON_UNAVAILABLE, "cant_invite": ports.PERSON_UNAVAILABLE,
    "user_disabled": ports.PERSON_UNAVAILABLE, "user_is_restricted": ports.PERSON_UNAVAILABLE,
    "ura_max_channels": ports.PERSON_UNAVAILABLE, "cannot_dm_bot": ports.PERSON_UNAVAILABLE,
    "messages_tab_disabled": ports.PERSON_UNAVAILABLE,
    "redaction_blocked": ports.NOT_ALLOWED,
    "invalid_blocks": ports.MESSAGE_REFUSED, "invalid_blocks_format": ports.MESSAGE_REFUSED,
    "msg_too_long": ports.MESSAGE_REFUSED, "no_text": ports.MESSAGE_REFUSED,
    "restricted_action": ports.NOT_ALLOWED,
    "missing_scope": ports.MISSING_PERMISSION,
    "invalid_auth": ports.AUTH_FAILED, "not_authed": ports.AUTH_FAILED, "token_revoked": ports.AUTH_FAILED,
    "token_expired": ports.AUTH_FAILED, "account_inactive": ports.AUTH_FAILED,
    "team_access_not_granted": ports.AUTH_FAILED, "ekm_access_denied": ports.AUTH_FAILED,
    "ratelimited": ports.BUSY, "rate_limited": ports.BUSY,
    "internal_error": ports.UNAVAILABLE, "fatal_error": ports.UNAVAILABLE, "request_timeout": ports.UNAVAILABLE,
    "service_unavailable": ports.UNAVAILABLE, "connection_failed": ports.UNAVAILABLE,
    "name_taken": ports.NAME_TAKEN,
}


def error_code(err: SlackApiError) -> str:
    status = err.response.status_code
    if status == 429:
        return "ratelimited"
    data = err.response.data if isinstance(err.response.data, dict) else {}
    return data.get("error") or f"http_{status}"


def chat_error(code: str, kinds: dict[str, str] | None = None) -> ChatError:
    """`kinds` overrides KINDS for one kind of call (see the reminder sweep's in port.py)."""
    if code == "name_taken":
        return SpaceNameTaken()
    kind = ports.UNAVAILABLE if code.startswith("http_5") else (kinds or {}).get(code) or KINDS.get(code, ports.OTHER)
    return ChatError(code, retryable=kind in (ports.BUSY, ports.UNAVAILABLE), kind=kind)


class SlackChat:
    def __init__(self, client: WebClient):
        self.client = client

    def _call(self, method: str, fine: tuple[str, ...] = (), **kwargs):
        """The answer, or None when Slack's error code is one of `fine` for this call."""
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError as err:
            code = error_code(err)
            if code in fine:
                return None
            raise chat_error(code) from None
        except (URLError, OSError, TimeoutError):
            raise chat_error("connection_failed") from None

    def _joined(self, space_id: str, method: str, **kwargs):
        """Calls `method`; on not_in_channel joins (where the bot may join itself) and calls it again."""
        try:
            return self._call(method, **kwargs)
        except ChatError as err:
            if err.code != "not_in_channel":
                raise
            try:
                self._call("conversations_join", channel=space_id)
            except ChatError:
                raise err from None   # a private channel: only a member can add the bot back
        return self._call(method, **kwargs)

    def create_private_space(self, name: str) -> SpaceRef:
        channel = self._call("conversations_create", name=name, is_private=True)["channel"]
        return SpaceRef(id=channel["id"], name=channel["name"])

    def find_private_space(self, name: str) -> SpaceRef | None:
        me, cursor = self._call("auth_test")["user_id"], None
        for _ in range(LIST_PAGES):
            page = self._call("conversations_list", types="private_channel", exclude_archived=True,
                              limit=1000, cursor=cursor)
            for ch in page.get("channels", []):
                if ch.get("name") == name and ch.get("creator") == me and ch.get("is_member", True):
                    return SpaceRef(id=ch["id"], name=ch["name"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def invite(self, space_id: str, user_ids: list[str]) -> None:
        self._call("conversations_invite", ("already_in_channel", "cant_invite_self"),
                   channel=space_id, users=",".join(user_ids))

    def post(self, space_id: str, notice, *, tag: str | None = None) -> str:
        return self._joined(space_id, "chat_postMessage", channel=space_id, **_tagged(notice, tag))["ts"]

    def find_post(self, space_id: str, tag: str) -> str | None:
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = self._call("conversations_history", channel=space_id, limit=200,
                              include_all_metadata=True, cursor=cursor)
            for message in page.get("messages", []):
                meta = message.get("metadata") or {}
                if meta.get("event_type") == TAG_EVENT and (meta.get("event_payload") or {}).get("tag") == tag:
                    return message["ts"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def update(self, space_id: str, message_ref: str, notice) -> None:
        self._call("chat_update", channel=space_id, ts=message_ref, **render_notice(notice))

    def pin(self, space_id: str, message_ref: str) -> None:
        self._joined(space_id, "pins_add", fine=("already_pinned",), channel=space_id, timestamp=message_ref)

    def dm(self, user_id: str, notice, *, tag: str | None = None) -> None:
        self._call("chat_postMessage", channel=user_id, **_tagged(notice, tag))

    def find_dm(self, user_id: str, tag: str) -> bool:
        channel = self._call("conversations_open", users=user_id)["channel"]["id"]
        return self.find_post(channel, tag) is not None

    def remove(self, space_id: str, user_id: str) -> None:
        # conversations.kick's not_in_channel: the person is not in the channel, which is the intent.
        self._call("conversations_kick", ("not_in_channel",), channel=space_id, user=user_id)

    def upload(self, space_id: str, filename: str, content: bytes, title: str) -> None:
        self._call("files_upload_v2", channel=space_id, content=content, filename=filename, title=title)

    def rename(self, space_id: str, name: str) -> str:
        return self._call("conversations_rename", channel=space_id, name=name)["channel"]["name"]

    def archive(self, space_id: str) -> None:
        self._call("conversations_archive", ("already_archived",), channel=space_id)


def _tagged(notice, tag: str | None) -> dict:
    body = render_notice(notice)
    if tag:
        body["metadata"] = {"event_type": TAG_EVENT, "event_payload": {"tag": tag}}
    return body
