"""CPU cost of the redaction check: an export-style check and the per-message check.

    python bench/redaction_check.py [--texts 3000] [--messages 1000] [--rows 0] [--runs 5] [--compare main HEAD ...]

1. Export: RedactionMatcher.find_any over 3,000 texts of 30 words (none carrying a term, so every
   text is read to the end: the worst case), as a chronology export re-checks its rows.
2. Per message: RedactionMatcher.find on 1,000 messages of 40 words, each with a fresh matcher, as
   every outgoing Slack call is checked.
3. With --rows N: the check alone of bench/chronology_export.py's worst case (its rows and its 5 terms,
   every row re-checked), for N rows.
Text: a Zipf-weighted vocabulary (common English words, then a long tail of rarer ones), some
numbers and dates, and one text in twenty with an accented name, so the non-ASCII path is paid for.
The list: 20 terms (12 names, 4 addresses, 4 dates of birth with all their written forms).
Printed: the best of --runs of process CPU time (the machine is shared; CPU time is steadier than
wall time). --compare also times bot/workflow/panel/redaction.py (and unicode_text.py) as they are at
those git revisions, in the same process, so the figures are comparable.
"""
import argparse
import random
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY = b"bench-hmac-key-that-is-long-enough-0123456789"
COMMON = ("the a to and of was in she he her his on at for with by police visit called "
          "said report home address officer attended referral gp health social worker "
          "child children incident domestic abuse risk assessment marac meeting plan no "
          "not were had been has is it that this from they them told asked advised "
          "safeguarding concern concerns hospital ae discharged school nursery housing "
          "probation court order bail arrested interview statement victim perpetrator "
          "partner mother father adult a b c family friend neighbour phone text message "
          "letter email week month day night morning evening after before later again "
          "recorded noted contact contacted made refused declined agreed attend attendance "
          "injury injuries bruising alcohol drugs mental substance misuse support service").split()
SYLLABLES = "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so".split()
ACCENTED = ["Zoë", "Chloé", "José", "Müller", "Łukasz", "Renée", "Björn", "François", "Inês", "Dvořák"]
TERMS = ([(n, "name") for n in ("Jane Doe", "John Smith", "Mary Roe", "Peter Piper", "Sarah Connor",
                                 "Adam Brown", "Olivia Green", "Liam Walker", "Emma Wood", "Noah Hill",
                                 "Ava Clarke", "Zoë Ward")]
         + [(a, "address") for a in ("12 Acacia Avenue", "SW1A 1AA", "Flat 3 Rose Court", "7 Mill Lane")]
         + [(d, "date_of_birth") for d in ("12/03/1984", "1 June 1990", "29/02/2000", "30 September 1975")])


def corpus(seed: int, count: int, length: int) -> list[str]:
    rng = random.Random(seed)
    tail = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(3000)]
    words = COMMON + tail
    weights = [1 / (rank + 1) for rank in range(len(words))]
    texts = []
    for i in range(count):
        text = rng.choices(words, weights, k=length)
        text[rng.randrange(length)] = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/20{rng.randint(10, 26)}"
        text[rng.randrange(length)] = str(rng.randint(1, 400))
        if i % 20 == 0:
            text[rng.randrange(length)] = rng.choice(ACCENTED)
        texts.append(" ".join(text).capitalize() + ".")
    return texts


def load(rev: str | None) -> types.ModuleType:
    """redaction.py as at `rev` (None: the working tree), with the unicode_text.py of the same rev."""
    if rev is None:
        from bot.workflow.panel import redaction
        return redaction

    def source(path: str) -> str | None:
        done = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else None

    module = types.ModuleType(f"redaction_at_{rev}")
    code = source("bot/workflow/panel/redaction.py")
    helper = source("bot/workflow/core/unicode_text.py")
    if helper is not None and "unicode_text" in code:
        unicode_text = types.ModuleType(f"unicode_text_at_{rev}")
        exec(compile(helper, f"{rev}:unicode_text.py", "exec"), unicode_text.__dict__)
        module.__dict__["unicode_text"] = unicode_text
        code = code.replace("from bot.workflow import unicode_text\n", "")
    exec(compile(code, f"{rev}:redaction.py", "exec"), module.__dict__)
    return module


def best_cpu(runs: int, work) -> float:
    times = []
    for run in range(runs):
        t = time.process_time()
        work(run)
        times.append(time.process_time() - t)
    return min(times)


def measure(module, texts, messages, runs) -> tuple[float, float]:
    # Made first, so the lazily built look-alike table ("Zoë Ward") is not part of any timing.
    digests = [d for term, kind in TERMS for d in module.term_digests(term, kind, KEY)]
    export = best_cpu(runs, lambda run: module.RedactionMatcher(digests, KEY).find_any(texts))
    assert module.RedactionMatcher(digests, KEY).find_any(texts) is None
    # Other messages on each run: a digest cache must not be credited with the previous run's text.
    per_message = best_cpu(runs, lambda run: [module.RedactionMatcher(digests, KEY).find(m) for m in messages[run]])
    return export, per_message


def chronology_rows(count: int) -> list[str]:
    """Rows as bench/chronology_export.py's export joins them for the check (one text per row)."""
    from bench import chronology_export as bench
    rng = random.Random(5)
    return ["\n".join(filter(None, (f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "10:30",
                                     f"Agency {rng.randrange(15):02d}", bench.text(rng, 3), "Adult A",
                                     bench.text(rng, 30), bench.text(rng, 15),
                                     bench.text(rng, 20) if rng.random() < .5 else None)))
            for _ in range(count)]


CHRONOLOGY_TERMS = [("Jane Doe", "name"), ("John Smith", "name"), ("12 Acacia Avenue", "address"),
                    ("Mary Roe", "name"), ("12/03/1984", "date_of_birth")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", nargs="*", default=[], help="git revisions to time as well")
    args = parser.parse_args()
    texts = corpus(1, args.texts, 30)
    rows = chronology_rows(args.rows)
    messages = [corpus(2 + run, args.messages, 40) for run in range(args.runs)]
    for label, rev in [(rev, rev) for rev in args.compare] + [("working tree", None)]:
        module = load(rev)
        export, per_message = measure(module, texts, messages, args.runs)
        print(f"{label:>14}: export check ({args.texts:,} texts of 30 words) {export:.2f} s CPU; "
              f"per-message check ({args.messages:,} messages of 40 words) {per_message:.2f} s CPU "
              f"({per_message / args.messages * 1e3:.2f} ms each)")
        if args.rows:
            digests = [d for term, kind in CHRONOLOGY_TERMS for d in module.term_digests(term, kind, KEY)]
            check = best_cpu(args.runs, lambda run, module=module, digests=digests:
                             module.RedactionMatcher(digests, KEY).find_any(rows))
            print(f"{'':>14}  chronology export check ({args.rows:,} rows, 5 terms) {check:.2f} s CPU")


if __name__ == "__main__":
    main()
