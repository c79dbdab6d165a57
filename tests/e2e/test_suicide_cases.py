"""A suspected suicide, end to end through the journeys' driver: the guidance's test on the
decision form and the card, "alleged perpetrator", suicide and coercive control chosen in the terms
of reference, and a prompt to liaise with the coroner after the decision."""
import pytest

from tests.e2e.driver import CHAIR, COORDINATOR, POLICE
from tests.e2e.evidence_steps import card_text, form, wait_text
from tests.e2e.journey import create_review, initial_value, open_view
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import decide, dm_with

pytestmark = pytest.mark.e2e
TEST_WORDS = "even when no one has been charged"
CORONER = "Liaise with the coroner"


@pytest.fixture(scope="module")
def general(driver):
    channel = driver.add_space("general-suicide", [COORDINATOR, CHAIR, POLICE])
    set_agencies(driver, COORDINATOR, channel, ["Northshire Police"])
    return channel


def checked_lines(view) -> set[str]:
    return set(view.initial("lines") or [])


def test_a_suspected_suicide_is_reviewed_under_the_guidance_test_and_prompts_coroner_liaison(driver, general):
    reference, channel = create_review(driver, COORDINATOR, general, suspected_suicide="yes")
    card = wait_text(lambda: card_text(driver, reference), TEST_WORDS, "the guidance's test on the card")
    assert "Alleged perpetrator (pseudonym)" in card and "liaise with the coroner" not in card

    driver.command(COORDINATOR, "decide", space=channel)
    assert TEST_WORDS in open_view(driver, COORDINATOR, "dhr.decide").text
    decide(driver, channel)
    dm = dm_with(driver, COORDINATOR, CORONER)
    assert reference in dm.preview and "suicide" not in dm.preview.lower()   # a DM carries no case facts
    assert "about the inquest" in wait_text(lambda: card_text(driver, reference), "liaise with the coroner",
                                            "the coroner line")

    join(driver, channel, CHAIR, "chair", by=COORDINATOR)
    tor = form(driver, COORDINATOR, channel, "tor")
    assert checked_lines(tor) == {"suicide", "coercive_control"}
    assert "Adult B: the alleged perpetrator" in initial_value(tor, "pseudonyms")
    assert "Alleged perpetrator interview" in form(driver, CHAIR, channel, "family").text


def test_a_review_that_is_not_a_suspected_suicide_keeps_the_ordinary_wording(driver, general):
    reference, channel = create_review(driver, COORDINATOR, general, suspected_suicide="no")
    driver.command(COORDINATOR, "decide", space=channel)
    assert TEST_WORDS not in open_view(driver, COORDINATOR, "dhr.decide").text
    decide(driver, channel)
    card = wait_text(lambda: card_text(driver, reference), "Decision", "the decision on the card")
    assert "Perpetrator (pseudonym)" in card and "Alleged" not in card and "coroner" not in card
    assert not [m for m in driver.dms(COORDINATOR) if CORONER in m.preview and reference in m.preview]
    assert checked_lines(form(driver, COORDINATOR, channel, "tor")) == set()
