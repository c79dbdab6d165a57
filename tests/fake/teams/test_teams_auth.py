"""The login service, Bot Framework's keys, and the bearer checks of the connector and Graph."""

from __future__ import annotations

import jwt
import pytest

from bot.teamsfake import GRAPH_SCOPE, FakeTeams

from .teams_http import call, get_token


def test_client_credentials_give_a_bearer_token_for_each_audience(teams: FakeTeams) -> None:
    connector = get_token(teams)
    graph = get_token(teams, GRAPH_SCOPE)
    assert connector.status == graph.status == 200
    assert connector.body["token_type"] == "Bearer" and connector.body["expires_in"] == 3599
    claims = jwt.decode(connector.body["access_token"], options={"verify_signature": False})
    assert claims["aud"] == "https://api.botframework.com" and claims["appid"] == teams.bot_id
    assert jwt.get_unverified_header(connector.body["access_token"])["alg"] == "RS256"
    graph_claims = jwt.decode(graph.body["access_token"], options={"verify_signature": False})
    assert graph_claims["aud"] == "https://graph.microsoft.com" and "Chat.Create" in graph_claims["roles"]


def test_a_wrong_secret_is_refused_as_invalid_client(teams: FakeTeams) -> None:
    answer = get_token(teams, secret="not-the-secret")
    assert answer.status == 401 and answer.body["error"] == "invalid_client"


def test_an_unknown_scope_is_refused(teams: FakeTeams) -> None:
    answer = get_token(teams, "https://example.com/.default")
    assert answer.status == 400 and answer.body["error"] == "invalid_scope"


def test_the_connector_wants_its_own_token(teams: FakeTeams, connector_token: str, graph_token: str) -> None:
    url = f"{teams.service_url}v3/conversations/19:nothing@thread.v2/members"
    assert call("GET", url).status == 401
    assert call("GET", url, token=graph_token).status == 401
    assert call("GET", url, token="not-a-jwt").status == 401
    assert call("GET", url, token=connector_token).status == 404  # past the auth: no such conversation


def test_graph_wants_its_own_token(teams: FakeTeams, connector_token: str, graph_token: str) -> None:
    user = teams.add_user("Dana Dale")
    url = f"{teams.graph_url}/users/{user.aad_id}"
    missing = call("GET", url)
    assert missing.status == 401 and missing.error_code == "InvalidAuthenticationToken"
    assert call("GET", url, token=connector_token).status == 401
    assert call("GET", url, token=graph_token).status == 200


def test_a_token_from_another_app_is_refused(teams: FakeTeams) -> None:
    with FakeTeams() as other:
        foreign = other.access_token()
    assert call("GET", f"{teams.service_url}v3/conversations/x/members", token=foreign).status == 401


def test_the_openid_metadata_points_at_keys_endorsed_for_teams(teams: FakeTeams) -> None:
    metadata = call("GET", teams.openid_metadata_url).body
    assert metadata["issuer"] == "https://api.botframework.com"
    keys = call("GET", metadata["jwks_uri"]).body["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["endorsements"] == ["msteams"] and keys[0]["kid"]


@pytest.mark.parametrize("scope", ["https://api.botframework.com/.default", GRAPH_SCOPE])
def test_access_token_helper_matches_the_endpoint(teams: FakeTeams, scope: str) -> None:
    claims = jwt.decode(teams.access_token(scope), options={"verify_signature": False})
    endpoint = jwt.decode(get_token(teams, scope).body["access_token"], options={"verify_signature": False})
    assert claims["aud"] == endpoint["aud"] and claims["appid"] == endpoint["appid"]
