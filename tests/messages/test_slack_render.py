"""The neutral tree as Block Kit: Slack's limits kept, inputs keyed by field keys, state read back."""
import json

import pytest

from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Italic, Link, Mention, SpaceLink, text
from messages import tree
from messages.slack import render


class Action(FormSpec):
    action = Field("Action to take", Kind.MULTILINE, max_length=2000, hint="Who does what, for whom.")
    owner = Field("Owner (lead person)", Kind.PERSON)
    target_on = Field("Target date", Kind.DATE)
    scope = Field("Scope", Kind.RADIO, options={"local": "Local", "national": "National"})
    agencies = Field("Agencies", Kind.MULTI_SELECT, required=False)
    drafted = Field("Drafts ready", Kind.CHECKBOX, options={"overview": "Overview report"})
    age = Field("Age", Kind.NUMBER, min=0)


def form(*extra) -> tree.Form:
    return tree.Form("dhr.plan.action", "Add action", (
        tree.Paragraph(text(Bold("DHR-1"), ": add a SMART action.")), *Action.fields()[:4],
        Action.agencies.but(options={"1": "Police"}, initial=["1"]), Action.drafted, Action.age, *extra),
        submit="Add", metadata={"review_id": 3})


def test_inline_text_becomes_mrkdwn_and_typed_text_cannot_forge_markup():
    t = text(Icon("warning"), " ", Bold("DHR-1"), " <@U9> & ", Mention(PersonRef("U1")), " in ",
             SpaceLink(SpaceRef("C1")), ", ", Italic("note"), ", ", Link("https://x.test", "guide"), ": ",
             Command("recommend"), " or ", Command("help", quoted=False), " or ", Command(""))
    assert render.mrkdwn(t) == (":warning: *DHR-1* &lt;@U9&gt; &amp; <@U1> in <#C1>, _note_, <https://x.test|guide>: "
                                "`/dhr recommend` or /dhr help or `/dhr`")


def test_a_form_is_a_modal_whose_input_block_and_action_ids_are_the_field_keys():
    view = render.modal(form())
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == [f.key for f in form().fields]
    assert all(b["element"]["action_id"] == b["block_id"] for b in inputs)
    kinds = {b["block_id"]: b["element"]["type"] for b in inputs}
    assert kinds == {"action": "plain_text_input", "owner": "users_select", "target_on": "datepicker",
                     "scope": "radio_buttons", "agencies": "multi_static_select", "drafted": "checkboxes",
                     "age": "number_input"}
    assert inputs[0]["hint"]["text"] == "Who does what, for whom." and inputs[0]["element"]["max_length"] == 2000
    assert inputs[4]["optional"] is True and inputs[4]["element"]["initial_options"][0]["value"] == "1"
    assert json.loads(view["private_metadata"]) == {"review_id": 3}
    assert view["submit"]["text"] == "Add" and view["title"]["text"] == "Add action"
    assert render.input_keys(view) == form().keys


def test_titles_and_labels_that_slack_would_refuse_are_refused_when_the_form_is_built():
    with pytest.raises(ValueError):
        tree.Form("x", "A title longer than Slack shows", (), close="Close")
    with pytest.raises(ValueError):
        tree.Form("x", "Twice", (Action.owner, Action.owner), submit="Save")
    with pytest.raises(ValueError):
        tree.Form("x", "No submit", (Action.owner,))


def test_long_text_and_too_many_blocks_are_cut_to_slacks_limits():
    msg = tree.Message([tree.Paragraph("x" * 5000)] * 70, fallback="y" * 5000)
    body = render.message(msg)
    assert len(body["blocks"]) == 50 and len(body["blocks"][0]["text"]["text"]) == 3000
    assert len(body["text"]) == 3000
    big = tree.Form("x", "Big", [tree.Paragraph(str(i)) for i in range(130)], close="Close")
    assert len(render.modal(big)["blocks"]) == 100
    facts = render.message(tree.Message([tree.Facts([(str(i), "v" * 3000) for i in range(12)])], "f"))
    fields = facts["blocks"][0]["fields"]
    assert len(fields) == 10 and all(len(f["text"]) <= 2000 for f in fields)


def test_buttons_selects_sections_and_a_home_view():
    msg = tree.Message([tree.Header("DHR-1"), tree.Section([tree.Context("small")], title="Panel"), tree.Divider(),
                        tree.Actions([tree.Button("Verify", "dhr.verify", "5", "primary"),
                                      tree.Select("dhr.pick", (("a", "A"),), initial="a")], id="acts")], "DHR-1")
    blocks = render.message(msg)["blocks"]
    assert [b["type"] for b in blocks] == ["header", "section", "context", "divider", "actions"]
    assert blocks[1]["text"]["text"] == "*Panel*"
    button, select = blocks[4]["elements"]
    assert (button["action_id"], button["value"], button["style"]) == ("dhr.verify", "5", "primary")
    assert select["initial_option"]["value"] == "a" and blocks[4]["block_id"] == "acts"
    assert render.home(tree.HomeView([tree.Paragraph("Hi")]))["type"] == "home"
    assert render.body("a & b") == {"text": "a &amp; b"}


def test_a_submitted_views_state_reads_back_by_field_key():
    view = {"state": {"values": {
        "action": {"action": {"type": "plain_text_input", "value": "Train staff"}},
        "owner": {"owner": {"type": "users_select", "selected_user": "U1"}},
        "target_on": {"target_on": {"type": "datepicker", "selected_date": "2027-01-04"}},
        "scope": {"scope": {"type": "radio_buttons", "selected_option": {"value": "local"}}},
        "agencies": {"agencies": {"type": "multi_static_select", "selected_options": [{"value": "1"}]}},
        "drafted": {"drafted": {"type": "checkboxes", "selected_options": []}},
        "people": {"people": {"type": "multi_users_select", "selected_users": None}},
        "age": {"age": {"type": "number_input", "value": "34"}},
    }}, "private_metadata": "[[["}
    assert render.read_state(view) == {"action": "Train staff", "owner": "U1", "target_on": "2027-01-04",
                                       "scope": "local", "agencies": ["1"], "drafted": [], "people": [],
                                       "age": "34"}
    assert render.metadata(view) == {} and render.metadata({"private_metadata": '{"review_id": 3}'}) == {"review_id": 3}
