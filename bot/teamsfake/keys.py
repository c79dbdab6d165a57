"""RSA keys and the JWTs made with them: Bot Framework's key that signs activities sent to the bot
(published as a JWKS) and the login service's key that signs the bot's own access tokens."""

from __future__ import annotations

import functools
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
CONNECTOR_SCOPE = "https://api.botframework.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
AUDIENCES = {CONNECTOR_SCOPE: "https://api.botframework.com", GRAPH_SCOPE: "https://graph.microsoft.com"}
TOKEN_LIFETIME = 3599


@functools.lru_cache(maxsize=8)
def _private_key(slot: str) -> rsa.RSAPrivateKey:
    """Key generation takes a noticeable fraction of a second: one key per role per process."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class SigningKey:
    def __init__(self, slot: str, kid: str) -> None:
        self._key = _private_key(slot)
        self.kid = kid

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"})

    def jwk(self, endorsements: list[str] | None = None) -> dict[str, Any]:
        key = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        key.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        if endorsements is not None:
            key["endorsements"] = endorsements
        return key

    def decode(self, token: str, audience: str) -> dict[str, Any]:
        """Verify signature, audience and lifetime; raises jwt.InvalidTokenError."""
        return jwt.decode(token, self._key.public_key(), algorithms=["RS256"], audience=audience)


def activity_claims(bot_id: str, service_url: str, *, lifetime: int = 3600, now: float | None = None) -> dict[str, Any]:
    """Claims of the token Bot Framework puts on each request to the bot's messaging endpoint."""
    issued = int(now if now is not None else time.time())
    return {
        "serviceurl": service_url, "nbf": issued - 5, "exp": issued + lifetime, "iat": issued,
        "iss": BOT_FRAMEWORK_ISSUER, "aud": bot_id,
    }


def access_token_claims(tenant_id: str, bot_id: str, scope: str, roles: list[str]) -> dict[str, Any]:
    """A v1 Entra access token for the app itself (client credentials)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "aud": AUDIENCES[scope], "iss": f"https://sts.windows.net/{tenant_id}/", "iat": now, "nbf": now,
        "exp": now + TOKEN_LIFETIME, "appid": bot_id, "appidacr": "1", "tid": tenant_id, "ver": "1.0",
        "idtyp": "app", "oid": bot_id,
    }
    if scope == GRAPH_SCOPE:
        claims["roles"] = roles
    return claims
