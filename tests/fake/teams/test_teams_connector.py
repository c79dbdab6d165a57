"""The Bot Connector as the bot meets it: posting and updating cards, rosters, and Teams' refusals
(403 roster, 404, 413 size, 400 malformed or refused card, 429 rate windows)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.teamsfake import FakeTeams, User

from .teams_http import call

CARD = "application/vnd.microsoft.card.adaptive"


def card_message(text: str, actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": text, "wrap": True}],
            "actions": actions or []}
    return {"type": "message", "attachments": [{"contentType": CARD, "content": card}]}


@pytest.fixture
def chat_id(teams: FakeTeams, people: list[User]) -> str:
    return teams.add_chat("DHR 2026/02", people, installed=True).id


def post(teams: FakeTeams, token: str, chat_id: str, activity: Any) -> Any:
    return call("POST", f"{teams.service_url}v3/conversations/{chat_id}/activities", token=token, json_body=activity)


def test_a_card_is_posted_then_updated_in_place(teams: FakeTeams, connector_token: str, chat_id: str) -> None:
    posted = post(teams, connector_token, chat_id, card_message("Summary: stage 1"))
    assert posted.status == 201
    message_id = posted.body["id"]
    url = f"{teams.service_url}v3/conversations/{chat_id}/activities/{message_id}"
    updated = call("PUT", url, token=connector_token, json_body=card_message("Summary: stage 2"))
    assert updated.status == 200 and updated.body == {"id": message_id}
    [message] = teams.messages_in(chat_id)
    assert message.id == message_id and message.updated
    assert [v["attachments"][0]["content"]["body"][0]["text"] for v in message.versions] == \
        ["Summary: stage 1", "Summary: stage 2"]
    assert message.activity["from"]["id"] == f"28:{teams.bot_id}"


def test_a_reply_and_a_deletion(teams: FakeTeams, connector_token: str, chat_id: str) -> None:
    first = post(teams, connector_token, chat_id, {"type": "message", "text": "one"}).body["id"]
    reply = call("POST", f"{teams.service_url}v3/conversations/{chat_id}/activities/{first}", token=connector_token,
                 json_body={"type": "message", "text": "two"})
    assert reply.status == 201 and teams.chats[chat_id].message(reply.body["id"]).reply_to_id == first
    assert call("DELETE", f"{teams.service_url}v3/conversations/{chat_id}/activities/{first}",
                token=connector_token).status == 200
    assert [m.text for m in teams.messages_in(chat_id)] == ["two"]
    gone = call("PUT", f"{teams.service_url}v3/conversations/{chat_id}/activities/{first}", token=connector_token,
                json_body={"type": "message", "text": "again"})
    assert gone.status == 404


def test_a_chat_without_the_app_refuses_the_bot(teams: FakeTeams, connector_token: str, people: list[User]) -> None:
    chat = teams.add_chat("no app here", people)
    answer = post(teams, connector_token, chat.id, {"type": "message", "text": "hi"})
    assert answer.status == 403 and answer.error_code == "BotNotInConversationRoster"
    members = call("GET", f"{teams.service_url}v3/conversations/{chat.id}/members", token=connector_token)
    assert members.status == 403


def test_an_unknown_conversation_is_not_found(teams: FakeTeams, connector_token: str) -> None:
    answer = post(teams, connector_token, "19:0123456789abcdef0123456789abcdef@thread.v2",
                  {"type": "message", "text": "hi"})
    assert answer.status == 404 and answer.error_code == "ConversationNotFound"


def test_an_activity_above_28_kb_is_too_big(teams: FakeTeams, connector_token: str, chat_id: str) -> None:
    answer = post(teams, connector_token, chat_id, {"type": "message", "text": "x" * (28 * 1024)})
    assert answer.status == 413 and answer.error_code == "MessageSizeTooBig"
    assert post(teams, connector_token, chat_id, {"type": "message", "text": "x" * 27_000}).status == 201


@pytest.mark.parametrize("activity", [
    {"text": "no type"},
    {"type": "message", "attachments": {"contentType": CARD}},
    {"type": "message"},
    {"type": "message", "attachments": [{"contentType": CARD, "content": {"body": []}}]},
])
def test_a_malformed_activity_is_a_bad_argument(teams: FakeTeams, connector_token: str, chat_id: str,
                                                activity: dict[str, Any]) -> None:
    answer = post(teams, connector_token, chat_id, activity)
    assert answer.status == 400 and answer.error_code == "BadArgument"
    assert teams.messages_in(chat_id) == []


def test_a_card_the_validator_refuses_is_a_bad_argument_naming_the_problems(
        teams: FakeTeams, connector_token: str, chat_id: str) -> None:
    seen: list[tuple[dict[str, Any], bool]] = []

    def validator(card: dict[str, Any], *, dialog: bool = False) -> list[str]:
        seen.append((card, dialog))
        return ["Action.Execute needs a verb"] if "verb-less" in str(card) else []

    teams.card_validator = validator
    refused = post(teams, connector_token, chat_id, card_message("verb-less", [{"type": "Action.Execute"}]))
    assert refused.status == 400 and "Action.Execute needs a verb" in refused.body["error"]["message"]
    assert post(teams, connector_token, chat_id, card_message("fine")).status == 201
    assert [dialog for _, dialog in seen] == [False, False]


def test_sends_over_the_per_conversation_window_get_429_with_retry_after(
        teams: FakeTeams, connector_token: str, chat_id: str, people: list[User]) -> None:
    statuses = [post(teams, connector_token, chat_id, {"type": "message", "text": f"n{i}"}).status for i in range(7)]
    assert statuses == [201] * 7
    throttled = post(teams, connector_token, chat_id, {"type": "message", "text": "one too many"})
    assert throttled.status == 429 and int(throttled.headers["retry-after"]) >= 1
    assert len(teams.messages_in(chat_id)) == 7
    other = teams.add_chat("another chat", people, installed=True)
    assert post(teams, connector_token, other.id, {"type": "message", "text": "elsewhere"}).status == 201


def test_the_windows_slide(teams: FakeTeams, connector_token: str, chat_id: str) -> None:
    teams.set_rate_limits(True, scale=0.05)  # 7 per 50 ms, 8 per 100 ms, ...
    for i in range(8):
        post(teams, connector_token, chat_id, {"type": "message", "text": f"n{i}"})
    time.sleep(0.12)
    assert post(teams, connector_token, chat_id, {"type": "message", "text": "later"}).status == 201


def test_the_roster_as_teams_channel_accounts(teams: FakeTeams, connector_token: str, chat_id: str,
                                              people: list[User]) -> None:
    url = f"{teams.service_url}v3/conversations/{chat_id}/members"
    members = call("GET", url, token=connector_token).body
    alice = next(m for m in members if m["aadObjectId"] == people[0].aad_id)
    assert alice["id"].startswith("29:") and alice["userPrincipalName"] == people[0].upn
    assert alice["tenantId"] == teams.tenant_id and alice["name"] == "Alice Able"
    one = call("GET", f"{url}/{people[1].id}", token=connector_token)
    assert one.status == 200 and one.body["aadObjectId"] == people[1].aad_id
    stranger = teams.add_user("Sam Stranger")
    assert call("GET", f"{url}/{stranger.id}", token=connector_token).status == 404
