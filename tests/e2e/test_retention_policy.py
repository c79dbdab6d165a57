"""Retention end to end: a concluded review past its retention period is reminded to its coordinator
with a button; a panel member's click is refused; the coordinator's deletes the content for good,
keeping the reference, dates and stage history; `/dhr status` says so."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from messages.report.retention import CONFIRM_FORM
from storage.models import Review, StageChange
from storage.panel import RedactionTerm
from storage.report import ReviewClosure
from tests.content_scan import find_canaries
from tests.e2e.driver import COORDINATOR, HEALTH, OUTSIDER
from tests.e2e.journey import today, wait
from tests.e2e.lifecycle_steps import CANARIES, conclude_with_content, prepare, review_with_content
from tests.e2e.panel_steps import reply_text_since
from tests.e2e.report_steps import dm_with, review_row
from tests.e2e.test_timeline import ENG, LONDON, sweep

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-retention", [COORDINATOR, HEALTH, OUTSIDER])
    prepare(driver, general)
    return general


def last_working_day() -> datetime:
    day = today()
    while not ENG.is_working_day(day):
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


def confirm_asked(driver, user) -> str:
    """Says yes to a button that asks before it deletes. Slack's client asks before it sends the press:
    nothing more to do. A Teams button cannot ask, so the bot's dialog asks and the person presses
    *Delete*; what that dialog closed with (Teams), else ""."""
    if driver.platform != "teams":
        return ""
    return driver.form(user, CONFIRM_FORM).submit().text


def status_text(driver, user, space, args="") -> str:
    before = len(driver.replies(user))
    driver.command(user, f"status {args}".strip(), space=space)
    wait(lambda: len(driver.replies(user)) > before, what="the status reply")
    return driver.replies(user)[-1].text


def test_a_concluded_review_past_its_retention_period_is_deleted_on_the_coordinators_confirmation(driver, general):
    reference, channel = review_with_content(driver, general)
    conclude_with_content(driver, reference, channel)
    review_id = review_row(driver, reference).id
    assert len(find_canaries(driver.db.engine, CANARIES)) > 10
    with driver.db.session() as s:     # arrange: the retention period ended the day before the last working day
        stages = [c.to_stage for c in s.exec(select(StageChange).where(StageChange.review_id == review_id)
                                             .order_by(StageChange.id))]
        notified_on = s.get(Review, review_id).notified_on
        s.execute(update(ReviewClosure).where(ReviewClosure.review_id == review_id)
                  .values(retain_until=last_working_day().date() - timedelta(days=1)))

    sweep(driver, last_working_day())
    reminder = dm_with(driver, COORDINATOR, "Retention period over")
    shown = "\n".join(part.text for part in reminder.sections)
    assert reference in shown and not any(c in shown for c in CANARIES)

    # A panel member can't see the coordinator's DM: they send its button's payload, and the command.
    dms = len(driver.dms(HEALTH))
    button = reminder.button("dhr.retention.confirm")
    response = driver.press_unshown(HEALTH, button.action, button.value)
    assert response.status == 200
    refusal = confirm_asked(driver, HEALTH) or wait(lambda: driver.dms(HEALTH)[dms:], what="the refusal DM")[-1].preview
    assert "Only the review's coordinator or a CSP admin can delete" in refusal
    before = len(driver.replies(HEALTH))
    driver.command(HEALTH, f"retention confirm {reference}", space=general)
    assert "Only the review's coordinator or a CSP admin can delete" in reply_text_since(driver, before, "refusal",
                                                                                         user=HEALTH)
    assert find_canaries(driver.db.engine, CANARIES)           # nothing deleted

    before = len(driver.replies(COORDINATOR))
    driver.press(COORDINATOR, reminder, "dhr.retention.confirm")
    confirm_asked(driver, COORDINATOR)
    assert "is deleted under the retention policy" in reply_text_since(driver, before, "the confirmation",
                                                                       user=COORDINATOR)

    assert find_canaries(driver.db.engine, CANARIES) == []      # raw and decrypted, every row of every table
    with driver.db.session() as s:
        review = s.get(Review, review_id)
        assert (review.reference, review.notified_on, review.stage) == (reference, notified_on, "concluded")
        assert [c.to_stage for c in s.exec(select(StageChange).where(StageChange.review_id == review_id)
                                           .order_by(StageChange.id))] == stages
        assert s.exec(select(func.count()).select_from(RedactionTerm)
                      .where(RedactionTerm.review_id == review_id)).one() == 0
    if driver.platform == "teams":      # its closed chat keeps only the coordinator
        assert driver.members(channel) == {driver.person(COORDINATOR)}
    # asked in the general space, and in the closed space itself (Slack's archived channel; the Teams chat)
    asked = [status_text(driver, COORDINATOR, general, reference), status_text(driver, COORDINATOR, channel)]
    for text in asked:
        assert "deleted under the retention policy" in text and reference in text and "Concluded" in text
    assert "no review with that reference" in status_text(driver, OUTSIDER, general, reference)
    before = len(driver.replies(COORDINATOR))
    driver.press(COORDINATOR, reminder, "dhr.retention.confirm")
    again = confirm_asked(driver, COORDINATOR) or reply_text_since(driver, before, "the second click's reply",
                                                                   user=COORDINATOR)
    assert "already deleted" in again
