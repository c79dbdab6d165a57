"""Characters that let text read differently from what it holds: invisible, bidi, control, look-alike.

The redaction check compares what a reader would see, so a registered name cannot be slipped past
it with a zero-width space, a soft hyphen, Cyrillic letters that look Latin, or a right-to-left
override; the field validators refuse control characters a database cannot store.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

# Explicit direction controls: embeddings, overrides, isolates, and the invisible direction marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))
_RLO, _PDF, _PDI = "\u202e", "\u202c", "\u2069"
_EMBEDS, _ISOLATES = frozenset("\u202a\u202b\u202d\u202e"), frozenset("\u2066\u2067\u2068")

# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties) that are not format
# characters (Cf, dropped by category), plus the braille blank: all render as nothing.
_INVISIBLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
                     (0x2800, 0x2800), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0),
                     (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))

# Control characters (Cc: U+0000-001F, U+007F-009F); a multi-line field may hold new lines and tabs.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Small capitals read as their letter ("ʀᴏsᴀ" is "rosa") but the confusables data pairs few of them.
_SMALL_CAPITAL = re.compile(r"(?:LATIN|MODIFIER) LETTER SMALL CAPITAL ([A-Z])")


def strip_bidi(text: str) -> str:
    return text.translate(_BIDI_TABLE)


def has_bidi(text: str) -> bool:
    return not text.isascii() and any(ch in BIDI_CONTROLS for ch in text)


def control_character(text: str, multiline: bool = False) -> bool:
    """True if the text holds a control character (NUL, escape, ...) the field may not hold."""
    return (_CONTROL_BUT_LINES if multiline else _CONTROL).search(text) is not None


def _invisible(ch: str) -> bool:
    if unicodedata.category(ch) == "Cf":  # soft hyphen, zero-width space/joiners, bidi controls, tags
        return True
    point = ord(ch)
    return any(low <= point <= high for low, high in _INVISIBLE_RANGES)


def invisible_only(text: str) -> bool:
    """True if nothing of the text would show: only spaces and invisible characters (a zero-width space)."""
    return all(ch.isspace() or _invisible(ch) for ch in text)


def visual_order(text: str) -> str:
    """The characters in the order a reader sees them where explicit overrides reverse them.

    Only the overrides (RLO, LRO) reorder Latin letters; embeddings and isolates are tracked so
    that their closing marks end the right span. A new line ends every span, as in a paragraph.
    """
    stack: list[tuple[str, list[str]]] = [("", [])]

    def close() -> None:
        kind, chars = stack.pop()
        stack[-1][1].extend(reversed(chars) if kind == _RLO else chars)

    for ch in text:
        if ch in _EMBEDS or ch in _ISOLATES:
            stack.append((ch, []))
        elif ch in (_PDF, _PDI) and len(stack) > 1:
            close()
        elif ch == "\n":
            while len(stack) > 1:
                close()
            stack[0][1].append(ch)
        else:
            stack[-1][1].append(ch)
    while len(stack) > 1:
        close()
    return "".join(stack[0][1])


class _ReaderTable(dict[int, str | None]):
    """A str.translate table filled as characters are met (enumerating Unicode would cost a second
    at start): invisible characters and combining accents go; with folds, a look-alike becomes the
    ASCII letter it passes for and a non-ASCII decimal digit its value ("٣" -> "3")."""

    def __init__(self, folds: dict[int, str], digits: bool) -> None:
        super().__init__(folds)
        self.digits = digits

    def __missing__(self, point: int) -> str | None:
        ch = chr(point)
        if unicodedata.combining(ch) or _invisible(ch):
            self[point] = None
        else:
            value = unicodedata.decimal(ch, None) if point > 0x7F and self.digits else None
            capital = _SMALL_CAPITAL.fullmatch(unicodedata.name(ch, "")) if self.digits else None
            self[point] = capital.group(1).lower() if capital else ch if value is None else str(value)
        return self[point]


@lru_cache(maxsize=1)
def _folding() -> _ReaderTable:
    """Non-ASCII character -> the ASCII letter or digit it passes for, from Unicode's confusables
    data (UTS #39) as shipped by confusable_homoglyphs. Plain ASCII is never folded: "l" and "1"
    stay apart, so a registered "Ali" does not block "all"."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    table: dict[int, str] = {}
    for ch, glyphs in data.items():
        if len(ch) != 1 or ch.isascii() or unicodedata.combining(ch) or _invisible(ch):
            continue
        # The data pairs each character with its prototype; the prototype's own look-alikes
        # complete the class (Cyrillic "І" -> prototype "l" -> "I", "1").
        linked = [g["c"] for g in glyphs]
        linked += [h["c"] for g in linked for h in data.get(g, ())]
        latin = _best_latin(ch, {strip_bidi(c) for c in linked})
        if latin:
            table[ord(ch)] = latin
    return _ReaderTable(table, digits=True)


_DROPPING = _ReaderTable({}, digits=False)  # the old normalisation: drops, never folds


def _best_latin(ch: str, candidates: set[str]) -> str | None:
    latin = sorted(c for c in candidates if c.isascii() and c.isalnum())
    if not latin:
        return None
    upper = unicodedata.category(ch) in ("Lu", "Lt")

    # One character before several; the same case as ch; letters before digits.
    def rank(c: str) -> tuple[bool, bool, bool, str]:
        return len(c) > 1, c.isalpha() and (c.isupper() != upper), not c.isalpha(), c
    return min(latin, key=rank)


def skeleton(text: str) -> str:
    """What a reader takes the text for, case-folded: invisibles dropped, accents and width
    removed, look-alike letters and non-ASCII digits folded to ASCII ("Jа\u200bne" -> "jane")."""
    if text.isascii():
        return text.lower()
    table = _folding()
    text = unicodedata.normalize("NFKD", text).translate(table)  # capitals first: Greek "Η" is "H"
    # Lower-cased again: Cherokee small letters case-fold to capitals, which fold to Latin capitals.
    return unicodedata.normalize("NFKD", text.casefold()).translate(table).lower()


def legacy_fold(text: str) -> str:
    """The normalisation digests were made with before look-alikes were folded (kept so those
    terms still match): accents and width removed, case-folded; invisibles dropped too."""
    bare = unicodedata.normalize("NFKD", text).translate(_DROPPING)
    return unicodedata.normalize("NFKC", bare.casefold())


def without_bidi(obj: Any) -> Any:
    """A copy of a payload (dicts, lists, strings; objects with to_dict(), as message Kit models are)
    with every bidi control removed, so nothing the bot sends can reorder what a reader sees. A JSON
    document carried in a string is cleaned inside too: its \\u escapes hide the controls."""
    if isinstance(obj, str):
        return _clean_string(obj)
    if isinstance(obj, dict):
        return {key: without_bidi(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(without_bidi(value) for value in obj)
    if hasattr(obj, "to_dict"):
        return without_bidi(obj.to_dict())
    return obj


def _clean_string(text: str) -> str:
    if text[:1] in ("[", "{") and "\\u" in text:
        try:
            decoded = json.loads(text)
        except ValueError:
            pass
        else:
            cleaned = without_bidi(decoded)
            return text if cleaned == decoded else json.dumps(cleaned)
    return strip_bidi(text) if has_bidi(text) else text
