"""SlackPlatform sends what Slack sends, signed as Slack signs it, and applies the app's answers
the way the Slack client does."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from urllib.parse import parse_qs

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.slackfake import ClientSideValidation, NotShown, SlackPlatform, signed_http

ALICE, BOB = "U0000001", "U0000002"
SECRET = "test-signing-secret"
TRIGGER = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")


def form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}


def payload_of(body: bytes) -> dict:
    return json.loads(form(body)["payload"])


def open_modal(fake, client, view, user=ALICE):
    return client.views_open(trigger_id=fake.issue_trigger(user), view=view)["view"]["id"]


# ---- signing and wire format -----------------------------------------------------------------


def test_slash_command_carries_every_field_and_a_valid_signature(fake, recorder_app):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    general = fake.add_channel("general", members=[ALICE])
    resp = platform.command(ALICE, general.id, text="new Jane Doe", command="/dhr")
    assert resp.status == 200 and not resp.too_slow
    body, headers = recorder_app.received[0]
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier(SECRET).is_valid(body, headers["x-slack-request-timestamp"], headers["x-slack-signature"])
    fields = form(body)
    assert set(fields) == {
        "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name", "command", "text",
        "api_app_id", "is_enterprise_install", "response_url", "trigger_id",
    }
    assert (fields["channel_name"], fields["user_name"], fields["text"]) == ("general", "alice", "new Jane Doe")
    assert TRIGGER.match(fields["trigger_id"]) and fields["is_enterprise_install"] == "false"
    reply = urllib.request.Request(
        fields["response_url"], data=json.dumps({"text": "Working on it"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert urllib.request.urlopen(reply, timeout=5).status == 200
    assert fake.responses()[0].params["text"] == "Working on it"
    assert [m.text for m in fake.ephemeral_messages(general.id, ALICE)] == ["Working on it"]


def test_command_from_the_apps_dm_is_a_directmessage(fake, recorder_app):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    dm = fake.ws.im_for(ALICE)
    platform.command(ALICE, dm.id, "help")
    assert form(recorder_app.received[0][0])["channel_name"] == "directmessage"
    hidden = fake.add_channel("private-hr", is_private=True, members=[BOB])
    with pytest.raises(NotShown):
        platform.command(ALICE, hidden.id, "help")


def test_bolt_rejects_bad_and_stale_signatures(bolt, fake):
    app, platform = bolt
    app.command("/dhr")(lambda ack: ack("ok"))
    body = "command=%2Fdhr&text=&user_id=U0000001&team_id=T0001"
    content_type = "application/x-www-form-urlencoded"
    assert platform.raw_post(body, content_type, secret="not-the-secret").status == 401
    assert platform.raw_post(body, content_type, timestamp=str(int(time.time()) - 600)).status == 401
    assert platform.raw_post(body, content_type, signature="v0=" + "0" * 64).status == 401
    assert platform.raw_post(body, content_type).status == 200


def test_synchronous_command_answers_are_shown_like_slack(bolt, fake):
    app, platform = bolt
    app.command("/dhr")(lambda ack: ack(response_type="in_channel", text="Review DHR-7 opened"))
    general = fake.add_channel("general", members=[ALICE])
    platform.command(ALICE, general.id, "open")
    assert [m.text for m in fake.messages(general.id)] == ["Review DHR-7 opened"]


# ---- modals ----------------------------------------------------------------------------------


def test_view_submission_builds_typed_state_from_the_stored_view(bolt, fake, client, modal_view):
    app, platform = bolt
    seen = []

    @app.view("new_review")
    def handle(ack, body, view):
        seen.append(body)
        ack()

    view_id = open_modal(fake, client, modal_view)
    resp = platform.submit_view(ALICE, view_id,
                                {"name": "Jane Doe", "area": "south", "panel": [BOB], "due": "2025-03-01"})
    assert resp.status == 200 and resp.outcome == "closed" and fake.views[view_id].closed
    body = seen[0]
    assert body["type"] == "view_submission" and TRIGGER.match(body["trigger_id"]) and body["response_urls"] == []
    assert body["user"] == {"id": ALICE, "username": "alice", "name": "alice", "team_id": "T0001"}
    values = body["view"]["state"]["values"]
    assert values["name"]["name_input"] == {"type": "plain_text_input", "value": "Jane Doe"}
    assert values["due"]["due_input"] == {"type": "datepicker", "selected_date": "2025-03-01"}
    assert values["area"]["area_input"]["selected_option"] == modal_view["blocks"][3]["element"]["options"][1]
    assert values["panel"]["panel_input"] == {"type": "multi_users_select", "selected_users": [BOB]}
    assert values["flags"]["flags_input"] == {"type": "checkboxes", "selected_options": []}
    assert body["view"]["private_metadata"] == '{"case": 7}' and body["view"]["hash"] == fake.views[view_id].hash


def test_client_side_validation_never_reaches_the_app(bolt, fake, client, modal_view):
    app, platform = bolt
    calls = []
    app.view("new_review")(lambda ack: calls.append(ack()))
    view_id = open_modal(fake, client, modal_view)
    with pytest.raises(ClientSideValidation) as missing:
        platform.submit_view(ALICE, view_id, {"name": "Jane"})
    assert missing.value.block_id == "area"
    for too_short_or_long in ("J", "J" * 21):
        with pytest.raises(ClientSideValidation):
            platform.submit_view(ALICE, view_id, {"name": too_short_or_long, "area": "north"})
    with pytest.raises(NotShown):
        platform.submit_view(ALICE, view_id, {"name": "Jane", "area": "west"})
    assert calls == [] and not fake.views[view_id].closed


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        ({"response_action": "errors", "errors": {"name": "Name already used"}}, "errors"),
        ({"response_action": "errors", "errors": {"intro": "not an input"}}, "generic_error"),
        ({"response_action": "update", "view": {"type": "modal", "title": {"type": "plain_text", "text": "Done"},
                                                 "blocks": [{"type": "divider"}]}}, "updated"),
        ({"response_action": "update", "view": {"type": "modal", "blocks": []}}, "generic_error"),
        ({"response_action": "push", "view": {"type": "modal", "title": {"type": "plain_text", "text": "More"},
                                               "blocks": [{"type": "divider"}]}}, "pushed"),
        ({"response_action": "clear"}, "cleared"),
    ],
)
def test_response_actions_are_applied_like_slack(bolt, fake, client, modal_view, answer, outcome):
    app, platform = bolt
    app.view("new_review")(lambda ack: ack(**answer))
    view_id = open_modal(fake, client, modal_view)
    resp = platform.submit_view(ALICE, view_id, {"name": "Jane", "area": "north"})
    view = fake.views[view_id]
    assert resp.outcome == outcome
    if outcome == "errors":
        assert view.errors == {"name": "Name already used"} and not view.closed
    elif outcome == "generic_error":
        assert view.generic_error and not view.closed
    elif outcome == "updated":
        assert fake.open_view_for(ALICE) is view and view.title["text"] == "Done"
        assert view.hash != resp.sent["view"]["hash"]
    elif outcome == "pushed":
        assert fake.open_view_for(ALICE).title["text"] == "More" and len(fake.modal_stack(ALICE)) == 2
    else:
        assert fake.open_view_for(ALICE) is None and view.closed


@pytest.mark.parametrize("errors", [{"intro": "Not an input"}, {"name": "Too short", "agency": "No such field"}])
def test_errors_naming_a_block_that_is_no_input_leave_the_modal_as_it_was(bolt, fake, client, modal_view, errors):
    """Slack shows none of the errors, only "We had some trouble connecting": the person is stuck."""
    app, platform = bolt
    app.view("new_review")(lambda ack: ack(response_action="errors", errors=errors))
    view_id = open_modal(fake, client, modal_view)
    before = fake.views[view_id].hash
    resp = platform.submit_view(ALICE, view_id, {"name": "Jane", "area": "north"})
    view = fake.views[view_id]
    assert resp.outcome == "generic_error" and view.generic_error
    assert view.errors is None and not view.closed and view.hash == before
    assert fake.open_view_for(ALICE) is view and view.state["name"]["name_input"]["value"] == "Jane"


def test_slow_acknowledgement_is_an_error_for_the_user(bolt, fake, client, modal_view, monkeypatch):
    monkeypatch.setattr(signed_http, "ACK_DEADLINE", 0.1)
    app, platform = bolt

    @app.view("new_review")
    def slow(ack):
        time.sleep(0.3)
        ack()

    view_id = open_modal(fake, client, modal_view)
    resp = platform.submit_view(ALICE, view_id, {"name": "Jane", "area": "north"})
    assert resp.too_slow and resp.outcome == "generic_error"
    assert fake.views[view_id].too_slow and not fake.views[view_id].closed


# ---- clicks ----------------------------------------------------------------------------------


def test_button_click_in_a_message(bolt, fake, client):
    app, platform = bolt
    clicks = []

    @app.action("approve")
    def approve(ack, body, respond):
        clicks.append(body)  # before ack(): Bolt answers Slack as soon as ack() is called
        ack()
        respond(replace_original=True, text="Approved")

    cid = client.conversations_create(name="case-20", is_private=True)["channel"]["id"]
    client.conversations_invite(channel=cid, users=ALICE)
    blocks = [{
        "type": "actions", "block_id": "decide",
        "elements": [{"type": "button", "action_id": "approve", "value": "case-20",
                      "text": {"type": "plain_text", "text": "Approve"}, "style": "primary"}],
    }]
    ts = client.chat_postMessage(channel=cid, text="Approve?", blocks=blocks)["ts"]
    assert platform.click(ALICE, "approve", message=(cid, ts)).status == 200
    fake.wait_until(lambda: fake.messages(cid)[-1].text == "Approved")
    assert fake.messages(cid)[-1].blocks is None  # replaced by text only: the button is gone
    with pytest.raises(NotShown):
        platform.click(ALICE, "approve", message=(cid, ts))
    body = clicks[0]
    assert body["container"] == {"type": "message", "message_ts": ts, "channel_id": cid, "is_ephemeral": False}
    assert body["channel"] == {"id": cid, "name": "case-20"} and body["message"]["ts"] == ts
    action = body["actions"][0]
    assert (action["type"], action["action_id"], action["block_id"], action["value"]) == ("button", "approve",
                                                                                          "decide", "case-20")
    again = client.chat_postMessage(channel=cid, text="Approve?", blocks=blocks)["ts"]
    with pytest.raises(NotShown):
        platform.click(ALICE, "reject", message=(cid, again))
    with pytest.raises(NotShown):
        platform.click(BOB, "approve", message=(cid, again))  # Bob is not in the private channel
    with pytest.raises(NotShown):
        platform.click(ALICE, "approve", message=(cid, again), value="case-99")
    platform.click(ALICE, "approve", message=(cid, again), forged_value="case-99")
    assert clicks[1]["actions"][0]["value"] == "case-99"


def test_select_in_a_modal_updates_its_state(bolt, fake, client, modal_view):
    app, platform = bolt
    picks = []
    app.action("sort")(lambda ack, body: (picks.append(body), ack()))
    modal_view["blocks"].append({"type": "actions", "block_id": "sorting", "elements": [{
        "type": "static_select", "action_id": "sort",
        "options": [{"text": {"type": "plain_text", "text": "Newest"}, "value": "new"}],
    }]})
    view_id = open_modal(fake, client, modal_view)
    platform.fill(ALICE, view_id, {"name": "Ja"})
    platform.click(ALICE, "sort", view_id=view_id, value="new")
    body = picks[0]
    assert body["container"] == {"type": "view", "view_id": view_id} and "response_url" not in body
    assert body["actions"][0]["selected_option"]["value"] == "new"
    assert body["view"]["state"]["values"]["name"]["name_input"]["value"] == "Ja"
    assert fake.views[view_id].state["sorting"]["sort"]["selected_option"]["value"] == "new"


# ---- events ----------------------------------------------------------------------------------


def test_events_are_wrapped_and_retries_reuse_the_event_id(fake, recorder_app):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    first = platform.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    platform.event({"type": "app_home_opened", "user": ALICE}, event_id=first.event_id, retry_num=1,
                   retry_reason="http_timeout")
    (body1, headers1), (body2, headers2) = recorder_app.received
    assert headers1["content-type"] == "application/json" and "x-slack-retry-num" not in headers1
    assert SignatureVerifier(SECRET).is_valid(body1, headers1["x-slack-request-timestamp"],
                                              headers1["x-slack-signature"])
    envelope = json.loads(body1)
    assert envelope["type"] == "event_callback" and envelope["event"]["event_ts"]
    assert envelope["event"]["channel"].startswith("D")
    assert envelope["authorizations"] == [{"enterprise_id": None, "team_id": "T0001", "user_id": "UBOT0001",
                                          "is_bot": True, "is_enterprise_install": False}]
    assert json.loads(body2)["event_id"] == envelope["event_id"]
    assert (headers2["x-slack-retry-num"], headers2["x-slack-retry-reason"]) == ("1", "http_timeout")


def test_app_home_opened_through_bolt_publishes_a_home_tab(bolt, fake):
    app, platform = bolt

    @app.event("app_home_opened")
    def home(event, client):
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "Your reviews"}}]})

    assert platform.event({"type": "app_home_opened", "user": ALICE}).status == 200
    assert fake.wait_until(lambda: fake.home_view(ALICE)).blocks[0]["text"]["text"] == "Your reviews"


def test_closing_a_modal_sends_view_closed_only_when_asked(fake, recorder_app, client, modal_view):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    quiet = open_modal(fake, client, modal_view)
    assert platform.close_view(ALICE, quiet) is None and fake.views[quiet].closed
    modal_view["notify_on_close"] = True
    noisy = open_modal(fake, client, modal_view)
    platform.close_view(ALICE, noisy)
    sent = payload_of(recorder_app.received[-1][0])
    assert sent["type"] == "view_closed" and sent["view"]["id"] == noisy and sent["is_cleared"] is False


def test_people_posting_messages_become_message_events(fake, recorder_app):
    platform = SlackPlatform(fake, recorder_app.url, SECRET)
    resp = platform.user_message(ALICE, ALICE, "hello bot")
    event = json.loads(recorder_app.received[0][0])["event"]
    assert event["type"] == "message" and event["channel_type"] == "im" and event["text"] == "hello bot"
    assert resp.status == 200 and [m.text for m in fake.dm_messages(ALICE)] == ["hello bot"]


def test_ephemeral_buttons_can_be_replaced_through_the_response_url(bolt, fake, client):
    app, platform = bolt

    @app.action("confirm")
    def confirm(ack, respond):
        ack()
        respond(replace_original=True, text="Confirmed")

    cid = client.conversations_create(name="case-21")["channel"]["id"]
    client.conversations_invite(channel=cid, users=ALICE)
    ts = client.chat_postEphemeral(channel=cid, user=ALICE, text="Sure?", blocks=[{"type": "actions", "elements": [
        {"type": "button", "action_id": "confirm", "text": {"type": "plain_text", "text": "Yes"}}]}])["message_ts"]
    platform.click(ALICE, "confirm", message=(cid, ts))
    assert fake.wait_until(lambda: fake.ephemeral_messages(cid, ALICE)[0].text == "Confirmed")
    with pytest.raises(NotShown):
        platform.click(BOB, "confirm", message=(cid, ts))
