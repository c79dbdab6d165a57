"""What a person does and sees in a chat platform, in the platform's own terms nowhere.

The end-to-end journeys are written against `Driver`; each platform has one implementation that
speaks its wire (signed HTTP requests to the real bot server) and reads its faithful fake. People
and spaces are opaque handles: journeys name people by role and spaces by the review they belong to,
and never look inside the platform id a handle carries."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

# People in the journeys, by role. Each driver maps them to accounts on its platform.
COORDINATOR, CHAIR, POLICE, OUTSIDER = "coordinator", "chair", "police.lead", "outsider"
HEALTH, AUTHOR, OBSERVER = "health.lead", "imr.author", "observer"
PEOPLE = (COORDINATOR, CHAIR, POLICE, OUTSIDER, HEALTH, AUTHOR, OBSERVER)
ADMINS = (COORDINATOR, CHAIR, OUTSIDER)  # CSP admins may open reviews; OUTSIDER is on none of the panels


class Person(str):
    """A person: the platform's user id as an opaque string, with the journey's name for them."""
    name: str

    def __new__(cls, platform_id: str, name: str = "") -> "Person":
        made = super().__new__(cls, platform_id)
        made.name = name or platform_id
        return made


class Space(str):
    """A conversation (a review's space, a general space, a DM): the platform's id as an opaque string."""
    name: str

    def __new__(cls, platform_id: str, name: str = "") -> "Space":
        made = super().__new__(cls, platform_id)
        made.name = name
        return made


Who = Person | str


class NotShown(Exception):
    """The person could not do that: the button, form, space or file is not in front of them."""


class InputRefused(Exception):
    """The person's own client refused the input before sending it (a required field left empty,
    a value too long for the field); `field` names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass
class Button:
    action: str      # the button's stable action id
    label: str
    value: str | None = None
    where: str | None = None     # the platform's id of the part of the message holding it


@dataclass
class Section:
    """One part of a message (a block, a card container): its words and its buttons."""
    text: str
    buttons: list[Button]


@dataclass
class Seen:
    """One message as a person sees it: all its words (`text`), the line a notification shows
    (`preview`), its buttons, where it is."""
    text: str
    buttons: list[Button]
    space: Space
    ref: str                      # opaque id of the message within its space
    author_is_bot: bool = False
    raw: Any = None               # the platform's own message, for platform-only assertions
    preview: str = ""
    sections: list[Section] = field(default_factory=list)
    author: str = ""              # the platform id of who posted it
    files: list[str] = field(default_factory=list)     # names of the files it carries

    def __getattr__(self, name: str) -> Any:      # the platform's message fields, for platform-only tests
        if name == "raw":
            raise AttributeError(name)
        return getattr(self.raw, name)

    def button(self, label_or_action: str, value: str | None = None) -> Button:
        for b in self.buttons:
            if label_or_action in (b.action, b.label) and value in (None, b.value):
                return b
        raise NotShown(f"no button {label_or_action!r} in {[b.label for b in self.buttons]}")

    def has_button(self, label_or_action: str) -> bool:
        return any(label_or_action in (b.action, b.label) for b in self.buttons)

    def values(self, action: str) -> list[str | None]:
        return [b.value for b in self.buttons if b.action == action]


@dataclass
class SharedFile:
    """A file the bot shared, and the spaces (or DMs) it is in."""
    name: str
    content: bytes | None
    spaces: list[str] = field(default_factory=list)


@dataclass
class Field:
    key: str
    label: str
    required: bool
    kind: str                                    # text, date, choice, multi_choice, person, file, ...
    options: list[tuple[str, str]] = field(default_factory=list)   # (label, value)
    initial: Any = None
    hint: str = ""


@dataclass
class Submitted:
    """What happened when a form was submitted: it closed, answered field errors, showed a message
    in its place (kind "notice", with `text`), stacked another form on it, closed every form, or
    failed (the person sees the platform's own "something went wrong" and the form stays as it was)."""
    kind: str                                    # closed | errors | notice | stacked | cleared | failed
    errors: dict[str, str] = field(default_factory=dict)
    text: str = ""
    raw: Any = None                              # the platform's own answer
    answer: str = ""                             # the bot's whole answer as the platform got it

    def __getattr__(self, name: str) -> Any:      # the platform's HTTP answer, for platform-only tests
        if name == "raw":
            raise AttributeError(name)
        return getattr(self.raw, name)

    def pair(self) -> tuple[str, object]:
        """("closed", None), ("errors", {...}), ("notice", text) or (kind, None), for compact assertions."""
        return self.kind, {"errors": self.errors, "notice": self.text, "stacked": self.text}.get(self.kind)


class Form(Protocol):
    """A form (modal, dialog) open in front of one person. It reads live: a press or a submission
    may change it in place (a refusal on top, another form swapped in)."""

    @property
    def key(self) -> str: ...                    # what the form is for now (stable id of the form)
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def fields(self) -> list[Field]: ...
    @property
    def buttons(self) -> list[Button]: ...
    @property
    def closed(self) -> bool: ...
    @property
    def errors(self) -> dict[str, str]: ...
    @property
    def can_submit(self) -> bool: ...

    def field(self, key: str) -> Field: ...
    def has_field(self, key: str) -> bool: ...
    def initial(self, key: str) -> Any: ...
    def value(self, key: str) -> Any: ...           # what is in the field now
    @property
    def intro(self) -> str: ...                     # the first line, above the fields
    def option(self, key: str, label: str, *, starts: bool = False) -> str: ...
    def fill(self, values: dict[str, Any]) -> None: ...
    def submit(self, values: dict[str, Any] | None = None) -> Submitted: ...
    def forge(self, values: dict[str, Any] | None = None, metadata: str | None = None) -> Submitted:
        """A tampered client: submits what the form itself would have refused (a missing required
        field, an over-long answer) and/or a forged hidden state."""
    def press(self, label_or_action: str, *, forged_value: Any = None) -> Any: ...
    def cancel(self) -> None: ...
    @property
    def metadata(self) -> dict: ...
    @property
    def all_text(self) -> str: ...          # the words shown and every value already in its fields


class Driver(Protocol):
    platform: str
    space_word: str                               # what the bot calls a review's space ("channel", "chat")
    closed_suffix: str                            # what a concluded review's space name gains ("-closed")
    files_in_spaces: bool                   # files go both ways in a review's space (else only in DMs)

    @property
    def db(self) -> Any: ...                      # the bot's database, for arranging and checking stored facts

    # people and places
    def person(self, who: Who) -> Person: ...
    def add_person(self, name: str) -> Person: ...
    def add_space(self, name: str, members: list[Who], *, private: bool = False) -> Space: ...
    def add_to_space(self, who: Who, space: Space) -> None: ...
    def dm(self, who: Who) -> Space: ...
    def mention(self, who: Who) -> str: ...
    def link(self, space: Space) -> str: ...
    def hint(self, words: str) -> str: ...        # how the bot writes "type this command"

    # doing
    def command(self, who: Who, text: str = "", *, space: Space | None = None) -> Any: ...
    # (its answer has .status and .text: the platform's HTTP status and the bot's immediate reply, if any)
    def form(self, who: Who, key: str | None = None, timeout: float = 10.0) -> Form: ...
    def form_after(self, who: Who, action: Callable[[], Any], key: str | None = None,
                   differs: str | None = None) -> Form: ...   # the form shown once `action` has run
    def open_form(self, who: Who, text: str, *, space: Space | None = None) -> Form: ...
    def press(self, who: Who, message: Seen, label_or_action: str, *, value: str | None = None,
              near: str | None = None, forged_value: Any = None) -> Any: ...
    def press_unshown(self, who: Who, action: str, value: str, *, space: Space | None = None) -> Any: ...
    def share_file(self, who: Who, filename: str, content: bytes | None, *, space: Space | None = None,
                   title: str | None = None) -> str: ...
    def say(self, who: Who, text: str, *, space: Space | None = None) -> Any: ...

    # time passing
    def start_sweep(self, when: Any) -> Any: ...   # a reminder sweep process, as if it were `when`
    def sweep_env(self) -> dict: ...               # the environment such a process needs
    def log_text(self) -> str: ...

    # the wire, for proofs that something never reached the platform
    def traffic_count(self) -> int: ...
    def traffic(self, since: int = 0) -> str: ...  # every exchange with the platform since the since-th

    # seeing
    def messages(self, space: Space, include_system: bool = False) -> list[Seen]: ...
    def files(self, space: Space) -> list[SharedFile]: ...
    def shared_files(self) -> list[SharedFile]: ...     # every file the bot shared, oldest first
    def reads(self) -> list[str]: ...                  # ids of the people's files the bot downloaded
    def reread(self, message: Seen) -> Seen: ...
    def dms(self, who: Who) -> list[Seen]: ...
    def replies(self, who: Who) -> list[Seen]: ...              # private answers to their commands and presses
    def ephemerals(self, who: Who, space: Space) -> list[Seen]: ...   # shown only to them in a space
    def card(self, space: Space) -> Seen: ...                   # the review's summary card
    def home(self, who: Who) -> Seen: ...                       # they open their home view and read it
    def home_now(self, who: Who) -> Seen: ...                   # the home view as last published
    def home_after(self, who: Who, action: Callable[[], Any]) -> Seen: ...   # once `action` republished it
    def members(self, space: Space) -> set[str]: ...
    def archived(self, space: Space) -> bool: ...   # closed to all but whom the platform keeps there
    def space_name(self, space: Space) -> str: ...
    def private(self, space: Space) -> bool: ...
    def space_count(self) -> int: ...
    def space_of(self, reference: str) -> Space: ...
