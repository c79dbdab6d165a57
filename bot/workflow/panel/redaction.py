"""The redaction list: terms that must never appear in anything the bot sends or stores.

Coordinators register real names, dates of birth and address fragments. Only
keyed hashes (HMAC-SHA256 under DHR_HMAC_KEY) are kept, never the terms, so
the list itself discloses nothing. Matching is by whole tokens: text is
normalised and split into letter/digit runs, and every run of n tokens is
hashed for each length n the list holds. "Ann" therefore never matches
"Annual", and "Jane Smith" matches only the two words together.

Text is compared as a reader would take it (unicode_text.skeleton): invisible characters
dropped, look-alike letters folded to Latin, and in both reading orders (right to left, each
word and the word order reversed), so neither a zero-width space nor a Cyrillic "а" nor a
right-to-left override carries a registered name past the check.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from dateutil import parser as date_parser

from bot.workflow.core import unicode_text

HMAC_ENV_VAR = "DHR_HMAC_KEY"
KINDS = frozenset({"name", "date_of_birth", "address", "other"})
MIN_TERM_CHARS = 3  # shorter terms would block ordinary words ("al", "jo")
MAX_TERM_TOKENS = 8
_TOKEN = re.compile(r"[^\W_]+")
_UK_POSTCODE = re.compile(r"^([a-z]{1,2}\d[a-z\d]?) ?(\d[a-z]{2})$")


def hmac_key(raw: str | None) -> bytes:
    """The server key for term digests, from DHR_HMAC_KEY (never echoed back)."""
    value = (raw or "").strip()
    if len(value) < 32:
        raise ValueError(f"{HMAC_ENV_VAR} must be at least 32 characters; make one with "
                         "`python -c \"import secrets; print(secrets.token_urlsafe(48))\"`")
    return value.encode()


def tokens(text: str) -> list[str]:
    """Case-, width-, accent- and look-alike-insensitive letter/digit runs: "JANE-Smith" -> ["jane", "smith"].

    Accents are dropped too, so "Zoe" still catches a registered "Zoë".
    """
    return _TOKEN.findall(unicode_text.skeleton(text))


def readings(text: str) -> list[list[str]]:
    """Every token sequence the text can be read as: its skeleton, as displayed where bidi overrides
    reorder it, and the older normalisation stored digests may have been made with. Each is
    also read right to left (words reversed, their order reversed, and both) when matched."""
    if text.isascii():  # no bidi controls, and the older normalisation reads it the same
        return [tokens(text)]
    forms = [text, unicode_text.visual_order(text)] if unicode_text.has_bidi(text) else [text]
    seen = {tuple(tokens(form)) for form in forms}
    seen |= {tuple(_TOKEN.findall(unicode_text.legacy_fold(form))) for form in forms}
    return [list(words) for words in seen]


_join = b" ".join
_backwards = itemgetter(slice(None, None, -1))


def _encoded(words: list[str]) -> tuple[list[bytes], list[bytes]]:
    """The words encoded for hashing, as written and each reversed ("htims")."""
    ahead = list(map(str.encode, words))
    if all(map(bytes.isascii, ahead)):   # then reversing the bytes reverses the letters
        return ahead, list(map(_backwards, ahead))
    return ahead, [w[::-1].encode() for w in words]


def _grams(encoded: Iterable[tuple[list[bytes], list[bytes]]], n: int) -> set[bytes]:
    """Each distinct run of n words of every reading, as written and in the other reading orders:
    the words swapped ("smith jane"), each reversed ("enaj htims") and both ("htims enaj", as typed
    right to left). A run read backwards is a run of the reversed sequence, so each order is
    just the runs of one sequence, built without a Python step per run."""
    grams: set[bytes] = set()
    for ahead, back in encoded:
        if n == 1:
            grams.update(ahead, back)
            continue
        for words in (ahead, ahead[::-1], back, back[::-1]):
            grams.update(map(_join, zip(*[words[k:] for k in range(n)])))
    return grams


def _digest(key: bytes, words: Sequence[str]) -> bytes:
    # Tokens never contain a space, so joining with one is unambiguous.
    return hmac.digest(key, " ".join(words).encode(), "sha256")


class _PaddedHmac:
    """HMAC-SHA256 (RFC 2104) with the key pads hashed once, not on every call.

    Same output as hmac.digest, about twice as fast, which matters when every
    n-gram of every outgoing message is hashed. Digests of recent runs are kept (a bounded
    number, in memory only), since outgoing messages repeat much of their wording.
    """

    CACHED = 50_000   # per generation; a run and its digest take about 150 bytes

    def __init__(self, key: bytes):
        if len(key) > 64:  # the SHA-256 block size
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        self._recent: dict[bytes, bytes] = {}
        self._older: dict[bytes, bytes] = {}

    def __call__(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def any_in(self, grams: Iterable[bytes], wanted: set[bytes]) -> bool:
        """True if the digest of any of the grams is in wanted (the loop inlined: it is the hot one)."""
        inner_copy, outer_copy = self._inner.copy, self._outer.copy
        for gram in grams:
            inner = inner_copy()
            inner.update(gram)
            outer = outer_copy()
            outer.update(inner.digest())
            if outer.digest() in wanted:
                return True
        return False

    def any_in_cached(self, grams: Iterable[bytes], wanted: set[bytes]) -> bool:
        """any_in, remembering digests across calls (the per-message check). Two generations, so
        the runs met most often stay while memory stays bounded."""
        recent, older = self._recent, self._older
        for gram in grams:
            digest = recent.get(gram)
            if digest is None:
                digest = recent[gram] = older.get(gram) or self(gram)
            if digest in wanted:
                return True
        if len(recent) > self.CACHED:
            self._older, self._recent = recent, {}
        return False


@lru_cache(maxsize=4)
def _hasher(key: bytes) -> _PaddedHmac:
    # One per key for the process, so its digest cache outlives a single matcher.
    return _PaddedHmac(key)


def term_digests(term: str, kind: str, key: bytes) -> list[tuple[int, str]]:
    """The (token count, hex HMAC) entries to store for one term, deduplicated."""
    if kind not in KINDS:
        raise ValueError(f"unknown redaction kind {kind!r}: use one of {', '.join(sorted(KINDS))}")
    variants = date_of_birth_variants(term) if kind == "date_of_birth" else _plain_variants(term, kind)
    unique = dict.fromkeys(tuple(v) for v in variants)
    return [(len(words), _digest(key, words).hex()) for words in unique]


def _plain_variants(term: str, kind: str) -> list[list[str]]:
    words = tokens(term)
    if sum(map(len, words)) < MIN_TERM_CHARS:
        raise ValueError(f"a redaction term needs at least {MIN_TERM_CHARS} letters or digits; "
                         "shorter ones would block ordinary text")
    if len(words) > MAX_TERM_TOKENS:
        raise ValueError(f"a redaction term can have at most {MAX_TERM_TOKENS} words; "
                         "register the distinctive part (e.g. house number and street) instead")
    variants = [words]
    if kind == "name" and len(words) > 1:   # run together, as in an e-mail address or a handle
        variants += [["".join(words)], ["".join(words[-1:] + words[:-1])]]
    postcode = _UK_POSTCODE.match(" ".join(words)) if kind == "address" and len(words) <= 2 else None
    if postcode:  # "SW1A 1AA" is also written "SW1A1AA"
        variants += [list(postcode.groups()), ["".join(postcode.groups())]]
    return variants


# ---- dates of birth -------------------------------------------------------

_DOB_FORMAT = "write the date of birth as day/month/year with a four-digit year, e.g. 12/03/1984 or 12 March 1984"
_MONTHS = ["january", "february", "march", "april", "may", "june", "july",
           "august", "september", "october", "november", "december"]


def parse_date_of_birth(term: str, today: date | None = None) -> date:
    """Reads a UK-style date of birth, refusing anything that needs a guess."""
    words = tokens(term)
    if not any(len(w) == 4 and w.isdigit() for w in words):
        raise ValueError(f"could not read that date of birth: {_DOB_FORMAT}")
    try:
        born = _numeric_date(words) if all(w.isdigit() for w in words) else _worded_date(term)
    except (ValueError, OverflowError):
        raise ValueError(f"could not read that date of birth: {_DOB_FORMAT}") from None
    if not date(1900, 1, 1) <= born <= (today or date.today()):
        raise ValueError("that date of birth is not between 1900 and today")
    return born


def _numeric_date(words: list[str]) -> date:
    # Parsed by hand: dateutil would quietly read 03/25/1984 as US style.
    if len(words) != 3:
        raise ValueError("expected day, month and year")
    if len(words[0]) == 4:  # ISO order, 1984-03-12
        year, month, day = map(int, words)
    elif len(words[2]) == 4:  # UK order, 12/03/1984
        day, month, year = map(int, words)
    else:
        raise ValueError("year must come first or last")
    return date(year, month, day)


def _worded_date(term: str) -> date:
    # Parsing against two different defaults shows whether any part was
    # missing and silently filled in ("March 1984" has no day).
    first = date_parser.parse(term, dayfirst=True, default=datetime(2000, 1, 1))
    second = date_parser.parse(term, dayfirst=True, default=datetime(2004, 2, 2))
    if first.date() != second.date():
        raise ValueError("incomplete date")
    return first.date()


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def date_of_birth_variants(term: str) -> list[list[str]]:
    """The token sequences a person might write for the date, as tokenised text."""
    born = parse_date_of_birth(term)
    d, m, y = born.day, born.month, str(born.year)
    days, months = {str(d), f"{d:02d}"}, {str(m), f"{m:02d}"}
    name = _MONTHS[m - 1]
    names = {name, name[:3]} | ({"sept"} if m == 9 else set())
    day_words = days | {_ordinal(d)}
    variants = [[dd, mm, yy] for dd in days for mm in months for yy in (y, y[2:])]  # 12/3/84 too
    variants += [[yy, mm, dd] for yy in (y,) for mm in months for dd in days]  # 1984-03-12
    # Month first, as typed by US-format software; costs little to block as well.
    variants += [[mm, dd, y] for mm in months for dd in days]
    for dd in day_words:
        for nm in names:
            variants += [[dd, nm, y], [dd, "of", nm, y], [nm, dd, y]]  # 12th of March 1984, March 12 1984
    variants += [[f"{d:02d}{m:02d}{y}"], [f"{y}{m:02d}{d:02d}"]]  # 12031984, 19840312
    return variants


# ---- matching ----------------------------------------------------------------

# Runs of up to this many words recur across texts (in bench/redaction_check.py's text, 96% of
# single words and 46% of pairs are met again, 8% of triples and 1% of four-word runs): longer
# runs cost more to remember than to hash again.
_SHARED_LENGTH = 2
_EXPORT_MEMORY = 150_000   # runs per generation


class RedactionMatcher:
    """Checks texts against stored digests without ever knowing the terms."""

    def __init__(self, digests: Iterable[tuple[int, str]], key: bytes):
        self._hmac = _hasher(key)
        self._clean: set[str] = set()
        self._by_length: dict[int, set[bytes]] = {}
        for count, hexdigest in digests:
            self._by_length.setdefault(int(count), set()).add(bytes.fromhex(hexdigest))

    def __bool__(self) -> bool:
        return bool(self._by_length)

    def fresh(self) -> "RedactionMatcher":
        """The same terms with an empty memory of clean texts, so no text outlives its own request."""
        copy = object.__new__(RedactionMatcher)
        copy._hmac, copy._by_length, copy._clean = self._hmac, self._by_length, set()
        return copy

    def find(self, text: str) -> bool:
        """True if any run of the text's tokens is a registered term."""
        if not self._by_length or not text:
            return False
        if text in self._clean:   # a message's fallback text repeats its blocks' text
            return False
        encoded = [_encoded(words) for words in readings(text)]
        hashing = self._hmac
        for n, wanted in self._by_length.items():
            check = hashing.any_in_cached if n <= _SHARED_LENGTH else hashing.any_in
            if check(_grams(encoded, n), wanted):
                return True
        if len(self._clean) < 1_000:
            self._clean.add(text)
        return False

    def find_any(self, texts: Iterable[str]) -> int | None:
        """The index of the first text carrying a term, for many texts at once (a whole export): each
        distinct run of tokens is hashed once, which natural text repeats a lot."""
        if not self._by_length:
            return None
        lengths = sorted(self._by_length.items())
        recent: set[bytes] = set()
        older: set[bytes] = set()
        for index, text in enumerate(texts):
            if not text:
                continue
            encoded = [_encoded(words) for words in readings(text)]
            for n, wanted in lengths:
                grams = _grams(encoded, n)
                if n <= _SHARED_LENGTH:
                    grams -= recent
                    recent |= grams
                    grams -= older
                if self._hmac.any_in(grams, wanted):
                    return index
            if len(recent) > _EXPORT_MEMORY:   # bounded memory on a very large export; the runs
                older, recent = recent, set()     # met since the last turn are kept: common ones stay
        return None

    def first_hit_index(self, texts: Sequence[str]) -> int | None:
        return next((i for i, text in enumerate(texts) if self.find(text)), None)


def scan_payload(obj: object, matcher: RedactionMatcher, path: str = "") -> str | None:
    """The JSON-pointer path of the first value carrying a registered term, else None.

    Walks dicts, lists and strings (values, not keys); objects with to_dict()
    (a platform SDK's block models) are walked as their dict, and any other scalar is
    checked as text, so nothing slips past the guard by not being a str. A hit
    in a bare top-level string is reported as "/" (never "", which is falsy).
    """
    if isinstance(obj, str):
        if matcher.find(obj):
            return path or "/"
        inner = _json_inside(obj)
        return None if inner is None else scan_payload(inner, matcher, path)
    if isinstance(obj, Mapping):
        items = ((_pointer_part(k), v) for k, v in obj.items())
    elif isinstance(obj, (list, tuple)):
        items = ((str(i), v) for i, v in enumerate(obj))
    elif hasattr(obj, "to_dict"):
        return scan_payload(obj.to_dict(), matcher, path)
    elif obj is None or isinstance(obj, bool):
        return None
    else:
        return scan_payload(str(obj), matcher, path)
    for part, value in items:
        hit = scan_payload(value, matcher, f"{path}/{part}")
        if hit is not None:
            return hit
    return None


def _json_inside(text: str) -> Any:
    """A JSON document carried as a string (files.completeUploadExternal's `files`), whose \\u
    escapes would otherwise hide non-ASCII letters from the check; None if it is not one."""
    if text[:1] not in ("[", "{") or "\\u" not in text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _pointer_part(key: object) -> str:
    # RFC 6901 escaping, so a key holding "/" cannot make the path ambiguous.
    return str(key).replace("~", "~0").replace("/", "~1")
