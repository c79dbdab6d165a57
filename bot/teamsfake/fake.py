"""FakeTeams: the public face of the fake, with seeding, settings and inspectors for tests."""

from __future__ import annotations

import time
from typing import Any, Callable

from . import ids
from .auth import Authority
from .connector import Connector
from .dispatch import Dispatcher
from .graph import Graph
from .keys import CONNECTOR_SCOPE, access_token_claims
from .model import Call, Chat, Delivery, Message, User
from .outbound import BotLink
from .ratelimit import RateLimiter
from .server import HttpServer
from .state import AppIdentity, Tenant
from .validation import CardValidator


class FakeTeams:
    def __init__(
        self, *, tenant_id: str | None = None, bot_id: str | None = None, client_secret: str = "fake-client-secret",
        bot_name: str = "DHR Bot", app_catalog_id: str | None = None, app_external_id: str | None = None,
        messaging_endpoint: str | None = None, card_validator: CardValidator | None = None,
        host: str = "127.0.0.1", port: int = 0,
    ) -> None:
        app = AppIdentity(tenant_id or ids.guid(), bot_id or ids.guid(), client_secret, bot_name,
                          app_catalog_id or ids.guid(), app_external_id or ids.guid())
        self.tenant = Tenant(app)
        self._authority = Authority(self.tenant)
        self._limiter = RateLimiter()
        self.link = BotLink(self.tenant, self._authority.bot_framework_key)  # Teams' wire to the bot
        self.link.endpoint = messaging_endpoint
        self._connector = Connector(self.tenant, self._authority, self._limiter)
        self._connector.card_validator = card_validator
        self._dispatcher = Dispatcher(self.tenant, self._authority, self._connector, Graph(self.tenant, self.link))
        self._host, self._port = host, port
        self._server: HttpServer | None = None

    # ---- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "FakeTeams":
        self._server = HttpServer(self._dispatcher, self._host, self._port)
        self.tenant.root_url = self._server.root_url
        self._server.start()
        return self

    def stop(self) -> None:
        self.link.flush(timeout=5)
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> "FakeTeams":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- where things are ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The server's root: TEAMS_LOGIN_URL (token endpoint at {base}/{tenant}/oauth2/v2.0/token)."""
        return self.tenant.root_url

    @property
    def login_url(self) -> str:
        return self.tenant.root_url

    @property
    def openid_metadata_url(self) -> str:
        return f"{self.tenant.root_url}/v1/.well-known/openidconfiguration"

    @property
    def graph_url(self) -> str:
        return f"{self.tenant.root_url}/v1.0"

    @property
    def service_url(self) -> str:
        """The serviceUrl activities carry (regional, per tenant, with a trailing slash)."""
        return self.tenant.service_url

    @property
    def messaging_endpoint(self) -> str | None:
        return self.link.endpoint

    @messaging_endpoint.setter
    def messaging_endpoint(self, url: str | None) -> None:
        self.link.endpoint = url

    # ---- identity and settings ---------------------------------------------------------------------

    @property
    def tenant_id(self) -> str:
        return self.tenant.app.tenant_id

    @property
    def bot_id(self) -> str:
        return self.tenant.app.bot_id

    @property
    def bot_account_id(self) -> str:
        return self.tenant.bot_account_id

    @property
    def bot_name(self) -> str:
        return self.tenant.app.bot_name

    @property
    def client_secret(self) -> str:
        return self.tenant.app.client_secret

    @property
    def app_catalog_id(self) -> str:
        return self.tenant.app.catalog_id

    @property
    def app_external_id(self) -> str:
        return self.tenant.app.external_id

    @property
    def card_validator(self) -> CardValidator | None:
        return self._connector.card_validator

    @card_validator.setter
    def card_validator(self, validator: CardValidator | None) -> None:
        self._connector.card_validator = validator

    @property
    def graph_roles(self) -> list[str]:
        """Application permissions granted to the app (the roles of Graph tokens issued from now on);
        edit the list to withdraw one."""
        return self._authority.graph_roles

    @property
    def rsc_permissions(self) -> list[str]:
        """Resource-specific permissions the manifest grants in each chat the app is installed in."""
        return self._authority.rsc_permissions

    def set_rate_limits(self, enabled: bool = True, scale: float = 1.0) -> None:
        """The §2.9 windows are on by default; scale < 1 shrinks them (0.01: 7 sends per 10 ms)."""
        self._limiter.configure(enabled, scale)

    def access_token(self, scope: str = CONNECTOR_SCOPE) -> str:
        """A token as the token endpoint would issue it, for a bot wired with App(token=...)."""
        app = self.tenant.app
        return self._authority.login_key.sign(access_token_claims(app.tenant_id, app.bot_id, scope, self.graph_roles))

    # ---- seeding ---------------------------------------------------------------------------------

    def add_user(self, name: str, upn: str | None = None) -> User:
        return self.tenant.add_user(name, upn)

    def add_chat(self, topic: str | None, members: list[User], installed: bool = False) -> Chat:
        """A group chat people made themselves (no events are sent; see TeamsPlatform.add_to_chat)."""
        chat = self.tenant.create_group_chat(topic, [(u, ["owner"]) for u in members])
        if installed:
            self.tenant.install_in(chat)
        return chat

    # ---- inspectors --------------------------------------------------------------------------------

    @property
    def users(self) -> dict[str, User]:
        return self.tenant.users

    @property
    def chats(self) -> dict[str, Chat]:
        """Every chat by the connector's id (personal chats included)."""
        return self.tenant.chats

    def chat(self, chat_id: str) -> Chat | None:
        """By the connector's id or Graph's."""
        return self.tenant.chat(chat_id)

    def personal_chat(self, user: User) -> Chat | None:
        return self.tenant.personal_chat(user, create=False)

    def messages_in(self, conversation_id: str) -> list[Message]:
        """Messages people can see in the chat, oldest first (deleted ones left out)."""
        with self.tenant.lock:
            chat = self.tenant.chat(conversation_id)
            return chat.visible_messages() if chat else []

    def bot_messages_in(self, conversation_id: str) -> list[Message]:
        """The bot's own messages in the chat (people's messages left out)."""
        return [m for m in self.messages_in(conversation_id) if m.sender_id == self.tenant.bot_account_id]

    @property
    def calls(self) -> list[Call]:
        return list(self._dispatcher.calls)

    @property
    def file_reads(self) -> list[str]:
        """Download tokens of files people sent whose whole content the bot read (a download it stopped
        after the headers, seeing the size, is not one)."""
        return [token for token, whole in list(self._dispatcher.file_reads) if whole]

    @property
    def drive_files(self) -> list:
        """Files the bot put in people's OneDrive through consent cards they allowed, oldest first."""
        with self.tenant.lock:
            return list(self.tenant.drive.files.values())

    @property
    def internal_errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake itself (answered 500)."""
        return list(self._dispatcher.internal_errors)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every activity the fake sent to the bot, with the bot's answer."""
        return list(self.link.deliveries)

    @property
    def invoke_failures(self) -> list[dict[str, Any]]:
        """Invokes the bot answered late, with an error or with an empty body: people saw
        "Unable to reach app" (Teams would retry them)."""
        return list(self.link.invoke_failures)

    def flush_events(self, timeout: float = 10.0) -> None:
        """Wait until the events raised by Graph calls so far have reached the bot."""
        self.link.flush(timeout)

    def wait_until(self, condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.01) -> Any:
        """Poll `condition` until truthy and return its value; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            with self.tenant.lock:
                value = condition()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise TimeoutError("condition not met within timeout")
            time.sleep(interval)
