"""Reminders that Slack refuses or delays, and what a digest says, end to end: the real server (with
SCHEDULER=off), signed requests, the fake Slack failing chosen calls for a chosen person, and
`python -m bot sweep --now ...` processes, on SQLite and PostgreSQL.

Each test sweeps on its own working day (one digest a person a day), in date order.

Slack only: Slack Web API calls failed for a chosen person (fail_next, 429, 500)."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Review
from tests.e2e.journey import block_text, create_review, today, wait
from tests.e2e.panel_steps import invite, join
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE
from tests.e2e.test_timeline import card_text, sweep

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]
LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("ENG")
DECISION = "Decision whether to hold a review"


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general-reminders", members=[COORDINATOR, CHAIR, OUTSIDER, POLICE, HEALTH]).id


def working_day(n: int) -> date:
    return ENG.add_working_days(today(), n)


def at(day: date, hh: int = 9, mm: int = 30, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=LONDON)


def notified_for(due: date) -> date:
    """A notification date whose one-month decision deadline is `due`."""
    found = next((due - timedelta(days=n) for n in range(26, 34) if add_months(due - timedelta(days=n), 1) == due),
                 None)
    assert found, f"no notification date gives a decision due on {due}"
    return found


def review_due_on(bot, general, creator: str, due: date) -> tuple[str, str]:
    """A review opened by `creator` (its only coordinator) whose decision is due on `due`; returns once
    the creator has had the bot's DM about the channel, so no later failure is spent on it."""
    before = len(bot.fake.dm_messages(creator))
    reference, channel = create_review(bot, creator, general, notified_on=notified_for(due).isoformat())
    wait(lambda: len(bot.fake.dm_messages(creator)) > before, what="the channel-ready DM")
    return reference, channel


def new_dms(bot, user: str, before: int, reference: str) -> list[str]:
    texts = [m.text + "\n" + block_text(m.blocks or []) for m in bot.fake.dm_messages(user)[before:]]
    return [t for t in texts if reference in t]


def counts(bot, *users) -> dict[str, int]:
    return {u: len(bot.fake.dm_messages(u)) for u in users}


def audited_failures(bot, reference: str) -> list[dict]:
    with bot.db.session() as s:
        review_id = s.exec(select(Review.id).where(Review.reference == reference)).one()
        return [e.detail for e in s.exec(select(AuditEntry).where(
            AuditEntry.review_id == review_id, AuditEntry.action == "reminder.undeliverable"))]


# ---------------------------------------------------------------- a person who cannot be reached

def test_the_only_coordinator_cannot_be_reached_so_the_chair_gets_it_and_the_card_says_so(bot, general):
    day = working_day(3)
    reference, channel = review_due_on(bot, general, OUTSIDER, day)
    join(bot, channel, POLICE, "chair", by=OUTSIDER)
    before = counts(bot, OUTSIDER, POLICE)
    bot.fake.fail_next("chat.postMessage", "user_not_found", user=OUTSIDER)
    sweep(bot, at(day))
    sweep(bot, at(day, 9, 31))       # the next minute's tick: what the chair's digest could not yet carry
    assert new_dms(bot, OUTSIDER, before[OUTSIDER], reference) == []
    chair = "\n".join(new_dms(bot, POLICE, before[POLICE], reference))
    assert DECISION in chair and "due *today*" in chair
    assert f"a reminder to <@{OUTSIDER}> could not be sent: their account no longer exists" in chair
    assert f"Reminders could not reach <@{OUTSIDER}>: their account no longer exists" in card_text(bot, reference)
    (failure,) = audited_failures(bot, reference)
    assert failure["recipient"] == OUTSIDER and failure["reason"] == "user_not_found"
    assert failure["handed_to"] == [POLICE]
    assert "Adult A" not in chair
    bot.slack.command(POLICE, channel, text="audit")    # the sweep's entry reads as the bot's, not a broken mention
    audit = wait(lambda: next((block_text(m.blocks or []) for m in reversed(bot.fake.channels[channel].ephemerals)
                               if m.ephemeral_to == POLICE and "Audit log" in (m.text or "")), None), what="the audit")
    assert "DHR Bot: " in audit and "<@reminders>" not in audit


def test_with_no_chair_the_csp_admins_get_the_reminder_of_a_coordinator_who_cannot_be_reached(bot, general):
    day = working_day(5)
    reference, _ = review_due_on(bot, general, OUTSIDER, day)
    before = counts(bot, OUTSIDER, COORDINATOR, CHAIR)
    bot.fake.fail_next("chat.postMessage", "user_not_found", user=OUTSIDER)
    sweep(bot, at(day))
    sweep(bot, at(day, 9, 31))
    assert new_dms(bot, OUTSIDER, before[OUTSIDER], reference) == []
    for admin in (COORDINATOR, CHAIR):        # the other CSP admins (DHR_ADMINS), not members of the review
        (dm,) = new_dms(bot, admin, before[admin], reference)
        assert DECISION in dm and f"sent to you because <@{OUTSIDER}> could not be reached" in dm
        assert f"a reminder to <@{OUTSIDER}> could not be sent" in dm
    assert f"Reminders could not reach <@{OUTSIDER}>" in card_text(bot, reference)
    (failure,) = audited_failures(bot, reference)
    assert sorted(failure["handed_to"]) == sorted([COORDINATOR, CHAIR])


# ---------------------------------------------------------------- Slack failing for a while

def test_a_500_and_a_long_429_are_delivered_on_a_later_tick_exactly_once(bot, general):
    day = working_day(7)
    first, _ = review_due_on(bot, general, COORDINATOR, day)
    second, _ = review_due_on(bot, general, CHAIR, day)
    before = counts(bot, COORDINATOR, CHAIR)
    # Slack's client retries a 5xx twice at once; a 429 asking for 30 s is not slept through
    bot.fake.fail_next("chat.postMessage", "internal_error", status=500, times=3, user=COORDINATOR)
    bot.fake.fail_next("chat.postMessage", status=429, retry_after=30, user=CHAIR)
    sweep(bot, at(day))
    assert new_dms(bot, COORDINATOR, before[COORDINATOR], first) == []
    assert new_dms(bot, CHAIR, before[CHAIR], second) == []
    with bot.db.session() as s:
        waiting = s.exec(select(ReminderLedger).where(ReminderLedger.reference.in_([first, second]),
                                                      ReminderLedger.recipient_kind == "user")).all()
    assert {r.last_error for r in waiting} == {"internal_error", "ratelimited"}
    assert all(r.status in ("pending", "sending") for r in waiting)
    sweep(bot, at(day, 9, 30, 10))                   # before Retry-After and the backoff: still waiting
    assert new_dms(bot, CHAIR, before[CHAIR], second) == []
    sweep(bot, at(day, 9, 32))
    sweep(bot, at(day, 9, 40))
    (coordinator,) = new_dms(bot, COORDINATOR, before[COORDINATOR], first)
    (chair,) = new_dms(bot, CHAIR, before[CHAIR], second)
    assert DECISION in coordinator and DECISION in chair
    with bot.db.session() as s:
        rows = s.exec(select(ReminderLedger).where(ReminderLedger.reference.in_([first, second]))).all()
    assert rows and all(r.status == "sent" for r in rows)
    assert "could not reach" not in card_text(bot, first)


# ---------------------------------------------------------------- what a digest says

def test_a_digest_links_the_channel_lists_a_review_once_and_says_whose_answer_is_overdue(bot, general):
    day = working_day(10)                # the invitation's answer fell due 5 working days ago
    reference, channel = review_due_on(bot, general, COORDINATOR, ENG.add_working_days(day, 2))
    invite(bot, channel, HEALTH, "observer", by=COORDINATOR)
    wait(lambda: [m for m in bot.fake.dm_messages(HEALTH) if reference in (m.text or "")], what="the invitation")
    before = counts(bot, COORDINATOR, HEALTH)
    sweep(bot, at(day))
    (digest,) = new_dms(bot, COORDINATOR, before[COORDINATOR], reference)
    assert digest.count(f"*{reference}*") == 1                      # one heading for the review
    assert f"*{reference}* · <#{channel}>" in digest and "channel not set up yet" not in digest
    assert DECISION in digest
    assert f"Answer to the confidentiality statement from <@{HEALTH}>: *overdue*" in digest
    assert "Adult A" not in digest
    (invited,) = new_dms(bot, HEALTH, before[HEALTH], reference)
    assert "Answer to the confidentiality statement: *overdue*" in invited      # their own: no "from"
    assert "channel not set up yet" not in invited and f"<#{channel}>" not in invited
    assert "once you agree to the confidentiality statement" in invited
