"""One definition of each message, form and Home view, as a neutral tree.

messages/<capability>/ builds these; messages/slack/ renders them as Block Kit (and messages/teams/
as Adaptive Cards). Text is bot.workflow.core.text (bold, mentions, links, command hints); form
fields are bot.workflow.core.form_spec.Field, so a field's key is the one its validator reads.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from bot.workflow.core.form_spec import Field
from bot.workflow.core.text import Text, text
from messages.slack.ids import CallbackId

TITLE_MAX = 24          # a form's title, on every platform we serve (Slack's limit is the tightest)
ACTION_LABEL_MAX = 24   # submit and close labels


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `button`, when given, sits beside it (an item in a list with its own action)."""

    text: Text
    id: str | None = None
    button: "Button | None" = None

    def __post_init__(self):
        object.__setattr__(self, "text", text(self.text))


@dataclass(frozen=True)
class Quote:
    """Words someone else wrote (a reviewer's comments), set apart from the bot's own."""

    text: Text

    def __post_init__(self):
        object.__setattr__(self, "text", text(self.text))


@dataclass(frozen=True)
class Facts:
    """Label and value pairs, shown side by side where the platform can."""

    pairs: tuple[tuple[str, Text], ...]

    def __post_init__(self):
        object.__setattr__(self, "pairs", tuple((label, text(value)) for label, value in self.pairs))


@dataclass(frozen=True)
class Context:
    """A small line of secondary text."""

    text: Text

    def __post_init__(self):
        object.__setattr__(self, "text", text(self.text))


@dataclass(frozen=True)
class Divider:
    pass


@dataclass(frozen=True)
class Confirm:
    """A question asked before a button acts (a deletion that cannot be undone)."""

    title: str
    text: Text
    yes: str
    no: str

    def __post_init__(self):
        object.__setattr__(self, "text", text(self.text))


@dataclass(frozen=True)
class Button:
    label: str
    action: str                 # the action id the handler listens for
    value: str = ""
    style: str | None = None    # primary | danger
    confirm: Confirm | None = None


@dataclass(frozen=True)
class Select:
    """A menu in a message that acts as soon as an option is chosen."""

    action: str
    options: tuple[tuple[str, str], ...]
    placeholder: str = "Choose…"
    initial: str | None = None


@dataclass(frozen=True)
class Actions:
    items: tuple[Button | Select, ...]
    id: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class Section:
    """Blocks that belong together under an optional title."""

    blocks: tuple["Block", ...]
    title: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "blocks", tuple(self.blocks))


Block = Header | Paragraph | Quote | Facts | Context | Divider | Actions | Section


@dataclass(frozen=True)
class Message:
    blocks: tuple[Block, ...]
    fallback: Text              # the one line a notification or preview shows

    def __post_init__(self):
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(self, "fallback", text(self.fallback))


@dataclass(frozen=True)
class Form:
    """A modal (Slack) or dialog (Teams). `blocks` mixes fields and text; `metadata` comes back with
    the submission (review or action id: never case content)."""

    callback: str
    title: str
    blocks: tuple[Block | Field, ...]
    submit: str | None = None
    close: str = "Cancel"
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        if not 0 < len(self.title) <= TITLE_MAX:
            raise ValueError(f"a form title must be 1 to {TITLE_MAX} characters; write a shorter one: {self.title!r}")
        for label in (self.submit, self.close):
            if label is not None and not 0 < len(label) <= ACTION_LABEL_MAX:
                raise ValueError(f"a form button label must be 1 to {ACTION_LABEL_MAX} characters: {label!r}")
        object.__setattr__(self, "blocks", tuple(self.blocks))
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)) or not all(keys):
            raise ValueError(f"form {self.callback}: every field needs its own key: {keys}")
        if keys and self.submit is None:
            raise ValueError(f"form {self.callback} asks for input, so it needs a submit label")

    @property
    def fields(self) -> list[Field]:
        return [b for b in self.blocks if isinstance(b, Field)]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)


@dataclass(frozen=True)
class HomeView:
    blocks: tuple[Block, ...]

    def __post_init__(self):
        object.__setattr__(self, "blocks", tuple(self.blocks))


def notice(title: str, message, callback: str = CallbackId.NOTICE) -> Form:
    """A form that only says something (why another could not open, what happened), with Close."""
    return Form(callback, title, (Paragraph(text(message)),), close="Close")
