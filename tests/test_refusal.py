"""The one answer to a refused modal: inline errors only for inputs the submitted form has."""
from bot.workflow.core.errors import PermissionDenied, ValidationFailed
from handlers.slack.platform.errors import refusal
from messages.slack import blocks as bk
from messages.slack.views import REFUSED_BLOCK

FORM = bk.modal("Review panel", [
    bk.section("*DHR-1 panel*"),
    bk.text_input("person", "Person"),
    bk.context("No agencies are set up yet."),
], callback_id="dhr.panel", submit="Save", close="Cancel", private_metadata='{"review_id": 1}')


def test_errors_naming_inputs_stay_inline():
    answer = refusal("Review panel", ValidationFailed({"person": "Choose the person."}), FORM)
    assert answer == {"response_action": "errors", "errors": {"person": "Choose the person."}}


def test_an_error_for_no_input_keeps_the_form_with_every_message_on_top():
    err = ValidationFailed({"person": "Choose the person.", "agency": "No agencies are set up yet."})
    answer = refusal("Review panel", err, FORM)
    assert answer["response_action"] == "update"
    view = answer["view"]
    assert view["callback_id"] == "dhr.panel" and view["private_metadata"] == '{"review_id": 1}'
    top = view["blocks"][0]
    assert top["block_id"] == REFUSED_BLOCK
    assert "Choose the person." in top["text"]["text"] and "No agencies are set up yet." in top["text"]["text"]
    assert view["blocks"][1:] == FORM["blocks"]    # same block and action ids: Slack keeps what was typed


def test_a_formless_refusal_keeps_the_form_and_once_only():
    answer = refusal("Review panel", ValidationFailed("Try a later date."), FORM)
    again = refusal("Review panel", ValidationFailed("Still too early."), answer["view"])
    assert [b.get("block_id") for b in again["view"]["blocks"]].count(REFUSED_BLOCK) == 1
    assert "Still too early." in again["view"]["blocks"][0]["text"]["text"]


def test_other_refusals_replace_the_form_unless_it_is_kept():
    err = PermissionDenied("Only the coordinator can change the panel.")
    replaced = refusal("Review panel", err, FORM)["view"]
    assert "person" not in {b.get("block_id") for b in replaced["blocks"]}
    kept = refusal("Review panel", err, FORM, keep_form=True)["view"]
    assert "person" in {b.get("block_id") for b in kept["blocks"]}
    assert refusal("Review panel", ValidationFailed({"person": "x"}), None)["view"]["callback_id"] != "dhr.panel"
