"""/dhr pause, /dhr resume, /dhr extend and the reminder digest, end to end: the real server (with
SCHEDULER=off) through the journeys' driver, and `python -m bot sweep --now ...` processes."""
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
from storage.models import AuditEntry
from storage.timeline import ReviewPause
from tests.e2e.driver import CHAIR, COORDINATOR, OUTSIDER, POLICE, InputRefused
from tests.e2e.evidence_steps import card_text
from tests.e2e.journey import create_review, driver_of, show, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.server import ROOT, start_bot

pytestmark = pytest.mark.e2e
LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("ENG")


@pytest.fixture(scope="module")
def general(driver):
    return driver.add_space("general-clock", [COORDINATOR, CHAIR, OUTSIDER, POLICE])


@pytest.fixture(scope="module")
def review(driver, general):
    """A review with a chair and a police panel member, notified today (decision due in a month)."""
    set_agencies(driver, COORDINATOR, general, ["Northshire Police"])
    reference, channel = create_review(driver, COORDINATOR, general)
    join(driver, channel, CHAIR, "chair", by=COORDINATOR)
    join(driver, channel, POLICE, "panel_member", agency="Northshire Police", by=COORDINATOR)
    return reference, channel


def last_post(driver, channel) -> str:
    """The latest post in the space that is not the summary card."""
    card = driver.card(channel).ref
    posts = [m for m in driver.messages(channel) if m.preview and m.ref != card]
    return posts[-1].text


def refusal(driver, user, channel, text) -> str:
    """What the form says after `/dhr <text>`: a new one, not one left open by an earlier test."""
    return driver.open_form(user, text, space=channel).text


def errors_shown(view, values) -> dict[str, str]:
    """What a submit shows under the fields: the bot's errors, or the person's own client's when it refuses
    before sending (Teams refuses a blank required field itself, with its own words)."""
    try:
        return view.submit(values).errors
    except InputRefused as refused:
        return {refused.field: str(refused).split(": ", 1)[1]}


# What each platform shows under a required field left blank (spaces only): Slack sends it and the bot
# answers; Teams' client stops it, with the words the bot gave the field for that.
# A field of spaces only is sent by both clients (Teams' counts only "" as empty): the bot's own words.
BLANK = {"reason": "Say why", "agreed_by": "Say who at the CSP agreed"}


def ephemeral_reply(driver, user, before: int, words: str) -> str:
    """The reply (after the `before`-th) that says `words`: late replies to earlier presses don't count."""
    return wait(lambda: next((r.preview for r in driver.replies(user)[before:] if words in r.preview), None),
                what=f"a reply saying {words!r}")


def test_pause_outside_a_review_channel_or_by_someone_not_leading_it_is_refused(driver, general, review):
    _, channel = review
    assert f"isn't a review {driver.space_word}" in refusal(driver, COORDINATOR, general, "pause trial")
    driver.add_to_space(OUTSIDER, channel)     # somehow in the space, but not a member
    assert "not a member of this review" in refusal(driver, OUTSIDER, channel, "pause trial")
    assert "Only the review's coordinator or chair can pause or resume" in refusal(driver, POLICE, channel, "pause trial")


def test_pause_asks_for_kind_and_reason_inline_then_shows_on_the_card(driver, review):
    reference, channel = review
    driver.command(COORDINATOR, "pause Criminal trial listed for March", space=channel)
    view = driver.form(COORDINATOR, "dhr.pause")
    assert view.initial("reason") == "Criminal trial listed for March"
    errors = errors_shown(view, {"kind": "criminal_proceedings", "reason": "   "})
    assert BLANK["reason"] in errors["reason"]
    result = view.submit({"kind": "criminal_proceedings", "reason": "Criminal trial listed for March"})
    assert result.kind != "failed"
    wait(lambda: "Paused since" in card_text(driver, reference), what="the card to show the pause")
    card = card_text(driver, reference)
    assert "Criminal proceedings" in card and "on hold while the review is paused" in card
    wait(lambda: f"{driver.mention(COORDINATOR)} paused the review (Criminal proceedings)" in last_post(driver, channel),
         what="the pause notice")
    with driver.db.session() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "review.paused")).first()
    assert "already paused" in refusal(driver, CHAIR, channel, "pause again")


def ensure_paused(driver, channel) -> None:
    """The pause test pauses this module's review; on a worker of its own this test pauses it itself."""
    with driver.db.session() as s:
        if s.exec(select(ReviewPause).where(ReviewPause.ended_on.is_(None))).first():
            return
    driver.command(COORDINATOR, "pause", space=channel)
    driver.form(COORDINATOR, "dhr.pause").submit({"kind": "criminal_proceedings", "reason": "Trial listed"})
    wait(lambda: "paused the review" in last_post(driver, channel), what="the pause notice")


def test_resume_moves_the_deadline_by_the_days_paused(driver, review):
    reference, channel = review
    ensure_paused(driver, channel)
    with driver.db.session() as s:     # arrange: the pause began 12 days ago
        s.execute(update(ReviewPause).where(ReviewPause.ended_on.is_(None))
                  .values(started_on=today() - timedelta(days=12)))
    driver.command(CHAIR, "resume", space=channel)
    wait(lambda: "resumed the review" in last_post(driver, channel), what="the resume notice")
    assert "12 days paused" in last_post(driver, channel)
    moved = add_months(today(), 1) + timedelta(days=12)
    wait(lambda: "Paused since" not in card_text(driver, reference), what="the card to drop the pause")
    card = card_text(driver, reference)
    assert show(moved) in card and "moved 12 days by pauses" in card
    before = len(driver.replies(CHAIR))
    driver.command(CHAIR, "resume", space=channel)
    assert "nothing to resume" in ephemeral_reply(driver, CHAIR, before, "isn't paused")


def test_extend_refuses_bad_dates_inline_and_records_who_agreed(driver, review):
    reference, channel = review
    assert "Only the review's coordinator or chair can extend a deadline" in refusal(driver, POLICE, channel, "extend")
    driver.command(COORDINATOR, "extend", space=channel)
    view = driver.form(COORDINATOR, "dhr.extend")
    values = {"deadline": "decision", "reason": "Partners need the police summary", "agreed_by": "CSP chair"}
    past = view.submit({**values, "new_due": (today() - timedelta(days=1)).isoformat()})
    assert "in the past" in past.errors["new_due"]
    early = view.submit({**values, "new_due": today().isoformat()})
    assert "after the current due date" in early.errors["new_due"]
    no_one = errors_shown(view, {**values, "agreed_by": " ", "new_due": (today() + timedelta(days=60)).isoformat()})
    assert BLANK["agreed_by"] in no_one["agreed_by"]
    new_due = today() + timedelta(days=60)
    assert view.submit({**values, "new_due": new_due.isoformat()}).kind != "failed"
    wait(lambda: "agreed by CSP chair" in card_text(driver, reference), what="the card to show the extension")
    assert show(new_due) in card_text(driver, reference)
    wait(lambda: "recorded an extension" in last_post(driver, channel), what="the extension notice")


# ---------------------------------------------------------------- the sweep as a separate process

def sweep(driver, when: datetime) -> str:
    proc = driver_of(driver).start_sweep(when)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    return out


def on_the_day(due: date) -> datetime:
    """09:30 London time on the day of the deadline's "on the day" reminder."""
    day = due if ENG.is_working_day(due) else ENG.add_working_days(due, -1)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)


def test_a_sweep_process_sends_the_digest_once(driver, general):
    notified = today() - timedelta(days=25)
    reference, channel = create_review(driver, COORDINATOR, general, notified_on=notified.isoformat())
    when = on_the_day(add_months(notified, 1))
    before = len(driver.dms(COORDINATOR))
    out = sweep(driver, when)
    assert "sent" in out and "Traceback" not in out
    sweep(driver, when + timedelta(minutes=1))
    new = driver.dms(COORDINATOR)[before:]
    assert len(new) == 1
    text = new[0].text
    assert reference in text and "Decision whether to hold a review" in text and driver.link(channel) in text
    assert "Adult A" not in text
    early = sweep(driver, when.replace(hour=8, minute=59))
    assert "skipped: outside reminder hours" in early


def test_two_sweep_processes_at_once_send_each_reminder_once(driver, general):
    notified = today() - timedelta(days=24)
    reference, _ = create_review(driver, CHAIR, general, notified_on=notified.isoformat())
    when = on_the_day(add_months(notified, 1)) + timedelta(days=7)     # a week late: still one digest a day
    while not ENG.is_working_day(when.date()):
        when += timedelta(days=1)
    before = len(driver.dms(CHAIR))
    procs = [driver.start_sweep(when) for _ in range(2)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    new = driver.dms(CHAIR)[before:]
    assert len(new) == 1 and reference in new[0].preview
    with driver.db.session() as s:
        rows = s.exec(select(ReminderLedger).where(ReminderLedger.recipient == driver.person(CHAIR))).all()
    assert rows and all(r.status == "sent" for r in rows)
    assert len({r.digest_id for r in rows if r.sent_at and r.sent_at.astimezone(LONDON).date() == when.date()}) == 1


def test_sweep_command_rejects_a_bad_time(driver):
    proc = subprocess.run([sys.executable, "-m", "bot", "sweep", "--now", "next tuesday"], cwd=ROOT,
                          env=driver.sweep_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--now must be an ISO time" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slack_only    # starts a second server against the fake Slack
def test_serve_starts_the_sweep_unless_scheduler_off_and_stops_it_on_sigterm(bot, tmp_path):
    log_path = tmp_path / "scheduled.log"
    proc, _ = start_bot(bot.fake, bot.db.url, log_path, extra_env={"SCHEDULER": "on"})
    try:
        wait(lambda: "reminder sweep scheduled every 60 s" in log_path.read_text(), what="the scheduler")
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0
    assert "reminder sweep stopped" in log_path.read_text()
    assert "reminder sweep off" in bot.log_text()        # the module's own server runs with SCHEDULER=off
