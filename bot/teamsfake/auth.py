"""The login service (client-credentials token endpoint), Bot Framework's OpenID metadata and keys,
and the checks the Bot Connector and Graph make on the bot's bearer token."""

from __future__ import annotations

from typing import Any

import jwt

from .keys import AUDIENCES, CONNECTOR_SCOPE, GRAPH_SCOPE, TOKEN_LIFETIME, SigningKey, access_token_claims
from .permissions import DEFAULT_ROLES, DEFAULT_RSC
from .state import Tenant
from .wire import Reply, Request, connector_unauthorized, graph_error


class Authority:
    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.bot_framework_key = SigningKey("botframework", "fake-botframework-key-1")
        self.login_key = SigningKey("login", "fake-login-key-1")
        self.graph_roles = list(DEFAULT_ROLES)  # application permissions: the roles of the Graph token
        self.rsc_permissions = list(DEFAULT_RSC)  # granted by the manifest in each chat the app is in

    # ---- login.microsoftonline.com -----------------------------------------------------------------

    def token(self, tenant_segment: str, req: Request) -> Reply:
        fields = req.form()
        app = self.tenant.app
        if tenant_segment not in (app.tenant_id, "botframework.com"):
            return _oauth_error(400, "invalid_request", f"AADSTS90002: Tenant '{tenant_segment}' not found.")
        if fields.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "AADSTS70003: The grant type is not supported.")
        if fields.get("client_id") != app.bot_id:
            return _oauth_error(400, "unauthorized_client",
                                f"AADSTS700016: Application with identifier '{fields.get('client_id')}' was not found.")
        if fields.get("client_secret") != app.client_secret:
            return _oauth_error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
        scope = fields.get("scope", "")
        if scope not in AUDIENCES:
            return _oauth_error(400, "invalid_scope", f"AADSTS70011: The provided value '{scope}' is not valid.")
        claims = access_token_claims(app.tenant_id, app.bot_id, scope, self.graph_roles)
        token = self.login_key.sign(claims)
        return Reply(200, {"token_type": "Bearer", "expires_in": TOKEN_LIFETIME, "ext_expires_in": TOKEN_LIFETIME,
                           "access_token": token})

    # ---- login.botframework.com: keys for tokens on inbound activities --------------------------------

    def openid_configuration(self) -> Reply:
        root = self.tenant.root_url
        return Reply(200, {
            "issuer": "https://api.botframework.com",
            "authorization_endpoint": "https://invalid.botframework.com",
            "jwks_uri": f"{root}/v1/.well-known/keys",
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        })

    def jwks(self) -> Reply:
        return Reply(200, {"keys": [self.bot_framework_key.jwk(["msteams"])]})

    # ---- bearer checks ---------------------------------------------------------------------------------

    def app_claims(self, req: Request, scope: str) -> dict[str, Any] | None:
        token = req.bearer()
        if not token:
            return None
        try:
            claims = self.login_key.decode(token, AUDIENCES[scope])
        except jwt.InvalidTokenError:
            return None
        return claims if claims.get("appid") == self.tenant.app.bot_id else None

    def connector_denied(self, req: Request) -> Reply | None:
        return None if self.app_claims(req, CONNECTOR_SCOPE) else connector_unauthorized()

    def graph_denied(self, req: Request) -> Reply | None:
        if not req.bearer():
            return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.")
        if self.app_claims(req, GRAPH_SCOPE) is None:
            return graph_error(401, "InvalidAuthenticationToken", "Access token validation failure.")
        return None


def _oauth_error(status: int, error: str, description: str) -> Reply:
    return Reply(status, {"error": error, "error_description": description, "error_codes": [],
                          "timestamp": "", "trace_id": "", "correlation_id": ""})


__all__ = ["Authority", "CONNECTOR_SCOPE", "GRAPH_SCOPE"]
