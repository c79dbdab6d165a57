"""Cost of the CSP view of themes across reviews (`/dhr themes`).

    python bench/themes.py [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 5]

300 reviews with 1,500 recommendations (5 each), 600 lessons (2 each), 6,000 actions (4 per
recommendation, a third verified), every recommendation and lesson tagged with two of the 14 default
themes, and 600 redaction terms (2 names per review; a few texts hold one and are withheld). Timed:
the view's data (five queries, decrypting every tagged text, the redaction check of each against every
review's terms) and the message the strategic lead is sent (Slack blocks), p50 of --runs.
"""
import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sweep import fresh_database  # noqa: E402
from bot.config import DEFAULT_THEMES  # noqa: E402
from bot.workflow.panel.redaction import hmac_key, term_digests  # noqa: E402
from bot.workflow.panel.redaction_list import Redactions  # noqa: E402
from bot.workflow.report import learning  # noqa: E402
from bot.workflow.report.themes import catalogue  # noqa: E402
from messages.report import learning as msgs  # noqa: E402
from messages.slack import render as slack  # noqa: E402
from storage import migrate  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.learning import Lesson, ThemeTag  # noqa: E402
from storage.models import Review  # noqa: E402
from storage.panel import Agency, RedactionTerm  # noqa: E402
from storage.report import PlanAction, Recommendation  # noqa: E402

TEAM, NOW = "T0BENCH", datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
TODAY = NOW.date()
COORD, HMAC = "U0BCOORD", "bench-hmac-key-of-at-least-32-characters"
THEMES = catalogue(DEFAULT_THEMES)
WORDS = ("agencies should share risk assessments with the MARAC and record every referral; staff need training "
         "in coercive control economic abuse and professional curiosity for older victims and their children, "
         "with supervision audits and clear routes for disclosure across health police housing and schools").split()
FIRST = ("Quentin", "Mabel", "Ferdinand", "Rosalind", "Ignatius", "Wilhelmina", "Cornelius", "Philippa")
LAST = ("Marlowe", "Thistlewood", "Abernethy", "Fairweather", "Bracegirdle", "Oakenshaw")


def insert(conn, table, rows, chunk=5000):
    for i in range(0, len(rows), chunk):
        conn.execute(table.insert(), rows[i:i + chunk])


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def seed(db: Database, reviews: int = 300, recs_per: int = 5, lessons_per: int = 2, actions_per_rec: int = 4) -> None:
    rng, key, themes = random.Random(17), hmac_key(HMAC), list(THEMES)
    with db.engine.begin() as conn:
        insert(conn, Agency.__table__, [dict(id=a, tenant_id=TEAM, name=f"Agency {a}", active=True, created_by=COORD,
                                             created_at=NOW) for a in range(1, 16)])
        insert(conn, Review.__table__, [dict(
            id=r, tenant_id=TEAM, reference=f"DHR-B{r:05d}", stage="monitoring", preset="2016",
            notified_on=TODAY - timedelta(days=500), notifying_agency="Police", victim_pseudonym="Adult A",
            victim_age=40, relationship="relative", suspected_suicide=False, setup_state="complete",
            space_id=f"C{r:09d}", card_pinned=True, coordinator_dm_sent=True, created_by=COORD,
            created_at=NOW, updated_at=NOW) for r in range(1, reviews + 1)])
        recs, lessons, actions, tags, terms = [], [], [], [], []
        for r in range(1, reviews + 1):
            names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], 2)
            digests = {d: (n, entry) for entry, name in enumerate(names, 1) for n, d in term_digests(name, "name", key)}
            terms += [dict(review_id=r, token_count=n, digest=d, kind="name", entry=entry, added_by=COORD,
                           added_at=NOW) for d, (n, entry) in digests.items()]
            for n in range(1, recs_per + 1):
                rid = len(recs) + 1
                words = sentence(rng, rng.randint(12, 30))
                if rng.random() < 0.01:       # a text that names someone registered on some review
                    words += f" {names[0]} said so."
                recs.append(dict(id=rid, review_id=r, number=n, text=words, scope="local", source="overview",
                                 created_by=COORD, created_at=NOW))
                tags += [dict(review_id=r, recommendation_id=rid, lesson_id=None, theme=t)
                         for t in rng.sample(themes, 2)]
                for a in range(1, actions_per_rec + 1):
                    actions.append(dict(review_id=r, recommendation_id=rid, number=a, action="Action text",
                                        lead_agency_id=rng.randint(1, 15), owner_user=COORD, outcome_measure="Outcome",
                                        target_on=TODAY + timedelta(days=rng.randint(-30, 365)),
                                        status="verified" if rng.random() < 0.33 else "open", created_by=COORD,
                                        created_at=NOW, updated_at=NOW))
            for n in range(1, lessons_per + 1):
                lid = len(lessons) + 1
                lessons.append(dict(id=lid, review_id=r, number=n, text=sentence(rng, rng.randint(12, 30)),
                                    created_by=COORD, created_at=NOW))
                tags += [dict(review_id=r, recommendation_id=None, lesson_id=lid, theme=t)
                         for t in rng.sample(themes, 2)]
        insert(conn, Recommendation.__table__, recs)
        insert(conn, Lesson.__table__, lessons)
        insert(conn, PlanAction.__table__, actions)
        insert(conn, ThemeTag.__table__, tags)
        insert(conn, RedactionTerm.__table__, terms)


def p50_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(kind: str, pg: str | None, runs: int) -> None:
    url, drop = fresh_database(kind, pg)
    try:
        migrate.upgrade(url)
        db = Database(url)
        seed(db)
        redactions = Redactions(db, hmac_key(HMAC))

        def data():
            withheld = redactions.matcher().find    # as the handlers do: the terms loaded once per request
            with db.session() as s:
                return learning.build_view(s, "slack", TEAM, themes=THEMES, withheld=withheld)

        def message():
            return slack.body(msgs.themes_view(data()))

        view = data()
        shown = sum(len(t.recommendations) + len(t.lessons) for t in view.themes)
        hidden = sum(i.text == learning.WITHHELD for t in view.themes for i in t.recommendations)
        print(f"{kind:10s} view data: {p50_ms(data, runs):7.1f} ms ({len(view.themes)} themes, {view.reviews} reviews, "
              f"{shown} tagged texts, {hidden} withheld)")
        blocks = message()["blocks"]
        longest = max(len(b["text"]["text"]) for b in blocks if "text" in b)
        print(f"{kind:10s} data + Slack message: {p50_ms(message, runs):7.1f} ms ({len(blocks)} blocks, the longest "
              f"{longest} characters)")
        db.engine.dispose()
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", "--database-url", dest="pg", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    configure_keys(["oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="])
    print("300 reviews, 1,500 recommendations, 600 lessons, 6,000 actions, 4,200 theme tags, 600 redaction terms")
    run("sqlite", None, args.runs)
    if args.pg:
        pg = args.pg.replace("postgresql://", "postgresql+psycopg://", 1) if args.pg.startswith("postgresql://") \
            else args.pg
        run("postgresql", pg, args.runs)


if __name__ == "__main__":
    main()
