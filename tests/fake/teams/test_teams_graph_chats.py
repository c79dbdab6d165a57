"""Group chats through Graph: create, rename, members, and installing the app, after which Teams
sends the bot signed installationUpdate and conversationUpdate activities."""

from __future__ import annotations

import re
from typing import Any

from bot.teamsfake import FakeTeams, User

from .teams_http import BotEndpoint, app_bind, call, get_token, member_bind, validate


def create_chat(teams: FakeTeams, token: str, members: list[User], topic: str = "DHR 2026/01") -> Any:
    return call("POST", f"{teams.graph_url}/chats", token=token, json_body={
        "chatType": "group", "topic": topic, "members": [member_bind(u) for u in members]})


def test_a_group_chat_is_created_with_a_teams_id_and_its_members(teams: FakeTeams, graph_token: str,
                                                                 people: list[User]) -> None:
    answer = create_chat(teams, graph_token, people)
    assert answer.status == 201
    chat_id = answer.body["id"]
    assert re.fullmatch(r"19:[0-9a-f]{32}@thread\.v2", chat_id)
    assert answer.body["topic"] == "DHR 2026/01" and answer.body["chatType"] == "group"
    members = call("GET", f"{teams.graph_url}/chats/{chat_id}/members", token=graph_token).body["value"]
    assert sorted(m["userId"] for m in members) == sorted(u.aad_id for u in people)
    assert not teams.chats[chat_id].installed


def test_members_can_be_bound_by_upn(teams: FakeTeams, graph_token: str, people: list[User]) -> None:
    members = [{**member_bind(u), "user@odata.bind": f"https://graph.microsoft.com/v1.0/users('{u.upn}')"}
               for u in people[:2]]
    answer = call("POST", f"{teams.graph_url}/chats", token=graph_token,
                  json_body={"chatType": "group", "topic": "t", "members": members})
    assert answer.status == 201


def test_graph_refuses_a_long_topic_no_members_and_an_unknown_person(teams: FakeTeams, graph_token: str,
                                                                        people: list[User]) -> None:
    assert create_chat(teams, graph_token, people, topic="x" * 251).status == 400
    assert create_chat(teams, graph_token, []).status == 400
    stranger = User("00000000-0000-0000-0000-000000000000", "29:x", "Nobody", "no@x", "no@x")
    assert create_chat(teams, graph_token, [people[0], stranger]).status == 404
    assert create_chat(teams, graph_token, people, topic="x" * 250).status == 201


def test_renaming_a_chat_takes_the_app_in_it_for_its_chat_settings_permission(
        teams: FakeTeams, graph_token: str, people: list[User]) -> None:
    chat_id = create_chat(teams, graph_token, people).body["id"]
    early = call("PATCH", f"{teams.graph_url}/chats/{chat_id}", token=graph_token, json_body={"topic": "new"})
    assert early.status == 403 and early.error_code == "Forbidden"  # RSC ChatSettings.ReadWrite.Chat needs the app
    call("POST", f"{teams.graph_url}/chats/{chat_id}/installedApps", token=graph_token,
         json_body=app_bind(teams.app_catalog_id))
    assert call("PATCH", f"{teams.graph_url}/chats/{chat_id}", token=graph_token,
                json_body={"topic": "DHR 2026/01 (concluded)"}).status == 204
    assert call("GET", f"{teams.graph_url}/chats/{chat_id}", token=graph_token).body["topic"] == \
        "DHR 2026/01 (concluded)"
    assert call("PATCH", f"{teams.graph_url}/chats/{chat_id}", token=graph_token,
                json_body={"topic": "y" * 251}).status == 400


def test_installing_the_app_sends_the_bot_signed_events_for_the_chat(teams: FakeTeams, graph_token: str,
                                                                    people: list[User], bot: BotEndpoint) -> None:
    chat_id = create_chat(teams, graph_token, people).body["id"]
    answer = call("POST", f"{teams.graph_url}/chats/{chat_id}/installedApps", token=graph_token,
                  json_body=app_bind(teams.app_catalog_id))
    assert answer.status == 201
    teams.flush_events()
    kinds = [a["type"] for a, _ in bot.received]
    assert kinds == ["installationUpdate", "conversationUpdate"]
    install, update = (a for a, _ in bot.received)
    assert install["action"] == "add"
    assert update["membersAdded"] == [{"id": f"28:{teams.bot_id}"}]
    for activity, authorization in bot.received:
        assert activity["conversation"] == {"conversationType": "groupChat", "tenantId": teams.tenant_id,
                                            "id": chat_id, "isGroup": True}
        assert activity["serviceUrl"] == teams.service_url and activity["channelId"] == "msteams"
        claims = validate(teams, authorization, activity["serviceUrl"])
        assert claims["aud"] == teams.bot_id and claims["iss"] == "https://api.botframework.com"
    assert teams.chats[chat_id].installed


def test_installing_twice_is_a_conflict_and_an_unknown_app_is_not_found(teams: FakeTeams, graph_token: str,
                                                                        people: list[User]) -> None:
    chat_id = create_chat(teams, graph_token, people).body["id"]
    url = f"{teams.graph_url}/chats/{chat_id}/installedApps"
    unknown = call("POST", url, token=graph_token, json_body=app_bind("11111111-2222-3333-4444-555555555555"))
    assert unknown.status == 404
    assert call("POST", url, token=graph_token, json_body=app_bind(teams.app_catalog_id)).status == 201
    again = call("POST", url, token=graph_token, json_body=app_bind(teams.app_catalog_id))
    assert again.status == 409 and again.error_code == "Conflict"


def test_members_added_and_removed_reach_the_bot_once_it_is_in_the_chat(
        teams: FakeTeams, graph_token: str, people: list[User], bot: BotEndpoint) -> None:
    chat_id = create_chat(teams, graph_token, people[:2]).body["id"]
    call("POST", f"{teams.graph_url}/chats/{chat_id}/installedApps", token=graph_token,
         json_body=app_bind(teams.app_catalog_id))
    carol = people[2]
    added = call("POST", f"{teams.graph_url}/chats/{chat_id}/members", token=graph_token, json_body=member_bind(carol))
    assert added.status == 201 and added.headers["location"].endswith(added.body["id"])
    again = call("POST", f"{teams.graph_url}/chats/{chat_id}/members", token=graph_token, json_body=member_bind(carol))
    assert again.status == 201 and again.body["id"] == added.body["id"]
    removed = call("DELETE", f"{teams.graph_url}/chats/{chat_id}/members/{added.body['id']}", token=graph_token)
    assert removed.status == 204
    teams.flush_events()
    updates = bot.of_type("conversationUpdate")
    assert updates[-2]["membersAdded"] == [{"id": carol.id, "aadObjectId": carol.aad_id}]
    assert updates[-1]["membersRemoved"] == [{"id": carol.id, "aadObjectId": carol.aad_id}]
    assert len(updates) == 3  # the bot's own arrival, Carol in, Carol out: the repeated add changed nothing
    assert carol.aad_id not in teams.chats[chat_id].members


def test_users_are_found_by_id_or_upn_and_strangers_are_not(teams: FakeTeams, graph_token: str,
                                                            people: list[User]) -> None:
    alice = people[0]
    by_upn = call("GET", f"{teams.graph_url}/users/{alice.upn}", token=graph_token)
    assert by_upn.status == 200
    assert {k: by_upn.body[k] for k in ("id", "displayName", "userPrincipalName", "mail")} == {
        "id": alice.aad_id, "displayName": "Alice Able", "userPrincipalName": alice.upn, "mail": alice.mail}
    assert call("GET", f"{teams.graph_url}/users/{alice.aad_id}", token=graph_token).body["id"] == alice.aad_id
    missing = call("GET", f"{teams.graph_url}/users/nobody@contoso.onmicrosoft.com", token=graph_token)
    assert missing.status == 404 and missing.error_code == "Request_ResourceNotFound"


def test_a_withdrawn_application_permission_is_forbidden(teams: FakeTeams, people: list[User]) -> None:
    teams.graph_roles.remove("Chat.Create")
    token = get_token(teams, "https://graph.microsoft.com/.default").body["access_token"]
    refused = create_chat(teams, token, people)
    assert refused.status == 403 and "Chat.Create" in refused.body["error"]["message"]
