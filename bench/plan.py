"""Cost of the action plan's due-item source and of one App Home view.

    python bench/plan.py [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 7]

1. The "action" due source (what each reminder sweep asks): 2,000 live reviews with 40,000
   actions (6,000 open, the rest completed), p50 of --runs.
2. App Home for a coordinator of 60 reviews who also owns 500 open actions: the workflow's data
   (bot/workflow/views/home.py) and the Block Kit view (messages/views/home.py), p50 of --runs; the number of
   blocks is printed too (Slack's limit is 100).
"""
import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sweep import fresh_database  # noqa: E402
from bot.workflow.clock.due import DueWindow  # noqa: E402
from bot.workflow.clock.workdays import WorkingCalendar  # noqa: E402
from bot.workflow.core.kernel import Actor  # noqa: E402
from bot.workflow.core.text import Bold, text  # noqa: E402
from bot.workflow.report.action_plan import open_actions  # noqa: E402
from bot.workflow.views import home  # noqa: E402
from messages.slack import render as slack  # noqa: E402
from messages.views import home as home_msgs  # noqa: E402
from storage import migrate  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Membership, Person, Review, StageChange  # noqa: E402
from storage.panel import Agency  # noqa: E402
from storage.report import PlanAction, Recommendation  # noqa: E402

TEAM, NOW = "T0BENCH", datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
TODAY = NOW.date()
LONDON = ZoneInfo("Europe/London")
COORD, OWNER = "U0BCOORD", "U0BOWNER"


def insert(conn, table, rows, chunk=5000):
    for i in range(0, len(rows), chunk):
        conn.execute(table.insert(), rows[i:i + chunk])


def seed(db: Database, reviews: int, actions: int, open_share: float, coordinated: int, owned: int) -> None:
    rng = random.Random(6)
    with db.engine.begin() as conn:
        insert(conn, Agency.__table__, [dict(id=1, tenant_id=TEAM, name="Police", active=True, created_by=COORD,
                                             created_at=NOW)])
        insert(conn, Person.__table__, [dict(id=1, tenant_id=TEAM, user_id=COORD, created_at=NOW),
                                        dict(id=2, tenant_id=TEAM, user_id=OWNER, created_at=NOW)]
               + [dict(id=3 + i, tenant_id=TEAM, user_id=f"U0B{i:05d}", created_at=NOW) for i in range(300)])
        insert(conn, Review.__table__, [dict(
            id=r, tenant_id=TEAM, reference=f"DHR-B{r:05d}", stage="monitoring", preset="2016",
            notified_on=TODAY - timedelta(days=500), notifying_agency="Police", victim_pseudonym="Adult A",
            victim_age=40, relationship="relative", suspected_suicide=False, setup_state="complete",
            space_id=f"C{r:09d}", card_pinned=True, coordinator_dm_sent=True, created_by=COORD,
            created_at=NOW, updated_at=NOW) for r in range(1, reviews + 1)])
        insert(conn, StageChange.__table__, [dict(review_id=r, to_stage="monitoring", transition="bench", by=COORD,
                                                  at=NOW - timedelta(days=40)) for r in range(1, reviews + 1)])
        members = [dict(review_id=r, person_id=1 if r <= coordinated else 3 + rng.randrange(300),
                        role="coordinator", status="active", added_by="bench", added_at=NOW)
                   for r in range(1, reviews + 1)]
        members += [dict(review_id=r, person_id=2, role="agency_lead", agency_id=1, status="active",
                         added_by="bench", added_at=NOW) for r in range(1, coordinated + 1)]
        insert(conn, Membership.__table__, members)
        insert(conn, Recommendation.__table__, [dict(id=r, review_id=r, number=1, text="Recommendation",
                                                     scope="local", source="overview", created_by=COORD,
                                                     created_at=NOW) for r in range(1, reviews + 1)])
        rows = []
        for n in range(actions):
            mine = n < owned
            rid = 1 + n % coordinated if mine else 1 + rng.randrange(reviews)
            done = not mine and rng.random() > open_share
            rows.append(dict(review_id=rid, recommendation_id=rid, number=n + 1, action="Action text",
                             lead_agency_id=1, owner_user=OWNER if mine else f"U0B{rng.randrange(300):05d}",
                             outcome_measure="Outcome", target_on=TODAY + timedelta(days=rng.randint(-30, 365)),
                             status="verified" if done else "open", created_by=COORD, created_at=NOW, updated_at=NOW))
        insert(conn, PlanAction.__table__, rows)


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
        seed(db, reviews=2000, actions=40_000, open_share=0.15, coordinated=60, owned=500)
        cal = WorkingCalendar("ENG")
        window = DueWindow(today=TODAY, due_until=TODAY + timedelta(days=21), tz=LONDON)

        def source():
            with db.session() as s:
                return list(open_actions(s, window))

        def home_view(user):
            with db.session() as s:
                data = home.home(s, Actor(TEAM, user), TODAY, cal, {}, env_admins=(), withheld=lambda _text: False)
            return slack.home(home_msgs.home_view(data, text(Bold("Your reviews"))))

        due = len(source())
        print(f"{kind:10s} action source: {p50_ms(source, runs):7.1f} ms ({due} open actions due within 3 weeks)")
        for who, user in (("coordinator", COORD), ("owner", OWNER)):
            blocks = len(home_view(user)["blocks"])
            took = p50_ms(lambda user=user: home_view(user), runs)
            print(f"{kind:10s} App Home of the {who}: {took:7.1f} ms, {blocks} blocks")
        db.engine.dispose()
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    configure_keys(["oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="])
    print("2,000 reviews, 40,000 actions (about 6,000 open); a coordinator of 60 reviews owning 500 actions")
    run("sqlite", None, args.runs)
    if args.pg:
        pg = args.pg.replace("postgresql://", "postgresql+psycopg://", 1) if args.pg.startswith("postgresql://") \
            else args.pg
        run("postgresql", pg, args.runs)


if __name__ == "__main__":
    main()
