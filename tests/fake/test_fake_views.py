"""Modal and Home tab mechanics of the fake."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

ALICE = "U0000001"


def simple_modal(title="Step", **extra):
    view = {
        "type": "modal", "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "section", "block_id": "s", "text": {"type": "mrkdwn", "text": title}}],
    }
    view.update(extra)
    return view


def error_of(call, **kwargs):
    with pytest.raises(SlackApiError) as info:
        call(**kwargs)
    return info.value.response["error"]


def test_trigger_ids_are_well_formed_single_use_and_expire(fake, client):
    assert error_of(client.views_open, trigger_id="not-a-trigger", view=simple_modal()) == "invalid_trigger_id"
    assert error_of(client.views_open, trigger_id="123.456.abc", view=simple_modal()) == "invalid_trigger_id"
    trigger = fake.issue_trigger(ALICE)
    assert client.views_open(trigger_id=trigger, view=simple_modal())["ok"]
    assert error_of(client.views_open, trigger_id=trigger, view=simple_modal()) == "exchanged_trigger_id"
    now = [1000.0]
    fake.clock = lambda: now[0]
    stale = fake.issue_trigger(ALICE)
    now[0] += 3.01
    assert error_of(client.views_open, trigger_id=stale, view=simple_modal()) == "expired_trigger_id"
    fake.trigger_ttl = 10
    assert client.views_open(trigger_id=fake.issue_trigger(ALICE), view=simple_modal())["ok"]


def test_views_open_returns_the_full_view_object(fake, client, modal_view):
    view = client.views_open(trigger_id=fake.issue_trigger(ALICE), view=modal_view)["view"]
    assert view["id"].startswith("V") and view["team_id"] == "T0001" and view["app_id"] == "A0001"
    assert view["bot_id"] == "B0001" and view["root_view_id"] == view["id"] and view["previous_view_id"] is None
    assert view["state"] == {"values": {}} and view["hash"] and view["callback_id"] == "new_review"
    assert view["private_metadata"] == '{"case": 7}' and view["submit"]["text"] == "Create"
    assert fake.open_view_for(ALICE).id == view["id"]
    assert fake.views[view["id"]].user_id == ALICE


def test_views_update_keeps_the_id_changes_the_hash_and_detects_conflicts(fake, client):
    opened = client.views_open(trigger_id=fake.issue_trigger(ALICE), view=simple_modal(external_id="case-1"))["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=simple_modal("Two"))["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert fake.views[opened["id"]].title["text"] == "Two"
    assert error_of(client.views_update, view_id=opened["id"], hash=opened["hash"],
                    view=simple_modal("Three")) == "hash_conflict"
    assert client.views_update(external_id="case-1", view=simple_modal("By external id", external_id="case-1"))["ok"]
    assert error_of(client.views_update, view_id="V0NOTREAL00", view=simple_modal()) == "not_found"


def test_push_is_limited_to_three_views(fake, client):
    root = client.views_open(trigger_id=fake.issue_trigger(ALICE), view=simple_modal("Root"))["view"]
    second = client.views_push(trigger_id=fake.issue_trigger(ALICE), view=simple_modal("Second"))["view"]
    assert second["root_view_id"] == root["id"] and second["previous_view_id"] == root["id"]
    client.views_push(trigger_id=fake.issue_trigger(ALICE), view=simple_modal("Third"))
    assert error_of(client.views_push, trigger_id=fake.issue_trigger(ALICE),
                    view=simple_modal("Fourth")) == "push_limit_reached"
    assert [v.title["text"] for v in fake.modal_stack(ALICE)] == ["Root", "Second", "Third"]


def test_views_publish_keeps_the_latest_home_view(fake, client):
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "v1"}}]}
    first = client.views_publish(user_id=ALICE, view=home)["view"]
    home["blocks"][0]["text"]["text"] = "v2"
    second = client.views_publish(user_id=ALICE, view=home)["view"]
    assert second["id"] == first["id"] and fake.home_view(ALICE).blocks[0]["text"]["text"] == "v2"
    assert error_of(client.views_publish, user_id=ALICE, view=home, hash=first["hash"]) == "hash_conflict"
    assert error_of(client.views_publish, user_id=ALICE, view=simple_modal()) == "invalid_arguments"
    assert error_of(client.views_open, trigger_id=fake.issue_trigger(ALICE), view=home) == "invalid_arguments"


def test_duplicate_external_id_between_open_views(fake, client):
    client.views_open(trigger_id=fake.issue_trigger(ALICE), view=simple_modal(external_id="dup"))
    client.views_publish(user_id="U0000002",
                         view={"type": "home", "external_id": "home-x", "blocks": [{"type": "divider"}]})
    assert error_of(client.views_push, trigger_id=fake.issue_trigger(ALICE),
                    view=simple_modal(external_id="home-x")) == "duplicate_external_id"
