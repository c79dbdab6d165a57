"""Cost of the quarterly board report: figures, five charts and the DOCX, with 300 reviews and 6,000 actions.

    python bench/board_report.py [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 5]

300 reviews notified over six years (decisions, submissions, eight stage changes each), 6,000 actions
(half open, targets spread over two years either side of today) and 2,700 evidence items from 15 agencies
(about a third open). Prints p50 of --runs for: the figures alone (bot/workflow/views/board_figures.py),
the whole report as `/dhr board` makes it (figures, charts, DOCX), and the Home's timeliness query; and
the report's figures, so a reader can see they are plausible. The target is under 5 s.
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
from bot.workflow.clock.workdays import WorkingCalendar  # noqa: E402
from bot.workflow.core.kernel import Actor  # noqa: E402
from bot.workflow.core.stages import Stage  # noqa: E402
from bot.workflow.views import board_figures as board  # noqa: E402
from bot.workflow.views import board_use_cases  # noqa: E402
from messages.views import board_report  # noqa: E402
from storage import migrate  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.evidence import EvidenceItem  # noqa: E402
from storage.models import Decision, Membership, Person, Review, StageChange  # noqa: E402
from storage.panel import Agency  # noqa: E402
from storage.report import PlanAction, Recommendation, ReportStep  # noqa: E402

TEAM, NOW = "T0BENCH", datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
TODAY = NOW.date()
COORD = "U0BCOORD"
PATH = ["notified", "setup", "evidence", "drafting", "sign_off", "submitted", "amending", "published", "monitoring"]
KINDS = ["scoping", "chronology", "imr"]


def insert(conn, table, rows, chunk=5000):
    for i in range(0, len(rows), chunk):
        conn.execute(table.insert(), rows[i:i + chunk])


def seed(db: Database, reviews: int, actions: int) -> None:
    rng = random.Random(17)
    agencies = [dict(id=a, tenant_id=TEAM, name=f"Agency {a:02d}", active=True, created_by=COORD, created_at=NOW)
                for a in range(1, 16)]
    review_rows, decisions, steps, changes, evidence = [], [], [], [], []
    for r in range(1, reviews + 1):
        notified = TODAY - timedelta(days=rng.randint(10, 6 * 365))
        day, at = notified, []
        for stage in PATH[:rng.randint(1, len(PATH))]:
            at.append((stage, day))
            day += timedelta(days=rng.randint(15, 200))
            if day >= TODAY:
                break
        stage = at[-1][0]
        review_rows.append(dict(
            id=r, tenant_id=TEAM, reference=f"DHR-B{r:05d}", stage=stage, preset="2016", notified_on=notified,
            notifying_agency="Police", victim_pseudonym="Adult A", victim_age=40, relationship="relative",
            suspected_suicide=False, setup_state="complete", space_id=f"C{r:09d}", created_by=COORD,
            created_at=NOW, updated_at=NOW))
        changes += [dict(review_id=r, to_stage=s, transition="bench", by=COORD,
                         at=datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc)) for s, d in at]
        if len(at) > 1:
            decided = at[1][1]
            decisions.append(dict(review_id=r, outcome="review", decided_on=decided, agencies_consulted=[],
                                  concerns=[], parallel_processes=[], home_office_told_on=decided,
                                  recorded_by=COORD, recorded_at=NOW))
        submitted = next((d for s, d in at if s == "submitted"), None)
        if submitted:
            steps.append(dict(review_id=r, step="submit", round=1, on_date=submitted, flags=[],
                              recorded_by=COORD, recorded_at=NOW))
        for a in rng.sample(range(1, 16), 3):
            for kind in KINDS:
                evidence.append(dict(review_id=r, agency_id=a, kind=kind,
                                     status=rng.choice(["requested", "accepted", "accepted", "returned"]),
                                     due_on=TODAY + timedelta(days=rng.randint(-120, 60)), updated_by=COORD,
                                     updated_at=NOW))
    with db.engine.begin() as conn:
        insert(conn, Agency.__table__, agencies)
        insert(conn, Person.__table__, [dict(id=1, tenant_id=TEAM, user_id=COORD, created_at=NOW)])
        insert(conn, Review.__table__, review_rows)
        insert(conn, Decision.__table__, decisions)
        insert(conn, ReportStep.__table__, steps)
        insert(conn, StageChange.__table__, changes)
        insert(conn, EvidenceItem.__table__, evidence)
        insert(conn, Membership.__table__, [dict(review_id=r, person_id=1, role="coordinator", status="active",
                                                 added_by="bench", added_at=NOW) for r in range(1, reviews + 1)])
        insert(conn, Recommendation.__table__, [dict(id=r, review_id=r, number=1, text="Recommendation",
                                                     scope="local", source="overview", created_by=COORD,
                                                     created_at=NOW) for r in range(1, reviews + 1)])
        insert(conn, PlanAction.__table__, [dict(
            review_id=1 + n % reviews, recommendation_id=1 + n % reviews, number=n + 1, action="Action text",
            lead_agency_id=1, owner_user=COORD, outcome_measure="Outcome",
            target_on=TODAY + timedelta(days=rng.randint(-365, 365)),
            status=rng.choice(["open", "verified"]), created_by=COORD,
            created_at=NOW - timedelta(days=rng.randint(0, 90)), updated_at=NOW) for n in range(actions)])


def p50_s(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(kind: str, url_admin: str | None, runs: int) -> None:
    url, drop = fresh_database(kind, url_admin)
    try:
        migrate.upgrade(url)
        db = Database(url)
        seed(db, reviews=300, actions=6000)
        cal = WorkingCalendar("ENG")
        quarter = board.parse_quarter("", TODAY)
        actor = Actor(TEAM, COORD)

        def figures():
            with db.session() as s:
                return board.board_figures(s, "slack", TEAM, quarter, TODAY, cal)

        files = []

        def whole():
            with db.session() as s:
                done = board_use_cases.board_report(
                    s, actor, "", env_admins=(), today=TODAY, now=NOW, calendar=cal,
                    render=lambda f: board_report.docx_bytes(f, "Benchmark CSP"), dm_space=lambda p: p)
            files.append(done.files[0].content)

        def home():
            with db.session() as s:
                return board_use_cases.home_timeliness(s, actor, (), TODAY)

        f = figures()
        print(f"{kind:10s} figures {p50_s(figures, runs) * 1000:7.0f} ms | whole report (figures, 5 charts, DOCX) "
              f"{p50_s(whole, runs):5.2f} s, {len(files[-1]) // 1024} KB | Home timeliness "
              f"{p50_s(home, runs) * 1000:5.0f} ms")
        if kind == "sqlite":
            print(f"  {f.reviews} reviews; per year (decided in a month / six months / twelve): "
                  + "; ".join(f"{y.year} " + " / ".join("n/a" if v is None else f"{v}%" for v in
                                                         (y.decided_share, y.within_6_share, y.within_12_share))
                              for y in f.years))
            print("  open by stage: " + ", ".join(f"{label} {n}" for label, n in f.open_by_stage))
            print(f"  actions by RAG: {f.actions_by_rag}; overdue evidence {f.overdue_total} "
                  f"from {len(f.overdue_by_agency)} agencies")
            print("  median days: " + ", ".join(f"{t.label} {t.median_days:g}" for t in f.stage_times
                                                 if t.label != Stage.MONITORING.label))
        db.engine.dispose()
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", "--database-url", dest="pg", default=os.environ.get("TEST_DATABASE_URL"),
                        help="a PostgreSQL server's admin URL: a fresh database is made on it and dropped after")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    configure_keys(["oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="])
    print("300 reviews, 6,000 actions, 2,700 evidence items; the board report p50 of", args.runs)
    run("sqlite", None, args.runs)
    if args.pg:
        pg = args.pg.replace("postgresql://", "postgresql+psycopg://", 1) if args.pg.startswith("postgresql://") \
            else args.pg
        run("postgresql", pg, args.runs)


if __name__ == "__main__":
    main()
