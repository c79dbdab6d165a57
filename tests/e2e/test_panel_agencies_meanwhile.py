"""A panel form opened before any agency existed, submitted once one does: the row that now needs an
agency has no agency field to show an error beside, so the form comes back with the message on top
(how to get a form that offers the agencies) and what was typed kept, never Slack's dead end."""
import pytest

from tests.e2e import panel_steps as steps
from tests.e2e.journey import block_text, create_review, open_view
from tests.e2e.server import CHAIR, COORDINATOR, POLICE

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only(
    "drives the fake Slack itself (views, response_action); test_form_errors.py is this journey on every platform")]


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general-agencies-meanwhile", members=[COORDINATOR, CHAIR, POLICE]).id


def test_a_panel_form_opened_before_any_agency_says_how_to_get_one_that_offers_them(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    bot.slack.command(COORDINATOR, space_id, text="panel")
    view = open_view(bot, COORDINATOR, "dhr.panel")
    assert "agency_1" not in {b.get("block_id") for b in view.blocks}
    steps.set_agencies(bot, CHAIR, general, ["Northshire Police"])      # meanwhile, by another admin

    response = bot.slack.submit_view(COORDINATOR, view.id, {"change": "add", "person_1": POLICE,
                                                            "role_1": "agency_lead"})
    assert response.json()["response_action"] == "update", response.text     # not errors for no input
    kept = bot.fake.open_view_for(COORDINATOR)
    assert kept.id == view.id and kept.callback_id == "dhr.panel" and not kept.generic_error
    said = block_text(kept.blocks)
    assert "since this form opened" in said and "`/dhr panel`" in said, said
    assert kept.state["person_1"]["person_1"]["selected_user"] == POLICE      # what was typed is still there
    bot.slack.close_view(COORDINATOR, view.id)

    response = steps.invite(bot, space_id, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    assert response.outcome == "closed", response.text
