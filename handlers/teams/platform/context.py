"""Everything a Teams handler needs: the shared services and Microsoft's APIs, built once at start."""
from dataclasses import dataclass, field

import httpx

from bot.config import TeamsSettings
from bot.workflow.core.kernel import Actor
from bot.workflow.panel.redaction_checked import RedactionChecked
from handlers.services import Services
from handlers.teams.platform.activity import Activity
from handlers.teams.platform.auth import CONNECTOR_SCOPE, GRAPH_SCOPE, InboundAuth, Tokens
from handlers.teams.platform.connector import Connector
from handlers.teams.platform.directory import TEAMS, Directory
from handlers.teams.platform.files_out import PendingFiles
from handlers.teams.platform.graph import Graph
from handlers.teams.platform.home_cards import HomeCards
from handlers.teams.platform.http import Service
from handlers.teams.platform.port import TeamsPort

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dataclass
class Teams:
    svc: Services
    settings: TeamsSettings
    auth: InboundAuth
    connector: Connector
    graph: Graph
    directory: Directory
    homes: HomeCards
    http: httpx.Client | None = None      # files: fetching what people send, putting what they accept
    pending: PendingFiles = field(default_factory=PendingFiles)

    @property
    def admins(self) -> tuple[str, ...]:
        return self.settings.admins

    @property
    def service_origins(self) -> tuple[str, ...]:
        """Microsoft's endpoints as configured: a fake or sandbox on loopback is trusted for files too."""
        return (self.settings.graph_api_url, self.settings.login_url)

    def port(self, service_url: str | None = None, *, checked: bool = True):
        """The chat port, redaction-checked unless told otherwise; `service_url` from the activity at hand."""
        port = TeamsPort(self.connector, self.graph, self.directory, service_url, pending=self.pending)
        return RedactionChecked(port, self.svc.redactions) if checked and self.svc.redactions is not None else port


def build(svc: Services, settings: TeamsSettings, http: httpx.Client | None = None) -> Teams:
    http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
    tokens = Tokens(settings, http)
    return Teams(svc=svc, settings=settings, auth=InboundAuth(settings),
                 connector=Connector(Service(http, tokens, CONNECTOR_SCOPE), settings.client_id),
                 graph=Graph(Service(http, tokens, GRAPH_SCOPE), settings.graph_api_url, settings.app_catalog_id),
                 directory=Directory(svc.db, settings.tenant_id), homes=HomeCards(svc.db, settings.tenant_id),
                 http=http)


def actor_of(activity: Activity) -> Actor:
    return Actor(tenant_id=activity.tenant_id, user_id=activity.user_id, platform=TEAMS)
