"""/dhr pause, /dhr resume, /dhr extend and the reminder digest, end to end: the real server (with
SCHEDULER=off), signed requests, the fake Slack, and `python -m bot sweep --now ...` processes."""
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import select

from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Review
from storage.timeline import ReviewPause
from tests.e2e.journey import block_text, create_review, open_view, show, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.server import (
    ADMINS,
    CHAIR,
    COORDINATOR,
    FIELD_KEY,
    HMAC_KEY,
    OUTSIDER,
    POLICE,
    ROOT,
    SECRET,
    TOKEN,
)

pytestmark = pytest.mark.e2e
LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("ENG")


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general-clock", members=[COORDINATOR, CHAIR, OUTSIDER, POLICE]).id


@pytest.fixture(scope="module")
def review(bot, general):
    """A review with a chair and a police panel member, notified today (decision due in a month)."""
    set_agencies(bot, COORDINATOR, general, ["Northshire Police"])
    reference, channel = create_review(bot, COORDINATOR, general)
    join(bot, channel, CHAIR, "chair", by=COORDINATOR)
    join(bot, channel, POLICE, "panel_member", agency="Northshire Police", by=COORDINATOR)
    return reference, channel


def card_text(bot, reference) -> str:
    with bot.db.session() as s:
        r = s.exec(select(Review).where(Review.reference == reference)).one()
    message = next(m for m in bot.fake.messages(r.space_id) if m.ts == r.card_ref)
    return block_text(message.blocks)


def last_post(bot, channel) -> str:
    posts = [m for m in bot.fake.messages(channel) if m.text and not m.metadata]
    return posts[-1].text + "\n" + block_text(posts[-1].blocks or [])


def refusal(bot, user, channel, text) -> str:
    """What the modal says after `/dhr <text>`: a new view, not one left open by an earlier test."""
    old = bot.fake.open_view_for(user)
    bot.slack.command(user, channel, text=text)
    view = wait(lambda: (v := bot.fake.open_view_for(user)) is not None and (old is None or v.id != old.id)
                and "Loading" not in block_text(v.blocks) and v, what=f"a modal for {user}")
    return block_text(view.blocks)


def ephemeral_reply(bot, before: int, words: str) -> str:
    """The reply (after the `before`-th) that says `words`: late replies to earlier clicks don't count."""
    return wait(lambda: next((r.params.get("text", "") for r in bot.fake.responses()[before:]
                              if words in r.params.get("text", "")), None), what=f"a reply saying {words!r}")


def test_pause_outside_a_review_channel_or_by_someone_not_leading_it_is_refused(bot, general, review):
    _, channel = review
    assert "isn't a review channel" in refusal(bot, COORDINATOR, general, "pause trial")
    bot.fake.channels[channel].members.append(OUTSIDER)     # somehow in the channel, but not a member
    assert "not a member of this review" in refusal(bot, OUTSIDER, channel, "pause trial")
    assert "Only the review's coordinator or chair can pause or resume" in refusal(bot, POLICE, channel, "pause trial")


def test_pause_asks_for_kind_and_reason_inline_then_shows_on_the_card(bot, review):
    reference, channel = review
    bot.slack.command(COORDINATOR, channel, text="pause Criminal trial listed for March")
    view = open_view(bot, COORDINATOR, "dhr.pause")
    reason = next(b for b in view.blocks if b.get("block_id") == "reason")["element"]["initial_value"]
    assert reason == "Criminal trial listed for March"
    answer = bot.slack.submit_view(COORDINATOR, view.id, {"kind": "criminal_proceedings", "reason": "   "}).json()
    assert answer["response_action"] == "errors" and "Say why" in answer["errors"]["reason"]
    response = bot.slack.submit_view(COORDINATOR, view.id, {"kind": "criminal_proceedings",
                                                            "reason": "Criminal trial listed for March"})
    assert response.status == 200
    wait(lambda: "Paused since" in card_text(bot, reference), what="the card to show the pause")
    card = card_text(bot, reference)
    assert "Criminal proceedings" in card and "on hold while the review is paused" in card
    wait(lambda: f"<@{COORDINATOR}> paused the review (Criminal proceedings)" in last_post(bot, channel),
         what="the pause notice")
    with bot.db.session() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "review.paused")).first()
    assert "already paused" in refusal(bot, CHAIR, channel, "pause again")


def test_resume_moves_the_deadline_by_the_days_paused(bot, review):
    reference, channel = review
    with bot.db.session() as s:     # arrange: the pause began 12 days ago
        s.execute(update(ReviewPause).where(ReviewPause.ended_on.is_(None))
                  .values(started_on=today() - timedelta(days=12)))
    bot.slack.command(CHAIR, channel, text="resume")
    wait(lambda: "resumed the review" in last_post(bot, channel), what="the resume notice")
    assert "12 days paused" in last_post(bot, channel)
    moved = add_months(today(), 1) + timedelta(days=12)
    wait(lambda: "Paused since" not in card_text(bot, reference), what="the card to drop the pause")
    card = card_text(bot, reference)
    assert show(moved) in card and "moved 12 days by pauses" in card
    before = len(bot.fake.responses())
    bot.slack.command(CHAIR, channel, text="resume")
    assert "nothing to resume" in ephemeral_reply(bot, before, "isn't paused")


def test_extend_refuses_bad_dates_inline_and_records_who_agreed(bot, review):
    reference, channel = review
    assert "Only the review's coordinator or chair can extend a deadline" in refusal(bot, POLICE, channel, "extend")
    bot.slack.command(COORDINATOR, channel, text="extend")
    view = open_view(bot, COORDINATOR, "dhr.extend")
    values = {"deadline": "decision", "reason": "Partners need the police summary", "agreed_by": "CSP chair"}
    past = bot.slack.submit_view(COORDINATOR, view.id, {**values, "new_due": (today() - timedelta(days=1)).isoformat()})
    assert "in the past" in past.json()["errors"]["new_due"]
    early = bot.slack.submit_view(COORDINATOR, view.id, {**values, "new_due": today().isoformat()})
    assert "after the current due date" in early.json()["errors"]["new_due"]
    no_one = bot.slack.submit_view(COORDINATOR, view.id, {**values, "agreed_by": " ",
                                                          "new_due": (today() + timedelta(days=60)).isoformat()})
    assert "Say who at the CSP agreed" in no_one.json()["errors"]["agreed_by"]
    new_due = today() + timedelta(days=60)
    assert bot.slack.submit_view(COORDINATOR, view.id, {**values, "new_due": new_due.isoformat()}).status == 200
    wait(lambda: "agreed by CSP chair" in card_text(bot, reference), what="the card to show the extension")
    assert show(new_due) in card_text(bot, reference)
    wait(lambda: "recorded an extension" in last_post(bot, channel), what="the extension notice")


# ---------------------------------------------------------------- the sweep as a separate process

def sweep_env(bot) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_"))}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=bot.fake.base_url,
               DATABASE_URL=bot.db.url, DHR_ADMINS=",".join(ADMINS), DHR_FIELD_KEYS=FIELD_KEY,
               DHR_HMAC_KEY=HMAC_KEY, LOG_LEVEL="WARNING")
    return env


def start_sweep(bot, when: datetime) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", "sweep", "--now", when.isoformat()], cwd=ROOT,
                            env=sweep_env(bot), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def sweep(bot, when: datetime) -> str:
    proc = start_sweep(bot, when)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    return out


def on_the_day(due: date) -> datetime:
    """09:30 London time on the day of the deadline's "on the day" reminder."""
    day = due if ENG.is_working_day(due) else ENG.add_working_days(due, -1)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)


def test_a_sweep_process_sends_the_digest_once(bot, general):
    notified = today() - timedelta(days=25)
    reference, channel = create_review(bot, COORDINATOR, general, notified_on=notified.isoformat())
    when = on_the_day(add_months(notified, 1))
    before = len(bot.fake.dm_messages(COORDINATOR))
    out = sweep(bot, when)
    assert "sent" in out and "Traceback" not in out
    sweep(bot, when + timedelta(minutes=1))
    new = bot.fake.dm_messages(COORDINATOR)[before:]
    assert len(new) == 1
    text = new[0].text + block_text(new[0].blocks)
    assert reference in text and "Decision whether to hold a review" in text and f"<#{channel}>" in text
    assert "Adult A" not in text
    early = sweep(bot, when.replace(hour=8, minute=59))
    assert "skipped: outside reminder hours" in early


def test_two_sweep_processes_at_once_send_each_reminder_once(bot, general):
    notified = today() - timedelta(days=24)
    reference, _ = create_review(bot, CHAIR, general, notified_on=notified.isoformat())
    when = on_the_day(add_months(notified, 1)) + timedelta(days=7)     # a week late: still one digest a day
    while not ENG.is_working_day(when.date()):
        when += timedelta(days=1)
    before = len(bot.fake.dm_messages(CHAIR))
    procs = [start_sweep(bot, when) for _ in range(2)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    new = bot.fake.dm_messages(CHAIR)[before:]
    assert len(new) == 1 and reference in new[0].text
    with bot.db.session() as s:
        rows = s.exec(select(ReminderLedger).where(ReminderLedger.recipient == CHAIR)).all()
    assert rows and all(r.status == "sent" for r in rows)
    assert len({r.digest_id for r in rows if r.sent_at and r.sent_at.astimezone(LONDON).date() == when.date()}) == 1


def test_sweep_command_rejects_a_bad_time(bot):
    proc = subprocess.run([sys.executable, "-m", "bot", "sweep", "--now", "next tuesday"], cwd=ROOT,
                          env=sweep_env(bot), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--now must be an ISO time" in proc.stderr and "Traceback" not in proc.stderr


def test_serve_starts_the_sweep_unless_scheduler_off_and_stops_it_on_sigterm(bot, tmp_path):
    from tests.e2e.server import start_bot
    log_path = tmp_path / "scheduled.log"
    proc, _ = start_bot(bot.fake, bot.db.url, log_path, extra_env={"SCHEDULER": "on"})
    try:
        wait(lambda: "reminder sweep scheduled every 60 s" in log_path.read_text(), what="the scheduler")
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0
    assert "reminder sweep stopped" in log_path.read_text()
    assert "reminder sweep off" in bot.log_text()        # the module's own server runs with SCHEDULER=off
