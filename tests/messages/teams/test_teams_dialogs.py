"""Forms as Teams dialogs: inputs keyed by field key with their labels and limits, errors under the
right field, what was typed kept, and the submission read back as the Slack reader gives it."""
import json

import pytest

from bot.teamsfake.cards import validate_card
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.notices import PanelEntry
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Mention, text
from bot.workflow.panel.panel import MAX_ROWS, PanelForm
from bot.workflow.panel.panel_use_cases import AdminsFormData, PanelFormData
from bot.workflow.panel.redaction_list import RedactionForm
from bot.workflow.panel.redaction_use_cases import RedactionFormData
from messages import tree
from messages.intake import forms as intake_forms
from messages.panel import panel as msgs
from messages.slack import render as slack_render
from messages.teams import render

NAMES = {"29:ann": "Ann Lee", "29:bob": "Bob Roe"}


class Action(FormSpec):
    action = Field("Action to take", Kind.MULTILINE, max_length=2000, min=10, hint="Who does what, for whom.")
    owner = Field("Owner (lead person)", Kind.PERSON)
    target_on = Field("Target date", Kind.DATE)
    scope = Field("Scope", Kind.RADIO, options={"local": "Local", "national": "National"},
                  descriptions={"national": "for the Home Office"})
    agencies = Field("Agencies", Kind.MULTI_SELECT, required=False, options={"1": "Police", "2": "NHS"})
    drafted = Field("Drafts ready", Kind.CHECKBOX, options={"overview": "Overview report", "exec": "Summary"})
    age = Field("Age", Kind.NUMBER, min=0)
    helpers = Field("Helpers", Kind.PEOPLE, required=False)
    title = Field("Title", placeholder="A few words")


def form() -> tree.Form:
    return tree.Form("dhr.plan.action", "Add action", (
        tree.Paragraph(text(Bold("DHR-1"), ": add a SMART action.")), *Action.fields()), submit="Add",
        metadata={"review_id": 3})


def content(answer: dict, *, check: bool = True) -> dict:
    assert answer["task"]["type"] == "continue"
    card = answer["task"]["value"]["card"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    if check:
        assert validate_card(card["content"], dialog=True) == []
    return card["content"]


def inputs(card: dict) -> dict[str, dict]:
    return {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}


def after(card: dict, key: str) -> list[dict]:
    """The elements between a field's input and the next input."""
    body = card["body"]
    start = next(i for i, e in enumerate(body) if e.get("id") == key) + 1
    end = next((i for i in range(start, len(body)) if body[i]["type"].startswith("Input.")), len(body))
    return body[start:end]


def test_each_kind_of_field_is_the_input_teams_offers_with_its_label_and_limits():
    answer = render.dialog(form(), names=NAMES)
    assert answer["task"]["value"]["title"] == "Add action"
    card = content(answer)
    got = inputs(card)
    assert list(got) == [f.key for f in Action.fields()]
    assert {k: (e["type"], e.get("style"), e.get("isMultiSelect", False)) for k, e in got.items()} == {
        "action": ("Input.Text", None, False), "owner": ("Input.ChoiceSet", None, False),
        "target_on": ("Input.Date", None, False), "scope": ("Input.ChoiceSet", "expanded", False),
        "agencies": ("Input.ChoiceSet", "compact", True), "drafted": ("Input.ChoiceSet", "expanded", True),
        "age": ("Input.Number", None, False), "helpers": ("Input.ChoiceSet", None, True),
        "title": ("Input.Text", None, False)}
    action = got["action"]
    assert action["label"] == "Action to take" and action["isMultiline"] is True and action["maxLength"] == 2000
    assert action["isRequired"] is True and action["errorMessage"] == "Write at least 10 characters."
    assert action["regex"] == "^[\\s\\S]{10,}$"
    assert after(card, "action") == [{"type": "TextBlock", "text": "Who does what, for whom.", "wrap": True,
                                      "isSubtle": True, "size": "Small", "spacing": "Small"}]
    assert got["owner"]["choices.data"] == {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}
    assert got["agencies"]["isRequired"] is False and "errorMessage" not in got["agencies"]
    assert [c["title"] for c in got["scope"]["choices"]] == ["Local", "National – for the Home Office"]
    assert got["age"]["min"] == 0 and got["title"]["placeholder"] == "A few words"
    (submit,) = card["actions"]
    assert submit == {"type": "Action.Submit", "title": "Add", "data": {
        "dhr_form": "dhr.plan.action", "dhr_meta": {"review_id": 3}, "dhr_lists": ["agencies", "drafted", "helpers"]}}


def test_errors_show_under_their_own_field_and_a_message_on_top():
    said = text("Choose a ", Bold("later"), " date than *today*")
    card = content(render.dialog(form(), errors={"target_on": said, "action": "Too short."},
                                 message=text("Nothing was saved."), names=NAMES))
    top = card["body"][0]
    assert top["text"] == "Nothing was saved." and top["color"] == "attention"
    assert after(card, "target_on") == [{"type": "TextBlock", "text": "Choose a **later** date than \\*today\\*",
                                         "wrap": True, "color": "attention", "spacing": "Small"}]
    assert [e.get("color") for e in after(card, "action")] == ["attention", None]   # the error, then the hint
    assert all(e.get("color") != "attention" for e in after(card, "owner"))


def test_a_person_named_in_an_error_is_mentioned_as_teams_requires():
    said = text("R (realistic): ", Mention(PersonRef("29:bob")), " is not on this review's panel.")
    card = content(render.dialog(form(), errors={"owner": said}, names=NAMES))
    assert after(card, "owner")[0]["text"].startswith("R \\(realistic\\): <at>Bob Roe</at>")
    assert [e["mentioned"]["id"] for e in card["msteams"]["entities"]] == ["29:bob"]


def test_an_error_for_a_field_the_form_does_not_have_is_refused():
    with pytest.raises(ValueError, match="no field"):
        render.dialog(form(), errors={"target": "Typo in the key"})


def test_what_was_typed_comes_back_in_the_inputs_ahead_of_the_initial_values():
    initial = tree.Form("x", "Again", [Action.title.but(initial="First"), Action.agencies.but(initial=["1"]),
                                       Action.owner.but(initial="29:ann"), Action.age.but(initial=4)], submit="Save")
    fresh = inputs(content(render.dialog(initial, names=NAMES)))
    assert fresh["title"]["value"] == "First" and fresh["agencies"]["value"] == "1" and fresh["age"]["value"] == 4
    assert fresh["owner"]["value"] == "29:ann" and fresh["owner"]["choices"] == [{"title": "Ann Lee",
                                                                                 "value": "29:ann"}]
    typed = {"title": "Second *try*", "agencies": ["1", "2"], "owner": "29:bob", "age": "7"}
    again = inputs(content(render.dialog(initial, values=typed, names=NAMES)))
    assert again["title"]["value"] == "Second *try*" and again["agencies"]["value"] == "1,2"
    assert again["owner"]["choices"] == [{"title": "Bob Roe", "value": "29:bob"}] and again["age"]["value"] == 7
    cleared = inputs(content(render.dialog(initial, values={"title": None, "agencies": []})))
    assert "value" not in cleared["title"] and "value" not in cleared["agencies"]


def test_the_real_panel_form_is_a_dialog_with_its_people_mentioned_and_every_row():
    members = [PanelEntry("29:ann", "Coordinator", None, False), PanelEntry("29:bob", "Agency lead", "Police", True)]
    card = content(render.dialog(msgs.panel_form(PanelFormData(7, "DHR-1", [(3, "Police")], members)),
                                 names=NAMES))
    assert list(inputs(card)) == ["change"] + [f"{k}_{n}" for n in range(1, MAX_ROWS + 1)
                                               for k in ("person", "role", "agency")]
    assert set(inputs(card)) == PanelForm.keys()
    assert card["body"][0]["text"] == ("**DHR-1 panel**\n\n• <at>Ann Lee</at>: Coordinator\n\n"
                                       "• <at>Bob Roe</at>: Agency lead \\(Police\\) _\\(awaiting agreement\\)_")
    assert [e["mentioned"]["id"] for e in card["msteams"]["entities"]] == ["29:ann", "29:bob"]
    assert inputs(card)["change"]["separator"] is True
    assert card["actions"][0]["data"]["dhr_meta"] == {"review_id": 7}
    assert len(json.dumps(card)) < 28_000


def test_other_real_forms_and_a_notice_without_a_submit():
    admins = inputs(content(render.dialog(msgs.admins_form(AdminsFormData(("29:ann",), ["29:bob"])), names=NAMES)))
    assert admins["admins"]["value"] == "29:bob" and admins["admins"]["isMultiSelect"] is True
    agencies = inputs(content(render.dialog(msgs.agencies_form(["Police", "NHS"], "19:c"))))
    assert agencies["agencies"]["value"] == "Police\nNHS" and agencies["agencies"]["maxLength"] == 3000
    redaction = content(render.dialog(msgs.redaction_form(RedactionFormData(3, "DHR-1", 1))))
    assert set(inputs(redaction)) == RedactionForm.keys()
    notice = content(render.dialog(msgs.redaction_added(2)))
    assert "actions" not in notice and notice["body"][0]["text"].startswith("🔒 Added. The list now has 2 entries")


def test_closing_with_a_short_message_says_it_in_plain_words():
    said = text(Mention(PersonRef("29:ann")), " was added to ", Bold("DHR-1"), ".")
    assert render.dialog_message(said) == {"task": {"type": "message", "value": "a panel member was added to DHR-1."}}


def test_a_submission_reads_back_typed_like_the_slack_reader():
    data = {"action": "Train staff\non *risk*", "owner": "29:ann", "target_on": "2027-01-31", "scope": "local",
            "agencies": "1,2", "drafted": "", "age": "7", "helpers": "29:ann,29:bob", "title": "   ",
            "msteams": {"type": "task/submit"}, "dhr_form": "dhr.plan.action", "dhr_meta": {"review_id": 3},
            "dhr_lists": ["agencies", "drafted", "helpers"], "stray": "x"}
    assert render.read_submission(data, form()) == {
        "action": "Train staff\non *risk*", "owner": "29:ann", "target_on": "2027-01-31", "scope": "local",
        "agencies": ["1", "2"], "drafted": [], "age": "7", "helpers": ["29:ann", "29:bob"], "title": None}
    without_form = render.read_submission(data)
    assert without_form["agencies"] == ["1", "2"] and without_form["drafted"] == [] and without_form["stray"] == "x"
    assert not {k for k in without_form if k.startswith(("dhr_", "msteams"))}
    assert render.form_callback(data) == "dhr.plan.action" and render.form_metadata(data) == {"review_id": 3}


def test_a_submission_with_forged_types_reads_as_missing():
    forged = {"action": ["not", "text"], "owner": {"id": "29:x"}, "agencies": 5, "age": 7, "dhr_lists": "agencies",
              "dhr_form": ["x"], "dhr_meta": {"review_id": {"nested": 1}}}
    read = render.read_submission(forged, form())
    assert read["action"] is None and read["owner"] is None and read["agencies"] == [] and read["age"] is None
    assert render.read_submission(forged) == {"action": None, "owner": None, "agencies": None, "age": None}
    assert render.form_callback(forged) is None and render.form_metadata(forged) == {}
    assert render.form_metadata({"dhr_meta": "junk"}) == {} and render.read_submission("junk") == {}


def test_a_submission_round_trips_through_the_dialog_it_came_from():
    card = content(render.dialog(form()))
    sent = {**card["actions"][0]["data"], "agencies": "2", "drafted": "overview,exec", "helpers": ""}
    assert render.read_submission(sent) == {"agencies": ["2"], "drafted": ["overview", "exec"], "helpers": []}


def test_set_up_in_progress_names_the_space_as_each_platform_calls_it():
    progress = intake_forms.setup_progress_form("DHR-1")
    assert "setting up its private chat" in json.dumps(content(render.dialog(progress)))
    assert "setting up its private channel" in json.dumps(slack_render.modal(progress))


def test_a_button_inside_a_dialog_carries_the_dialogs_metadata_and_a_messages_buttons_its_block_ids():
    buttons = tree.Actions([tree.Button("Update", "dhr.family.edit", "7")])
    shown = content(render.dialog(tree.Form("dhr.family", "Family", (tree.Paragraph("Contact 1"), buttons),
                                            close="Close", metadata={"review_id": 3})))
    (update,) = [a for e in shown["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    assert update["data"]["dhr"] == {"action": "dhr.family.edit", "value": "7"}
    assert update["data"]["dhr_meta"] == {"review_id": 3}, "the review rides with the dialog, not the button"
    message = tree.Message([tree.Paragraph("• Scoping", id="item-4", button=tree.Button("Answer", "dhr.a", "4")),
                            tree.Paragraph("• IMR", id="item-5")], "asked")
    (pressed,) = [a["data"] for a in submits(render.card(message))]
    assert pressed["dhr"]["value"] == "4" and pressed["dhr_blocks"] == ["item-4", "item-5"]
    assert "dhr_blocks" not in json.dumps(render.card(tree.Message([tree.Paragraph("plain")], "x")))


def submits(node) -> list[dict]:
    """Every Action.Submit anywhere in a card."""
    if isinstance(node, list):
        return [a for item in node for a in submits(item)]
    if not isinstance(node, dict):
        return []
    here = [node] if node.get("type") == "Action.Submit" else []
    return here + [a for value in node.values() for a in submits(value)]
