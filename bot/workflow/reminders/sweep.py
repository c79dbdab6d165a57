"""The reminder sweep: plan what is due into the ledger, then deliver it, each reminder once.

One sweep (every minute from the scheduler, or `python -m bot sweep`):
1. Hours: nothing happens outside working days 09:00-18:00 Europe/London (reminders.py).
2. Plan, in one transaction: ask every due-item source (due.py) what is open and due within the
   reminder window, turn each item into its schedule points up to today (catching up missed ones,
   bounded), and insert one ledger row per (review, item kind, item key, recipient, due date,
   point) with INSERT ... ON CONFLICT (idempotency_key) DO NOTHING. On PostgreSQL a
   transaction-scoped advisory lock lets one process plan per tick; the loser skips the tick.
   Someone who already had today's digest gets later rows in tomorrow's (one DM a day).
3. Recover: rows left in `sending` past their lease (a process died mid-delivery, or the platform's
   answer was lost) are checked against the DM's history for the digest id carried in the
   message metadata: found means sent; not found means pending again.
4. Deliver: claim a recipient's pending rows (advisory lock per recipient + FOR UPDATE SKIP
   LOCKED on PostgreSQL; a status-guarded UPDATE everywhere), mark them `sending` with a lease and
   a digest id, then send one DM per person (or one post per space) and mark the outcome:
   sent; retried later with backoff, honouring Retry-After (rate limits, server and connection
   errors, a DM conversation to open again), up to max_attempts; left for recovery (errors that
   may hide a post); or failed for good (deactivated account, archived space, or attempts used up).
   A failed reminder is handed on to the next people in the review's escalation chain who can be
   reached (coordinators, chairs, then CSP admins), who are told who could not be reached; the
   failure is audited and the review's summary card says so until a DM reaches that person again.

Delivery is at-least-once with a duplicate guard for DMs: a message is never lost, and is only
sent twice if the platform accepted a DM and its history then failed to show it. Space posts (the
weekly status) have no history check (that would need read access to every review space), so
a crash in the instant between the platform accepting a weekly post and the ledger recording it can
post it twice.
"""
import logging
import time as _time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from bot.workflow.clock.due import (
    DueItem,
    DueSource,
    DueWindow,
    coordinators_by_review,
    is_fixed,
    members_by_review,
    one_of,
)
from bot.workflow.clock.holds import holds_by_review
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import ports
from bot.workflow.core.chat_port import ChatPort
from bot.workflow.core.kernel import audit
from bot.workflow.core.notices import DueLine, ReminderDigest, Undeliverable, WeeklyStatus
from bot.workflow.core.permissions import Role
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.stages import Stage
from bot.workflow.panel.panel import admin_ids
from bot.workflow.reminders.board_reminder import BOARD, board_rows
from bot.workflow.reminders.reminders import (
    ReminderSchedule,
    WorkdayIndex,
    describe_due,
    due_points,
    in_send_hours,
    send_instant,
    week_key,
    week_start,
)
from bot.workflow.reminders.sources import collect
from bot.workflow.reminders.unreachable import unreachable_people
from storage.db import Database
from storage.ledger import CHANNEL, FAILED, PENDING, SENDING, SENT, USER, ReminderLedger
from storage.models import AuditEntry, Review

log = logging.getLogger("dhr.reminders")

PLAN_LOCK = 0x44485231          # pg_try_advisory_xact_lock key: one planner per tick ("DHR1")
RECIPIENT_LOCK = 0x44485232     # class of the per-recipient claim locks ("DHR2")
WEEKLY, UNDELIVERABLE = "weekly_status", "undeliverable"
SWEEP_ACTOR = "reminders"      # who the audit log says acted when the sweep records a failure
LIVE_STAGES = tuple(s.value for s in Stage if s is not Stage.CONCLUDED)

# What a platform failure means for a reminder (ChatError.kind; the adapter maps its codes).
GONE = frozenset({ports.PERSON_UNAVAILABLE})
SPACE_GONE = frozenset({ports.NOT_IN_SPACE, ports.SPACE_ARCHIVED})
REFUSED = frozenset({ports.NOT_ALLOWED, ports.MESSAGE_REFUSED})
GLOBAL = frozenset({ports.AUTH_FAILED, ports.MISSING_PERMISSION})
MAYBE_POSTED = frozenset({ports.UNAVAILABLE})


def is_permanent(err: ChatError, recipient_kind: str) -> bool:
    """A person who is gone, or a message refused as it is, fails for good at once. A DM conversation
    that is missing or closed is opened again on the next attempt (bounded by max_attempts); a review
    space that is archived or gone stays so."""
    return err.kind in GONE or err.kind in REFUSED or (err.kind in SPACE_GONE and recipient_kind == CHANNEL)


def maybe_posted(err: ChatError) -> bool:
    """Failures that can hide a message the platform did accept (a lost answer): retried via the
    history check."""
    return err.kind in MAYBE_POSTED


@dataclass
class SweepReport:
    at: datetime
    skipped: str | None = None
    planned: int = 0
    recovered: int = 0
    messages: int = 0           # DMs and space posts that went
    reminders: int = 0          # ledger rows they carried
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.skipped:
            return f"sweep at {self.at:%Y-%m-%d %H:%M} UTC skipped: {self.skipped}"
        return (f"sweep at {self.at:%Y-%m-%d %H:%M} UTC: planned {self.planned}, sent {self.messages} messages "
                f"carrying {self.reminders} reminders, recovered {self.recovered}, retrying {self.retrying}, "
                f"failed {self.failed}")


@dataclass
class _Digest:
    digest_id: str
    recipient: str
    kind: str                       # a person, or a review's space (the ledger's kinds)
    rows: list[Any]                 # ledger rows (Row objects with the columns below)
    claimed_at: datetime


_CLAIM_COLUMNS = (ReminderLedger.id, ReminderLedger.review_id, ReminderLedger.item_kind, ReminderLedger.item_key,
                  ReminderLedger.recipient, ReminderLedger.recipient_kind, ReminderLedger.due_on,
                  ReminderLedger.point, ReminderLedger.point_on, ReminderLedger.escalated,
                  ReminderLedger.reference, ReminderLedger.label, ReminderLedger.link_channel,
                  ReminderLedger.detail, ReminderLedger.attempts, ReminderLedger.digest_id,
                  ReminderLedger.claimed_at)


class ReminderSweep:
    def __init__(self, db: Database, chat: ChatPort | Mapping[str, ChatPort], *, tz: ZoneInfo,
                 calendar: WorkingCalendar,
                 schedule: ReminderSchedule | None = None, sources: dict[str, DueSource] | None = None,
                 lease: timedelta = timedelta(minutes=15), chunk: int = 20, max_attempts: int = 8,
                 idx: WorkdayIndex | None = None, replan_every: timedelta = timedelta(hours=1),
                 admins: tuple[str, ...] | Mapping[str, tuple[str, ...]] = (),
                 refresh_card: Callable[[int, date], None] | None = None):
        """`chat`: one port, or one per platform (keyed by each port's `platform`); each review's rows are
        delivered through its own platform's. `admins`: the configured CSP admins (per platform)."""
        self.chats = dict(chat) if isinstance(chat, Mapping) else {chat.platform: chat}
        self.db, self.tz = db, tz
        self.platform, self.chat = next(iter(self.chats.items()))   # the platform being delivered to
        self.admins_by = dict(admins) if isinstance(admins, Mapping) else {p: admins for p in self.chats}
        self._platforms: dict[int, str] = {}    # review id -> platform, for the rows being planned
        self.refresh_card = refresh_card    # re-renders a review's summary card (review id, today)
        self.schedule = schedule or ReminderSchedule()
        self.sources = sources
        self.idx = idx or WorkdayIndex(calendar)
        self.calendar = calendar
        self.lease, self.chunk, self.max_attempts = lease, chunk, max_attempts
        self.replan_every = replan_every
        self._planned: tuple[date, int | None] | None = None   # (day, audit mark) of this process's last plan
        self._planned_at: datetime | None = None

    # ------------------------------------------------------------------ the tick

    def run(self, now: datetime) -> SweepReport:
        """One sweep as of `now` (aware). Delivery bookkeeping moves on from `now` as real time passes."""
        started = _time.monotonic()
        clock = lambda: now + timedelta(seconds=_time.monotonic() - started)  # noqa: E731
        report = SweepReport(at=now)
        if not in_send_hours(now, self.tz, self.idx, self.schedule):
            report.skipped = "outside reminder hours (working days, " \
                             f"{self.schedule.start:%H:%M}-{self.schedule.end:%H:%M} {self.tz.key})"
            return report
        planned = self.plan(now)
        if planned is None:
            report.skipped = "another process is sweeping"
            return report
        report.planned = planned
        for platform, chat in self.chats.items():   # one platform's rows at a time
            self.platform, self.chat = platform, chat
            self.recover(clock, report)
            self.deliver(clock, report)
        return report

    def forget_plan(self) -> None:
        """The next tick plans from every source again (the ledger was changed outside the sweep)."""
        self._planned = self._planned_at = None

    def today(self, now: datetime) -> date:
        return now.astimezone(self.tz).date()

    # ------------------------------------------------------------------ 2. plan

    def plan(self, now: datetime) -> int | None:
        """Inserts the rows due by now; None when another process holds the planning lock."""
        today = self.today(now)
        with self.db.session() as s:
            # What is due changes only with the day or with a change to a review, and every change is
            # audited: while neither moved, the last plan stands (re-planned hourly all the same).
            mark = (today, s.execute(select(func.max(AuditEntry.id))).scalar())
            only = self._changed_reviews(s, mark, now)
            if only is not None and not only:
                return 0
            if self.db.is_postgres and not s.execute(text("SELECT pg_try_advisory_xact_lock(:k)"),
                                                     {"k": PLAN_LOCK}).scalar():
                return None
            week_of = self._weekly_week(s, today)
            ahead = self.schedule.lead_days
            if week_of:
                ahead = max(ahead, self.schedule.weekly_lookahead)
            window = DueWindow(today=today, due_until=self.idx.add(today, ahead), tz=self.tz,
                               calendar=self.calendar, index=self.idx, only_reviews=only)
            items = collect(s, window, self.sources)
            self._platforms = dict(s.exec(select(Review.id, Review.platform)
                                          .where(Review.id.in_({i.review_id for i in items}))).all())
            rows = self._reminder_rows(items, today, now)
            if only is None:        # a full plan: the quarter's board report reminder, once per person
                rows += board_rows(s, today, now, self.idx, self.chats, self.admins_by)
            if week_of:
                rows += self._weekly_rows(s, items, today, week_of, now)
            planned = self._insert_new(s, self._defer_after_digest(s, rows, today)) if rows else 0
        if only is None:
            self._planned_at = now                      # a full plan restarts the hourly clock
        self._planned = mark                            # once committed: a failed plan is tried again
        return planned

    def _changed_reviews(self, s: Session, mark: tuple[date, int | None], now: datetime) -> frozenset[int] | None:
        """What to plan this tick. What is due changes only with the day or with a change to a review,
        and every change is audited: so a full plan on a new day, every hour all the same, or after a
        workspace-wide change; otherwise only the reviews audited since the last plan (often none)."""
        last = self._planned
        if last is None or last[0] != mark[0] or now - self._planned_at >= self.replan_every:
            return None
        if mark == last:
            return frozenset()
        changed = set(s.execute(select(AuditEntry.review_id).where(AuditEntry.id > (last[1] or 0))
                                .distinct()).scalars())
        return None if None in changed else frozenset(changed)

    def _row(self, *, review_id, kind, key, recipient, recipient_kind, due_on, point, point_on, today, now,
             reference, label, link_channel, escalated=False, detail=None) -> dict:
        return dict(
            idempotency_key=f"{review_id}|{kind}|{key}|{recipient}|{due_on.isoformat()}|{point}"[:255],
            platform=self._platforms.get(review_id, self.platform), review_id=review_id, item_kind=kind[:32],
            item_key=key[:64], recipient=recipient,
            recipient_kind=recipient_kind, due_on=due_on, point=point, point_on=point_on, send_on=today,
            escalated=escalated, reference=reference[:40], label=label[:120], link_channel=link_channel,
            detail=detail, status=PENDING, attempts=0, next_attempt_at=now, created_at=now)

    def _reminder_rows(self, items: Iterable[DueItem], today: date, now: datetime) -> list[dict]:
        rows = []
        # Thousands of items share a few hundred (due date, first day) pairs: work each out once.
        catch_up = self.idx.add(today, -self.schedule.catch_up_days)
        known: dict[tuple[date, date], list] = {}
        for item in items:
            lo = item.since if item.since and item.since > catch_up else catch_up
            points = known.get((item.due, lo))
            if points is None:
                points = known[(item.due, lo)] = due_points(item.due, since=item.since, today=today,
                                                            schedule=self.schedule, idx=self.idx)
            if item.once:   # every day's first point under one ledger code: a second is never planned
                points = [replace(p, code="d0") for p in points if p.on >= item.due][:1]
            for point in points:
                recipients = list(item.owners)
                if point.escalates:
                    recipients += [r for r in item.escalate_to if r not in recipients]
                for user in recipients:
                    rows.append(self._row(
                        review_id=item.review_id, kind=item.kind, key=item.key, recipient=user,
                        recipient_kind=USER, due_on=item.due, point=point.code, point_on=point.on, today=today,
                        now=now, reference=item.reference, label=item.label, link_channel=item.space_id,
                        escalated=user not in item.owners, detail=_row_detail(item, user)))
        return rows

    def _weekly_week(self, s: Session, today: date) -> date | None:
        """This week's first working day while some live review still lacks this week's post."""
        first = week_start(today, self.idx)
        if first is None:
            return None
        done = s.exec(select(func.count()).select_from(ReminderLedger).where(
            ReminderLedger.point_on == first, ReminderLedger.point == "weekly")).one()
        live = s.exec(select(func.count()).select_from(Review).where(*self._live_filter(first))).one()
        return first if done < live else None

    def _live_filter(self, first: date):
        end_of_first = datetime.combine(first + timedelta(days=1), datetime.min.time(), tzinfo=self.tz)
        return (Review.stage.in_(LIVE_STAGES), Review.setup_state == "complete", Review.space_id.is_not(None),
                Review.created_at < end_of_first.astimezone(timezone.utc))

    def _weekly_rows(self, s: Session, items: list[DueItem], today: date, first: date, now: datetime) -> list[dict]:
        live = s.exec(select(Review.id, Review.reference, Review.space_id, Review.platform)
                      .where(*self._live_filter(first))).all()
        self._platforms.update({r.id: r.platform for r in live})
        held = holds_by_review(s, [r.id for r in live])
        by_review: dict[int, list[DueItem]] = defaultdict(list)
        for item in items:
            by_review[item.review_id].append(item)
        week = week_key(first)
        rows = []
        for r in live:
            lines = [{"label": i.label, "due": i.due.isoformat(), **({"about": i.about} if i.about else {})}
                     for i in sorted(by_review.get(r.id, []), key=lambda i: (i.due, i.label))][:40]
            rows.append(self._row(
                review_id=r.id, kind=WEEKLY, key=week, recipient=r.space_id, recipient_kind=CHANNEL, due_on=first,
                point="weekly", point_on=first, today=today, now=now, reference=r.reference,
                label="Weekly status", link_channel=r.space_id,
                detail={"lines": lines, "holds": [f"{h.label} (until {h.until})" for h in held.get(r.id, [])]}))
        return rows

    def _defer_after_digest(self, s: Session, rows: list[dict], today: date) -> list[dict]:
        """One DM per person per working day: rows for someone whose digest already went today wait
        for tomorrow's."""
        done = set(s.exec(select(ReminderLedger.recipient).where(
            ReminderLedger.send_on == today, ReminderLedger.recipient_kind == USER,
            ReminderLedger.status.in_([SENDING, SENT])).distinct()))
        if not done:
            return rows
        tomorrow = self.idx.add(today, 1)
        at = send_instant(tomorrow, self.tz, self.schedule)
        for row in rows:
            if row["recipient_kind"] == USER and row["recipient"] in done:
                row.update(send_on=tomorrow, next_attempt_at=at)
        return rows

    def _insert_new(self, s: Session, rows: list[dict]) -> int:
        unique = {r["idempotency_key"]: r for r in rows}
        existing = set(s.exec(select(ReminderLedger.idempotency_key)
                              .where(one_of(s, ReminderLedger.idempotency_key, unique))))
        new = [r for k, r in unique.items() if k not in existing]
        if new:
            dialect = postgresql if self.db.is_postgres else sqlite
            stmt = dialect.insert(ReminderLedger.__table__).on_conflict_do_nothing(index_elements=["idempotency_key"])
            for i in range(0, len(new), 1000):
                s.execute(stmt, new[i:i + 1000])
        return len(new)

    # ------------------------------------------------------------------ 3. recover

    def recover(self, clock: Callable[[], datetime], report: SweepReport) -> None:
        now = clock()
        with self.db.session() as s:
            rows = s.exec(select(*_CLAIM_COLUMNS).where(ReminderLedger.status == SENDING,
                                                        ReminderLedger.lease_until < now,
                                                        ReminderLedger.platform == self.platform)
                          .limit(2000).with_for_update(skip_locked=True)).all()
            if not rows:
                return
            ids = [r.id for r in rows]
            taken = set(s.execute(update(ReminderLedger).where(
                ReminderLedger.id.in_(ids), ReminderLedger.status == SENDING, ReminderLedger.lease_until < now)
                .values(lease_until=now + self.lease).returning(ReminderLedger.id)).scalars())
        digests: dict[str, _Digest] = {}
        for r in rows:
            if r.id in taken:
                d = digests.setdefault(r.digest_id or f"none-{r.id}",
                                       _Digest(r.digest_id, r.recipient, r.recipient_kind, [], r.claimed_at or now))
                d.rows.append(r)
        for d in digests.values():
            ts, space_id = None, None
            if d.kind == USER and d.digest_id:
                try:
                    space = self.chat.open_dm(PersonRef(d.recipient))
                    space_id = space.id
                    found = self.chat.find_digest(space, d.digest_id, d.claimed_at - timedelta(minutes=2))
                    ts = found.id if found else None
                except ChatError as err:
                    if is_permanent(err, d.kind):
                        self._fail(d, err.code, clock(), report)
                        continue
                    self._release(d, clock(), delay=self._delay(d, err), code=err.code, keep_claim=True)
                    continue
            if ts:
                self._mark_sent(d, space_id, ts, clock(), report)
                report.recovered += len(d.rows)
            else:
                self._release(d, clock(), delay=timedelta(0), code=None)
                report.recovered += len(d.rows)

    # ------------------------------------------------------------------ 4. deliver

    def deliver(self, clock: Callable[[], datetime], report: SweepReport) -> None:
        seen: set[tuple[str, str]] = set()
        while True:
            digests = self._claim(clock(), seen)
            if not digests:
                return
            for i, d in enumerate(digests):
                if not self._deliver_one(d, clock, report):     # a global error: stop this tick
                    for rest in digests[i + 1:]:
                        self._release(rest, clock(), delay=timedelta(minutes=5), code="not_attempted",
                                      refund=True)
                    return

    def _claim(self, now: datetime, seen: set) -> list[_Digest]:
        today = self.today(now)
        with self.db.session() as s:
            candidates = s.exec(
                select(ReminderLedger.recipient_kind, ReminderLedger.recipient)
                .where(is_fixed(ReminderLedger.status, PENDING), ReminderLedger.next_attempt_at <= now,
                       ReminderLedger.platform == self.platform)
                .group_by(ReminderLedger.recipient_kind, ReminderLedger.recipient)
                .order_by(func.min(ReminderLedger.id)).limit(self.chunk + len(seen))).all()
            digests = []
            for kind, recipient in candidates:
                if (kind, recipient) in seen or len(digests) >= self.chunk:
                    continue
                seen.add((kind, recipient))
                if self.db.is_postgres and not s.execute(
                        text("SELECT pg_try_advisory_xact_lock(:c, hashtext(:r))"),
                        {"c": RECIPIENT_LOCK, "r": f"{kind}:{recipient}"}).scalar():
                    continue        # another process is claiming this person's rows right now
                ids = list(s.exec(select(ReminderLedger.id).where(
                    ReminderLedger.recipient_kind == kind, ReminderLedger.recipient == recipient,
                    ReminderLedger.platform == self.platform,
                    is_fixed(ReminderLedger.status, PENDING), ReminderLedger.next_attempt_at <= now)
                    .with_for_update(skip_locked=True)))
                if not ids:
                    continue
                digest_id = uuid.uuid4().hex
                got = set(s.execute(update(ReminderLedger).where(
                    ReminderLedger.id.in_(ids), ReminderLedger.status == PENDING)
                    .values(status=SENDING, digest_id=digest_id, claimed_at=now, lease_until=now + self.lease,
                            attempts=ReminderLedger.attempts + 1, send_on=today)
                    .returning(ReminderLedger.id)).scalars())
                if got:
                    rows = s.exec(select(*_CLAIM_COLUMNS).where(ReminderLedger.id.in_(got))
                                  .order_by(ReminderLedger.id)).all()
                    digests.append(_Digest(digest_id, recipient, kind, list(rows), now))
            return digests

    def _deliver_one(self, d: _Digest, clock, report: SweepReport) -> bool:
        """False when the platform refuses everything (bad token, missing scope)."""
        if clock() > d.claimed_at + self.lease / 2 and not self._renew(d, clock()):
            return True         # the claim was lost (lease expired and recovered elsewhere)
        space = SpaceRef(d.recipient)
        try:
            if d.kind == USER:
                space = self.chat.open_dm(PersonRef(d.recipient))
            notice = self.notice_for(d, self.today(clock()))
        except ChatError as err:
            return self._after_error(d, err, clock(), report, posted_maybe=False)
        try:
            sent = self.chat.send_digest(space, notice, digest_id=d.digest_id)
        except ChatError as err:
            return self._after_error(d, err, clock(), report, posted_maybe=maybe_posted(err))
        self._mark_sent(d, space.id, sent.id, clock(), report)
        return True

    def _after_error(self, d: _Digest, err: ChatError, now: datetime, report: SweepReport, *,
                     posted_maybe: bool) -> bool:
        code = err.code[:64]
        if err.kind in GLOBAL:
            log.error("reminder delivery stopped: the platform refused the bot (%s)", code)
            report.errors.append(code)
            self._release(d, now, delay=timedelta(minutes=5), code=code, refund=True)
            return False
        if is_permanent(err, d.kind):
            self._fail(d, code, now, report)
            return True
        attempts = max(r.attempts for r in d.rows)
        if attempts >= self.max_attempts:
            self._fail(d, code, now, report)
            return True
        report.retrying += len(d.rows)
        # A lost answer may hide a post: keep the claim so recovery checks the history first.
        self._release(d, now, delay=self._delay(d, err), code=code, keep_claim=posted_maybe)
        return True

    def _delay(self, d: _Digest, err: ChatError) -> timedelta:
        attempts = max((r.attempts for r in d.rows), default=1)
        backoff = min(3600, 30 * 2 ** max(0, attempts - 1))
        return timedelta(seconds=max(backoff, err.retry_after or 0))

    # ------------------------------------------------------------------ marking outcomes

    def _mine(self, d: _Digest):
        return (ReminderLedger.id.in_([r.id for r in d.rows]), ReminderLedger.status == SENDING,
                ReminderLedger.digest_id == d.digest_id)

    def _renew(self, d: _Digest, now: datetime) -> bool:
        with self.db.session() as s:
            return s.execute(update(ReminderLedger).where(*self._mine(d))
                             .values(lease_until=now + self.lease)).rowcount > 0

    def _mark_sent(self, d: _Digest, space_id: str | None, ts: str, now: datetime, report: SweepReport) -> None:
        with self.db.session() as s:
            n = s.execute(update(ReminderLedger).where(*self._mine(d)).values(
                status=SENT, sent_at=now, message_ts=ts, message_channel=space_id, last_error=None,
                lease_until=None)).rowcount
        report.messages += 1
        report.reminders += n

    def _release(self, d: _Digest, now: datetime, *, delay: timedelta, code: str | None,
                 keep_claim: bool = False, refund: bool = False) -> None:
        values: dict = {"last_error": code}
        if keep_claim:      # stays `sending`; recovery looks for the digest id after the lease
            values["lease_until"] = now + delay
        else:
            values.update(status=PENDING, digest_id=None, claimed_at=None, lease_until=None,
                          next_attempt_at=now + delay)
        if refund:
            values["attempts"] = ReminderLedger.attempts - 1
        with self.db.session() as s:
            s.execute(update(ReminderLedger).where(*self._mine(d)).values(**values))

    def _fail(self, d: _Digest, code: str, now: datetime, report: SweepReport) -> None:
        """For good. No reminder is dropped silently: each goes on to the next people in the review's
        escalation chain who can still be reached, with a word on who could not be; the failure is
        audited and shown on the review's summary card."""
        report.failed += len(d.rows)
        log.warning("a reminder could not be delivered (%s)", code)
        today = self.today(now)
        reviews = sorted({r.review_id for r in d.rows})
        with self.db.session() as s:
            s.execute(update(ReminderLedger).where(*self._mine(d)).values(
                status=FAILED, last_error=code[:64], lease_until=None))
            s.flush()
            chain = self.next_in_chain(s, reviews, d.recipient)
            rows = [self._handed_on(r, d.recipient, user, today, now)
                    for r in d.rows if d.kind == USER and r.item_kind not in (WEEKLY, BOARD)
                    for user in chain.get(r.review_id, ())]
            # The board report's reminder belongs to no review: its failure is not one of the review's.
            for r in {r.review_id: r for r in d.rows if r.item_kind != BOARD}.values():
                to = chain.get(r.review_id, ())
                rows += [self._row(review_id=r.review_id, kind=UNDELIVERABLE, key=d.recipient, recipient=user,
                                   recipient_kind=USER, due_on=today, point=f"{d.kind[:1]}notice", point_on=today,
                                   today=today, now=now, reference=r.reference, label=code,
                                   link_channel=r.link_channel, detail={"target_kind": d.kind}) for user in to]
                audit(s, SWEEP_ACTOR, "reminder.undeliverable", now, r.review_id, recipient=d.recipient,
                      recipient_kind=d.kind, reason=code[:64], handed_to=list(to),
                      reminders=sum(x.review_id == r.review_id for x in d.rows))
            if rows:
                self._insert_new(s, rows)
        if d.kind == USER and self.refresh_card:
            for review_id in reviews:
                self._refresh(review_id, today)

    def next_in_chain(self, s: Session, review_ids: list[int], failed: str) -> dict[int, tuple[str, ...]]:
        """Per review, who takes over a reminder `failed` could not get: its coordinators, else its
        chairs, else the CSP admins; never anyone whose own reminders are failing."""
        coordinators = coordinators_by_review(s, review_ids)
        chairs = members_by_review(s, review_ids, (Role.CHAIR,))
        where = {r.id: (r.tenant_id, r.platform) for r in s.exec(
            select(Review.id, Review.tenant_id, Review.platform).where(Review.id.in_(review_ids))).all()}
        teams = {review_id: tenant for review_id, (tenant, _) in where.items()}
        admins = {tenant: tuple(admin_ids(s, tenant, self.admins_by.get(platform, ())))
                  for tenant, platform in set(where.values())}
        everyone = {u for group in (*coordinators.values(), *chairs.values(), *admins.values()) for u in group}
        gone = unreachable_people(s, everyone | {failed}) | {failed}
        out = {}
        for review_id in review_ids:
            team_admins = admins.get(teams.get(review_id), ())
            for tier in (coordinators.get(review_id, ()), chairs.get(review_id, ()), team_admins):
                reachable = tuple(u for u in tier if u not in gone)
                if reachable:
                    out[review_id] = reachable
                    break
        return out

    def _handed_on(self, r, failed: str, user: str, today: date, now: datetime) -> dict:
        detail = {k: v for k, v in (r.detail or {}).items() if k != "outside"}
        detail.setdefault("instead_of", failed)       # the first person who could not be reached
        return self._row(review_id=r.review_id, kind=r.item_kind, key=r.item_key, recipient=user, recipient_kind=USER,
                         due_on=r.due_on, point=r.point, point_on=r.point_on, today=today, now=now,
                         reference=r.reference, label=r.label, link_channel=r.link_channel, escalated=True,
                         detail=detail)

    def _refresh(self, review_id: int, today: date) -> None:
        """The card shows who could not be reached. Best effort: the ledger is the truth."""
        try:
            self.refresh_card(review_id, today)
        except Exception as err:  # noqa: BLE001 - a card left stale must not stop the sweep
            log.warning("could not refresh a review's card after a failed reminder (%s)",
                        getattr(err, "code", type(err).__name__))

    # ------------------------------------------------------------------ what a message says

    def notice_for(self, d: _Digest, today: date):
        if d.kind == CHANNEL:
            return self._weekly_notice(d.rows[0], today)
        lines, undeliverable = [], []
        latest: dict[tuple, Any] = {}
        for r in d.rows:
            if r.item_kind == UNDELIVERABLE:
                undeliverable.append(Undeliverable(r.reference, r.link_channel, r.item_key,
                                                   (r.detail or {}).get("target_kind", USER), r.label))
                continue
            k = (r.review_id, r.item_kind, r.item_key)
            if k not in latest or (r.point_on, r.due_on) > (latest[k].point_on, latest[k].due_on):
                latest[k] = r      # missed points of one item fold into one line, as it stands today
        for k, r in latest.items():
            same = [x for x in d.rows if (x.review_id, x.item_kind, x.item_key) == k]
            detail = r.detail or {}
            about = detail.get("about")
            handed = [x.detail["instead_of"] for x in same if x.detail and "instead_of" in x.detail]
            lines.append(self.due_line(
                r.reference, r.link_channel, r.label, r.due_on, today, any(x.escalated for x in same),
                about=about if about != d.recipient else None, outside=bool(detail.get("outside")),
                instead_of=handed[0] if handed else None, kind=r.item_kind))
        order = {"overdue": 0, "today": 1, "upcoming": 2}
        lines.sort(key=lambda ln: (order[ln.state], -ln.working_days if ln.state == "overdue" else ln.working_days,
                                   ln.reference, ln.label))
        return ReminderDigest(day=show_date(today), lines=lines, undeliverable=undeliverable)

    def due_line(self, reference, space_id, label, due: date, today: date, escalated=False, **who) -> DueLine:
        """`who`: about (whose part it is), instead_of (who could not be reached), outside (the reader
        is not in the review's space yet)."""
        state, n = describe_due(due, today, self.idx)
        note = self.calendar.describe(due)
        return DueLine(reference=reference, space_id=space_id, label=label, due=show_date(due), state=state,
                       working_days=n, due_note=note, escalated=escalated, **who)

    def _weekly_notice(self, r, today: date) -> WeeklyStatus:
        detail = r.detail or {}
        lines = [self.due_line(r.reference, r.link_channel, x["label"], date.fromisoformat(x["due"]), today,
                               about=x.get("about"))
                 for x in detail.get("lines", [])]
        return WeeklyStatus(reference=r.reference, week_of=show_date(r.point_on),
                            lookahead_days=self.schedule.weekly_lookahead, lines=lines,
                            holds=list(detail.get("holds") or []))


def _row_detail(item: DueItem, user: str) -> dict | None:
    detail = {}
    if item.about:
        detail["about"] = item.about
    if item.owners_outside and user in item.owners:
        detail["outside"] = True
    return detail or None


def show_date(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"

