"""The Block Kit validator enforces Slack's limits and answers in Slack's shape."""

from __future__ import annotations

import copy

import pytest
from slack_sdk.errors import SlackApiError

from bot.slackfake import validate_message_blocks, validate_view


def section(text="hello", **extra):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(action_id="go", text="Go", **extra):
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text}, **extra}


def option(value="a", text="A"):
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def modal(*blocks, **extra):
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Title"}, "blocks": list(blocks)}
    view.update(extra)
    return view


def text_input(block_id="b", **element):
    return {
        "type": "input", "block_id": block_id, "label": {"type": "plain_text", "text": "Label"},
        "element": {"type": "plain_text_input", "action_id": "a", **element},
    }


def test_invalid_blocks_answer_has_slacks_exact_shape(fake, client):
    cid = client.conversations_create(name="bk-1")["channel"]["id"]
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=cid, text="x", blocks=[section("x" * 3001)])
    assert info.value.response.status_code == 200
    assert info.value.response.data == {
        "ok": False,
        "error": "invalid_blocks",
        "errors": ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
        "response_metadata": {"messages": [
            "[ERROR] failed to match all allowed schemas [json-pointer:/blocks/0/text]",
            "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ]},
    }
    assert fake.messages(cid) == []


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        ([section()] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
        ([section("")], "must be more than 0 characters [json-pointer:/blocks/0/text/text]"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
         "must be less than 151 characters [json-pointer:/blocks/0/text/text]"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}],
         "must be one of: plain_text [json-pointer:/blocks/0/text/type]"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
         "no more than 10 items allowed [json-pointer:/blocks/0/fields]"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
         "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]"),
        ([{"type": "section"}], "missing required field: text [json-pointer:/blocks/0]"),
        ([{"type": "actions", "elements": [button(f"b{i}") for i in range(26)]}],
         "no more than 25 items allowed [json-pointer:/blocks/0/elements]"),
        ([{"type": "actions", "elements": [button(text="t" * 76)]}],
         "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"),
        ([{"type": "actions", "elements": [button(style="green")]}],
         "must be one of: primary, danger [json-pointer:/blocks/0/elements/0/style]"),
        ([{"type": "actions", "elements": [button(value="v" * 2001)]}],
         "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"),
        ([{"type": "actions", "elements": [button("same"), button("same")]}],
         "duplicate action_id: 'same' [json-pointer:/blocks/0/elements/1/action_id]"),
        ([section(block_id="x"), section(block_id="x")], "duplicate block_id: 'x' [json-pointer:/blocks/1/block_id]"),
        ([section(block_id=""), section(block_id="")], "duplicate block_id: '' [json-pointer:/blocks/1/block_id]"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
         "no more than 10 items allowed [json-pointer:/blocks/0/elements]"),
        ([{"type": "carousel"}], "unsupported type: carousel [json-pointer:/blocks/0/type]"),
        ([text_input()], "unsupported type: input [json-pointer:/blocks/0/type]"),
        ([{"type": "actions",
           "elements": [{"type": "static_select", "action_id": "s", "options": [option("v" * 151)]}]}],
         "must be less than 151 characters [json-pointer:/blocks/0/elements/0/options/0/value]"),
        ([{"type": "actions", "elements": [{"type": "static_select", "action_id": "s", "options": [option()],
                                            "initial_option": option("zzz")}]}],
         "must match one of the provided options [json-pointer:/blocks/0/elements/0/initial_option]"),
        ([{"type": "actions", "elements": [{"type": "checkboxes", "action_id": "c",
                                            "options": [option(str(i)) for i in range(11)]}]}],
         "no more than 10 items allowed [json-pointer:/blocks/0/elements/0/options]"),
        ([{"type": "actions", "elements": [{"type": "static_select", "action_id": "s", "options": []}]}],
         "must provide at least 1 items [json-pointer:/blocks/0/elements/0/options]"),
        ([{"type": "actions", "elements": [{"type": "datepicker", "action_id": "d", "initial_date": "01/02/2024"}]}],
         "must match format YYYY-MM-DD [json-pointer:/blocks/0/elements/0/initial_date]"),
        ([{"type": "actions", "elements": [button(confirm={
            "title": {"type": "plain_text", "text": "t" * 101}, "text": {"type": "plain_text", "text": "sure?"},
            "confirm": {"type": "plain_text", "text": "Yes"}, "deny": {"type": "plain_text", "text": "No"}})]}],
         "must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]"),
        ([{"type": "actions", "elements": [button(block_id="oops")]}],
         "invalid additional property: block_id [json-pointer:/blocks/0/elements/0]"),
    ],
)
def test_message_block_rules(blocks, expected):
    assert expected in validate_message_blocks(blocks)


def test_plain_text_input_lengths_are_bounded():
    errors = validate_view(modal(text_input(min_length=3001, max_length=0),
                                 submit={"type": "plain_text", "text": "Go"}))
    assert "must be less than or equal to 3000 [json-pointer:/view/blocks/0/element/min_length]" in errors
    assert "must be greater than or equal to 1 [json-pointer:/view/blocks/0/element/max_length]" in errors


def test_modal_with_input_needs_submit_and_answers_invalid_arguments(fake, client):
    trigger = fake.issue_trigger("U0000001")
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=trigger, view=modal(section(), text_input()))
    assert info.value.response.data == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": [
            "[ERROR] failed to match all allowed schemas [json-pointer:/view]",
            "[ERROR] must define submit to use input block [json-pointer:/view/blocks/1/input]",
        ]},
    }


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (modal(section(), title={"type": "plain_text", "text": "t" * 25}),
         "must be less than 25 characters [json-pointer:/view/title/text]"),
        (modal(section(), submit={"type": "plain_text", "text": "s" * 25}),
         "must be less than 25 characters [json-pointer:/view/submit/text]"),
        ({"type": "modal", "blocks": [section()]}, "missing required field: title [json-pointer:/view]"),
        (modal(), "must provide at least 1 items [json-pointer:/view/blocks]"),
        (modal(*[section()] * 101), "no more than 100 items allowed [json-pointer:/view/blocks]"),
        (modal(section(), private_metadata="m" * 3001),
         "must be less than 3001 characters [json-pointer:/view/private_metadata]"),
        (modal(section(), callback_id="c" * 256), "must be less than 256 characters [json-pointer:/view/callback_id]"),
        ({"type": "home", "blocks": [section()], "submit": {"type": "plain_text", "text": "x"}},
         "invalid additional property: submit [json-pointer:/view]"),
        (modal(text_input("a", focus_on_load=True), text_input("b", focus_on_load=True),
               submit={"type": "plain_text", "text": "Go"}),
         "only one element per view may set focus_on_load [json-pointer:/view/blocks/1/element/focus_on_load]"),
        (modal({"type": "input", "label": {"type": "plain_text", "text": "l" * 2001},
                "element": {"type": "plain_text_input", "action_id": "a"}},
                submit={"type": "plain_text", "text": "Go"}),
         "must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]"),
        (modal({"type": "input", "label": {"type": "plain_text", "text": "l"}, "element": button()},
               submit={"type": "plain_text", "text": "Go"}),
         "unsupported type: button [json-pointer:/view/blocks/0/element/type]"),
        (modal(text_input(placeholder={"type": "plain_text", "text": "p" * 151}),
               submit={"type": "plain_text", "text": "Go"}),
         "must be less than 151 characters [json-pointer:/view/blocks/0/element/placeholder/text]"),
    ],
)
def test_view_rules(view, expected):
    assert expected in validate_view(view)


def test_a_realistic_modal_and_home_tab_are_valid(modal_view):
    assert validate_view(modal_view) == []
    every_input = copy.deepcopy(modal_view)
    every_input["blocks"] += [
        text_input("num") | {"element": {"type": "number_input", "action_id": "n", "is_decimal_allowed": False,
                                         "min_value": "1"}},
        text_input("when") | {"element": {"type": "timepicker", "action_id": "t", "initial_time": "09:30"}},
        text_input("who") | {"element": {"type": "users_select", "action_id": "u", "initial_user": "U1"}},
        text_input("where") | {"element": {"type": "conversations_select", "action_id": "c",
                                            "filter": {"include": ["private"]}, "response_url_enabled": True}},
        text_input("pick") | {"element": {"type": "radio_buttons", "action_id": "r", "options": [option()],
                                           "initial_option": option()}},
        text_input("mail") | {"element": {"type": "email_text_input", "action_id": "e"}},
        text_input("file") | {"element": {"type": "file_input", "action_id": "f", "max_files": 2}},
    ]
    assert validate_view(every_input) == []
    home = {"type": "home", "callback_id": "home", "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "Reviews"}},
        section("*Open*", accessory=button("open", url="https://example.com")),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "updated"}]},
        {"type": "divider"},
        {"type": "actions", "elements": [button("new", style="primary"), {"type": "overflow", "action_id": "more",
                                                                          "options": [option("x"), option("y")]}]},
    ]}
    assert validate_view(home) == []


def test_view_too_large(fake, client):
    huge = modal(*[section("x" * 2900)] * 100)
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=fake.issue_trigger("U0000001"), view=huge)
    assert info.value.response["error"] == "view_too_large"
