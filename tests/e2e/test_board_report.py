"""The quarterly board report end to end, on Slack and (--platform teams) Teams: a coordinator asks for it
and a Word file with the five charts and their tables arrives in their private chat with the bot, its
figures those of the reviews the test ran through the bot; a panel member is refused and gets nothing; a
malformed quarter is refused; the Home shows the CSP's timeliness with a button for the report; and the
sweep reminds CSP admins and coordinators once a quarter, on its first working day."""
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import pytest
from sqlmodel import select

from bot.workflow.clock.quarters import quarter_of
from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.stages import Stage
from storage.models import Review
from tests.e2e.driver import CHAIR, COORDINATOR, OUTSIDER, POLICE
from tests.e2e.journey import create_review, driver_of, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import decide

pytestmark = pytest.mark.e2e
LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("ENG")
CHARTS = 5


@pytest.fixture(scope="module")
def reviews(driver):
    """Three reviews through the bot: notified 20 days ago and decided today (on time), notified 40 days ago
    and not decided (late), notified today (not due yet)."""
    general = driver.add_space("general-board", [COORDINATOR, CHAIR, OUTSIDER, POLICE])
    set_agencies(driver, COORDINATOR, general, ["Northshire Police"])
    decided, decided_space = create_review(driver, COORDINATOR, general, notified_on=notified(20).isoformat())
    decide(driver, decided_space)
    join(driver, decided_space, POLICE, "panel_member", agency="Northshire Police", by=COORDINATOR)
    late, _ = create_review(driver, COORDINATOR, general, notified_on=notified(40).isoformat())
    fresh, _ = create_review(driver, COORDINATOR, general)
    return decided, late, fresh


def notified(days_ago: int):
    return today() - timedelta(days=days_ago)


def new_files(driver, before: int):
    return wait(lambda: driver.shared_files()[before:] or None, what="the board report")


def reply_with(driver, who, words: str) -> str:
    return wait(lambda: next((m.text for m in reversed(driver.replies(who) + driver.dms(who)) if words in m.text),
                             None), what=f"a reply saying {words!r}")


def test_a_coordinator_gets_the_report_privately_with_every_chart_and_the_figures_of_their_reviews(driver, reviews):
    before = len(driver.shared_files())
    driver.command(COORDINATOR, "board report")
    (sent,) = new_files(driver, before)
    quarter = quarter_of(today()).label
    assert sent.name == f"dhr-board-report-{quarter}.docx"
    assert driver.dm(COORDINATOR) in sent.spaces and len(sent.spaces) == 1
    doc = docx.Document(io.BytesIO(sent.content))
    assert len(doc.inline_shapes) == CHARTS
    words = "\n".join(p.text for p in doc.paragraphs)
    assert quarter in words and "BBC analysis of 495 reviews" in words
    assert "Adult A" not in words and not any(ref in words for ref in reviews)    # figures only
    with driver.db.session() as s:
        rows = s.exec(select(Review.notified_on, Review.stage).where(Review.reference.in_(reviews))).all()
    timeliness = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in doc.tables[0].rows[1:]}
    # Decided within a month: the one decided on time of the two whose month is up (the fresh one is not due).
    due: dict[int, list[int]] = {}
    for day, met in ((notified(20), 1), (notified(40), 0)):
        counts = due.setdefault(day.year, [0, 0])
        counts[0], counts[1] = counts[0] + 1, counts[1] + met
    expected = {str(y): f"{met} of {n} ({round(100 * met / n)}%)" for y, (n, met) in due.items()}
    assert {y: v[1] for y, v in timeliness.items() if y in expected} == expected
    assert {y: int(v[0]) for y, v in timeliness.items()} == {str(y): sum(n.year == y for n, _ in rows)
                                                             for y in {n.year for n, _ in rows}}
    open_by_stage = {r.cells[0].text: int(r.cells[1].text) for r in doc.tables[2].rows[1:]}
    assert open_by_stage[Stage.NOTIFIED.label] >= 1 and sum(open_by_stage.values()) >= 2
    assert {Stage(st).label for _, st in rows} <= set(open_by_stage)
    assert reply_with(driver, COORDINATOR, "board report for")


def test_a_panel_member_is_refused_and_nothing_is_sent(driver, reviews):
    before = len(driver.shared_files())
    driver.command(POLICE, "board")
    assert "Only CSP admins and review coordinators" in reply_with(driver, POLICE, "Only CSP admins")
    assert driver.shared_files()[before:] == []


def test_a_malformed_or_future_quarter_is_refused_and_nothing_is_sent(driver, reviews):
    before = len(driver.shared_files())
    driver.command(COORDINATOR, "board 2026-Q9")
    assert "e.g. 2026-Q3" in reply_with(driver, COORDINATOR, "e.g. 2026-Q3")
    driver.command(COORDINATOR, "board 2099-Q1")
    assert "has not started yet" in reply_with(driver, COORDINATOR, "has not started yet")
    assert driver.shared_files()[before:] == []


def test_the_home_shows_timeliness_to_coordinators_only_and_its_button_sends_the_report(driver, reviews):
    home = driver.home(COORDINATOR)
    assert "CSP timeliness" in home.text and "decided within a month" in home.text
    assert "1% of reviews finished within six months" in home.text
    assert "CSP timeliness" not in driver.home(POLICE).text
    before = len(driver.shared_files())
    driver.press(COORDINATOR, home, "Board report")
    (sent,) = new_files(driver, before)
    assert sent.name.startswith("dhr-board-report-") and driver.dm(COORDINATOR) in sent.spaces


def _first_working_day_of_next_quarter():
    start = add_months(quarter_of(today()).start, 3)
    day = start
    while not ENG.is_working_day(day):
        day += timedelta(days=1)
    return day


def _sweep(driver, when: datetime) -> None:
    proc = driver_of(driver).start_sweep(when)
    out, _ = proc.communicate(timeout=90)
    assert proc.returncode == 0, out


def _board_lines(driver, who) -> list[str]:
    return [m.text for m in driver.dms(who) if "Quarterly board report for" in m.text]


def test_the_quarterly_reminder_reaches_admins_and_coordinators_once_a_quarter(driver, reviews):
    day = _first_working_day_of_next_quarter()
    ended = quarter_of(today()).label
    _sweep(driver, datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON))
    line = wait(lambda: next(iter(_board_lines(driver, COORDINATOR)), None), what="the board reminder")
    assert f"Quarterly board report for {ended}" in line and driver.hint(f"board {ended}") in line
    wait(lambda: _board_lines(driver, OUTSIDER) or None, what="the CSP admin's board reminder")
    assert _board_lines(driver, POLICE) == []
    # The next working days' sweeps send it no more.
    later = ENG.add_working_days(day, 1)
    _sweep(driver, datetime(later.year, later.month, later.day, 9, 30, tzinfo=LONDON))
    _sweep(driver, datetime(later.year, later.month, later.day, 11, 0, tzinfo=LONDON))
    assert len(_board_lines(driver, COORDINATOR)) == 1 and len(_board_lines(driver, OUTSIDER)) == 1
