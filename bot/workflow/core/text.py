"""Neutral message text: plain words with a few kinds of inline markup, rendered per platform.

No platform syntax lives here: a mention is a person reference, a command hint names the command
("panel"), and each platform writes them its own way (a mention in its own markup or entity; the
command as a slash command or as words typed to the bot).
"""
from collections.abc import Iterable
from dataclasses import dataclass

from bot.workflow.core.refs import PersonRef, SpaceRef


@dataclass(frozen=True)
class Plain:
    text: str


@dataclass(frozen=True)
class Bold:
    text: "str | Text"


@dataclass(frozen=True)
class Italic:
    """Its words may hold other inline pieces (a link in an italic note)."""

    text: "str | Text"


@dataclass(frozen=True)
class Mention:
    person: PersonRef


@dataclass(frozen=True)
class SpaceLink:
    """A link to a space the reader can open."""

    space: SpaceRef


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class Command:
    """A hint to run one of the bot's commands: `name` is the sub-command ("panel", "" for the bare
    command). `quoted` sets it apart from the words around it (as code, say)."""

    name: str
    quoted: bool = True


@dataclass(frozen=True)
class Icon:
    """A small pictogram, by its common short name ("warning", "white_check_mark")."""

    name: str


@dataclass(frozen=True)
class SpaceWord:
    """The platform's own word for a review's space (each platform has its own), in the words around it."""


@dataclass(frozen=True)
class Refusal:
    """Why the chat platform refused or failed, in that platform's own words and advice: `kind` is
    one of core/ports' kinds, `code` the platform's own code; `setup` while setting a review's space
    up (the advice then ends with pressing Try again)."""

    kind: str
    code: str = ""
    setup: bool = False


Inline = Plain | Bold | Italic | Mention | SpaceLink | Link | Command | Icon | SpaceWord | Refusal
Piece = "Text | Inline | str"


@dataclass(frozen=True)
class Text:
    parts: tuple[Inline, ...] = ()

    def __add__(self, other: "str | Inline | Text") -> "Text":
        return Text(self.parts + text(other).parts)

    def __radd__(self, other: "str | Inline | Text") -> "Text":
        return Text(text(other).parts + self.parts)

    def __bool__(self) -> bool:
        return any(not isinstance(p, Plain) or p.text for p in self.parts)

    def words(self) -> str:
        """What it says without markup, mentions as "@id": for tests and fallbacks, never for logs."""
        return "".join(_words(p) for p in self.parts)


def text(*pieces: "str | Inline | Text") -> Text:
    """Text from strings (plain), inline pieces and other Text, in order."""
    parts: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, Text):
            parts.extend(piece.parts)
        elif isinstance(piece, str):
            if piece:
                parts.append(Plain(piece))
        elif isinstance(piece, Inline):
            parts.append(piece)
        else:
            raise TypeError(f"not text: {type(piece).__name__}")
    return Text(tuple(parts))


def join(separator: str, texts: "Iterable[str | Inline | Text]") -> Text:
    out: "list[str | Inline | Text]" = []
    for i, t in enumerate(texts):
        out += [separator, t] if i else [t]
    return text(*out)


def words(value: "str | Text") -> str:
    """A string, or a Text's words."""
    return value if isinstance(value, str) else value.words()


def _words(part: Inline) -> str:
    if isinstance(part, Plain):
        return part.text
    if isinstance(part, (Bold, Italic)):
        return words(part.text)
    if isinstance(part, Mention):
        return f"@{part.person.id}"
    if isinstance(part, SpaceLink):
        return f"#{part.space.name or part.space.id}"
    if isinstance(part, Link):
        return part.label
    if isinstance(part, Command):
        return part.name
    if isinstance(part, SpaceWord):
        return "space"
    if isinstance(part, Refusal):
        return f"refused ({part.kind or part.code})"
    return ""
