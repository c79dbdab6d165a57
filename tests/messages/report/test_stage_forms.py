"""The /dhr stage chooser and the step forms on Slack: one button per step, the keys record_step reads."""
import json

import pytest

from bot.workflow.core.text import text
from bot.workflow.report import report
from messages.report import plan as msgs
from messages.slack import render

STEPS = report.STEPS


def test_the_chooser_shows_what_is_recorded_and_a_button_per_step():
    shown = render.modal(msgs.stage_chooser(3, "DHR-1", "Drafting", text("Draft the report."), ["Drafting started"],
                                            [STEPS["send_for_sign_off"]], "Say more about <the police>"))
    assert (shown["title"]["text"], shown["close"]["text"], "submit" in shown) == ("Review stage", "Close", False)
    assert json.loads(shown["private_metadata"]) == {"review_id": 3}
    assert [b["text"]["text"] for b in shown["blocks"] if b["type"] == "section"] == [
        "*DHR-1*: stage \u201cDrafting\u201d\nDraft the report.", "*Recorded in this round*\n• Drafting started",
        "*Latest QA panel feedback*\nSay more about &lt;the police&gt;"]
    (step,) = [b for b in shown["blocks"] if b["type"] == "actions"]
    assert step["block_id"] == "step_send_for_sign_off"
    assert [(e["text"]["text"], e["action_id"], e["value"]) for e in step["elements"]] == [
        ("Send for sign-off", "dhr.stage_step.send_for_sign_off", "3:send_for_sign_off")]


def test_a_stage_with_nothing_to_record_says_so():
    idle = render.modal(msgs.stage_chooser(3, "DHR-1", "Evidence", text("x"), [], [], None))
    assert idle["blocks"][-1]["elements"][0]["text"] == "Nothing to record with `/dhr stage` at this stage."


@pytest.mark.parametrize("key, inputs", [
    ("home_office_reply", ["reply", "reply_on", "note"]),
    ("send_for_sign_off", ["drafted", "family_shared_on", "family_not_shown_reason"]),
    ("qa_outcome", ["outcome", "letter_on", "feedback"]),
    ("publish", ["published_on", "published_where", "published", "family_not_told_reason"]),
    ("publish_summary_only", ["agreed_on", "reason", "published_on", "published_where", "published",
                              "family_not_told_reason"]),
    ("withhold", ["agreed_on", "reason"]),
    ("defer_publication", ["reason", "revisit_on"]),
    ("copy_sent", ["recipient", "sent_on"]),
    ("national_sent", ["recommendation", "body", "sent_on"]),
    ("national_response", ["recommendation", "response_on", "response"]),
    ("plan_audit", ["audited_on", "findings", "no_recommendations"]),
    ("start_drafting", []),
])
def test_each_step_form_asks_the_fields_record_step_reads(key, inputs):
    shown = render.modal(msgs.step_form(3, "DHR-1", STEPS[key], "2026-01-05"))
    assert [b["block_id"] for b in shown["blocks"] if b["type"] == "input"] == inputs
    assert json.loads(shown["private_metadata"]) == {"review_id": 3, "step": key}
    assert (shown["callback_id"], shown["submit"]["text"], shown["close"]["text"]) == (
        "dhr.stage_step", "Record", "Cancel")
    assert shown["blocks"][0]["text"]["text"].startswith("*DHR-1*: ")


def test_a_copy_is_chosen_from_the_reviews_own_list():
    choices = {"recipient": {"agency-3": "Northshire Police: the senior manager's copy"}}
    shown = render.modal(msgs.step_form(3, "DHR-1", STEPS["copy_sent"], "2026-01-05", choices))
    (recipient,) = [b for b in shown["blocks"] if b.get("block_id") == "recipient"]
    assert [o["value"] for o in recipient["element"]["options"]] == ["agency-3"]


def test_a_date_starts_at_today_and_optional_fields_say_so():
    shown = render.modal(msgs.step_form(3, "DHR-1", STEPS["send_for_sign_off"], "2026-01-05"))
    drafted, shared, reason = [b for b in shown["blocks"] if b["type"] == "input"]
    assert (drafted["optional"], shared["optional"], reason["optional"]) == (False, True, True)
    assert "initial_date" not in shared["element"]
    panel = render.modal(msgs.step_form(3, "DHR-1", STEPS["panel_sign_off"], "2026-01-05"))
    assert [b["element"]["initial_date"] for b in panel["blocks"] if b["type"] == "input"] == ["2026-01-05"]
