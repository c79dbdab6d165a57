"""Cost of one reminder sweep, and delivering 1,000 reminders due at the same minute.

    python bench/sweep.py [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 7] [--scale 0.02]
                          [--only sweep|delivery]

1. Sweep cost (issue 4 targets: <= 250 ms per sweep at the base size, <= 1.5x that with ten times
   the stored data). Base: 2,000 live reviews (coordinator, chair, three panel members each),
   40,000 actions, 100,000 ledger rows. Ten times: the same plus 18,000 concluded reviews,
   360,000 completed actions and 900,000 more ledger rows (history), so what is *due* is the
   same and only what is *stored* grows. Actions have no table yet (a later issue): the bench
   defines one of its own and plugs it into the due-item registry exactly as that feature will.
   Figures are the p50 of several sweeps, on SQLite and on PostgreSQL:
   - "steady tick": a sweep in working hours once the day's reminders are out (what runs every
     minute all day): plan (finds nothing new), recover, claim;
   - "first tick": the first sweep of the day, planning and marking every reminder due that day,
     delivered to a chat port that answers at once (Slack's own time is part 2).
2. Delivery: 1,000 reminders due at the same minute for 1,000 different people (one DM each: the
   worst case for Slack's Tier 3 limit on conversations.open, 50 a minute), against the fake
   Slack with its rate limits on, shrunk by --scale so the run takes seconds rather than 20
   minutes. The minimum the limits allow is computed from the fake's windows; the ratio is
   total time / that minimum. Counted: DMs per person (zero lost, zero twice), 429s.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Column, Date, Index, Integer, MetaData, String, Table, delete, func, select, text  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.workflow.deadlines import statutory_milestones  # noqa: E402
from bot.workflow.due import DueItem, leads_by_review  # noqa: E402
from bot.workflow.reminders import ReminderSchedule, WorkdayIndex  # noqa: E402
from bot.workflow.sweep import ReminderSweep  # noqa: E402
from bot.workflow.workdays import WorkingCalendar  # noqa: E402
from storage import migrate  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.ledger import ReminderLedger  # noqa: E402
from storage.models import Decision, Membership, Person, Review  # noqa: E402

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 10)                       # a Tuesday
NOW = datetime(2026, 11, 10, 9, 30, tzinfo=LONDON).astimezone(timezone.utc)
TEAM = "T0BENCH01"
KEY = "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="
ENG = WorkingCalendar("ENG")
IDX = WorkdayIndex(ENG, TODAY)

# A stand-in for the action plan (a later issue), outside the application's metadata.
bench_meta = MetaData()
action = Table(
    "bench_action", bench_meta,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, nullable=False),   # review.id (no FK: a separate MetaData)
    Column("owner", String(32), nullable=False),
    Column("created_on", Date, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("completed_on", Date, nullable=True),
    Index("ix_bench_action_open", "target_date", sqlite_where=text("completed_on IS NULL"),
          postgresql_where=text("completed_on IS NULL")),
)


def open_actions(session, window):
    """How the action-plan feature will plug in: one query, open items due by the window's end."""
    rows = session.execute(
        select(action.c.id, action.c.review_id, action.c.owner, action.c.target_date, action.c.created_on,
               Review.reference, Review.channel_id)
        .join(Review, Review.id == action.c.review_id)
        .where(action.c.completed_on.is_(None), action.c.target_date <= window.due_until)).all()
    leads = leads_by_review(session, {r.review_id for r in rows})
    return [DueItem(review_id=r.review_id, reference=r.reference, channel_id=r.channel_id, kind="action",
                    key=str(r.id), label="Action plan item", due=r.target_date, owners=(r.owner,),
                    escalate_to=leads.get(r.review_id, ()), since=r.created_on) for r in rows]


SOURCES = {"milestone": statutory_milestones, "action": open_actions}


class InstantChat:
    """A chat port that answers at once: part 1 measures the database, not Slack."""

    def __init__(self):
        self.sent = 0

    def open_dm(self, user_id):
        return "D" + user_id

    def send(self, channel_id, notice, *, digest_id):
        self.sent += 1
        return f"{time.time():.6f}"

    def find_digest(self, channel_id, digest_id, oldest):
        return None


# ---------------------------------------------------------------- data

def insert(conn, table, rows, chunk=5000):
    for i in range(0, len(rows), chunk):
        conn.execute(table.insert(), rows[i:i + chunk])


def seed(db: Database, *, live: int, concluded: int, actions_open: int, actions_done: int, ledger: int,
         id_base: int = 0, seed_value: int = 7) -> None:
    rng = random.Random(seed_value + id_base)
    now = NOW
    people = [f"U{id_base // 1000:02d}P{i:05d}" for i in range(400)]
    with db.engine.begin() as conn:
        if id_base == 0:
            insert(conn, Person.__table__, [dict(id=i + 1, team_id=TEAM, slack_user_id=u, created_at=now)
                                            for i, u in enumerate(people)])
        person_ids = list(range(1, 401))
        reviews, decisions, members = [], [], []
        stages = (["notified"] * 10 + ["setup"] * 15 + ["evidence"] * 35 + ["drafting"] * 25 + ["sign_off"] * 15)
        for n in range(live + concluded):
            rid = id_base + n + 1
            is_live = n < live
            stage = rng.choice(stages) if is_live else "concluded"
            if stage == "notified":
                notified = TODAY - timedelta(days=rng.randint(0, 40))
                decided = None
            else:
                decided = TODAY - timedelta(days=rng.randint(20, 200) if is_live else rng.randint(400, 3000))
                notified = decided - timedelta(days=rng.randint(10, 31))
            reviews.append(dict(id=rid, team_id=TEAM, reference=f"DHR-B{rid:06d}", stage=stage, preset="2016",
                                notified_on=notified, notifying_agency="Police", victim_pseudonym="Adult A",
                                perpetrator_pseudonym=None, victim_age=40, relationship="relative",
                                suspected_suicide=False, setup_state="complete", setup_error=None,
                                channel_id=f"C{rid:09d}", channel_name=f"dhr-b{rid}", card_ts="1.0",
                                card_pinned=True, coordinator_dm_sent=True, created_by=people[0],
                                created_at=datetime.combine(notified, datetime.min.time(), tzinfo=timezone.utc),
                                updated_at=now))
            if decided:
                decisions.append(dict(review_id=rid, outcome="review", decided_on=decided, agencies_consulted=[],
                                      concerns=[], parallel_processes=[], home_office_told_on=decided,
                                      recorded_by=people[0],
                                      recorded_at=datetime.combine(decided, datetime.min.time(), tzinfo=timezone.utc)))
            chosen = rng.sample(person_ids, 5 if is_live else 2)
            for person, role in zip(chosen, ["coordinator", "chair", "panel_member", "panel_member", "panel_member"]):
                members.append(dict(review_id=rid, person_id=person, role=role, status="active", added_by="bench",
                                    added_at=now, agency_id=None, removed_at=None))
        insert(conn, Review.__table__, reviews)
        insert(conn, Decision.__table__, decisions)
        insert(conn, Membership.__table__, members)
        live_ids = [id_base + n + 1 for n in range(live)] or list(range(1, 2001))
        acts = []
        for n in range(actions_open + actions_done):
            target = TODAY + timedelta(days=rng.randint(-60, 365))
            done = n >= actions_open
            acts.append(dict(review_id=rng.choice(live_ids if not done else
                                                  [id_base + k + 1 for k in range(live + concluded)]),
                             owner=rng.choice(people), created_on=target - timedelta(days=rng.randint(30, 200)),
                             target_date=target, completed_on=target - timedelta(days=1) if done else None))
        insert(conn, action, acts)
        rows = []
        all_ids = [id_base + k + 1 for k in range(live + concluded)]
        for n in range(ledger):
            day = TODAY - timedelta(days=rng.randint(15, 365))
            at = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=9)
            rows.append(dict(idempotency_key=f"hist|{id_base}|{n}", review_id=rng.choice(all_ids),
                             item_kind="action", item_key=str(n), recipient=rng.choice(people), recipient_kind="user",
                             due_on=day, point="o5", point_on=day, send_on=day, escalated=False,
                             reference="DHR-B", label="Action plan item", link_channel=None, detail=None,
                             status="sent", attempts=1, next_attempt_at=at, claimed_at=at, lease_until=None,
                             digest_id=uuid.uuid4().hex, message_channel="D1", message_ts="1.0", last_error=None,
                             created_at=at, sent_at=at))
        insert(conn, ReminderLedger.__table__, rows, chunk=10000)
    if db.is_postgres:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
            for table in ("review", "decision", "membership", "person", "bench_action"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def fresh_database(kind: str, pg_admin: str | None):
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="dhr-bench-"))
        return f"sqlite:///{folder / 'bench.sqlite3'}", lambda: shutil.rmtree(folder, ignore_errors=True)
    name = f"dhr_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_admin).set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return url, drop


# ---------------------------------------------------------------- part 1

def p50(values):
    return statistics.median(values)


def history(db: Database) -> None:
    """The bot ran on the working days before: those reminders (and Monday's weekly posts) are sent."""
    sweep = ReminderSweep(db, InstantChat(), tz=LONDON, calendar=ENG, idx=IDX, sources=SOURCES, chunk=50)
    day = TODAY - timedelta(days=15)
    while day < TODAY:
        if ENG.is_working_day(day):
            sweep.run(datetime.combine(day, NOW.astimezone(LONDON).time(), tzinfo=LONDON))
        day += timedelta(days=1)


def measure(db: Database, runs: int) -> dict:
    chat = InstantChat()
    sweep = ReminderSweep(db, chat, tz=LONDON, calendar=ENG, idx=IDX, sources=SOURCES, chunk=50)
    first, plans, planned = [], [], 0

    def forget_today():                 # the next run is the day's first again
        with db.session() as s:
            s.execute(delete(ReminderLedger).where(ReminderLedger.created_at >= NOW))

    for _ in range(runs):
        forget_today()
        t = time.perf_counter()
        sweep.plan(NOW)
        plans.append(time.perf_counter() - t)
        forget_today()
        t = time.perf_counter()
        report = sweep.run(NOW)
        first.append(time.perf_counter() - t)
        planned = report.planned
    steady = []
    for i in range(runs):
        t = time.perf_counter()
        report = sweep.run(NOW + timedelta(minutes=i + 1))
        steady.append(time.perf_counter() - t)
        assert report.planned == 0 and report.messages == 0, report.summary()
    with db.session() as s:
        stored = s.execute(select(func.count()).select_from(ReminderLedger)).scalar()
    return {"steady": p50(steady), "first": p50(first), "plan": p50(plans), "planned": planned,
            "messages": chat.sent // runs, "ledger": stored}


def part1(args) -> None:
    configure_keys([KEY])
    kinds = ["sqlite"] + (["postgresql"] if args.pg else [])
    print("Part 1: one sweep (p50 of %d), 2,000 live reviews, 40,000 actions, 100,000 ledger rows" % args.runs)
    print(f"{'database':<11}{'stored':<8}{'steady tick':>13}{'first: plan':>13}{'+ deliver':>11}"
          f"{'reminders':>11}{'DMs':>6}{'ledger rows':>13}")
    for kind in kinds:
        url, drop = fresh_database(kind, args.pg)
        try:
            migrate.upgrade(url)
            db = Database(url)
            bench_meta.create_all(db.engine)
            t = time.perf_counter()
            seed(db, live=2000, concluded=0, actions_open=6000, actions_done=34000, ledger=100_000)
            history(db)
            base_seed = time.perf_counter() - t
            base = measure(db, args.runs)
            print(f"{kind:<11}{'1x':<8}{base['steady'] * 1000:>10.1f} ms{base['plan'] * 1000:>10.1f} ms"
                  f"{base['first'] * 1000:>8.0f} ms"
                  f"{base['planned']:>11}{base['messages']:>6}{base['ledger']:>13,}   (seeded in {base_seed:.0f} s)")
            if not args.skip_10x:
                seed(db, live=0, concluded=18000, actions_open=0, actions_done=360_000, ledger=900_000,
                     id_base=100_000)
                big = measure(db, args.runs)
                print(f"{kind:<11}{'10x':<8}{big['steady'] * 1000:>10.1f} ms{big['plan'] * 1000:>10.1f} ms"
                      f"{big['first'] * 1000:>8.0f} ms"
                      f"{big['planned']:>11}{big['messages']:>6}{big['ledger']:>13,}   "
                      f"(10x/1x: steady {big['steady'] / base['steady']:.2f}, plan {big['plan'] / base['plan']:.2f}, "
                      f"first {big['first'] / base['first']:.2f})")
            db.engine.dispose()
        finally:
            drop()


# ---------------------------------------------------------------- part 2

def minimum_seconds(opens: int, posts_per_channel: int, scale: float) -> float:
    """Earliest finish the fake's sliding windows allow for `opens` conversations.open calls (Tier 3:
    50 a minute) and `posts_per_channel` messages to each DM (5 a second, 60 a minute), with no
    time at all spent anywhere else."""
    from bot.slackfake.ratelimit import POST_MESSAGE_WINDOWS, TIER_WINDOWS

    def finish(n, windows):
        times = []
        for _ in range(n):
            t = times[-1] if times else 0.0
            for span, limit in windows:
                span *= scale
                recent = [x for x in times if x > t - span]
                if len(recent) >= limit:
                    t = max(t, recent[-limit] + span)
            times.append(t)
        return times[-1] if times else 0.0
    return max(finish(opens, TIER_WINDOWS["3"]), finish(posts_per_channel, POST_MESSAGE_WINDOWS))


def part2(args) -> None:
    from bot.slackfake import FakeSlack
    from handlers.slack.app import web_client
    from handlers.slack.reminder_chat import Pacer, SlackReminderChat
    configure_keys([KEY])
    scale = args.scale
    people = [f"U9P{i:05d}" for i in range(1000)]
    print(f"\nPart 2: 1,000 reminders due at the same minute for 1,000 people, fake rate limits x{scale}")
    print(f"{'database':<11}{'total':>9}{'minimum':>9}{'ratio':>7}{'DMs':>6}{'lost':>6}{'twice':>7}{'429s':>6}"
          f"{'paced':>9}")
    for kind in ["sqlite"] + (["postgresql"] if args.pg else []):
        url, drop = fresh_database(kind, args.pg)
        fake = FakeSlack(bot_token="xoxb-bench", team_id=TEAM,
                         manifest_path=str(Path(__file__).resolve().parents[1] / "manifest.yml")).start()
        try:
            for u in people:
                fake.add_user(u, u.lower())
            migrate.upgrade(url)
            db = Database(url)
            due = TODAY              # every decision is due today: 1,000 "on the day" reminders
            # (recorded this morning, so no earlier point is owed: exactly one reminder each)
            notified = date(2026, 10, 10)
            with db.engine.begin() as conn:
                insert(conn, Person.__table__, [dict(id=i + 1, team_id=TEAM, slack_user_id=u, created_at=NOW)
                                                for i, u in enumerate(people)])
                insert(conn, Review.__table__, [dict(
                    id=i + 1, team_id=TEAM, reference=f"DHR-D{i:05d}", stage="notified", preset="2016",
                    notified_on=notified, notifying_agency="Police", victim_pseudonym="Adult A", victim_age=40,
                    relationship="relative", suspected_suicide=False, setup_state="pending", card_pinned=False,
                    coordinator_dm_sent=False, created_by=u, created_at=NOW - timedelta(hours=1),
                    updated_at=NOW) for i, u in enumerate(people)])
                insert(conn, Membership.__table__, [dict(review_id=i + 1, person_id=i + 1, role="coordinator",
                                                         status="active", added_by="bench", added_at=NOW)
                                                    for i in range(len(people))])
            assert due == date(2026, 11, 10)
            fake.set_rate_limits(True, scale=scale)
            pacer = Pacer({"conversations.open": [(60 * scale, 50)],
                           "conversations.history": [(60 * scale, 50)],
                           "chat.postMessage": [(1 * scale, 5), (60 * scale, 60)]})
            chat = SlackReminderChat(web_client("xoxb-bench", fake.base_url), pacer)
            sweep = ReminderSweep(db, chat, tz=LONDON, calendar=ENG, idx=IDX, chunk=50)
            t = time.perf_counter()
            report = sweep.run(NOW)
            total = time.perf_counter() - t
            counts = [len(fake.dm_messages(u)) for u in people]
            lost, twice = counts.count(0), sum(1 for c in counts if c > 1)
            limited = sum(v.get("ratelimited", 0) for v in fake.stats.values())
            minimum = minimum_seconds(len(people), 1, scale)
            print(f"{kind:<11}{total:>8.1f}s{minimum:>8.1f}s{total / minimum:>7.2f}{sum(counts):>6}{lost:>6}"
                  f"{twice:>7}{limited:>6}{pacer.waited:>8.1f}s   ({report.summary()})")
            db.engine.dispose()
        finally:
            fake.stop()
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"),
                        help="PostgreSQL server URL (a database is created and dropped); default $TEST_DATABASE_URL")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scale", type=float, default=0.02, help="shrink the fake's rate-limit windows")
    parser.add_argument("--only", choices=("sweep", "delivery"))
    parser.add_argument("--skip-10x", action="store_true")
    args = parser.parse_args()
    if args.pg and args.pg.startswith("postgresql://"):
        args.pg = "postgresql+psycopg://" + args.pg[len("postgresql://"):]
    if args.only != "delivery":
        part1(args)
    if args.only != "sweep":
        part2(args)


if __name__ == "__main__":
    main()
