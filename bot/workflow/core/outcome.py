"""What a use case decided should happen, for `deliver` (and the handler) to carry out.

A body is neutral: a Text, or one of the typed notices in bot/workflow/core/notices.py (the summary
card, a DM with buttons) that each platform renders. Outcomes add up: `post(...) + dm(...)`.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from bot.workflow.core.errors import ValidationFailed, WorkflowError
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Text, text

Body = Any      # Text or a notice dataclass


@dataclass(frozen=True)
class Post:
    """A notice in a review's space."""

    space: SpaceRef
    body: Body
    tag: str | None = None


@dataclass(frozen=True)
class DirectMessage:
    person: PersonRef
    body: Body
    tag: str | None = None


@dataclass(frozen=True)
class FileUpload:
    space: SpaceRef
    filename: str
    content: bytes = field(repr=False)
    title: str


@dataclass(frozen=True)
class Reply:
    """Only the actor sees it. `replace_source`: it takes the place of the message whose button
    they pressed, where the platform can do that."""

    body: Body
    replace_source: bool = False


_NO_ERRORS: Mapping[str, str | Text] = MappingProxyType({})


@dataclass(frozen=True)
class Outcome:
    posts: tuple[Post, ...] = ()
    files: tuple[FileUpload, ...] = ()
    dms: tuple[DirectMessage, ...] = ()
    refresh: tuple[int, ...] = ()         # review ids whose summary card is redrawn
    reply: Reply | None = None
    field_errors: Mapping[str, str | Text] = field(default_factory=lambda: _NO_ERRORS)   # by form field key
    form_message: Text | None = None              # a refusal that belongs to no one field

    @property
    def refused(self) -> bool:
        return bool(self.field_errors) or self.form_message is not None

    def __add__(self, other: "Outcome") -> "Outcome":
        if self.reply and other.reply:
            raise ValueError("an outcome has one reply to the actor")
        return Outcome(self.posts + other.posts, self.files + other.files, self.dms + other.dms,
                       self.refresh + tuple(r for r in other.refresh if r not in self.refresh),
                       self.reply or other.reply,
                       MappingProxyType({**self.field_errors, **other.field_errors}),
                       self.form_message if self.form_message is not None else other.form_message)


NOTHING = Outcome()


def post(space: SpaceRef | None, body: Body, *, tag: str | None = None) -> Outcome:
    """A review without a space yet (set-up unfinished) gets no post: nothing to deliver it to."""
    return Outcome(posts=(Post(space, _body(body), tag),)) if space is not None else NOTHING


def dm(person: PersonRef, body: Body, *, tag: str | None = None) -> Outcome:
    return Outcome(dms=(DirectMessage(person, _body(body), tag),))


def upload(space: SpaceRef, filename: str, content: bytes, title: str) -> Outcome:
    return Outcome(files=(FileUpload(space, filename, content, title),))


def refresh(review_id: int) -> Outcome:
    return Outcome(refresh=(review_id,))


def reply(body: Body, *, replace_source: bool = False) -> Outcome:
    return Outcome(reply=Reply(_body(body), replace_source))


def refusal(field_errors: Mapping[str, str | Text] | None = None, message: "str | Text | None" = None) -> Outcome:
    """Nothing was stored: errors beside the named fields, and/or a message for the whole form."""
    return Outcome(field_errors=MappingProxyType(dict(field_errors or {})),
                   form_message=None if message is None else text(message))


def refused(err: WorkflowError) -> Outcome:
    """The outcome of a use case that raised: its field errors (if a ValidationFailed), and its message."""
    fields = err.field_errors if isinstance(err, ValidationFailed) else {}
    return refusal(fields, err.rich if err.rich is not None else err.message)


def _body(body: Body) -> Body:
    return text(body) if isinstance(body, str) else body
