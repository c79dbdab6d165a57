"""Retention end to end: a concluded review past its retention period is reminded to its coordinator
with a button; a panel member's click is refused; the coordinator's deletes the content for good,
keeping the reference, dates and stage history; `/dhr status` says so.

Slack only for now: it posts a hand-made Slack block_actions payload."""
import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from storage.models import Review, StageChange
from storage.panel import RedactionTerm
from storage.report import ReviewClosure
from tests.content_scan import find_canaries
from tests.e2e.journey import block_text, today, wait
from tests.e2e.lifecycle_steps import CANARIES, conclude_with_content, prepare, review_with_content
from tests.e2e.panel_steps import reply_text_since
from tests.e2e.report_steps import dm_with, review_row
from tests.e2e.server import COORDINATOR, HEALTH, OUTSIDER, TEAM
from tests.e2e.test_timeline import ENG, LONDON, sweep

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]


@pytest.fixture(scope="module")
def general(bot):
    general = bot.fake.add_channel("general-retention", members=[COORDINATOR, HEALTH, OUTSIDER]).id
    prepare(bot, general)
    return general


def last_working_day() -> datetime:
    day = today()
    while not ENG.is_working_day(day):
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


def press_copied_button(bot, user, message) -> None:
    """The button's block_actions payload, sent signed by someone who was never shown it."""
    button = next(el for b in message.blocks if b.get("block_id") == "retention" for el in b["elements"])
    payload = {"type": "block_actions", "team": {"id": TEAM, "domain": "dhr-test"},
               "user": {"id": user, "username": "someone", "team_id": TEAM}, "api_app_id": bot.fake.ws.app_id,
               "token": bot.fake.ws.verification_token, "trigger_id": bot.fake.ws.issue_trigger(user),
               "actions": [{"type": "button", "action_id": button["action_id"], "block_id": "retention",
                            "value": button["value"], "action_ts": "1.0"}]}
    response = bot.slack.raw_post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert response.status == 200


def status_text(bot, user, channel, args="") -> str:
    before = len(bot.fake.responses())
    bot.slack.command(user, channel, text=f"status {args}".strip())
    wait(lambda: len(bot.fake.responses()) > before, what="the status reply")
    reply = bot.fake.responses()[-1].params
    return str(reply.get("text")) + block_text(reply.get("blocks") or [])


def test_a_concluded_review_past_its_retention_period_is_deleted_on_the_coordinators_confirmation(bot, general):
    reference, channel = review_with_content(bot, general)
    conclude_with_content(bot, reference, channel)
    review_id = review_row(bot, reference).id
    assert len(find_canaries(bot.db.engine, CANARIES)) > 10
    with bot.db.session() as s:     # arrange: the retention period ended the day before the last working day
        stages = [c.to_stage for c in s.exec(select(StageChange).where(StageChange.review_id == review_id)
                                             .order_by(StageChange.id))]
        notified_on = s.get(Review, review_id).notified_on
        s.execute(update(ReviewClosure).where(ReviewClosure.review_id == review_id)
                  .values(retain_until=last_working_day().date() - timedelta(days=1)))

    sweep(bot, last_working_day())
    reminder = dm_with(bot, COORDINATOR, "Retention period over")
    assert reference in block_text(reminder.blocks) and not any(c in block_text(reminder.blocks) for c in CANARIES)

    # A panel member can't see the coordinator's DM: they send its button's payload, and the command.
    dms = len(bot.fake.dm_messages(HEALTH))
    press_copied_button(bot, HEALTH, reminder)
    refusal = wait(lambda: bot.fake.dm_messages(HEALTH)[dms:], what="the refusal DM")[-1].text
    assert "Only the review's coordinator or a CSP admin can delete" in refusal
    before = len(bot.fake.responses())
    bot.slack.command(HEALTH, general, text=f"retention confirm {reference}")
    assert "Only the review's coordinator or a CSP admin can delete" in reply_text_since(bot, before, "refusal")
    assert find_canaries(bot.db.engine, CANARIES)           # nothing deleted

    before = len(bot.fake.responses())
    bot.slack.click(COORDINATOR, "dhr.retention.confirm", message=(reminder.channel, reminder.ts))
    assert "is deleted under the retention policy" in reply_text_since(bot, before, "the confirmation")

    assert find_canaries(bot.db.engine, CANARIES) == []      # raw and decrypted, every row of every table
    with bot.db.session() as s:
        review = s.get(Review, review_id)
        assert (review.reference, review.notified_on, review.stage) == (reference, notified_on, "concluded")
        assert [c.to_stage for c in s.exec(select(StageChange).where(StageChange.review_id == review_id)
                                           .order_by(StageChange.id))] == stages
        assert s.exec(select(func.count()).select_from(RedactionTerm)
                      .where(RedactionTerm.review_id == review_id)).one() == 0
    for text in (status_text(bot, COORDINATOR, channel), status_text(bot, COORDINATOR, general, reference)):
        assert "deleted under the retention policy" in text and reference in text and "Concluded" in text
    assert "no review with that reference" in status_text(bot, OUTSIDER, general,
                                                           reference)
    before = len(bot.fake.responses())
    bot.slack.click(COORDINATOR, "dhr.retention.confirm", message=(reminder.channel, reminder.ts))
    assert "already deleted" in reply_text_since(bot, before, "the second click's reply")
