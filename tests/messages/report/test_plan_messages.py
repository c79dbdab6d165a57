"""The action plan's forms and messages on Slack's wire, as people have always seen them."""
from datetime import date

from bot.workflow.core.notices import ActionAssigned, ActionDetails, ActionToVerify
from bot.workflow.core.refs import SpaceRef
from bot.workflow.report import action_plan as plan
from bot.workflow.report.action_plan_use_cases import OwnerFormData, PlanFormData, PlanListing
from messages.render import render_notice
from messages.report import plan as msgs
from messages.slack import render

ABOUT = ActionDetails("1.2", "Train <all> staff & managers", "Share risk", "95% trained")


def test_the_action_form_asks_the_action_forms_fields_in_order_and_says_what_is_missing():
    view = render.modal(msgs.action_form(PlanFormData(3, "DHR-1", [], [])))
    assert [b.get("block_id") for b in view["blocks"] if b["type"] == "input"] == [
        "action", "owner", "outcome_measure", "target_on", "milestones"]
    contexts = [b["elements"][0]["text"] for b in view["blocks"] if b["type"] == "context"]
    assert contexts == ["No recommendations yet: add one first with `/dhr recommend`.",
                        "No agencies are set up yet: a CSP admin adds them with `/dhr agencies`."]
    full = msgs.action_form(PlanFormData(3, "DHR-1", [(7, "Police")], [(5, 1, "Share risk")]))
    assert full.keys == plan.ActionForm.keys()


def test_the_owners_dm_and_the_verify_post_read_as_before():
    dm = render_notice(ActionAssigned(9, "DHR-1", "C1", "1.2", "Mon 4 Jan 2027", "", ABOUT))
    assert dm["text"] == "DHR-1: action 1.2 of the action plan is yours."
    assert dm["blocks"][0]["text"]["text"] == ("*DHR-1* in <#C1>: action 1.2 of the action plan is yours. "
                                               "Target date: Mon 4 Jan 2027.")
    assert dm["blocks"][1]["text"]["text"] == ("*Action 1.2*: Train &lt;all&gt; staff &amp; managers\n"
                                               "*Recommendation 1*: Share risk\n*Measurable outcome*: 95% trained")
    assert [e["action_id"] for e in dm["blocks"][2]["elements"]] == ["dhr.action_progress", "dhr.action_complete"]
    post = render_notice(ActionToVerify(9, "1.2", "U1"))
    assert post["text"] == "<@U1> marked action 1.2 complete. The coordinator or chair verifies it or sends it back."


def test_the_owner_forms_and_the_plan_listing():
    complete = render.modal(msgs.complete_form(OwnerFormData(9, "DHR-1", ABOUT), "2026-12-01"))
    assert complete["title"]["text"] == "Mark complete" and complete["private_metadata"] == '{"action_id": 9}'
    assert complete["blocks"][2]["element"]["initial_date"] == "2026-12-01"
    empty = render_notice(PlanListing("DHR-1", [], None))["text"]
    assert empty == ("*DHR-1* has no recommendations yet. The coordinator or chair adds them with "
                     "`/dhr recommend`, then `/dhr action`.")
    row = plan.PlanRow(9, "1.2", "Share risk", "Local", "Overview report", "", "Train staff", "Police", "",
                       date(2027, 1, 4), "", "U1", "red", "", "", "Open")
    shown = render_notice(PlanListing("DHR-1", [row], SpaceRef("C1")))["text"].splitlines()
    assert shown == ["*DHR-1 action plan*", "*1.* Share risk _(Local)_",
                     "    :red_circle: 1.2 Train staff: <@U1>, target 04 Jan 2027, Open",
                     "_The plan is exported to <#C1> as XLSX and DOCX._"]
