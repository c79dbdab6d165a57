"""What the statutory guidance and the 2004 Act ask of the clock and the copies, end to end through
Slack's signed request path against the fake Slack."""
from datetime import timedelta

import pytest

from bot.workflow.timescales import add_months
from tests.e2e.journey import create_review, open_view, show, today, wait
from tests.e2e.panel_steps import set_agencies
from tests.e2e.report_steps import answer, review_row, step
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, POLICE
from tests.e2e.test_timeline import card_text, on_the_day, sweep

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(bot):
    general = bot.fake.add_channel("general-statutory", members=[COORDINATOR, CHAIR, POLICE, HEALTH]).id
    set_agencies(bot, COORDINATOR, general, ["Northshire Police", "Northshire NHS Trust"])
    return general


def decide_no_review(bot, channel_id, decided_on):
    bot.slack.command(COORDINATOR, channel_id, text="decide")
    view = open_view(bot, COORDINATOR, "dhr.decide")
    values = {"outcome": "no_review", "decided_on": decided_on.isoformat(), "agencies_consulted": "Police",
              "home_office_told_on": decided_on.isoformat(),
              "no_review_reasons": "Partners found no domestic abuse in the relationship."}
    assert answer(bot.slack.submit_view(COORDINATOR, view.id, values)) == ("closed", None)


# ---------------------------------------------------------------- a review the Home Office directs

def test_a_directed_review_gets_deadlines_from_the_day_the_direction_arrived(bot, general):
    notified, refused = today() - timedelta(days=40), today() - timedelta(days=30)
    reference, channel_id = create_review(bot, COORDINATOR, general, notified_on=notified.isoformat())
    decide_no_review(bot, channel_id, refused)

    early = {"reply": "review_directed", "reply_on": (refused - timedelta(days=1)).isoformat()}
    kind, errors = step(bot, COORDINATOR, channel_id, "home_office_reply", early)
    assert kind == "errors" and "can't be before" in errors["reply_on"], errors
    assert review_row(bot, reference).stage == "not_commissioned"

    received = today() - timedelta(days=3)
    assert step(bot, COORDINATOR, channel_id, "home_office_reply",
                {"reply": "review_directed", "reply_on": received.isoformat()}) == ("closed", None)
    assert review_row(bot, reference).stage == "setup"
    tor_due, report_due = add_months(received, 1), add_months(received, 6)
    wait(lambda: "Overview report to the Home Office" in card_text(bot, reference), what="the directed clock")
    card = card_text(bot, reference)
    assert "Terms of reference agreed" in card and show(tor_due) in card and show(report_due) in card
    assert "The Home Office directed a review" in card

    before = len(bot.fake.dm_messages(COORDINATOR))
    sweep(bot, on_the_day(tor_due))
    new = wait(lambda: [m for m in bot.fake.dm_messages(COORDINATOR)[before:]
                        if "Terms of reference agreed" in (m.text or "") + str(m.blocks)], what="the ToR reminder")
    assert reference in new[0].text + str(new[0].blocks)
