"""The fake Web API answers slack_sdk's real WebClient the way Slack does."""
from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.slackfake import FakeSlack

ALICE, BOB, CAROL = "U0000001", "U0000002", "U0000003"


def error_of(call, **kwargs):
    with pytest.raises(SlackApiError) as info:
        call(**kwargs)
    return info.value.response


# ---- auth and scopes -------------------------------------------------------------------------


def test_auth_test_identifies_the_bot_and_reports_scopes(fake, client):
    resp = client.auth_test()
    assert resp["user_id"] == "UBOT0001" and resp["bot_id"] == "B0001" and resp["team_id"] == "T0001"
    assert resp["is_enterprise_install"] is False and resp["url"].startswith("https://")
    assert "chat:write" in resp.headers["x-oauth-scopes"]


def test_missing_and_wrong_tokens(fake):
    assert error_of(WebClient(base_url=fake.base_url).auth_test)["error"] == "not_authed"
    assert error_of(WebClient(token="xoxb-wrong", base_url=fake.base_url).auth_test)["error"] == "invalid_auth"


def test_token_may_be_a_form_parameter(fake):
    request = urllib.request.Request(
        fake.base_url + "auth.test", data=f"token={fake.bot_token}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert json.loads(resp.read())["ok"] is True


def test_revoked_token(fake, client):
    fake.revoke_token()
    assert error_of(client.auth_test)["error"] == "token_revoked"


def test_missing_scope_names_the_scope_for_the_channel_type():
    with FakeSlack(scopes=["chat:write"]) as fake:
        client = WebClient(token=fake.bot_token, base_url=fake.base_url)
        private = error_of(client.conversations_create, name="case-1", is_private=True)
        assert private.status_code == 200
        assert (private["error"], private["needed"], private["provided"]) == ("missing_scope", "groups:write",
                                                                              "chat:write")
        assert error_of(client.conversations_create, name="case-1")["needed"] == "channels:manage"
        assert error_of(client.users_info, user="U1")["needed"] == "users:read"
        assert error_of(client.conversations_open, users="U1")["needed"] == "im:write"
        # views.* need no scope: the call reaches the handler, which rejects the unknown user
        assert error_of(client.views_publish, user_id="U404",
                        view={"type": "home", "blocks": []})["error"] == "invalid_arguments"


def test_scopes_and_app_home_come_from_the_manifest(tmp_path):
    manifest = tmp_path / "manifest.yml"
    manifest.write_text(
        "display_information: {name: DHR}\n"
        "features:\n  app_home: {home_tab_enabled: false, messages_tab_enabled: true}\n"
        "oauth_config:\n  scopes:\n    bot: [chat:write, users:read]\n"
    )
    with FakeSlack(manifest_path=manifest) as fake:
        fake.add_user("U1", "alice")
        client = WebClient(token=fake.bot_token, base_url=fake.base_url)
        assert fake.scopes == ["chat:write", "users:read"]
        assert client.users_info(user="U1")["user"]["name"] == "alice"
        assert error_of(client.pins_add, channel="C1", timestamp="1.2")["needed"] == "pins:write"
        home = {"type": "home", "blocks": [{"type": "divider"}]}
        assert error_of(client.views_publish, user_id="U1", view=home)["error"] == "not_enabled"


def test_unknown_method(fake, client):
    assert error_of(client.api_call, api_method="chat.fly")["error"] == "unknown_method"


# ---- users -----------------------------------------------------------------------------------


def test_users_info_and_list(fake, client):
    bob = client.users_info(user=BOB)["user"]
    assert bob["real_name"] == "Bob Baker" and bob["tz"] == "America/New_York" and isinstance(bob["tz_offset"], int)
    assert client.users_info(user=CAROL)["user"]["deleted"] is True
    assert error_of(client.users_info, user="U404")["error"] == "user_not_found"
    ids = [m["id"] for m in client.users_list()["members"]]
    assert {ALICE, BOB, CAROL, "UBOT0001", "USLACKBOT"} <= set(ids)


# ---- channel names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "invalid_name_required"),
        ("Case-1", "invalid_name_specials"),
        ("case 1", "invalid_name_specials"),
        ("case.1", "invalid_name_specials"),
        ("x" * 81, "invalid_name_maxlength"),
        ("--__", "invalid_name_punctuation"),
    ],
)
def test_channel_name_rules(fake, client, name, error):
    assert error_of(client.conversations_create, name=name, is_private=True)["error"] == error


def test_created_channel_is_realistic_and_names_stay_taken_after_archiving(fake, client):
    channel = client.conversations_create(name="dhr-2024-001", is_private=True)["channel"]
    assert channel["id"][0] == "C" and len(channel["id"]) == 11 and channel["id"].isupper()
    assert channel["is_private"] is True and channel["is_member"] is True and channel["creator"] == "UBOT0001"
    assert fake.channels[channel["id"]].members == ["UBOT0001"]
    assert error_of(client.conversations_create, name="dhr-2024-001")["error"] == "name_taken"
    client.conversations_archive(channel=channel["id"])
    assert error_of(client.conversations_archive, channel=channel["id"])["error"] == "already_archived"
    assert error_of(client.conversations_create, name="dhr-2024-001", is_private=True)["error"] == "name_taken"
    assert error_of(client.conversations_rename, channel=channel["id"], name="other")["error"] == "is_archived"
    client.conversations_unarchive(channel=channel["id"])
    client.conversations_rename(channel=channel["id"], name="dhr-2024-001-closed")
    assert client.conversations_create(name="dhr-2024-001")["ok"]


# ---- membership and visibility ---------------------------------------------------------------


def test_private_channel_without_the_bot_looks_like_an_unknown_id(fake, client):
    hidden = fake.add_channel("hr-secret", is_private=True, members=[ALICE], bot_member=False)
    for cid in (hidden.id, "C0NOTREAL00"):
        assert error_of(client.chat_postMessage, channel=cid, text="hi")["error"] == "channel_not_found"
        assert error_of(client.conversations_info, channel=cid)["error"] == "channel_not_found"
        assert error_of(client.conversations_invite, channel=cid, users=BOB)["error"] == "channel_not_found"


def test_public_channel_needs_membership_or_chat_write_public(fake):
    with FakeSlack(scopes=["chat:write"]) as strict:
        general = strict.add_channel("general", bot_member=False)
        client = WebClient(token=strict.bot_token, base_url=strict.base_url)
        assert error_of(client.chat_postMessage, channel=general.id, text="hi")["error"] == "not_in_channel"
    general = fake.add_channel("general", bot_member=False)
    assert WebClient(token=fake.bot_token, base_url=fake.base_url).chat_postMessage(channel=general.id, text="hi")["ok"]


def test_invite_rules(fake, client):
    cid = client.conversations_create(name="case-7", is_private=True)["channel"]["id"]
    assert client.conversations_invite(channel=cid, users=[ALICE])["ok"]
    assert fake.channels[cid].members == ["UBOT0001", ALICE]
    assert error_of(client.conversations_invite, channel=cid, users=ALICE)["error"] == "already_in_channel"
    assert error_of(client.conversations_invite, channel=cid, users="UBOT0001")["error"] == "cant_invite_self"
    assert error_of(client.conversations_invite, channel=cid, users="U404")["error"] == "user_not_found"
    assert error_of(client.api_call, api_method="conversations.invite", params={"channel": cid})["error"] == "no_user"
    # one bad id and nobody is invited, unless force=true
    failed = error_of(client.conversations_invite, channel=cid, users=[BOB, "U404"])
    assert failed["errors"] == [{"user": "U404", "ok": False, "error": "user_not_found"}]
    assert BOB not in fake.channels[cid].members
    assert client.conversations_invite(channel=cid, users=[BOB, "U404"], force=True)["ok"]
    assert BOB in fake.channels[cid].members
    client.conversations_kick(channel=cid, user=BOB)
    assert error_of(client.conversations_kick, channel=cid, user=BOB)["error"] == "not_in_channel"
    client.conversations_archive(channel=cid)
    assert error_of(client.conversations_invite, channel=cid, users=BOB)["error"] == "is_archived"


def test_info_members_and_topic(fake, client):
    cid = client.conversations_create(name="case-8")["channel"]["id"]
    client.conversations_invite(channel=cid, users=f"{ALICE},{BOB}")
    assert client.conversations_info(channel=cid, include_num_members=True)["channel"]["num_members"] == 3
    first = client.conversations_members(channel=cid, limit=2)
    assert len(first["members"]) == 2 and first["response_metadata"]["next_cursor"]
    rest = client.conversations_members(channel=cid, limit=2, cursor=first["response_metadata"]["next_cursor"])
    assert rest["members"] == [BOB] and rest["response_metadata"]["next_cursor"] == ""
    assert error_of(client.conversations_setTopic, channel=cid, topic="t" * 251)["error"] == "too_long"
    client.conversations_setTopic(channel=cid, topic="DHR case 8")
    assert fake.channels[cid].topic["value"] == "DHR case 8"


def test_conversations_open_gives_a_stable_dm(fake, client):
    first = client.conversations_open(users=ALICE)["channel"]["id"]
    again = client.conversations_open(users=[ALICE])
    assert first.startswith("D") and again["channel"]["id"] == first and again["already_open"] is True
    assert error_of(client.conversations_open, users=CAROL)["error"] == "user_disabled"
    assert error_of(client.conversations_open, users="U404")["error"] == "user_not_found"
    posted = client.chat_postMessage(channel=ALICE, text="Your review starts today")
    assert posted["channel"] == first
    assert [m.text for m in fake.dm_messages(ALICE)] == ["Your review starts today"]


# ---- messages --------------------------------------------------------------------------------


def test_post_history_update_delete(fake, client):
    cid = client.conversations_create(name="case-9")["channel"]["id"]
    with pytest.warns(UserWarning):  # slack_sdk itself warns about the missing text
        assert error_of(client.chat_postMessage, channel=cid)["error"] == "no_text"
    metadata = {"event_type": "case_opened", "event_payload": {"case": 9}}
    first = client.chat_postMessage(channel=cid, text="one", metadata=metadata)
    second = client.chat_postMessage(channel=cid, text="two")
    assert float(second["ts"]) > float(first["ts"]) and first["message"]["user"] == "UBOT0001"
    history = client.conversations_history(channel=cid, limit=1, include_all_metadata=True)
    assert [m["text"] for m in history["messages"]] == ["two"] and history["has_more"] is True
    older = client.conversations_history(channel=cid, cursor=history["response_metadata"]["next_cursor"],
                                         include_all_metadata=True)
    assert older["messages"][0]["metadata"] == metadata
    assert error_of(client.chat_update, channel=cid, ts=first["ts"], text="x" * 4001)["error"] == "msg_too_long"
    assert error_of(client.chat_update, channel=cid, ts="1.000001", text="x")["error"] == "message_not_found"
    client.chat_update(channel=cid, ts=first["ts"], text="one (edited)")
    assert fake.messages(cid)[0].text == "one (edited)" and fake.messages(cid)[0].edited
    client.chat_delete(channel=cid, ts=second["ts"])
    assert [m.text for m in fake.messages(cid)] == ["one (edited)"]


def test_cannot_update_other_peoples_messages(fake, client):
    ch = fake.add_channel("general", members=[ALICE])
    human = fake.ws.post(ch, user=ALICE, text="hello")
    assert error_of(client.chat_update, channel=ch.id, ts=human.ts, text="x")["error"] == "cant_update_message"


def test_long_text_is_truncated_and_ephemeral_needs_membership(fake, client):
    cid = client.conversations_create(name="case-10")["channel"]["id"]
    client.chat_postMessage(channel=cid, text="y" * 40_010)
    assert len(fake.messages(cid)[0].text) == 40_000
    assert error_of(client.chat_postEphemeral, channel=cid, user=ALICE, text="psst")["error"] == "user_not_in_channel"
    client.conversations_invite(channel=cid, users=ALICE)
    assert client.chat_postEphemeral(channel=cid, user=ALICE, text="psst")["message_ts"]
    assert [m.text for m in fake.ephemeral_messages(cid, ALICE)] == ["psst"]


def test_blocks_arrive_as_json_strings_in_forms_or_objects_in_json(fake, client):
    cid = client.conversations_create(name="case-11")["channel"]["id"]
    blocks = [{"type": "section", "block_id": "b1", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    client.chat_postMessage(channel=cid, text="json body", blocks=blocks)
    client.api_call("chat.postMessage", params={"channel": cid, "text": "form body", "blocks": json.dumps(blocks)})
    assert [m.blocks for m in fake.messages(cid)] == [blocks, blocks]
    assert [c.params["blocks"] for c in fake.calls("chat.postMessage")] == [blocks, blocks]
    unparsable = error_of(client.api_call, api_method="chat.postMessage", params={"channel": cid, "blocks": "[{"})
    assert unparsable["error"] == "invalid_blocks_format"


def test_slack_fills_in_missing_block_ids(fake, client):
    cid = client.conversations_create(name="case-12")["channel"]["id"]
    posted = client.chat_postMessage(channel=cid, text="t", blocks=[{"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "Go"}}]}])
    block = posted["message"]["blocks"][0]
    assert block["block_id"] and block["elements"][0]["action_id"]


def test_pins(fake, client):
    cid = client.conversations_create(name="case-13")["channel"]["id"]
    ts = client.chat_postMessage(channel=cid, text="Terms of reference")["ts"]
    client.pins_add(channel=cid, timestamp=ts)
    assert error_of(client.pins_add, channel=cid, timestamp=ts)["error"] == "already_pinned"
    assert error_of(client.pins_add, channel=cid, timestamp="1.000002")["error"] == "message_not_found"
    assert error_of(client.pins_add, channel="C0NOTREAL00", timestamp=ts)["error"] == "channel_not_found"
    assert [i["message"]["ts"] for i in client.pins_list(channel=cid)["items"]] == [ts]
    assert fake.pins(cid) == [ts]
    client.pins_remove(channel=cid, timestamp=ts)
    assert fake.pins(cid) == []


# ---- files -----------------------------------------------------------------------------------


def test_files_upload_v2_round_trip(fake, client):
    cid = client.conversations_create(name="case-14", is_private=True)["channel"]["id"]
    resp = client.files_upload_v2(
        channel=cid, content=b"%PDF-1.4 chronology", filename="chronology.pdf", title="Chronology",
        initial_comment="Draft chronology attached",
    )
    file_id = resp["file"]["id"]
    stored = fake.files[file_id]
    assert (stored.content, stored.name, stored.title) == (b"%PDF-1.4 chronology", "chronology.pdf", "Chronology")
    message = fake.messages(cid)[-1]
    assert message.text == "Draft chronology attached" and message.files[0]["id"] == file_id
    assert [c.method for c in fake.calls()][-3:] == [
        "files.getUploadURLExternal", "file_upload", "files.completeUploadExternal",
    ]
    hidden = fake.add_channel("elsewhere", is_private=True, bot_member=False)
    with pytest.raises(SlackApiError) as info:
        client.files_upload_v2(channel=hidden.id, content=b"x", filename="x.txt")
    assert info.value.response["error"] == "channel_not_found"
    assert error_of(client.files_completeUploadExternal, files=[{"id": "F0NOPE0000"}],
                    channel_id=cid)["error"] == "file_not_found"


# ---- failure injection and rate limits -------------------------------------------------------


def test_fail_next_returns_the_error_then_recovers(fake, client):
    fake.fail_next("chat.postMessage", error="restricted_action", times=2)
    cid = client.conversations_create(name="case-15")["channel"]["id"]
    for _ in range(2):
        assert error_of(client.chat_postMessage, channel=cid, text="x")["error"] == "restricted_action"
    assert client.chat_postMessage(channel=cid, text="x")["ok"]
    assert fake.stats["chat.postMessage"] == {"calls": 3, "ok": 1, "error": 2, "ratelimited": 0}


def test_a_held_call_is_acted_on_after_release_even_when_the_caller_gave_up(fake):
    hold = fake.hold_next("conversations.create")
    impatient = WebClient(token=fake.bot_token, base_url=fake.base_url, timeout=1)
    caller = threading.Thread(target=lambda: _ignore_errors(impatient.conversations_create, name="held"))
    caller.start()
    assert hold.arrived.wait(5)
    assert fake.channel_by_name("held") is None and fake.calls("conversations.create") == []
    caller.join()                      # the caller timed out, as a killed app would never hear
    hold.release()
    fake.wait_for("conversations.create")
    assert fake.channel_by_name("held") is not None


def _ignore_errors(call, **kwargs):
    try:
        call(**kwargs)
    except Exception:  # noqa: BLE001 - the answer is lost on purpose
        pass


def test_injected_server_error_and_sdk_retry(fake):
    fake.fail_next("auth.test", status=503)
    plain = WebClient(token=fake.bot_token, base_url=fake.base_url)
    assert error_of(plain.auth_test).status_code == 503
    fake.fail_next("auth.test", status=500)
    retrying = WebClient(token=fake.bot_token, base_url=fake.base_url, retry_handlers=[
        ServerErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))])
    assert retrying.auth_test()["ok"]
    assert [c.status for c in fake.calls("auth.test")] == [503, 500, 200]


def test_rate_limit_answers_429_with_retry_after_and_the_sdk_handler_recovers(fake, client):
    fake.set_rate_limits(enabled=True, scale=1 / 60)  # tier 2: 20 calls per second
    for i in range(20):
        client.conversations_create(name=f"rl-{i}")
    limited = error_of(client.conversations_create, name="rl-20")
    assert limited.status_code == 429 and limited["error"] == "ratelimited"
    assert int(limited.headers["Retry-After"]) >= 1
    retrying = WebClient(token=fake.bot_token, base_url=fake.base_url, retry_handlers=[RateLimitErrorRetryHandler()])
    started = time.monotonic()
    assert retrying.conversations_create(name="rl-21")["ok"]
    assert time.monotonic() - started >= 1  # slept for Retry-After before the successful retry
    assert fake.stats["conversations.create"]["ratelimited"] == 2
    assert fake.stats["conversations.create"]["ok"] == 21


def test_post_message_is_limited_per_channel(fake, client):
    fake.set_rate_limits(enabled=True)  # about 1 message per second per channel, bursts of 5
    a = client.conversations_create(name="burst-a")["channel"]["id"]
    b = client.conversations_create(name="burst-b")["channel"]["id"]
    statuses = []
    for _ in range(6):
        try:
            statuses.append(client.chat_postMessage(channel=a, text="x").status_code)
        except SlackApiError as err:
            statuses.append(err.response.status_code)
    assert statuses[:5] == [200] * 5 and statuses[5] == 429
    assert client.chat_postMessage(channel=b, text="other channel")["ok"]


# ---- recording -------------------------------------------------------------------------------


def test_calls_are_recorded_and_observable(fake, client):
    seen = []
    fake.on_call(lambda call: seen.append(call.method))
    client.auth_test()
    call = fake.wait_for("auth.test", timeout=1)
    assert call.status == 200 and call.response["ok"] and call.at <= time.monotonic() and call.wall <= time.time()
    assert seen == ["auth.test"]
    with pytest.raises(TimeoutError):
        fake.wait_for("chat.postMessage", timeout=0.05)
    fake.reset_calls()
    assert fake.calls() == []


def test_response_url_is_served_five_times(fake):
    ch = fake.add_channel("general", members=[ALICE])
    url = fake.issue_response_url(ch.id, ALICE)
    statuses = []
    for i in range(6):
        body = json.dumps({"text": f"reply {i}", "response_type": "in_channel" if i == 0 else "ephemeral"}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as resp:
                statuses.append(resp.status)
        except urllib.error.HTTPError as err:
            statuses.append(err.code)
    assert statuses == [200] * 5 + [404]
    assert [m.text for m in fake.messages(ch.id)] == ["reply 0"]
    assert len(fake.ephemeral_messages(ch.id, ALICE)) == 4 and len(fake.responses()) == 6


def test_scheduled_messages(fake, client):
    cid = client.conversations_create(name="case-16")["channel"]["id"]
    now = int(time.time())
    assert error_of(client.chat_scheduleMessage, channel=cid, text="x", post_at=now - 10)["error"] == "time_in_past"
    assert error_of(client.chat_scheduleMessage, channel=cid, text="x",
                    post_at=now + 121 * 86400)["error"] == "time_too_far"
    sid = client.chat_scheduleMessage(channel=cid, text="Panel meets tomorrow",
                                      post_at=now + 60)["scheduled_message_id"]
    listed = client.chat_scheduledMessages_list(channel=cid)["scheduled_messages"]
    assert [s["id"] for s in listed] == [sid] and fake.messages(cid) == []
    fake.deliver_scheduled(until=now + 61)
    assert [m.text for m in fake.messages(cid)] == ["Panel meets tomorrow"]
    assert error_of(client.chat_deleteScheduledMessage, channel=cid,
                    scheduled_message_id=sid)["error"] == "invalid_scheduled_message_id"


def test_legacy_files_upload_is_gone(fake, client):
    params = {"channels": "C1", "content": "x", "filename": "x.txt"}
    assert error_of(client.api_call, api_method="files.upload", params=params)["error"] == "method_deprecated"
