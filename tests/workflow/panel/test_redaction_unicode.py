"""A registered name is found however it is disguised: invisible characters, look-alike letters,
other digits, either reading order; and terms registered before that still match."""
import hmac

import pytest

from bot.workflow.core.unicode_text import control_character, skeleton, strip_bidi, visual_order
from bot.workflow.panel.redaction import RedactionMatcher, hmac_key, term_digests, tokens

KEY = hmac_key("a-server-key-of-at-least-32-characters")
RLO, PDF, RLM = "\u202e", "\u202c", "\u200f"


def matcher(*terms):
    return RedactionMatcher([d for term, kind in terms for d in term_digests(term, kind, KEY)], KEY)


@pytest.mark.parametrize("text", [
    "Ja\u200bne Smith",                      # zero-width space
    "Jane Smi\u00adth",                      # soft hyphen, as Word pastes it
    "J\u2060ane S\ufeffmith",                # word joiner, byte-order mark
    "Ja\u034fne Sm\u3164ith",                # combining grapheme joiner, Hangul filler
    "\u0408\u0430ne \u0405mith",             # Cyrillic Je, a, Dze
    "J\u0391\u039d\u0395 \u03a3MITH".replace("\u03a3", "S"),  # Greek capitals Alpha, Nu, Epsilon
    "\uff2aane \U0001d412mith",              # full-width and mathematical letters
    "Smith Jane",                            # the words in the other order
    "htimS enaJ",                            # typed right to left
    "enaJ htimS",                            # each word reversed
    f"{RLO}htimS enaJ{PDF}",                 # shown as "Jane Smith" by a right-to-left override
    f"Jane {RLO}htims{PDF}",                 # an override over one word
    f"Jane Sm{RLO}hti{PDF}",                 # ... or part of one
    f"Smith{RLM} {RLM}Jane",                 # direction marks that reorder the words on screen
])
def test_a_disguised_name_is_still_found(text):
    assert matcher(("Jane Smith", "name")).find(text), ascii(text)


def test_ordinary_text_is_not_blocked_by_the_folding():
    m = matcher(("Ali", "name"), ("Jane Smith", "name"))
    assert not m.find("all of it") and not m.find("A11 of it")  # plain ASCII is never folded into ASCII
    assert not m.find("Jane rang; Smithson called") and not m.find("Janet Smith")
    assert matcher(("Leon", "name")).find("noel")  # a reversed word counts: the safe side


@pytest.mark.parametrize("text", ["born \u0661\u0662/\u0660\u0663/\u0661\u0669\u0668\u0664",  # Arabic-Indic
                                  "born \uff11\uff12/\uff10\uff13/\uff11\uff19\uff18\uff14",  # full-width
                                  "born 12/\u200b03/1984", "born 4891/30/21"])
def test_a_date_of_birth_in_other_digits_or_reversed_is_found(text):
    assert matcher(("12/03/1984", "date_of_birth")).find(text)


def test_the_smithson_command_case():
    assert matcher(("Smithson", "name")).find("Smi\u200bthson")
    assert tokens("Smi\u200bthson") == ["smithson"]


def old_digest(normalised: str) -> tuple[int, str]:
    """A digest as stored before the look-alike folding: HMAC of the old tokens joined by spaces."""
    return len(normalised.split()), hmac.new(KEY, normalised.encode(), "sha256").hexdigest()


def test_terms_registered_under_the_old_normalisation_still_match():
    latin, cyrillic = old_digest("jane smith"), old_digest("\u0434\u043c\u0438\u0442\u0440\u0438\u0438 "
                                                            "\u0438\u0432\u0430\u043d\u043e\u0432")
    m = RedactionMatcher([latin, cyrillic], KEY)
    assert m.find("Jane Smith") and m.find("Ja\u200bne \u0405mith") and m.find("htims enaj")
    assert m.find("\u0414\u043c\u0438\u0442\u0440\u0438\u0439 \u0418\u0432\u0430\u043d\u043e\u0432")  # as typed
    assert m.find("\u0414\u043c\u0438\u00ad\u0442\u0440\u0438\u0439 \u0418\u0432\u0430\u043d\u043e\u0432")
    # A new registration of an ASCII name makes the very same digest, so nothing needs re-deriving.
    assert term_digests("Jane Smith", "name", KEY)[0] == latin


def test_skeleton_and_visual_order():
    assert skeleton("\u0408\u0430\u200bne") == "jane" and skeleton("Zo\u00eb") == "zoe"
    assert skeleton("\u0406an") == skeleton("Ian") == "ian"  # Cyrillic capital I reads as I, not l
    assert visual_order(f"a {RLO}cba{PDF} d") == "a abc d"
    assert visual_order(f"{RLO}ab\nc") == "ba\nc"  # a new line ends the override


def test_bidi_controls_are_stripped_and_control_characters_spotted():
    assert strip_bidi(f"Adult {RLO}A\u2066B\u2069\u200e") == "Adult AB"
    assert control_character("Adult\x00A") and control_character("a\tb") and control_character("a\x1bb", True)
    assert not control_character("line one\nline two\ttab", multiline=True)
    assert not control_character("Adult A \u00e9")
