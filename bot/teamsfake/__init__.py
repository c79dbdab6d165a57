"""A faithful local fake of Microsoft Teams for tests and the sandbox: the login service, Bot
Framework's OpenID keys, the Bot Connector and the slice of Graph the bot uses, as one HTTP server
(FakeTeams), and Teams' side of the conversation with the bot, sending signed activities
(TeamsPlatform).

Behaviour follows Teams (reference/teams-platform.md §2, §3): rosters, sizes, rate windows, error
codes and event order are Teams' own, so a bot that passes here meets the same answers in Teams.

    fake = FakeTeams(card_validator=validate_card).start()
    alice = fake.add_user("Alice Able")
    platform = TeamsPlatform(fake, "http://127.0.0.1:3978/api/messages")
    # bot: TEAMS_LOGIN_URL=fake.login_url, TEAMS_OPENID_METADATA_URL=fake.openid_metadata_url,
    #      GRAPH_API_URL=fake.graph_url, client id fake.bot_id / secret fake.client_secret, tenant fake.tenant_id
    platform.install_for(alice)                      # installationUpdate + conversationUpdate, signed
    platform.say(alice, fake.personal_chat(alice).id, "new")
    fake.wait_until(lambda: fake.messages_in(chat_id))
    fake.stop()

State objects (fake.chats, fake.users...) are live; read them while the bot is idle or under
`with fake.tenant.lock:`. `fake.internal_errors` lists crashes of the fake itself and
`fake.invoke_failures` the invokes people saw fail ("Unable to reach app").
"""

from .errors import ClientSideValidation, NotShown
from .fake import FakeTeams
from .keys import CONNECTOR_SCOPE, GRAPH_SCOPE
from .model import Call, Chat, Delivery, Dialog, Membership, Message, StoredFile, User
from .outbound import Response
from .platform import FORGERIES, TeamsPlatform

__all__ = [
    "CONNECTOR_SCOPE", "FORGERIES", "GRAPH_SCOPE", "Call", "Chat", "ClientSideValidation", "Delivery", "Dialog",
    "FakeTeams", "Membership", "Message", "NotShown", "Response", "StoredFile", "TeamsPlatform", "User",
]
