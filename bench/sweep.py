"""Cost of one reminder sweep over the real tables and every registered due source, and
delivering 1,000 reminders due at the same minute.

    python bench/sweep.py [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 7] [--scale 0.02]
                          [--only sweep|delivery] [--skip-10x]

1. Sweep cost (targets: <= 250 ms per sweep at the base size, <= 1.5x that with ten times
   the stored data). Base: 2,000 live reviews spread over the stages (decision, coordinator,
   chair, a lead and a panel member for each of six agencies, agreements, a few with an activity on hold), their
   evidence items (six agencies x four items once evidence gathering starts), 40,000 actions
   under eight recommendations per review from drafting on (about 15% open), and 100,000 sent
   reminders in the ledger. Ten times: the same plus 18,000 concluded reviews with their members,
   agreements, accepted evidence and 360,000 verified actions, and 900,000 more ledger rows
   (history), so what is *due* is the same and only what is *stored* grows. The sweep is the
   real one with every source registered in bot/workflow/clock/due.py (milestone, request, agreement,
   action). Figures are the p50 of several sweeps, on SQLite and on PostgreSQL:
   - "steady tick": a sweep in working hours once the day's reminders are out (what runs every
     minute all day): nothing audited since the last plan, so it keeps that plan; recover, claim;
   - "1 changed": the same tick after someone changed one review (an audit entry): it plans again
     for that review only (finding nothing new), then recovers and claims;
   - "full re-plan": after a workspace-wide change (and once an hour): every source, every review;
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
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import (  # noqa: E402
    Column,
    MetaData,
    Table,
    Text,
    create_engine,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url  # noqa: E402

from bot.workflow.clock.workdays import WorkingCalendar  # noqa: E402
from bot.workflow.core.kernel import audit  # noqa: E402
from bot.workflow.core.refs import MessageRef, SpaceRef  # noqa: E402
from bot.workflow.reminders.reminders import WorkdayIndex  # noqa: E402
from bot.workflow.reminders.sources import sources  # noqa: E402
from bot.workflow.reminders.sweep import ReminderSweep  # noqa: E402
from storage import migrate  # noqa: E402
from storage.crypto import EncryptedText, configure_keys, encrypt  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.evidence import EvidenceItem  # noqa: E402
from storage.ledger import PENDING, SENT, ReminderLedger  # noqa: E402
from storage.models import Decision, Membership, Person, Review  # noqa: E402
from storage.panel import Agency, Agreement  # noqa: E402
from storage.report import PlanAction, Recommendation  # noqa: E402
from storage.timeline import ActivityHold  # noqa: E402

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 10)                       # a Tuesday
NOW = datetime(2026, 11, 10, 9, 30, tzinfo=LONDON).astimezone(timezone.utc)
TEAM = "T0BENCH01"
KEY = "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="
ENG = WorkingCalendar("ENG")
IDX = WorkdayIndex(ENG, TODAY)

class InstantChat:
    """A chat port that answers at once: part 1 measures the database, not Slack."""

    def __init__(self):
        self.sent = 0

    platform = "slack"

    def open_dm(self, person):
        return SpaceRef("D" + person.id)

    def send_digest(self, space, notice, *, digest_id):
        self.sent += 1
        return MessageRef(f"{time.time():.6f}")

    def find_digest(self, space, digest_id, since):
        return None


# ---------------------------------------------------------------- data

LIVE_STAGES = (["notified"] * 8 + ["setup"] * 12 + ["evidence"] * 30 + ["drafting"] * 15 + ["sign_off"] * 8
               + ["submitted"] * 4 + ["amending"] * 3 + ["published"] * 5 + ["monitoring"] * 15)
HAS_EVIDENCE = {"evidence", "drafting", "sign_off", "submitted", "amending", "published", "monitoring", "concluded"}
HAS_ACTIONS = {"drafting", "sign_off", "submitted", "amending", "published", "monitoring"}
KINDS = ("scoping", "chronology", "imr", "short_report")
AGENCIES, PEOPLE, AGENCIES_PER_REVIEW = 12, 600, 6


def plain(table: Table) -> Table:
    """The same table with its EncryptedText columns as plain Text, so seeding stores one token
    encrypted once instead of encrypting 400,000 times (the sweep never reads those columns)."""
    return Table(table.name, MetaData(), *[Column(c.name, Text() if isinstance(c.type, EncryptedText) else c.type,
                                                  primary_key=c.primary_key) for c in table.columns])


def insert(conn, table, rows, chunk=5000) -> int:
    """Bulk insert (executemany) of an iterable of dicts, `chunk` rows at a time."""
    batch, n = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) == chunk:
            conn.execute(table.insert(), batch)
            n, batch = n + len(batch), []
    if batch:
        conn.execute(table.insert(), batch)
        n += len(batch)
    return n


class Ids:
    """Explicit ids, so rows can point at each other without reading them back."""

    def __init__(self):
        self.next: dict[str, int] = defaultdict(lambda: 1)

    def take(self, table: str) -> int:
        n = self.next[table]
        self.next[table] = n + 1
        return n


def utc(d: date, hour: int = 9) -> datetime:
    return datetime.combine(d, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=hour)


def seed(db: Database, ids: Ids, *, live: int, concluded: int, actions: int, open_share: float, ledger: int,
         seed_value: int = 7) -> dict:
    """Reviews with their decisions, members, agreements, evidence items, recommendations and
    actions, and sent reminders in the ledger. Live reviews are spread over the stages; concluded
    ones are history: every evidence item accepted, every action verified, every agreement answered."""
    rng = random.Random(seed_value + ids.next["review"])
    token = encrypt("Bench text")
    counts: dict[str, int] = defaultdict(int)
    first = ids.next["review"] == 1
    with db.engine.begin() as conn:
        if first:
            counts["agency"] = insert(conn, Agency.__table__, [dict(
                id=a, tenant_id=TEAM, name=f"Agency {a}", active=True, created_by="U0BENCH", created_at=NOW)
                for a in range(1, AGENCIES + 1)])
            counts["person"] = insert(conn, Person.__table__, [dict(
                id=i, tenant_id=TEAM, user_id=f"U0P{i:05d}", created_at=NOW) for i in range(1, PEOPLE + 1)])
        reviews, decisions, members, agreements, evidence, holds = [], [], [], [], [], []
        recs, with_actions = [], []
        for n in range(live + concluded):
            rid = ids.take("review")
            is_live = n < live
            stage = rng.choice(LIVE_STAGES) if is_live else "concluded"
            if stage == "notified":
                notified, decided = TODAY - timedelta(days=rng.randint(0, 40)), None
            else:
                decided = TODAY - timedelta(days=rng.randint(20, 400) if is_live else rng.randint(500, 3000))
                notified = decided - timedelta(days=rng.randint(10, 31))
            reviews.append(dict(
                id=rid, tenant_id=TEAM, reference=f"DHR-B{rid:06d}", stage=stage, preset="2016", notified_on=notified,
                notifying_agency="Police", victim_pseudonym="Adult A", perpetrator_pseudonym=None, victim_age=40,
                relationship="relative", suspected_suicide=False, setup_state="complete", setup_error=None,
                space_id=f"C{rid:09d}", space_name=f"dhr-b{rid}", card_ref="1.0", card_pinned=True,
                coordinator_dm_sent=True, created_by="U0P00001", created_at=utc(notified), updated_at=NOW))
            if decided:
                decisions.append(dict(review_id=rid, outcome="review", decided_on=decided, agencies_consulted=[],
                                      concerns=[], parallel_processes=[], home_office_told_on=decided,
                                      recorded_by="U0P00001", recorded_at=utc(decided)))
            if is_live and rng.random() < 0.02:
                holds.append(dict(review_id=rid, activity="witness_interviews", agency_id=0, agreed_by="the CPS",
                                  agreed_on=TODAY - timedelta(days=rng.randint(5, 90)), until_on=None,
                                  until_event="the end of the trial", reason=token, started_by="U0P00001",
                                  started_at=NOW))
            # coordinator, chair, then a lead and a panel member for each of six agencies
            agencies = rng.sample(range(1, AGENCIES + 1), AGENCIES_PER_REVIEW)
            seats = [("coordinator", None), ("chair", None)]
            seats += [(role, a) for a in agencies for role in ("agency_lead", "panel_member")]
            people = rng.sample(range(1, PEOPLE + 1), len(seats) + 2)
            for (role, agency), person in zip(seats, people):
                mid = ids.take("membership")
                members.append(dict(id=mid, review_id=rid, person_id=person, role=role, agency_id=agency,
                                    status="active", added_by="U0P00001", added_at=utc(notified), removed_at=None))
                agreements.append(dict(review_id=rid, membership_id=mid, status="agreed", statement_sha256="0" * 64,
                                       asked_at=utc(notified), answered_at=utc(notified, 10)))
            if stage in ("setup", "evidence") and rng.random() < 0.3:    # someone invited, not yet agreed
                for person in people[-1:]:
                    mid = ids.take("membership")
                    members.append(dict(id=mid, review_id=rid, person_id=person, role="panel_member",
                                        agency_id=agencies[0], status="invited", added_by="U0P00001",
                                        added_at=NOW, removed_at=None))
                    agreements.append(dict(review_id=rid, membership_id=mid, status="pending",
                                           statement_sha256="0" * 64, answered_at=None,
                                           asked_at=utc(TODAY - timedelta(days=rng.randint(0, 20)))))
            if stage in HAS_EVIDENCE:
                for a in agencies:
                    for kind in KINDS:
                        if stage == "evidence":
                            status = rng.choices(["requested", "submitted", "returned", "accepted", "not_required"],
                                                 [25, 20, 5, 40, 10])[0]
                            due = TODAY + timedelta(days=rng.randint(-30, 60))
                        else:
                            status = rng.choices(["accepted", "not_required"], [85, 15])[0]
                            due = decided + timedelta(days=rng.randint(30, 120))
                        evidence.append(dict(review_id=rid, agency_id=a, kind=kind, status=status, due_on=due,
                                             requested_by="U0P00001", requested_at=utc(due - timedelta(days=42)),
                                             updated_by="U0P00001", updated_at=NOW))
            if stage in HAS_ACTIONS or stage == "concluded":
                with_actions.append((rid, agencies, decided, is_live))
        per_review = max(1, actions // max(1, len(with_actions)))
        acts = []
        for k, (rid, agencies, decided, is_live) in enumerate(with_actions):
            count = per_review if k < len(with_actions) - 1 else actions - per_review * (len(with_actions) - 1)
            rec_ids = []
            for number in range(1, 9):                      # eight recommendations each
                rec_ids.append(ids.take("recommendation"))
                recs.append(dict(id=rec_ids[-1], review_id=rid, number=number, text=token, scope="local",
                                 source="overview", source_agency_id=None, national_body=None,
                                 national_sent_on=None, created_by="U0P00001", created_at=utc(decided)))
            for j in range(count):
                status = ("open" if rng.random() < open_share else rng.choices(["completed", "verified"], [1, 6])[0]) \
                    if is_live else "verified"
                target = TODAY + timedelta(days=rng.randint(-60, 365)) if status == "open" else \
                    TODAY - timedelta(days=rng.randint(1, 2000))
                done = status != "open"
                acts.append(dict(
                    review_id=rid, recommendation_id=rec_ids[j % 8], number=1 + j // 8, action=token,
                    lead_agency_id=agencies[j % len(agencies)], owner_user=f"U0P{rng.randint(1, PEOPLE):05d}",
                    outcome_measure=token, target_on=target, milestones=None, status=status,
                    completed_on=target if done else None, completion_evidence=token if done else None,
                    completed_by="U0P00001" if done else None,
                    verified_by="U0P00002" if status == "verified" else None,
                    verified_at=utc(target) if status == "verified" else None, last_update_on=None,
                    created_by="U0P00001", created_at=utc(target - timedelta(days=rng.randint(30, 200))),
                    updated_at=NOW))
        counts["review"] = insert(conn, Review.__table__, reviews)
        counts["decision"] = insert(conn, Decision.__table__, decisions)
        counts["membership"] = insert(conn, Membership.__table__, members)
        counts["agreement"] = insert(conn, Agreement.__table__, agreements)
        counts["activityhold"] = insert(conn, plain(ActivityHold.__table__), holds)
        counts["evidenceitem"] = insert(conn, EvidenceItem.__table__, evidence)
        counts["recommendation"] = insert(conn, plain(Recommendation.__table__), recs)
        counts["planaction"] = insert(conn, plain(PlanAction.__table__), acts)
        counts["open actions"] = sum(1 for a in acts if a["status"] == "open")
        del reviews, members, agreements, evidence, recs, acts
        review_ids = range(ids.next["review"] - live - concluded, ids.next["review"])
        base = ids.next["ledger"]
        ids.next["ledger"] += ledger

        def history_rows():
            for n in range(ledger):
                day = TODAY - timedelta(days=rng.randint(15, 2000 if concluded else 365))
                at = utc(day)
                yield dict(idempotency_key=f"hist|{base + n}", review_id=rng.choice(review_ids),
                           item_kind="action", item_key=f"action-{n}", recipient=f"U0P{rng.randint(1, PEOPLE):05d}",
                           recipient_kind="user", due_on=day, point="o5", point_on=day, send_on=day, escalated=False,
                           reference="DHR-B", label="Action plan item", link_channel=None, detail=None,
                           status="sent", attempts=1, next_attempt_at=at, claimed_at=at, lease_until=None,
                           digest_id=uuid.uuid4().hex, message_channel="D1", message_ts="1.0", last_error=None,
                           created_at=at, sent_at=at)
        counts["reminderledger"] = insert(conn, ReminderLedger.__table__, history_rows(), chunk=10000)
    analyze(db)
    return dict(counts)


def analyze(db: Database) -> None:
    if db.is_postgres:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
            for table in ("review", "membership", "person", "agency", "recommendation", "reminderledger"):
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
    """The bot ran on the working days before: those days' reminders (and Monday's weekly posts)
    were planned by the real sweep and sent (marked sent in bulk: Slack's side is part 2)."""
    sweep = ReminderSweep(db, InstantChat(), tz=LONDON, calendar=ENG, idx=IDX, sources=sources(), chunk=50)
    day = TODAY - timedelta(days=15)
    while day < TODAY:
        if ENG.is_working_day(day):
            sweep.plan(datetime.combine(day, NOW.astimezone(LONDON).time(), tzinfo=LONDON))
            with db.engine.begin() as conn:
                conn.execute(update(ReminderLedger).where(ReminderLedger.status == PENDING).values(
                    status=SENT, attempts=1, claimed_at=ReminderLedger.next_attempt_at,
                    sent_at=ReminderLedger.next_attempt_at, message_channel="D1", message_ts="1.0"))
        day += timedelta(days=1)


def measure(db: Database, runs: int) -> dict:
    chat = InstantChat()
    sweep = ReminderSweep(db, chat, tz=LONDON, calendar=ENG, idx=IDX, sources=sources(), chunk=50)
    first, plans, planned = [], [], 0

    def forget_today():                 # the next run is the day's first again
        with db.session() as s:
            s.execute(delete(ReminderLedger).where(ReminderLedger.created_at >= NOW))
        sweep.forget_plan()

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
        live = s.execute(select(Review.id).where(Review.stage == "evidence").limit(runs)).scalars().all()
    changed, full = [], []              # someone changed a review; then a workspace-wide change
    for i, times, review_id in [(i, changed, live[i % len(live)]) for i in range(runs)] + \
            [(runs + i, full, None) for i in range(runs)]:
        with db.session() as s:
            audit(s, "UBENCH", "bench.changed", NOW, review_id)
        t = time.perf_counter()
        report = sweep.run(NOW + timedelta(minutes=runs + i + 1))
        times.append(time.perf_counter() - t)
        assert report.planned == 0 and report.messages == 0, report.summary()
    with db.session() as s:
        stored = s.execute(select(func.count()).select_from(ReminderLedger)).scalar()
    return {"steady": p50(steady), "changed": p50(changed), "full": p50(full), "first": p50(first), "plan": p50(plans),
            "planned": planned,
            "messages": chat.sent // runs, "ledger": stored}


def due_now(db: Database) -> dict:
    """What each source finds due in today's window (the same at 1x and 10x)."""
    sweep = ReminderSweep(db, InstantChat(), tz=LONDON, calendar=ENG, idx=IDX, chunk=50)
    from bot.workflow.clock.due import DueWindow
    window = DueWindow(today=TODAY, due_until=IDX.add(TODAY, sweep.schedule.lead_days), tz=LONDON)
    with db.session() as s:
        return {kind: len(list(fn(s, window))) for kind, fn in sources().items()}


def source_times(db: Database, runs: int) -> dict:
    from bot.workflow.clock.due import DueWindow
    window = DueWindow(today=TODAY, due_until=IDX.add(TODAY, 10), tz=LONDON)
    out = {}
    for kind, fn in sources().items():
        times = []
        for _ in range(runs):
            with db.session() as s:
                t = time.perf_counter()
                list(fn(s, window))
                times.append(time.perf_counter() - t)
        out[kind] = p50(times)
    return out


def line(kind: str, size: str, r: dict, base: dict | None) -> str:
    ratio = ""
    if base:
        ratio = (f"   10x/1x: steady {r['steady'] / base['steady']:.2f}, one review changed "
                 f"{r['changed'] / base['changed']:.2f}, full re-plan {r['full'] / base['full']:.2f}, "
                 f"plan {r['plan'] / base['plan']:.2f}, "
                 f"first {r['first'] / base['first']:.2f}")
    return (f"{kind:<11}{size:<6}{r['steady'] * 1000:>10.1f} ms{r['changed'] * 1000:>12.1f} ms"
            f"{r['full'] * 1000:>12.1f} ms{r['plan'] * 1000:>10.1f} ms"
            f"{r['first'] * 1000:>8.0f} ms{r['planned']:>11}{r['messages']:>6}{r['ledger']:>13,}{ratio}")


def part1(args) -> None:
    configure_keys([KEY])
    kinds = ["sqlite"] + (["postgresql"] if args.pg else [])
    print(f"Part 1: one sweep with every due source ({', '.join(sources())}), p50 of {args.runs}")
    for kind in kinds:
        url, drop = fresh_database(kind, args.pg)
        try:
            migrate.upgrade(url)
            db = Database(url)
            ids = Ids()
            t = time.perf_counter()
            counts = seed(db, ids, live=2000, concluded=0, actions=40_000, open_share=0.15, ledger=100_000)
            history(db)
            print(f"\n{kind}: seeded {counts['review']:,} live reviews, {counts['membership']:,} members, "
                  f"{counts['evidenceitem']:,} evidence items, {counts['planaction']:,} actions "
                  f"({counts['open actions']:,} open), {counts['reminderledger']:,} ledger rows + 15 days of sweeps "
                  f"in {time.perf_counter() - t:.0f} s")
            print(f"  due in today's window: {due_now(db)}")
            print(f"{'database':<11}{'stored':<6}{'steady tick':>13}{'1 changed':>15}{'full re-plan':>15}"
                  f"{'first: plan':>13}{'+ deliver':>11}"
                  f"{'reminders':>11}{'DMs':>6}{'ledger rows':>13}")
            base = measure(db, args.runs)
            base_src = source_times(db, args.runs)
            print(line(kind, "1x", base, None))
            if not args.skip_10x:
                t = time.perf_counter()
                more = seed(db, ids, live=0, concluded=18_000, actions=360_000, open_share=0.0, ledger=900_000)
                print(f"  + history: {more['review']:,} concluded reviews, {more['membership']:,} members, "
                      f"{more['evidenceitem']:,} evidence items, {more['planaction']:,} verified actions, "
                      f"{more['reminderledger']:,} ledger rows in {time.perf_counter() - t:.0f} s")
                print(f"  due in today's window: {due_now(db)}")
                big = measure(db, args.runs)
                big_src = source_times(db, args.runs)
                print(line(kind, "10x", big, base))
                print("  each source alone (p50, 1x -> 10x): " + ", ".join(
                    f"{k} {base_src[k] * 1000:.1f} -> {big_src[k] * 1000:.1f} ms" for k in base_src))
            else:
                print("  each source alone (p50): " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in base_src.items()))
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
    from handlers.slack.platform.app import web_client
    from handlers.slack.platform.chat import SlackChat
    from handlers.slack.platform.pacing import Pacer
    from handlers.slack.platform.port import SlackPort
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
                insert(conn, Person.__table__, [dict(id=i + 1, tenant_id=TEAM, user_id=u, created_at=NOW)
                                                for i, u in enumerate(people)])
                insert(conn, Review.__table__, [dict(
                    id=i + 1, tenant_id=TEAM, reference=f"DHR-D{i:05d}", stage="notified", preset="2016",
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
            chat = SlackPort(SlackChat(web_client("xoxb-bench", fake.base_url)), pacer)
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
