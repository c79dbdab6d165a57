"""The Teams SDK's own connector client works against the fake unchanged: ids with `:` and `@`,
the service URL's path, the answers it parses."""

from __future__ import annotations

import asyncio

from microsoft_teams.api import ApiClient
from microsoft_teams.api.activities import MessageActivityInput
from microsoft_teams.api.clients.conversation.params import CreateConversationParams
from microsoft_teams.api.models import Account
from microsoft_teams.common import ClientOptions

from bot.teamsfake import FakeTeams, TeamsPlatform, User


def test_the_sdk_posts_updates_and_reads_the_roster(teams: FakeTeams, people: list[User]) -> None:
    chat = teams.add_chat("DHR 2026/04", people, installed=True)
    api = ApiClient(teams.service_url, ClientOptions(token=teams.access_token()))

    async def journey() -> tuple[str, list[str], str]:
        sent = await api.conversations.create_activity(chat.id, MessageActivityInput(text="Summary v1"))
        await api.conversations.update_activity(chat.id, sent.id, MessageActivityInput(text="Summary v2"))
        members = await api.conversations.get_members(chat.id)
        one = await api.conversations.get_member_by_id(chat.id, people[0].id)
        return sent.id, [m.aad_object_id or "" for m in members], one.user_principal_name or ""

    message_id, member_ids, upn = asyncio.run(journey())
    assert [(m.id, m.text, len(m.versions)) for m in teams.messages_in(chat.id)] == [(message_id, "Summary v2", 2)]
    assert sorted(member_ids) == sorted(u.aad_id for u in people) and upn == people[0].upn


def test_the_sdk_opens_a_personal_conversation(teams: FakeTeams, platform: TeamsPlatform, people: list[User]) -> None:
    platform.install_for(people[0])
    api = ApiClient(teams.service_url, ClientOptions(token=teams.access_token()))
    params = CreateConversationParams(bot=Account(id=teams.bot_account_id), members=[Account(id=people[0].id)],
                                      tenant_id=teams.tenant_id, is_group=False)
    created = asyncio.run(api.conversations.create(params))
    assert created.id == teams.personal_chat(people[0]).id
