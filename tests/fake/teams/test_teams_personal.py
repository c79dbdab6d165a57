"""The app installed for one person through Graph, their 1:1 chat, and proactive 1:1 conversations."""

from __future__ import annotations

from bot.teamsfake import FakeTeams, User

from .teams_http import BotEndpoint, app_bind, call, validate


def install_for(teams: FakeTeams, token: str, user: User) -> int:
    return call("POST", f"{teams.graph_url}/users/{user.aad_id}/teamwork/installedApps", token=token,
                json_body=app_bind(teams.app_catalog_id)).status


def test_installing_for_a_person_sends_personal_events_and_opens_their_chat(
        teams: FakeTeams, graph_token: str, people: list[User], bot: BotEndpoint) -> None:
    alice = people[0]
    assert install_for(teams, graph_token, alice) == 201
    teams.flush_events()
    install, update = (a for a, _ in bot.received)
    assert (install["type"], install["action"], update["type"]) == ("installationUpdate", "add", "conversationUpdate")
    chat = teams.personal_chat(alice)
    assert chat is not None and chat.id.startswith("a:")
    assert install["conversation"] == {"conversationType": "personal", "tenantId": teams.tenant_id, "id": chat.id}
    assert install["from"] == {"id": alice.id, "name": "Alice Able", "aadObjectId": alice.aad_id}
    validate(teams, bot.received[0][1], teams.service_url)


def test_a_second_install_is_a_conflict(teams: FakeTeams, graph_token: str, people: list[User]) -> None:
    assert install_for(teams, graph_token, people[0]) == 201
    assert install_for(teams, graph_token, people[0]) == 409


def test_the_installation_is_found_by_catalog_id_and_leads_to_the_chat(
        teams: FakeTeams, graph_token: str, connector_token: str, people: list[User]) -> None:
    alice = people[0]
    url = f"{teams.graph_url}/users/{alice.aad_id}/teamwork/installedApps"
    query = f"?$expand=teamsApp&$filter=teamsApp/id eq '{teams.app_catalog_id}'".replace(" ", "%20")
    assert call("GET", url + query, token=graph_token).body["value"] == []
    install_for(teams, graph_token, alice)
    found = call("GET", url + query, token=graph_token).body["value"]
    assert len(found) == 1 and found[0]["teamsApp"]["id"] == teams.app_catalog_id
    chat = call("GET", f"{url}/{found[0]['id']}/chat", token=graph_token)
    assert chat.status == 200 and chat.body["id"] == f"19:{alice.aad_id}_{teams.bot_id}@unq.gbl.spaces"
    # The connector takes Graph's id of the 1:1 chat as well as its own `a:` id.
    posted = call("POST", f"{teams.service_url}v3/conversations/{chat.body['id']}/activities", token=connector_token,
                  json_body={"type": "message", "text": "Hello"})
    assert posted.status == 201
    assert [m.text for m in teams.messages_in(teams.personal_chat(alice).id)] == ["Hello"]


def test_unknown_app_or_person_is_not_found(teams: FakeTeams, graph_token: str, people: list[User]) -> None:
    url = f"{teams.graph_url}/users/{people[0].aad_id}/teamwork/installedApps"
    unknown_app = app_bind("99999999-0000-0000-0000-000000000000")
    assert call("POST", url, token=graph_token, json_body=unknown_app).status == 404
    assert call("GET", f"{teams.graph_url}/users/nobody@x.org/teamwork/installedApps", token=graph_token).status == 404


def test_a_proactive_conversation_needs_the_app_installed_for_the_person(
        teams: FakeTeams, graph_token: str, connector_token: str, people: list[User]) -> None:
    alice = people[0]
    params = {"bot": {"id": f"28:{teams.bot_id}"}, "members": [{"id": alice.id}], "tenantId": teams.tenant_id,
              "isGroup": False}
    refused = call("POST", f"{teams.service_url}v3/conversations", token=connector_token, json_body=params)
    assert refused.status == 403 and refused.error_code == "ForbiddenOperationException"
    install_for(teams, graph_token, alice)
    created = call("POST", f"{teams.service_url}v3/conversations", token=connector_token, json_body=params)
    assert created.status == 201
    assert created.body == {"id": teams.personal_chat(alice).id, "serviceUrl": teams.service_url}
    by_upn = {**params, "members": [{"id": alice.upn}]}
    assert call("POST", f"{teams.service_url}v3/conversations", token=connector_token, json_body=by_upn).status == 400
    group = {**params, "isGroup": True}
    assert call("POST", f"{teams.service_url}v3/conversations", token=connector_token, json_body=group).status == 400


def test_after_uninstalling_the_bot_is_out_of_the_roster(teams: FakeTeams, graph_token: str,
                                                         connector_token: str, people: list[User]) -> None:
    alice = people[0]
    install_for(teams, graph_token, alice)
    url = f"{teams.graph_url}/users/{alice.aad_id}/teamwork/installedApps"
    installation = call("GET", url, token=graph_token).body["value"][0]["id"]
    assert call("DELETE", f"{url}/{installation}", token=graph_token).status == 204
    chat_id = teams.personal_chat(alice).id
    posted = call("POST", f"{teams.service_url}v3/conversations/{chat_id}/activities", token=connector_token,
                  json_body={"type": "message", "text": "Hello"})
    assert posted.status == 403 and posted.error_code == "BotNotInConversationRoster"
