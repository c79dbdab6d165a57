"""The panel's forms and messages on Slack's wire, as people have always seen them."""
from bot.workflow.core.notices import InvitationAnswered, PanelChanged, PanelEntry
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Mention, text
from bot.workflow.panel.panel import MAX_ROWS, AgenciesChanged, PanelForm
from bot.workflow.panel.panel_use_cases import AdminsFormData, PanelFormData
from bot.workflow.panel.redaction_list import RedactionForm
from bot.workflow.panel.redaction_use_cases import RedactionFormData
from messages.panel import panel as msgs
from messages.render import render_notice
from messages.slack import render

MEMBERS = [PanelEntry("U1", "Coordinator", None, False), PanelEntry("U2", "Agency lead", "Police & Co", True)]


def inputs(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def test_the_panel_form_asks_for_agencies_only_once_there_are_some():
    bare = render.modal(msgs.panel_form(PanelFormData(7, "DHR-1", [], MEMBERS)))
    assert inputs(bare) == ["change"] + [f"{k}_{n}" for n in range(1, MAX_ROWS + 1) for k in ("person", "role")]
    contexts = [b["elements"][0]["text"] for b in bare["blocks"] if b["type"] == "context"]
    assert "No agencies are set up yet: a CSP admin adds them with `/dhr agencies`." in contexts
    assert bare["blocks"][0]["text"]["text"] == ("*DHR-1 panel*\n• <@U1>: Coordinator\n"
                                                 "• <@U2>: Agency lead (Police &amp; Co) _(awaiting agreement)_")
    full = msgs.panel_form(PanelFormData(7, "DHR-1", [(3, "Police")], []))
    assert full.keys == PanelForm.keys()
    agency = next(b for b in render.modal(full)["blocks"] if b.get("block_id") == "agency_2")
    assert [o["value"] for o in agency["element"]["options"]] == ["3"]


def test_admins_agencies_and_redaction_forms_keep_their_fields():
    admins = render.modal(msgs.admins_form(AdminsFormData(("U9",), ["U1"])))
    assert inputs(admins) == ["admins"] and admins["blocks"][1]["element"]["initial_users"] == ["U1"]
    assert admins["blocks"][2]["elements"][0]["text"] == "Always admins (set by DHR_ADMINS): <@U9>"
    agencies = render.modal(msgs.agencies_form(["A", "B"], "C1"))
    assert inputs(agencies) == ["agencies"] and agencies["private_metadata"] == '{"channel_id": "C1"}'
    redaction = msgs.redaction_form(RedactionFormData(3, "DHR-1", 1))
    assert redaction.keys == RedactionForm.keys()
    assert "has 1 redaction entry." in render.modal(redaction)["blocks"][0]["text"]["text"]


def test_the_panels_notices_read_as_before():
    assert render_notice(AgenciesChanged(["A&B"], ["C"], 1)) == {
        "text": ":white_check_mark: Agencies saved: added A&amp;B; removed C (kept on past reviews). "
                "The list has 1 agency."}
    assert render_notice(InvitationAnswered(True, "DHR-1", "C1")) == {
        "text": ":white_check_mark: Thank you. You agreed to the confidentiality statement and have been added to "
                "review DHR-1: <#C1>.", "blocks": []}
    said = text(Mention(PersonRef("U1")), " removed ", Mention(PersonRef("U2")), " from the review.")
    assert render_notice(PanelChanged(said)) == {"text": "<@U1> removed <@U2> from the review."}
