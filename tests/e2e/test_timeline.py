"""/dhr extend and the reminder digest, end to end (holds: test_holds.py): the real server (with
SCHEDULER=off) through the journeys' driver, and `python -m bot sweep --now ...` processes."""
import subprocess
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from storage.ledger import ReminderLedger
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


def test_extend_refuses_bad_dates_inline_and_records_who_agreed(driver, review):
    reference, channel = review
    assert "Only the review's coordinator or chair can record another timescale" in refusal(driver, POLICE, channel, "extend")
    driver.command(COORDINATOR, "extend", space=channel)
    view = driver.form(COORDINATOR, "dhr.extend")
    values = {"deadline": "decision", "reason": "Partners need the police summary", "agreed_by": "CSP chair",
              "agreed_on": today().isoformat()}
    past = view.submit({**values, "new_due": (today() - timedelta(days=1)).isoformat()})
    assert f"in the past; choose {show(today())} or later" in past.errors["new_due"]
    early = view.submit({**values, "new_due": today().isoformat()})
    assert "after the current due date" in early.errors["new_due"]
    no_one = errors_shown(view, {**values, "agreed_by": " ", "new_due": (today() + timedelta(days=60)).isoformat()})
    assert BLANK["agreed_by"] in no_one["agreed_by"]
    new_due = today() + timedelta(days=60)
    assert view.submit({**values, "new_due": new_due.isoformat()}).kind != "failed"
    wait(lambda: "agreed by CSP chair" in card_text(driver, reference), what="the card to show the extension")
    assert show(new_due) in card_text(driver, reference)
    wait(lambda: "recorded another timescale" in last_post(driver, channel), what="the extension notice")


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
