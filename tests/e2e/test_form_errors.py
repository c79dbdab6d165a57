"""A refused form always says why inside the form: errors that belong to no input of the form come
back as the same form with the message on top and what was typed kept, never Slack's
"We had some trouble connecting" (its answer to errors naming a block that is no input)."""
import pytest

from tests.e2e import panel_steps as steps
from tests.e2e.journey import create_review, open_view
from tests.e2e.server import COORDINATOR, POLICE

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general-form-errors", members=[COORDINATOR, POLICE]).id


def test_panel_before_any_agency_says_so_in_the_form_then_works_once_one_exists(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    bot.slack.command(COORDINATOR, space_id, text="panel")
    view = open_view(bot, COORDINATOR, "dhr.panel")
    assert "agency_1" not in {b.get("block_id") for b in view.blocks}

    response = bot.slack.submit_view(COORDINATOR, view.id,
                                     {"change": "add", "person_1": POLICE, "role_1": "agency_lead"})
    body = response.json()       # the error sits beside an input the form has, never "trouble connecting"
    inputs = {b["block_id"] for b in view.blocks if b.get("type") == "input"}
    assert body["response_action"] == "errors" and set(body["errors"]) <= inputs, response.text
    assert "none is set up yet" in body["errors"]["role_1"] and "CSP admin" in body["errors"]["role_1"]
    kept = bot.fake.open_view_for(COORDINATOR)
    assert kept.id == view.id and kept.callback_id == "dhr.panel" and not kept.generic_error
    assert kept.state["person_1"]["person_1"]["selected_user"] == POLICE      # what was typed is still there
    bot.slack.close_view(COORDINATOR, view.id)

    steps.set_agencies(bot, COORDINATOR, general, ["Northshire Police"])
    response = steps.invite(bot, space_id, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    assert response.outcome == "closed", response.text
    assert steps.invitation_for(bot, POLICE)
