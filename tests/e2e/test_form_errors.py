"""A refused form always says why inside the form: errors that belong to no input of the form come
back as the same form with the message on top and what was typed kept, never a dead end (on Slack,
"We had some trouble connecting": its answer to errors naming a block that is no input)."""
import pytest

from tests.e2e import panel_steps as steps
from tests.e2e.driver import COORDINATOR, POLICE
from tests.e2e.journey import create_review

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(driver):
    return driver.add_space("general-form-errors", [COORDINATOR, POLICE])


def test_panel_before_any_agency_says_so_in_the_form_then_works_once_one_exists(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    driver.command(COORDINATOR, "panel", space=space)
    form = driver.form(COORDINATOR, "dhr.panel")
    assert not form.has_field("agency_1")

    result = form.submit({"change": "add", "person_1": POLICE, "role_1": "agency_lead"})
    # the error sits beside an input the form has, never a dead end
    assert result.kind == "errors" and set(result.errors) <= {f.key for f in form.fields}, result.pair()
    assert "none is set up yet" in result.errors["role_1"] and "CSP admin" in result.errors["role_1"]
    kept = driver.form(COORDINATOR)
    assert kept.id == form.id and kept.key == "dhr.panel" and not kept.closed
    assert kept.value("person_1") == driver.person(POLICE)      # what was typed is still there
    kept.cancel()

    steps.set_agencies(driver, COORDINATOR, general, ["Northshire Police"])
    result = steps.invite(driver, space, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    assert result.kind == "closed", result.pair()
    assert steps.invitation_for(driver, POLICE)
