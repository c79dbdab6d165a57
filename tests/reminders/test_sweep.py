"""The sweep + ledger against the fake Slack, on SQLite and PostgreSQL, with a controlled clock."""
import threading
import time
from datetime import date, timedelta

import pytest
from sqlmodel import select

from handlers.slack.platform.chat import chat_error
from storage.db import Database
from storage.ledger import FAILED, PENDING, SENDING, SENT, ReminderLedger
from tests.reminders.conftest import (
    CHAIR,
    COORD,
    POLICE,
    add_member,
    at,
    chat_for,
    dm_texts,
    make_review,
    sweeper,
)

pytestmark = pytest.mark.db
D = date


def ledger(db, *where):
    with db.session() as s:
        return s.exec(select(ReminderLedger).where(*where).order_by(ReminderLedger.id)).all()


def three_reviews(db):
    """A: decision due Mon 9 Nov 2026; B: Thu 12 Nov; C: Wed 18 Nov. All recorded on Mon 19 Oct."""
    a = make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19), chair=CHAIR)
    b = make_review(db, "DHR-2026-02", notified_on=D(2026, 10, 12), created_on=D(2026, 10, 19))
    c = make_review(db, "DHR-2026-03", notified_on=D(2026, 10, 18), created_on=D(2026, 10, 19))
    return a, b, c


def test_down_three_days_then_one_sweep_sends_each_missed_reminder_once_in_one_digest(db, fake):
    three_reviews(db)
    sweep = sweeper(db, fake)
    day = D(2026, 10, 24)                       # Saturday, then the autumn clock change on Sunday 25th
    while day <= D(2026, 11, 3):
        for hh, mm in ((8, 59), (9, 5), (15, 0)):
            sweep.run(at(day, hh, mm))
        day += timedelta(days=1)
    before = dm_texts(fake, COORD)
    assert len(before) == 3                     # 26 Oct (A, 10 before), 29 Oct (B), 2 Nov (A, 5 before)
    # The bot is down on Wed 4, Thu 5 and Fri 6 Nov; back on Monday 9 Nov at 09:05.
    report = sweep.run(at(D(2026, 11, 9)))
    assert report.messages == 2                 # one digest each for the coordinator and the chair
    sweep.run(at(D(2026, 11, 9), 9, 6))
    sweep.run(at(D(2026, 11, 9), 14, 0))
    coordinator = dm_texts(fake, COORD)
    assert len(coordinator) == 4
    monday = coordinator[-1]
    assert "DHR-2026-01" in monday and "due *today*" in monday                          # A: 1 before + on the day
    assert "DHR-2026-02" in monday and "Thu 12 Nov 2026, in 3 working days" in monday   # B: missed 5 before
    assert "DHR-2026-03" in monday and "Wed 18 Nov 2026, in 7 working days" in monday   # C: missed 10 before
    assert monday.count("Decision whether to hold a review") == 3                       # folded: one line each
    chair = dm_texts(fake, CHAIR)
    assert len(chair) == 3 and "DHR-2026-01" in chair[-1] and "DHR-2026-02" not in chair[-1]
    rows = ledger(db)
    assert all(r.status == SENT for r in rows)
    keys = [r.idempotency_key for r in rows]
    assert len(keys) == len(set(keys)) == 11
    monday_rows = [r for r in rows if r.recipient == COORD and r.sent_at >= at(D(2026, 11, 9), 0, 0)]
    assert sorted(r.point for r in monday_rows) == ["b1", "b10", "b5", "d0"]
    assert len({r.digest_id for r in monday_rows}) == 1 and len({r.message_ts for r in monday_rows}) == 1


def test_messages_carry_the_reference_and_what_is_due_only(db, fake):
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19), space_id="C0REVIEW1")
    sweeper(db, fake).run(at(D(2026, 10, 26)))
    (message,) = fake.dm_messages(COORD)
    text = dm_texts(fake, COORD)[0]
    assert "Adult A" not in text and "Police" not in text and "relative" not in text
    assert "<#C0REVIEW1>" in text and "DHR-2026-01" in message.text
    assert message.metadata["event_type"] == "dhr_digest"


def test_a_review_recorded_late_never_gets_the_early_reminders(db, fake):
    # Notified 9 Oct, decision due Mon 9 Nov, but only recorded on Wed 4 Nov (3 working days before).
    make_review(db, "DHR-2026-04", notified_on=D(2026, 10, 9), created_on=D(2026, 11, 4))
    sweep = sweeper(db, fake)
    for d in (D(2026, 11, 4), D(2026, 11, 5), D(2026, 11, 6), D(2026, 11, 9)):
        sweep.run(at(d))
    assert sorted(r.point for r in ledger(db)) == ["b1", "d0"]


def test_overdue_escalates_every_five_working_days(db, fake):
    rid = make_review(db, "DHR-2026-05", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    with db.session() as s:
        from datetime import datetime, timezone
        add_member(s, rid, POLICE, "panel_member", datetime(2026, 10, 19, tzinfo=timezone.utc))
    sweep = sweeper(db, fake)
    day = D(2026, 11, 9)
    while day <= D(2026, 11, 30):
        sweep.run(at(day))
        day += timedelta(days=1)
    overdue = [r.point for r in ledger(db, ReminderLedger.point.like("o%"))]
    assert overdue == ["o5", "o10", "o15"]       # Mon 16, Mon 23, Mon 30 Nov
    assert "overdue" in dm_texts(fake, COORD)[-1] and "15 working days late" in dm_texts(fake, COORD)[-1]
    assert fake.dm_messages(POLICE) == []        # panel members are not told about statutory milestones


def test_nothing_goes_outside_working_hours_and_a_weekend_backlog_goes_on_monday_once(db, fake):
    # Decision due Sun 1 Nov 2026: "on the day" is Fri 30 Oct. The bot only runs at the weekend and Monday.
    make_review(db, "DHR-2026-06", notified_on=D(2026, 10, 1), created_on=D(2026, 10, 28))
    sweep = sweeper(db, fake)
    assert sweep.run(at(D(2026, 10, 31), 10)).skipped                  # Saturday
    assert sweep.run(at(D(2026, 11, 1), 10)).skipped                   # Sunday
    assert sweep.run(at(D(2026, 11, 2), 8, 59)).skipped                # Monday before nine
    assert fake.dm_messages(COORD) == []
    sweep.run(at(D(2026, 11, 2), 9, 0))
    sweep.run(at(D(2026, 11, 2), 9, 1))
    (text,) = dm_texts(fake, COORD)
    assert "overdue" in text and "Sunday, not a working day" in text
    assert [r.point for r in ledger(db)] == ["d0"]        # its 10/5 before fell before it was recorded


def test_one_dm_a_day_later_items_wait_for_tomorrows_digest(db, fake):
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    sweep = sweeper(db, fake)
    sweep.run(at(D(2026, 11, 2)))                      # A: 5 before
    # A review recorded at 11:00 whose decision is due tomorrow: its "1 before" is today.
    make_review(db, "DHR-2026-07", notified_on=D(2026, 10, 3), created_on=D(2026, 11, 2))
    sweep.run(at(D(2026, 11, 2), 11, 30))
    assert len(fake.dm_messages(COORD)) == 1
    sweep.run(at(D(2026, 11, 3)))
    texts = dm_texts(fake, COORD)
    assert len(texts) == 2 and "DHR-2026-07" in texts[1] and "due *today*" in texts[1]


def test_weekly_status_post_in_each_review_channel_on_monday(db, fake):
    channel = fake.add_channel("dhr-2026-08", is_private=True, members=[COORD]).id
    make_review(db, "DHR-2026-08", notified_on=D(2026, 10, 20), created_on=D(2026, 10, 20), space_id=channel)
    sweep = sweeper(db, fake)
    for d in (D(2026, 11, 2), D(2026, 11, 3), D(2026, 11, 6)):
        sweep.run(at(d))
        sweep.run(at(d, 9, 30))
    posts = [m for m in fake.messages(channel) if m.metadata]
    assert len(posts) == 1
    from tests.e2e.journey import block_text
    text = block_text(posts[0].blocks)
    assert "Weekly status: DHR-2026-08" in text and "Decision whether to hold a review" in text
    assert "Adult A" not in text
    sweep.run(at(D(2026, 11, 9)))
    assert len([m for m in fake.messages(channel) if m.metadata]) == 2


def test_the_weekly_status_names_the_activities_on_hold(db, fake):
    from datetime import datetime, timezone

    from storage.timeline import ActivityHold
    channel = fake.add_channel("dhr-2026-09", is_private=True, members=[COORD]).id
    rid = make_review(db, "DHR-2026-09", notified_on=D(2026, 10, 20), created_on=D(2026, 10, 20), space_id=channel)
    with db.session() as s:
        s.add(ActivityHold(review_id=rid, activity="publication", agreed_by="the coroner", agreed_on=D(2026, 10, 21),
                           until_event="the end of the inquest", reason="Inquest adjourned", started_by=COORD,
                           started_at=datetime(2026, 10, 21, 10, tzinfo=timezone.utc)))
        s.commit()
    sweeper(db, fake).run(at(D(2026, 11, 2)))
    from tests.e2e.journey import block_text
    (post,) = [m for m in fake.messages(channel) if m.metadata]
    text = block_text(post.blocks)
    assert "On hold (everything else goes on): Publication of the report (until the end of the inquest)" in text
    assert "Decision whether to hold a review" in text and "Inquest adjourned" not in text


def test_weekly_post_after_easter_monday_goes_on_tuesday(db, fake):
    channel = fake.add_channel("dhr-2027-01", is_private=True, members=[COORD]).id
    make_review(db, "DHR-2027-01", notified_on=D(2027, 3, 1), created_on=D(2027, 3, 1), space_id=channel)
    sweep = sweeper(db, fake)
    assert sweep.run(at(D(2027, 3, 29))).skipped          # Easter Monday
    sweep.run(at(D(2027, 3, 30)))
    sweep.run(at(D(2027, 3, 31)))
    posts = [m for m in fake.messages(channel) if m.metadata]
    assert len(posts) == 1


def test_a_deactivated_chair_is_marked_failed_and_the_coordinator_told(db, fake):
    fake.add_user("U0GONE001", "gone", deleted=True)
    channel = fake.add_channel("dhr-2026-01", is_private=True, members=[COORD]).id
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19), chair="U0GONE001",
                space_id=channel)
    sweep = sweeper(db, fake)
    report = sweep.run(at(D(2026, 10, 26)))
    assert report.failed == 1
    (row,) = ledger(db, ReminderLedger.recipient == "U0GONE001")
    assert row.status == FAILED and row.last_error == "user_disabled"
    sweep.run(at(D(2026, 10, 26), 9, 6))
    texts = dm_texts(fake, COORD)
    assert len(texts) == 2 and "<@U0GONE001>" in texts[1] and "deactivated" in texts[1]
    sweep.run(at(D(2026, 10, 26), 9, 7))
    assert len(dm_texts(fake, COORD)) == 2


def test_an_archived_review_channel_fails_the_weekly_post_and_tells_the_coordinator(db, fake):
    channel = fake.add_channel("dhr-2026-09", is_private=True, members=[COORD], archived=True).id
    make_review(db, "DHR-2026-09", notified_on=D(2026, 12, 20), created_on=D(2026, 10, 20), space_id=channel)
    sweep = sweeper(db, fake)
    sweep.run(at(D(2026, 11, 2)))
    sweep.run(at(D(2026, 11, 2), 9, 6))
    (row,) = ledger(db, ReminderLedger.item_kind == "weekly_status")
    assert row.status == FAILED and row.last_error == "is_archived"
    (text,) = dm_texts(fake, COORD)
    assert "archived" in text and f"<#{channel}>" in text


def test_a_429_storm_delivers_everything_eventually_and_nothing_twice(db, fake):
    users = [f"U0STORM{i:02d}" for i in range(6)]
    for i, user in enumerate(users):
        fake.add_user(user, user.lower())
        make_review(db, f"DHR-2026-{20 + i}", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19),
                    coordinator=user)
    # Slack's client retries a 429 three times (sleeping Retry-After); past that the ledger retries.
    fake.fail_next("conversations.open", status=429, times=1, retry_after=1)
    fake.fail_next("chat.postMessage", status=429, times=6, retry_after=0)
    sweep = sweeper(db, fake)
    now = at(D(2026, 10, 26))
    started = time.monotonic()
    first = sweep.run(now)
    assert time.monotonic() - started >= 1          # Retry-After: 1 was honoured
    assert first.retrying == 1 and first.messages == 5
    (waiting,) = ledger(db, ReminderLedger.status == PENDING)
    assert waiting.last_error == "ratelimited" and waiting.next_attempt_at >= now + timedelta(seconds=30)
    for minute in range(1, 4):
        sweep.run(now + timedelta(minutes=minute))
    assert all(len(fake.dm_messages(u)) == 1 for u in users)
    assert all(r.status == SENT for r in ledger(db))
    assert fake.stats["chat.postMessage"]["ratelimited"] == 6


def test_the_pacer_keeps_under_the_fakes_rate_limits(db, fake):
    from handlers.slack.platform.pacing import Pacer
    users = [f"U0PACE{i:03d}" for i in range(60)]
    for i, user in enumerate(users):
        fake.add_user(user, user.lower())
        make_review(db, f"DHR-2026-{100 + i}", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19),
                    coordinator=user)
    scale = 0.02      # Tier 3 (50 a minute) becomes 50 in 1.2 s
    fake.set_rate_limits(True, scale=scale)
    pacer = Pacer({"conversations.open": [(60 * scale, 50)], "chat.postMessage": [(1 * scale, 5), (60 * scale, 60)]})
    started = time.monotonic()
    sweeper(db, fake, chat=chat_for(fake, pacer)).run(at(D(2026, 10, 26)))
    assert time.monotonic() - started >= 60 * scale      # had to wait for the window once
    assert all(len(fake.dm_messages(u)) == 1 for u in users)
    assert fake.stats["conversations.open"]["ratelimited"] == 0


class Crash(Exception):
    """The process dies here."""


class CrashingChat:
    """Delegates to the real adapter, then dies before (or after) Slack accepts the message."""

    platform = "slack"

    def __init__(self, real, *, after_send: bool):
        self.real, self.after_send = real, after_send

    def open_dm(self, person):
        return self.real.open_dm(person)

    def find_digest(self, *a, **kw):
        return self.real.find_digest(*a, **kw)

    def send_digest(self, space, notice, *, digest_id):
        if self.after_send:
            self.real.send_digest(space, notice, digest_id=digest_id)
        raise Crash()


@pytest.mark.parametrize("after_send", [True, False], ids=["slack-had-it", "slack-never-got-it"])
def test_killed_mid_delivery_nothing_lost_nothing_twice(db, fake, after_send):
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    now = at(D(2026, 10, 26))
    with pytest.raises(Crash):
        sweeper(db, fake, chat=CrashingChat(chat_for(fake), after_send=after_send)).run(now)
    (row,) = ledger(db)
    assert row.status == SENDING
    sweep = sweeper(db, fake)
    sweep.run(now + timedelta(minutes=5))           # lease (15 min) not expired: nothing happens
    assert len(fake.dm_messages(COORD)) == (1 if after_send else 0)
    report = sweep.run(now + timedelta(minutes=16))
    assert report.recovered == 1
    assert len(fake.dm_messages(COORD)) == 1
    (row,) = ledger(db)
    assert row.status == SENT and row.message_ts == fake.dm_messages(COORD)[0].ts


def test_a_lost_answer_is_checked_against_the_dm_history_before_sending_again(db, fake):
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    real = chat_for(fake)

    class LostAnswer(CrashingChat):
        def send_digest(self, space, notice, *, digest_id):
            self.real.send_digest(space, notice, digest_id=digest_id)
            raise chat_error("connection_failed")

    now = at(D(2026, 10, 26))
    sweeper(db, fake, chat=LostAnswer(real, after_send=True)).run(now)
    (row,) = ledger(db)
    assert row.status == SENDING and row.last_error == "connection_failed"
    sweeper(db, fake).run(now + timedelta(minutes=2))
    assert len(fake.dm_messages(COORD)) == 1 and ledger(db)[0].status == SENT
    assert fake.calls("conversations.history")


def test_a_revoked_token_stops_the_tick_without_using_up_attempts(db, fake):
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19), chair=CHAIR)
    fake.revoke_token()
    report = sweeper(db, fake).run(at(D(2026, 10, 26)))
    assert report.errors == ["token_revoked"] and report.messages == 0
    rows = ledger(db)
    assert all(r.status == PENDING and r.attempts == 0 for r in rows) and len(rows) == 2


def test_two_sweepers_on_one_database_send_every_reminder_exactly_once(db, fake, database_url):
    users = [f"U0RACE{i:03d}" for i in range(30)]
    for i, user in enumerate(users):
        fake.add_user(user, user.lower())
        make_review(db, f"DHR-2026-{200 + i}", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19),
                    coordinator=user, chair=users[(i + 1) % len(users)])
    databases = [Database(database_url) for _ in range(2)]
    sweeps = [sweeper(d, fake, chunk=3) for d in databases]
    reports, barrier = [], threading.Barrier(2)

    def run(sweep, delay):
        barrier.wait()
        for minute in range(3):
            time.sleep(delay)
            reports.append(sweep.run(at(D(2026, 10, 26), 9, 5 + minute)))

    threads = [threading.Thread(target=run, args=(s, delay)) for s, delay in zip(sweeps, (0, 0.01))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for d in databases:
        d.engine.dispose()
    assert all(len(fake.dm_messages(u)) == 1 for u in users)          # coordinator of one, chair of another
    rows = ledger(db)
    assert len(rows) == 60 and all(r.status == SENT for r in rows)
    assert sum(r.messages for r in reports) == 30


def test_spring_forward_2027_nine_local_is_eight_utc(db, fake):
    # Decision due Tue 13 Apr 2027; its "10 before" is Tue 30 Mar, the first working day after the
    # clocks went forward (Sun 28 Mar) and Easter Monday (29 Mar).
    make_review(db, "DHR-2027-02", notified_on=D(2027, 3, 13), created_on=D(2027, 3, 15))
    sweep = sweeper(db, fake)
    assert sweep.run(at(D(2027, 3, 29), 10, 0)).skipped                   # Easter Monday
    early = at(D(2027, 3, 30), 8, 59)
    assert early.hour == 7 and sweep.run(early).skipped                      # 07:59 UTC
    nine = at(D(2027, 3, 30), 9, 0)
    assert nine.hour == 8 and sweep.run(nine).messages == 1                  # 08:00 UTC
    (row,) = ledger(db)
    assert row.point == "b10" and row.point_on == D(2027, 3, 30)


def test_a_tick_plans_again_only_when_the_day_or_an_audited_change_moves_it(db, fake):
    from bot.workflow.core.kernel import audit
    sweep = sweeper(db, fake)
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    assert sweep.run(at(D(2026, 10, 26), 9, 5)).planned == 1          # 10 working days before the decision
    # A review recorded straight into storage, with no audit entry: the next ticks keep the last plan...
    b = make_review(db, "DHR-2026-02", notified_on=D(2026, 10, 12), created_on=D(2026, 10, 19))
    assert sweep.run(at(D(2026, 10, 26), 9, 6)).planned == 0
    # ...until something is audited (every change the bot makes is), or the hourly re-plan.
    with db.session() as s:
        audit(s, COORD, "test.changed", at(D(2026, 10, 26), 9, 7), review_id=b)
    assert sweep.run(at(D(2026, 10, 26), 9, 7)).planned == 0           # B's first reminder is not due yet
    assert sweep.run(at(D(2026, 10, 29), 9, 5)).planned == 1           # a new day: B, 10 before
    make_review(db, "DHR-2026-03", notified_on=D(2026, 10, 2), created_on=D(2026, 10, 19))   # due Mon 2 Nov
    assert sweep.run(at(D(2026, 10, 29), 9, 30)).planned == 0
    assert sweep.run(at(D(2026, 10, 29), 10, 6)).planned > 0           # the hourly re-plan finds C
    assert {r.reference for r in ledger(db)} == {"DHR-2026-01", "DHR-2026-02", "DHR-2026-03"}


def test_after_a_change_a_tick_plans_the_changed_review_only_and_a_workspace_change_plans_all(db, fake):
    from bot.workflow.core.kernel import audit
    sweep = sweeper(db, fake)
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    assert sweep.run(at(D(2026, 10, 26), 9, 5)).planned == 1
    # Two reviews written straight into storage, both with a reminder due today; only C is audited.
    make_review(db, "DHR-2026-02", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    c = make_review(db, "DHR-2026-03", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))
    with db.session() as s:
        audit(s, COORD, "test.changed", at(D(2026, 10, 26), 9, 6), review_id=c)
    assert sweep.run(at(D(2026, 10, 26), 9, 6)).planned == 1
    assert {r.reference for r in ledger(db)} == {"DHR-2026-01", "DHR-2026-03"}
    with db.session() as s:           # e.g. an agency renamed: not one review's change
        audit(s, COORD, "test.workspace_changed", at(D(2026, 10, 26), 9, 7))
    assert sweep.run(at(D(2026, 10, 26), 9, 7)).planned == 1
    assert {r.reference for r in ledger(db)} == {"DHR-2026-01", "DHR-2026-02", "DHR-2026-03"}


def test_a_dm_conversation_that_is_gone_is_opened_again_later_not_failed(db, fake):
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19))

    class StaleDm(CrashingChat):
        def send_digest(self, space, notice, *, digest_id):
            raise chat_error("channel_not_found")

    now = at(D(2026, 10, 26))
    report = sweeper(db, fake, chat=StaleDm(chat_for(fake), after_send=False)).run(now)
    assert report.failed == 0 and report.retrying == 1
    (row,) = ledger(db)
    assert row.status == PENDING and row.last_error == "channel_not_found"
    sweeper(db, fake).run(now + timedelta(minutes=2))
    assert len(fake.dm_messages(COORD)) == 1 and ledger(db)[0].status == SENT


def test_when_the_coordinator_and_the_chair_are_both_gone_a_csp_admin_gets_their_reminders(db, fake):
    from storage.models import AuditEntry
    fake.add_user("U0GONE001", "gone", deleted=True)
    fake.add_user("U0GONE002", "gone2", deleted=True)
    make_review(db, "DHR-2026-01", notified_on=D(2026, 10, 9), created_on=D(2026, 10, 19),
                coordinator="U0GONE001", chair="U0GONE002")
    sweep = sweeper(db, fake, admins=(POLICE,))
    for minute in range(3):
        sweep.run(at(D(2026, 10, 26), 9, 5 + minute))
    text = "\n".join(dm_texts(fake, POLICE))       # the chair's failure is found a tick after the coordinator's
    assert text.count("Decision whether to hold a review") == 1
    assert "sent to you because <@U0GONE002> could not be reached" in text
    assert "a reminder to <@U0GONE001> could not be sent: their account is deactivated" in text
    assert "a reminder to <@U0GONE002> could not be sent: their account is deactivated" in text
    assert fake.dm_messages(CHAIR) == [] and fake.dm_messages(COORD) == []
    with db.session() as s:
        audited = s.exec(select(AuditEntry).where(AuditEntry.action == "reminder.undeliverable")).all()
    assert {a.detail["recipient"] for a in audited} == {"U0GONE001", "U0GONE002"}
