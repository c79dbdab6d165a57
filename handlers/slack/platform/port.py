"""The workflow's chat port (bot/workflow/core/chat_port.py) on Slack: references in, Slack ids out.

Spaces, posts, DMs and files go through SlackChat (its error mapping, joining a public channel on
not_in_channel). The reminder sweep's deliveries (open_dm, send_digest, find_digest) go through a
copy of the client whose 429s wait only briefly, paced by Slack's tiers (pacing.py); their failures
carry `retry_after` when Slack said how long to wait. Slack can do everything the port declares.
"""
from datetime import datetime
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

from bot.workflow.core import ports
from bot.workflow.core.chat_port import Capability
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.refs import MessageRef, PersonRef, SpaceRef
from bot.workflow.panel.redaction_checked import RedactionChecked
from handlers.slack.platform.chat import SlackChat, chat_error, error_code
from handlers.slack.platform.pacing import Pacer, retry_after, without_long_waits
from messages.reminders import reminders as _renderers  # noqa: F401  (registers the reminder renderers)
from messages.render import render_notice

DIGEST_EVENT = "dhr_digest"     # message metadata event_type carrying a digest's id (see find_digest)
HISTORY_PAGES = 20              # of 100: a DM sees a few messages a day
# For a reminder, an inactive account is the person's (a deactivated user), not the bot's.
DIGEST_KINDS = {"account_inactive": ports.PERSON_UNAVAILABLE}


class SlackPort:
    capabilities = frozenset(Capability)
    platform = "slack"          # as stored beside the ids (storage.types.SLACK)

    def __init__(self, chat: SlackChat, pacer: Pacer | None = None):
        self.chat, self._pacer = chat, pacer
        self._paced_client = None

    def create_private_space(self, name: str, members=()) -> SpaceRef:
        made = self.chat.create_private_space(name)
        return SpaceRef(made.id, made.name)

    def find_private_space(self, name: str) -> SpaceRef | None:
        found = self.chat.find_private_space(name)
        return SpaceRef(found.id, found.name) if found else None

    def invite(self, space: SpaceRef, people) -> None:
        self.chat.invite(space.id, [p.id for p in people])

    def remove(self, space: SpaceRef, person: PersonRef) -> None:
        self.chat.remove(space.id, person.id)

    def rename(self, space: SpaceRef, name: str) -> str:
        return self.chat.rename(space.id, name)

    def archive(self, space: SpaceRef) -> None:
        self.chat.archive(space.id)

    def post(self, space: SpaceRef, notice, *, tag: str | None = None) -> MessageRef:
        return MessageRef(self.chat.post(space.id, notice, tag=tag))

    def update(self, space: SpaceRef, message: MessageRef, notice) -> None:
        self.chat.update(space.id, message.id, notice)

    def pin(self, space: SpaceRef, message: MessageRef) -> None:
        self.chat.pin(space.id, message.id)

    def dm(self, person: PersonRef, notice, *, tag: str | None = None) -> None:
        self.chat.dm(person.id, notice, tag=tag)

    def ephemeral(self, space: SpaceRef, person: PersonRef, notice) -> None:
        self.chat._call("chat_postEphemeral", channel=space.id, user=person.id, **render_notice(notice))

    def upload(self, space: SpaceRef, filename: str, content: bytes, title: str) -> None:
        self.chat.upload(space.id, filename, content, title)

    def find_post(self, space: SpaceRef, tag: str) -> MessageRef | None:
        found = self.chat.find_post(space.id, tag)
        return MessageRef(found) if found else None

    def find_dm(self, person: PersonRef, tag: str) -> bool:
        return self.chat.find_dm(person.id, tag)

    # the reminder sweep

    @property
    def pacer(self) -> Pacer:
        if self._pacer is None:
            self._pacer = Pacer()
        return self._pacer

    def open_dm(self, person: PersonRef) -> SpaceRef:
        return SpaceRef(self._paced("conversations.open", users=person.id)["channel"]["id"])

    def send_digest(self, space: SpaceRef, notice, *, digest_id: str) -> MessageRef:
        metadata = {"event_type": DIGEST_EVENT, "event_payload": {"digest_id": digest_id}}
        return MessageRef(self._paced("chat.postMessage", space.id, channel=space.id, metadata=metadata,
                                      **render_notice(notice))["ts"])

    def find_digest(self, space: SpaceRef, digest_id: str, since: datetime) -> MessageRef | None:
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = self._paced("conversations.history", channel=space.id, oldest=f"{since.timestamp():.6f}",
                               limit=100, include_all_metadata=True, cursor=cursor)
            for message in page.get("messages", []):
                meta = message.get("metadata") or {}
                if meta.get("event_type") == DIGEST_EVENT and \
                        (meta.get("event_payload") or {}).get("digest_id") == digest_id:
                    return MessageRef(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _paced(self, method: str, pace_key: str | None = None, **kwargs):
        if self._paced_client is None:
            self._paced_client = without_long_waits(self.chat.client)
        self.pacer.wait(method, pace_key)
        try:
            return getattr(self._paced_client, method.replace(".", "_"))(**kwargs)
        except SlackApiError as err:
            failure = chat_error(error_code(err), DIGEST_KINDS)
            failure.retry_after = retry_after(err)
            raise failure from None
        except WorkflowError:       # a redaction-guarded client stopped the message
            raise chat_error("redaction_blocked") from None
        except (URLError, OSError, TimeoutError):
            raise chat_error("connection_failed") from None
        finally:
            self.pacer.done(method, pace_key)


def slack_port(client, redactions=None, pacer: Pacer | None = None):
    """The port over a WebClient; with `redactions`, wrapped in the redaction check."""
    port = SlackPort(SlackChat(client), pacer)
    return RedactionChecked(port, redactions) if redactions is not None else port
