"""What the workflow needs from a chat platform: one port for spaces, people, posts, DMs, files and
the reminder sweep's deliveries. Each platform's adapter (under handlers/) implements it.

A platform declares what it can do (`capabilities`); where one is missing the workflow degrades
through the helpers below instead of asking: no pin, the summary card is updated in place where it
was posted; no archive, a concluded review's space is renamed and everyone but its coordinator
removed (bot/workflow/report/conclusion.py); no private reply inside a space, a DM; no history, a
tagged post cannot be found again (the caller posts anew).
Failures are ChatError (bot/workflow/core/ports.py) with a `kind` the workflow understands.
"""
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from bot.workflow.core.refs import MessageRef, PersonRef, SpaceRef

CLOSED_SUFFIX = "-closed"


class Capability(StrEnum):
    PIN = "pin"
    ARCHIVE = "archive"
    RENAME = "rename"
    EPHEMERAL = "ephemeral"      # a message in a space that only one person sees
    HISTORY = "history"          # reading back the bot's own posts (find_post, find_dm, find_digest)


class ChatPort(Protocol):
    capabilities: frozenset[Capability]
    platform: str                # whose ids its refs hold, as stored beside them
    # optional `closed_suffix: str`: what a concluded review's space name gains (closed_suffix() below)

    # spaces and membership
    def create_private_space(self, name: str, members: Sequence[PersonRef] = ()) -> SpaceRef:
        """`members` are the first people in it where a platform makes a space with its people (Teams);
        elsewhere they are invited next, as anyone else is."""

    def find_private_space(self, name: str) -> SpaceRef | None:
        """A live private space of that name which this bot created and is in."""

    def invite(self, space: SpaceRef, people: Sequence[PersonRef]) -> None:
        """Already-present members are not an error."""

    def remove(self, space: SpaceRef, person: PersonRef) -> None:
        """Not being there is not an error."""

    def rename(self, space: SpaceRef, name: str) -> str:
        """RENAME. Returns the new name; raises SpaceNameTaken when another space has it."""

    def archive(self, space: SpaceRef) -> None:
        """ARCHIVE. Already archived is not an error."""

    # messages
    def post(self, space: SpaceRef, notice: Any, *, tag: str | None = None) -> MessageRef:
        """A `tag` is carried invisibly, for find_post."""

    def update(self, space: SpaceRef, message: MessageRef, notice: Any) -> None: ...

    def pin(self, space: SpaceRef, message: MessageRef) -> None:
        """PIN. Already pinned is not an error."""

    def dm(self, person: PersonRef, notice: Any, *, tag: str | None = None) -> None: ...

    def ephemeral(self, space: SpaceRef, person: PersonRef, notice: Any) -> None:
        """EPHEMERAL: in the space, seen only by the person."""

    def upload(self, space: SpaceRef, filename: str, content: bytes, title: str) -> None: ...

    def find_post(self, space: SpaceRef, tag: str) -> MessageRef | None:
        """HISTORY: this bot's message in the space carrying `tag`."""

    def find_dm(self, person: PersonRef, tag: str) -> bool:
        """HISTORY: whether this bot's DM to the person carrying `tag` is there."""

    # the reminder sweep (paced by the platform's limits; errors carry `retry_after` when known)
    def open_dm(self, person: PersonRef) -> SpaceRef:
        """The DM conversation with a person; fails for deactivated or unknown people."""

    def send_digest(self, space: SpaceRef, notice: Any, *, digest_id: str) -> MessageRef:
        """Posts the notice carrying the digest id invisibly."""

    def find_digest(self, space: SpaceRef, digest_id: str, since: datetime) -> MessageRef | None:
        """HISTORY: a message posted since `since` carrying this digest id."""


def can(chat: ChatPort, capability: Capability) -> bool:
    return capability in getattr(chat, "capabilities", frozenset())


def closed_suffix(chat: ChatPort) -> str:
    """What a concluded review's space name gains: "-closed" where names are slugs, the platform's own
    where it declares one (a chat topic of free text may read "dhr-2026-03 (closed)")."""
    return getattr(chat, "closed_suffix", CLOSED_SUFFIX)


def show_card(chat: ChatPort, space: SpaceRef, card: Any, shown: MessageRef | None, *,
              tag: str | None = None) -> MessageRef:
    """The summary card: updated where it is, or posted (and pinned where pins exist)."""
    if shown is not None:
        chat.update(space, shown, card)
        return shown
    ref = chat.post(space, card, tag=tag)
    if can(chat, Capability.PIN):
        chat.pin(space, ref)
    return ref


def find_tagged(chat: ChatPort, space: SpaceRef, tag: str) -> MessageRef | None:
    """None where the platform cannot read its history back: the caller posts again."""
    return chat.find_post(space, tag) if can(chat, Capability.HISTORY) else None


def tell_privately(chat: ChatPort, space: SpaceRef | None, person: PersonRef, notice: Any) -> None:
    """In the space for that person alone where the platform can, else as a DM."""
    if space is not None and can(chat, Capability.EPHEMERAL):
        chat.ephemeral(space, person, notice)
    else:
        chat.dm(person, notice)
