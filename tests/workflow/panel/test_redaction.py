"""The redaction list matcher: keyed hashes of terms, matched token by token."""
import hmac

import pytest

from bot.workflow.panel.redaction import (
    RedactionMatcher,
    _PaddedHmac,
    hmac_key,
    scan_payload,
    term_digests,
    tokens,
)

KEY = hmac_key("a-server-key-of-at-least-32-characters")
OTHER_KEY = hmac_key("another-server-key-32-characters-long")


def matcher(*terms, key=KEY):
    digests = [d for term, kind in terms for d in term_digests(term, kind, key)]
    return RedactionMatcher(digests, key)


def test_tokens_normalise_case_punctuation_spacing_and_width():
    assert tokens("Jane-Smith") == tokens("jane smith") == tokens("JANE  SMITH") == ["jane", "smith"]
    assert tokens("12/03/1984") == ["12", "03", "1984"]
    assert tokens("Ｊａｎｅ_Smith") == ["jane", "smith"]  # full-width letters (NFKC), underscore splits
    assert tokens("Zoë") == tokens("Zoe") == ["zoe"]


@pytest.mark.parametrize("text", ["Jane Smith", "jane-smith", "JANE  SMITH", "Spoke to Jane Smith's GP today.",
                                  "(jane.smith)", "Ｊａｎｅ Ｓｍｉｔｈ"])
def test_a_name_matches_across_case_punctuation_and_spacing_inside_longer_text(text):
    assert matcher(("Jane Smith", "name")).find(text)


def test_a_name_does_not_match_inside_other_words():
    m = matcher(("Ann", "name"))
    assert m.find("Ann rang the office") and m.find("spoke to ANN.")
    assert not m.find("Annual report") and not m.find("Joanne") and not m.find("Anne")


def test_multi_word_names_match_only_as_the_whole_sequence():
    m = matcher(("Jane Smith", "name"))
    assert not m.find("Jane rang") and not m.find("Mr Smith") and not m.find("Jane told Smith")
    assert m.find("Smith, Jane")  # the same name, read in the other order


@pytest.mark.parametrize("text", ["born 12/03/1984", "DOB: 12 March 1984", "1984-03-12", "12.3.84",
                                  "Monday 12th of March 1984", "March 12, 1984", "12-Mar-1984", "dob 12031984"])
def test_date_of_birth_variants_match(text):
    assert matcher(("12/03/1984", "date_of_birth")).find(text)


@pytest.mark.parametrize("registered", ["12 March 1984", "1984-03-12", "12th Mar 1984"])
def test_date_of_birth_is_read_the_same_however_registered(registered):
    assert sorted(term_digests(registered, "date_of_birth", KEY)) == sorted(
        term_digests("12/03/1984", "date_of_birth", KEY))


def test_date_of_birth_does_not_match_other_dates():
    m = matcher(("12/03/1984", "date_of_birth"))
    assert not m.find("12 March 1985") and not m.find("13/03/1984") and not m.find("on 12 March")


@pytest.mark.parametrize("term", ["March 1984", "12/03/84", "03/25/1984", "31/02/1984", "sometime in 1984",
                                  "12 March 2999", "1984"])
def test_ambiguous_or_unreadable_dates_of_birth_are_refused(term):
    with pytest.raises(ValueError, match="date of birth"):
        term_digests(term, "date_of_birth", KEY)


def test_address_fragments_and_postcodes():
    m = matcher(("14 Elm Road", "address"), ("SW1A 1AA", "address"))
    assert m.find("visited 14, Elm Road on Tuesday") and not m.find("Elm Road")
    assert m.find("postcode sw1a1aa") and m.find("SW1A 1AA")


def test_a_different_key_does_not_match():
    digests = term_digests("Jane Smith", "name", KEY)
    assert not RedactionMatcher(digests, OTHER_KEY).find("Jane Smith")


def test_digests_never_contain_the_term():
    for term, kind in [("Jane Smith", "name"), ("12/03/1984", "date_of_birth"), ("14 Elm Road", "other")]:
        for _count, digest in term_digests(term, kind, KEY):
            assert len(digest) == 64 and int(digest, 16) >= 0
            assert term.encode().hex() not in digest  # not an encoding of the term either
            assert not any(word in digest for word in tokens(term) if not word.isdigit())
    assert term_digests("Jane Smith", "name", KEY) == [(2, hmac.new(KEY, b"jane smith", "sha256").hexdigest()),
                                                       (1, hmac.new(KEY, b"janesmith", "sha256").hexdigest()),
                                                       (1, hmac.new(KEY, b"smithjane", "sha256").hexdigest())]


def test_a_name_run_together_is_found_but_not_inside_a_longer_word():
    m = matcher(("Jane Smith", "name"))
    assert m.find("write to JaneSmith@example.org") and m.find("smithjane") and m.find("Jane.Smith")
    assert not m.find("janesmithson") and not matcher(("Jane Smith", "other")).find("janesmith")


def test_fast_hmac_matches_the_standard_library():
    for key in (KEY, b"k" * 64, b"k" * 100):
        assert _PaddedHmac(key)(b"jane smith") == hmac.digest(key, b"jane smith", "sha256")


def test_first_hit_index():
    m = matcher(("Jane Smith", "name"))
    assert m.first_hit_index(["dhr-2026-03", "Review for Adult A", "jane smith"]) == 2
    assert m.first_hit_index(["dhr-2026-03", "nothing here"]) is None
    assert RedactionMatcher([], KEY).first_hit_index(["Jane Smith"]) is None


def test_scan_payload_finds_a_term_deep_inside_block_kit():
    payload = {
        "channel": "C123",
        "text": "Review DHR-2026-03 updated",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Adult A"}},
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Stage* notified"},
                                           {"type": "mrkdwn", "text": "*Note* Jane  SMITH's GP"}]},
        ],
        "metadata": {"a/b": ["fine", "also fine"]},
    }
    m = matcher(("Jane Smith", "name"))
    assert scan_payload(payload, m) == "/blocks/1/fields/1/text"
    payload["blocks"][1]["fields"][1]["text"] = "*Note* Adult A's GP"
    assert scan_payload(payload, m) is None
    payload["metadata"]["a/b"].append("jane smith")
    assert scan_payload(payload, m) == "/metadata/a~1b/2"


def test_scan_payload_checks_values_not_keys_and_non_string_scalars():
    m = matcher(("Jane Smith", "name"), ("12/03/1984", "date_of_birth"))
    assert scan_payload({"Jane Smith": "ok"}, m) is None
    assert scan_payload({"n": 12031984, "flag": True, "none": None}, m) == "/n"
    assert scan_payload("jane smith", m) == "/"  # a truthy path even at the root

    class Block:  # slack_sdk models expose to_dict()
        def to_dict(self):
            return {"text": {"text": "Jane Smith"}}

    assert scan_payload({"blocks": (Block(),)}, m) == "/blocks/0/text/text"


@pytest.mark.parametrize("term", ["Al", "J S", "--", "", "é"])
def test_too_short_terms_are_refused(term):
    with pytest.raises(ValueError, match="at least 3 letters or digits"):
        term_digests(term, "name", KEY)


def test_too_long_terms_and_unknown_kinds_are_refused():
    with pytest.raises(ValueError, match="at most 8 words"):
        term_digests("one two three four five six seven eight nine", "other", KEY)
    assert term_digests("one two three four five six seven eight", "other", KEY)[0][0] == 8
    with pytest.raises(ValueError, match="unknown redaction kind"):
        term_digests("Jane Smith", "nickname", KEY)


def test_hmac_key_needs_32_characters_and_never_echoes_it():
    assert hmac_key(" " + "k" * 32 + "\n") == b"k" * 32
    for raw in ("", None, "short-secret"):
        with pytest.raises(ValueError, match="DHR_HMAC_KEY") as caught:
            hmac_key(raw)
        assert "short-secret" not in str(caught.value) and "\n" not in str(caught.value)
