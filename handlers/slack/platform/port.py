"""The workflow's chat port (bot/workflow/core/chat_port.py) on Slack: references in, Slack ids out.

Spaces, posts, DMs and files go through SlackChat (its error mapping, joining a public channel on
not_in_channel); the reminder deliveries through SlackReminderChat (paced by Slack's tiers) when
the sweep hands one in. Slack can do everything the port declares.
"""
from bot.workflow.core.chat_port import Capability
from bot.workflow.core.refs import MessageRef, PersonRef, SpaceRef
from handlers.slack.platform.chat import SlackChat
from messages.render import render_notice


class SlackPort:
    capabilities = frozenset(Capability)

    def __init__(self, chat: SlackChat, reminders=None):
        self.chat, self.reminders = chat, reminders

    def create_private_space(self, name: str) -> SpaceRef:
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

    def open_dm(self, person: PersonRef) -> SpaceRef:
        return SpaceRef(self.reminders.open_dm(person.id))

    def send_digest(self, space: SpaceRef, notice, *, digest_id: str) -> MessageRef:
        return MessageRef(self.reminders.send(space.id, notice, digest_id=digest_id))

    def find_digest(self, space: SpaceRef, digest_id: str, since) -> MessageRef | None:
        found = self.reminders.find_digest(space.id, digest_id, since)
        return MessageRef(found) if found else None


def slack_port(client) -> SlackPort:
    """The port over a listener's (already redaction-guarded) WebClient."""
    return SlackPort(SlackChat(client))
