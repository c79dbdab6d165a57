"""Teams' request path, POST /api/messages: the token first, then the body, then its shape.

Order matters: nothing in the body is read before the bearer token is verified (signature, issuer,
audience, expiry); then the body must be at most MAX_BODY bytes of UTF-8 JSON from our tenant, and
the serviceUrl it names must be the one the token was signed for (a replayed token cannot send
the bot's answers elsewhere). Refusals are one short log line, never the body.
"""
import json
from dataclasses import dataclass

from handlers.slack.platform.ingress import Refusal
from handlers.teams.platform.activity import Activity, Malformed, parse
from handlers.teams.platform.auth import service_url_matches
from handlers.teams.platform.context import Teams

MAX_BODY = 1024 * 1024     # an activity is at most a few tens of KB; a file comes as a link, not bytes


@dataclass(frozen=True)
class Admitted:
    activity: Activity | None = None
    refusal: Refusal | None = None


def admit(teams: Teams, raw: bytes | None, authorization: str | None, content_type: str | None) -> Admitted:
    claims = teams.auth.claims(authorization)
    if claims is None:
        return Admitted(refusal=Refusal(401, "no valid Bot Framework token"))
    if raw is None:
        return Admitted(refusal=Refusal(413, "body too large"))
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        return Admitted(refusal=Refusal(415, "not JSON"))
    try:
        activity = parse(json.loads(raw.decode("utf-8")), teams.settings.tenant_id)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        if isinstance(err, Malformed):
            return Admitted(refusal=Refusal(err.status, str(err)))
        return Admitted(refusal=Refusal(400, "not UTF-8 JSON"))
    if not service_url_matches(claims, activity.service_url):
        return Admitted(refusal=Refusal(401, "serviceUrl is not the one the token names"))
    return Admitted(activity=activity)
