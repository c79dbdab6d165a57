"""Neutral text (bot.workflow.core.text) as the markdown subset a Teams TextBlock renders.

Teams shows **bold**, _italic_, [label](url), lists and `<at>Name</at>` mentions (backed by a
mention entity). What people typed arrives as Plain text and is backslash-escaped, so a pseudonym
like "*Jo* [x](y)" cannot become bold text or a link, and a line typed as "1. ..." or "- ..."
stays a line of words rather than a list.
"""
import re
from collections.abc import Iterable, Mapping

from bot.workflow.core.text import (
    Bold,
    Command,
    Icon,
    Italic,
    Link,
    Mention,
    Plain,
    Refusal,
    SpaceLink,
    SpaceWord,
    Text,
    text,
)
from messages.teams import words

UNNAMED = "a panel member"          # a mention whose display name we don't know
SPACE = "the review chat"           # a space link whose name we don't know
SPACE_WORD = "chat"

ICONS = {
    "warning": "⚠️", "white_check_mark": "✅", "heavy_check_mark": "✔️", "x": "❌",
    "hourglass_flowing_sand": "⏳", "hourglass": "⌛", "alarm_clock": "⏰", "calendar": "📆",
    "information_source": "ℹ️", "double_vertical_bar": "⏸️", "arrow_forward": "▶️",
    "leftwards_arrow_with_hook": "↩️", "heavy_minus_sign": "➖", "white_small_square": "▫️",
    "large_green_circle": "🟢", "large_yellow_circle": "🟡", "large_orange_circle": "🟠",
    "red_circle": "🔴", "white_circle": "⚪", "checkered_flag": "🏁", "inbox_tray": "📥", "lock": "🔒",
    "page_facing_up": "📄", "wastebasket": "🗑️", "memo": "📝", "bell": "🔔", "pushpin": "📌",
}

_SIGNIFICANT = re.compile(r"([\\`*_\[\]()<>~])")
_MARKER = re.compile(r"^([ \t]*)([-+=#]|\d+(?=[.)][ \t]|[.)]$))")    # a list, heading or rule opens here
_INDENT = re.compile(r"^[ \t]+")


def escape(value: str, *, line_start: bool = True) -> str:
    """Typed words as literal markdown. `line_start`: the value begins a line (where a leading "# ",
    "- " or "1. " would become structure)."""
    lines = []
    for i, line in enumerate(value.split("\n")):
        line = _SIGNIFICANT.sub(r"\\\1", line)
        if i or line_start:
            line = _MARKER.sub(_literal_marker, line)
            # Leading spaces would open a code block; no-break spaces keep the indent as words.
            line = _INDENT.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), line)
        lines.append(line)
    return "\n".join(lines)


def _literal_marker(m: re.Match) -> str:
    indent, marker = m.group(1), m.group(2)
    if marker.isdigit():        # "1. " -> "1\. ": the dot is what makes the list
        return indent + marker + "\\"
    return indent + "\\" + marker


def markdown(value, names: Mapping[str, str] | None = None) -> str:
    """Text as TextBlock markdown. `names`: person id -> display name, for mentions."""
    out = ""
    for part in text(value).parts:
        out += _inline(part, names or {}, at_line_start=not out or out.endswith("\n"))
    # A TextBlock runs single newlines together outside lists: a blank line breaks the line.
    return re.sub(r"\n+", "\n\n", out)


def plain(value, names: Mapping[str, str] | None = None) -> str:
    """Text as words with no markup at all (a dialog's closing message, a notification preview)."""
    return "".join(_plain(p, names or {}) for p in text(value).parts)


def display_name(person_id: str, names: Mapping[str, str]) -> str:
    """The name in a mention: no angle brackets, so it cannot close the <at> tag early."""
    name = names.get(person_id) or UNNAMED
    return re.sub(r"[<>]", "", name).strip() or UNNAMED


def at(person_id: str, names: Mapping[str, str]) -> str:
    return f"<at>{display_name(person_id, names)}</at>"


def mentions(*values, names: Mapping[str, str] | None = None) -> list[dict]:
    """The msteams mention entities for every Mention in these Texts, once per person."""
    found: dict[str, dict] = {}
    for value in values:
        for person_id in mentioned(value):
            name = display_name(person_id, names or {})
            found.setdefault(person_id, {"type": "mention", "text": f"<at>{name}</at>",
                                         "mentioned": {"id": person_id, "name": name}})
    return list(found.values())


def mentioned(value) -> Iterable[str]:
    """The ids of the people a Text mentions, in order (nested bold and italic included)."""
    for part in text(value).parts:
        if isinstance(part, Mention):
            yield part.person.id
        elif isinstance(part, (Bold, Italic)) and isinstance(part.text, Text):
            yield from mentioned(part.text)


def _inline(part, names: Mapping[str, str], at_line_start: bool) -> str:
    if isinstance(part, Plain):
        return escape(part.text, line_start=at_line_start)
    if isinstance(part, (Bold, Italic)):
        inner = markdown(part.text, names) if isinstance(part.text, Text) else escape(part.text, line_start=False)
        mark, core = "**" if isinstance(part, Bold) else "_", inner.strip()
        if not core:
            return inner
        # Marks hug the words (markdown ignores "** x **"); the spaces around them stay outside.
        return inner[:inner.index(core)] + mark + core + mark + inner[inner.index(core) + len(core):]
    if isinstance(part, Mention):
        return at(part.person.id, names)
    if isinstance(part, SpaceLink):
        return escape(part.space.name, line_start=False) if part.space.name else SPACE
    if isinstance(part, Link):
        return f"[{escape(part.label, line_start=False)}]({_url(part.url)})"
    if isinstance(part, Command):
        words = escape(part.name or "help", line_start=False)
        return f"**{words}**" if part.quoted else words
    if isinstance(part, Icon):
        return ICONS.get(part.name, "")
    if isinstance(part, SpaceWord):
        return SPACE_WORD
    if isinstance(part, Refusal):
        return escape(words.refusal(part.kind, part.code, part.setup), line_start=at_line_start)
    raise TypeError(type(part).__name__)


def _url(url: str) -> str:
    """A link target that cannot end the link early or break out of it."""
    return re.sub(r"[\s()<>\[\]]", lambda m: f"%{ord(m.group(0)):02X}", url)


def _plain(part, names: Mapping[str, str]) -> str:
    if isinstance(part, Plain):
        return part.text
    if isinstance(part, (Bold, Italic)):
        return plain(part.text, names)
    if isinstance(part, Mention):
        return display_name(part.person.id, names)
    if isinstance(part, SpaceLink):
        return part.space.name or SPACE
    if isinstance(part, Link):
        return part.label
    if isinstance(part, Command):
        return part.name or "help"
    if isinstance(part, Icon):
        return ICONS.get(part.name, "")
    if isinstance(part, SpaceWord):
        return SPACE_WORD
    if isinstance(part, Refusal):
        return words.refusal(part.kind, part.code, part.setup)
    raise TypeError(type(part).__name__)
