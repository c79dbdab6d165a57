"""Fixtures for testing the Teams fake itself: a running FakeTeams wired to a tiny bot endpoint,
Teams' side of the conversation (TeamsPlatform), three people and the bot's two tokens."""

from __future__ import annotations

from typing import Iterator

import pytest

from bot.teamsfake import FakeTeams, TeamsPlatform, User

from .teams_http import BotEndpoint, get_token


@pytest.fixture
def bot() -> Iterator[BotEndpoint]:
    endpoint = BotEndpoint()
    yield endpoint
    endpoint.stop()


@pytest.fixture
def teams(bot: BotEndpoint) -> Iterator[FakeTeams]:
    fake = FakeTeams(messaging_endpoint=bot.url).start()
    yield fake
    fake.stop()
    assert fake.internal_errors == [], fake.internal_errors[0]


@pytest.fixture
def platform(teams: FakeTeams) -> TeamsPlatform:
    return TeamsPlatform(teams)


@pytest.fixture
def people(teams: FakeTeams) -> list[User]:
    return [teams.add_user("Alice Able"), teams.add_user("Bob Baker"), teams.add_user("Carol Cole")]


@pytest.fixture
def connector_token(teams: FakeTeams) -> str:
    return get_token(teams).body["access_token"]


@pytest.fixture
def graph_token(teams: FakeTeams) -> str:
    return get_token(teams, "https://graph.microsoft.com/.default").body["access_token"]
