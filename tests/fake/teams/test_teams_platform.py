"""Teams' side toward the bot: people typing, pressing card buttons, filling dialogs, sending files,
installing the app; each activity signed as Bot Framework signs it, and invoke answers judged as
the Teams client judges them."""

from __future__ import annotations

import urllib.request
from typing import Any

import jwt
import pytest

from bot.teamsfake import FORGERIES, ClientSideValidation, FakeTeams, NotShown, TeamsPlatform, User

from .teams_http import BotEndpoint, call, validate

CARD = "application/vnd.microsoft.card.adaptive"
OPEN_FORM = {"msteams": {"type": "task/fetch"}, "dialog_id": "new_review"}
FORM = {"type": "AdaptiveCard", "version": "1.5", "body": [
    {"type": "Input.Text", "id": "name", "label": "Name", "isRequired": True, "errorMessage": "Give a name",
     "maxLength": 20},
    {"type": "Input.Text", "id": "notes", "label": "Notes"},
], "actions": [{"type": "Action.Submit", "title": "Create", "data": {"dialog_id": "new_review"}}]}


def card(actions: list[dict[str, Any]], body: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": "1.5", "body": body or [{"type": "TextBlock", "text": "Review"}],
            "actions": actions}


def bot_posts_card(teams: FakeTeams, chat_id: str, content: dict[str, Any]) -> str:
    """Post a card through the connector, as the bot would."""
    activity = {"type": "message", "attachments": [{"contentType": CARD, "content": content}]}
    answer = call("POST", f"{teams.service_url}v3/conversations/{chat_id}/activities", json_body=activity,
                  token=teams.access_token())
    assert answer.status == 201, answer.body
    return answer.body["id"]


@pytest.fixture
def group(teams: FakeTeams, people: list[User]) -> str:
    return teams.add_chat("DHR 2026/03", people, installed=True).id


def test_a_group_message_mentions_the_bot_and_is_signed(teams: FakeTeams, platform: TeamsPlatform,
                                                        bot: BotEndpoint, people: list[User], group: str) -> None:
    response = platform.say(people[0], group, "panel")
    assert response.status == 200
    activity, authorization = bot.received[-1]
    assert activity["text"] == "<at>DHR Bot</at> panel"
    mention = next(e for e in activity["entities"] if e["type"] == "mention")
    assert mention == {"mentioned": {"id": f"28:{teams.bot_id}", "name": "DHR Bot"}, "text": "<at>DHR Bot</at>",
                       "type": "mention"}
    assert activity["from"]["aadObjectId"] == people[0].aad_id and activity["conversation"]["isGroup"] is True
    assert [a["contentType"] for a in activity["attachments"]] == ["text/html"]
    claims = validate(teams, authorization, activity["serviceUrl"])
    assert claims["serviceurl"] == activity["serviceUrl"] == teams.service_url
    assert [m.text for m in teams.messages_in(group)] == ["<at>DHR Bot</at> panel"]  # people see it too
    assert teams.bot_messages_in(group) == []


def test_a_personal_message_has_no_mention(teams: FakeTeams, platform: TeamsPlatform, bot: BotEndpoint,
                                           people: list[User]) -> None:
    platform.install_for(people[0])
    platform.say(people[0], teams.personal_chat(people[0]).id, "new")
    activity = bot.received[-1][0]
    assert activity["text"] == "new" and activity["conversation"]["conversationType"] == "personal"
    assert not [e for e in activity["entities"] if e["type"] == "mention"]


def test_people_reach_only_chats_they_are_in_with_the_app(teams: FakeTeams, platform: TeamsPlatform,
                                                          people: list[User], group: str) -> None:
    outsider = teams.add_user("Olive Outside")
    with pytest.raises(NotShown):
        platform.say(outsider, group, "hello")
    without_app = teams.add_chat("no app", people)
    with pytest.raises(NotShown):
        platform.say(people[0], without_app.id, "hello")


@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_requests_fail_the_sdk_check(teams: FakeTeams, platform: TeamsPlatform, bot: BotEndpoint,
                                            people: list[User], group: str, kind: str) -> None:
    activity = platform.message_activity(people[0], group, "hello")
    platform.forge(kind, activity)
    _, authorization = bot.received[-1]
    with pytest.raises(jwt.InvalidTokenError):
        validate(teams, authorization, activity["serviceUrl"])


def test_pressing_a_task_fetch_button_opens_the_dialog_the_bot_answers(
        teams: FakeTeams, platform: TeamsPlatform, bot: BotEndpoint, people: list[User], group: str) -> None:
    bot.answer = lambda a: (200, {"task": {"type": "continue", "value": {
        "title": "New review", "card": {"contentType": CARD, "content": FORM}}}})
    message_id = bot_posts_card(teams, group, card([{"type": "Action.Submit", "title": "Start", "data": OPEN_FORM}]))
    response = platform.press(people[0], group, message_id, "Start")
    invoke = bot.received[-1][0]
    assert (invoke["type"], invoke["name"], invoke["replyToId"]) == ("invoke", "task/fetch", message_id)
    assert invoke["value"] == {"data": OPEN_FORM, "context": {"theme": "default"}}
    assert response.status == 200 and platform.open_dialog(people[0]).title == "New review"

    bot.answer = lambda a: (200, {"task": {"type": "message", "value": "Created"}})
    platform.submit_dialog(people[0], group, {"name": "Jane"})
    submit = bot.received[-1][0]
    assert submit["name"] == "task/submit"
    assert submit["value"]["data"] == {"dialog_id": "new_review", "name": "Jane", "notes": ""}
    assert platform.open_dialog(people[0]) is None
    assert teams.invoke_failures == []


def test_the_client_blocks_a_dialog_submit_with_a_required_input_empty(
        teams: FakeTeams, platform: TeamsPlatform, bot: BotEndpoint, people: list[User], group: str) -> None:
    bot.answer = lambda a: (200, {"task": {"type": "continue", "value": {"card": {"contentType": CARD,
                                                                                  "content": FORM}}}})
    message_id = bot_posts_card(teams, group, card([{"type": "Action.Submit", "title": "Start", "data": OPEN_FORM}]))
    platform.press(people[0], group, message_id, OPEN_FORM)
    sent = len(bot.received)
    with pytest.raises(ClientSideValidation) as blocked:
        platform.submit_dialog(people[0], group, {"notes": "n"})
    assert blocked.value.errors == {"name": "Give a name"}
    with pytest.raises(NotShown):
        platform.submit_dialog(people[0], group, {"name": "Jane", "colour": "red"})
    assert len(bot.received) == sent  # nothing reached the bot
    platform.submit_dialog(people[0], group, {"name": " "})     # one space is a value to the client (isSet)
    assert len(bot.received) == sent + 1 and bot.received[-1][0]["value"]["data"]["name"] == " "


def test_an_empty_invoke_answer_is_unable_to_reach_app(teams: FakeTeams, platform: TeamsPlatform,
                                                       bot: BotEndpoint, people: list[User], group: str) -> None:
    message_id = bot_posts_card(teams, group, card([{"type": "Action.Submit", "title": "Start", "data": OPEN_FORM}]))
    platform.press(people[0], group, message_id, "Start")  # the endpoint answers 200 with no body
    bot.answer = lambda a: (500, {"error": "boom"})
    platform.press(people[0], group, message_id, "Start")
    assert [f["reason"] for f in teams.invoke_failures] == [
        "Unable to reach app: empty invoke response", "Unable to reach app: HTTP 500"]
    assert platform.open_dialog(people[0]) is None


def test_a_dialog_card_the_validator_refuses_does_not_open(teams: FakeTeams, platform: TeamsPlatform,
                                                           bot: BotEndpoint, people: list[User], group: str) -> None:
    modes: list[bool] = []

    def validator(content: dict[str, Any], *, dialog: bool = False) -> list[str]:
        modes.append(dialog)
        return ["only Action.Submit in a dialog"] if dialog else []

    teams.card_validator = validator
    bot.answer = lambda a: (200, {"task": {"type": "continue", "value": {"card": {"contentType": CARD,
                                                                                  "content": FORM}}}})
    message_id = bot_posts_card(teams, group, card([{"type": "Action.Submit", "title": "Start", "data": OPEN_FORM}]))
    platform.press(people[0], group, message_id, "Start")
    assert modes == [False, True] and platform.open_dialog(people[0]) is None  # the message's card, the dialog's
    assert "only Action.Submit in a dialog" in teams.invoke_failures[0]["reason"]


def test_a_plain_submit_is_a_message_with_the_data_and_inputs(teams: FakeTeams, platform: TeamsPlatform,
                                                              bot: BotEndpoint, people: list[User], group: str) -> None:
    content = card([{"type": "Action.Submit", "title": "I agree", "data": {"action": "agree"}}],
                   body=[{"type": "Input.Text", "id": "comment"}])
    message_id = bot_posts_card(teams, group, content)
    platform.press(people[1], group, message_id, "I agree", inputs={"comment": "ok"})
    activity = bot.received[-1][0]
    assert activity["type"] == "message" and activity["replyToId"] == message_id
    assert activity["value"] == {"action": "agree", "comment": "ok"} and "text" not in activity


def test_an_execute_action_replaces_the_card_with_the_answer(teams: FakeTeams, platform: TeamsPlatform,
                                                             bot: BotEndpoint, people: list[User], group: str) -> None:
    message_id = bot_posts_card(teams, group, card([{"type": "Action.Execute", "title": "Agree", "verb": "agree"}]))
    bot.answer = lambda a: (200, {"statusCode": 200, "type": CARD, "value": card([], [
        {"type": "TextBlock", "text": "Agreed"}])})
    platform.press(people[0], group, message_id, "agree")
    invoke = bot.received[-1][0]
    assert invoke["name"] == "adaptiveCard/action" and invoke["value"]["action"]["verb"] == "agree"
    assert teams.chats[group].message(message_id).cards[0]["body"][0]["text"] == "Agreed"
    silent = bot_posts_card(teams, group, card([{"type": "Action.Execute", "title": "Broken"}]))
    with pytest.raises(NotShown):
        platform.press(people[0], group, silent, "Broken")


def test_a_file_sent_in_the_personal_chat_can_be_downloaded(teams: FakeTeams, platform: TeamsPlatform,
                                                            bot: BotEndpoint, people: list[User]) -> None:
    alice = people[0]
    with pytest.raises(NotShown):
        platform.upload_file(alice, "", "chronology.csv", b"date,event\n")
    platform.install_for(alice)
    platform.upload_file(alice, "Our chronology", "chronology.csv", b"date,event\n2026-01-01,x\n")
    activity = bot.received[-1][0]
    download = activity["attachments"][0]
    assert download["contentType"] == "application/vnd.microsoft.teams.file.download.info"
    assert download["name"] == "chronology.csv" and download["content"]["fileType"] == "csv"
    with urllib.request.urlopen(download["content"]["downloadUrl"], timeout=5) as resp:
        assert resp.read() == b"date,event\n2026-01-01,x\n"


def test_adding_the_app_to_a_chat_and_installing_it_for_oneself(teams: FakeTeams, platform: TeamsPlatform,
                                                                bot: BotEndpoint, people: list[User]) -> None:
    chat = teams.add_chat("people's own chat", people)
    responses = platform.add_to_chat(people[1], chat.id)
    assert [r.status for r in responses] == [200, 200] and chat.installed
    assert [a["type"] for a, _ in bot.received] == ["installationUpdate", "conversationUpdate"]
    assert bot.received[0][0]["from"]["aadObjectId"] == people[1].aad_id
    with pytest.raises(NotShown):
        platform.add_to_chat(people[1], chat.id)
    platform.install_for(people[2])
    with pytest.raises(NotShown):
        platform.install_for(people[2])
    platform.uninstall_for(people[2])
    assert bot.received[-2][0]["action"] == "remove" and bot.received[-1][0]["membersRemoved"]
