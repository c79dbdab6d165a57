"""Tokens both ways. Inbound: each request's Bot Framework JWT, checked with the Teams SDK's own
validator (RS256 against the keys behind TEAMS_OPENID_METADATA_URL, issuer, audience = our client
id, expiry) before anything in the body is read. Outbound: client-credentials tokens for the Bot
Connector and for Graph, fetched with a plain form POST (MSAL refuses a local fake's http
authority) and kept until a minute before they expire.
"""
import asyncio
import logging
import threading
import time
import warnings

import httpx
import jwt
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides

with warnings.catch_warnings():     # the SDK's package announces a preview HTML widget we do not use
    warnings.simplefilter("ignore")
    from microsoft_teams.apps.auth.token_validator import TokenValidator

from bot.config import TeamsSettings
from bot.workflow.core import ports
from bot.workflow.core.ports import ChatError

CONNECTOR_SCOPE = "https://api.botframework.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
EARLY = 60          # seconds before expiry that a token is renewed

# The SDK logs each refusal at ERROR with what the token claimed: a stranger could fill our logs.
logging.getLogger("microsoft_teams.apps.auth.token_validator").setLevel(logging.CRITICAL)


class InboundAuth:
    def __init__(self, settings: TeamsSettings):
        cloud = with_overrides(PUBLIC, openid_metadata_url=settings.openid_metadata_url)
        self._validator = TokenValidator.for_service(settings.client_id, cloud=cloud)

    def claims(self, authorization: str | None) -> dict | None:
        """The verified claims of `Authorization: Bearer <jwt>`, or None for anything else."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or len(token) > 16_384:
            return None
        try:
            return asyncio.run(self._validator.validate_token(token.strip()))
        except (jwt.InvalidTokenError, jwt.PyJWKClientError, ValueError):
            return None


def service_url_matches(claims: dict, service_url: str) -> bool:
    """Teams signs the serviceUrl it will be answered at: a body naming another is refused."""
    claimed = claims.get("serviceurl")
    return isinstance(claimed, str) and claimed.rstrip("/") == service_url.rstrip("/")


class Tokens:
    """Client-credentials tokens per scope, shared by every thread."""

    def __init__(self, settings: TeamsSettings, http: httpx.Client):
        self._settings, self._http = settings, http
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def bearer(self, scope: str) -> str:
        with self._lock:
            token, until = self._cache.get(scope, ("", 0.0))
            if time.monotonic() < until:
                return token
            token, lifetime = self._fetch(scope)
            self._cache[scope] = (token, time.monotonic() + max(lifetime - EARLY, 0))
            return token

    def forget(self, scope: str) -> None:
        """After a 401: the next call fetches a new token."""
        with self._lock:
            self._cache.pop(scope, None)

    def _fetch(self, scope: str) -> tuple[str, int]:
        s = self._settings
        try:
            answer = self._http.post(f"{s.login_url}/{s.tenant_id}/oauth2/v2.0/token", data={
                "grant_type": "client_credentials", "client_id": s.client_id, "client_secret": s.client_secret,
                "scope": scope})
        except httpx.HTTPError:
            raise ChatError("token_endpoint_unreachable", retryable=True) from None
        if answer.status_code in (400, 401):
            raise ChatError("invalid_client", kind=ports.AUTH_FAILED)
        if answer.status_code != 200:
            raise ChatError(f"http_{answer.status_code}", retryable=True)
        body = answer.json()
        return str(body["access_token"]), int(body.get("expires_in", 3599))
