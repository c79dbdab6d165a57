"""What the check remembers to go faster (digests of common runs, runs already met in an export,
texts already found clean) never lets a term through: the answers are those of hashing every
run of every reading order afresh."""
import hmac
import random

from bot.workflow.panel import redaction
from bot.workflow.panel.redaction import RedactionMatcher, hmac_key, readings, term_digests

KEY = hmac_key("a-server-key-of-at-least-32-characters")
TERMS = [("Jane Smith", "name"), ("Ann", "name"), ("12 Acacia Avenue", "address"), ("12/03/1984", "date_of_birth")]
DIGESTS = [d for term, kind in TERMS for d in term_digests(term, kind, KEY)]
VOCABULARY = "jane smith ann nna enaj htims 12 acacia avenue zoë aicaca the visit of 1984 03 march".split()


def found_afresh(text: str) -> bool:
    """Every run of every reading, in every reading order, hashed with hmac.digest."""
    wanted = {bytes.fromhex(d) for _, d in DIGESTS}
    for words in readings(text):
        for sequence in (words, words[::-1], [w[::-1] for w in words], [w[::-1] for w in words][::-1]):
            for n in {count for count, _ in DIGESTS}:
                for i in range(len(sequence) - n + 1):
                    if hmac.digest(KEY, " ".join(sequence[i:i + n]).encode(), "sha256") in wanted:
                        return True
    return False


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choices(VOCABULARY, k=rng.randint(1, 6))) for _ in range(count)]


def test_the_per_message_check_answers_as_hashing_afresh_even_once_its_memory_has_turned_over(monkeypatch):
    monkeypatch.setattr(redaction._PaddedHmac, "CACHED", 50)   # turn over often
    sample = texts(600, seed=1)
    assert any(map(found_afresh, sample)) and not all(map(found_afresh, sample))
    for text in sample:
        assert RedactionMatcher(DIGESTS, KEY).find(text) == found_afresh(text), text


def test_a_matcher_asked_twice_answers_the_same():
    matcher = RedactionMatcher(DIGESTS, KEY)
    for text in texts(200, seed=2) * 2:
        assert matcher.find(text) == found_afresh(text), text


def test_an_export_finds_the_first_text_with_a_term_after_its_memory_has_turned_over(monkeypatch):
    monkeypatch.setattr(redaction, "_SHARED_LENGTH", 4)
    monkeypatch.setattr(redaction, "_EXPORT_MEMORY", 30)   # turn over often
    clean = [t for t in texts(600, seed=3) if not found_afresh(t)]
    late = "the visit of htims enaj"                       # its words all met before, not together
    assert RedactionMatcher(DIGESTS, KEY).find_any(clean + [late] + clean[:5]) == len(clean)
    assert RedactionMatcher(DIGESTS, KEY).find_any(clean) is None
