"""A suspected suicide, end to end through Slack's signed request path: the guidance's test on the
decision form and the card, "alleged perpetrator", suicide and coercive control chosen in the terms
of reference, and a prompt to liaise with the coroner after the decision."""
import pytest

from tests.e2e.evidence_steps import card_text, form, view_text, wait_text
from tests.e2e.journey import block_text, create_review, initial_value, open_view
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import decide, dm_with
from tests.e2e.server import CHAIR, COORDINATOR, POLICE

pytestmark = pytest.mark.e2e
TEST_WORDS = "even when no one has been charged"
CORONER = "Liaise with the coroner"


@pytest.fixture(scope="module")
def general(bot):
    channel = bot.fake.add_channel("general-suicide", members=[COORDINATOR, CHAIR, POLICE]).id
    set_agencies(bot, COORDINATOR, channel, ["Northshire Police"])
    return channel


def checked_lines(view) -> set[str]:
    block = next(b for b in view.blocks if b.get("block_id") == "lines")
    return {o["value"] for o in block["element"].get("initial_options") or []}


def test_a_suspected_suicide_is_reviewed_under_the_guidance_test_and_prompts_coroner_liaison(bot, general):
    reference, channel = create_review(bot, COORDINATOR, general, suspected_suicide="yes")
    card = wait_text(lambda: card_text(bot, reference), TEST_WORDS, "the guidance's test on the card")
    assert "Alleged perpetrator (pseudonym)" in card and "liaise with the coroner" not in card

    bot.slack.command(COORDINATOR, channel, text="decide")
    assert TEST_WORDS in block_text(open_view(bot, COORDINATOR, "dhr.decide").blocks)
    decide(bot, channel)
    dm = dm_with(bot, COORDINATOR, CORONER)
    assert reference in dm.text and "suicide" not in dm.text.lower()   # a DM carries no case facts
    assert "about the inquest" in wait_text(lambda: card_text(bot, reference), "liaise with the coroner",
                                            "the coroner line")

    join(bot, channel, CHAIR, "chair", by=COORDINATOR)
    tor = form(bot, COORDINATOR, channel, "tor")
    assert checked_lines(tor) == {"suicide", "coercive_control"}
    assert "Adult B: the alleged perpetrator" in initial_value(tor, "pseudonyms")
    assert "Alleged perpetrator interview" in view_text(bot, form(bot, CHAIR, channel, "family").id)


def test_a_review_that_is_not_a_suspected_suicide_keeps_the_ordinary_wording(bot, general):
    reference, channel = create_review(bot, COORDINATOR, general, suspected_suicide="no")
    bot.slack.command(COORDINATOR, channel, text="decide")
    assert TEST_WORDS not in block_text(open_view(bot, COORDINATOR, "dhr.decide").blocks)
    decide(bot, channel)
    card = wait_text(lambda: card_text(bot, reference), "Decision", "the decision on the card")
    assert "Perpetrator (pseudonym)" in card and "Alleged" not in card and "coroner" not in card
    assert not [m for m in bot.fake.dm_messages(COORDINATOR) if CORONER in (m.text or "") and reference in m.text]
    assert checked_lines(form(bot, COORDINATOR, channel, "tor")) == set()
