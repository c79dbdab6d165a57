"""The door of Slack's request path: nothing of a request is read before its signature is verified,
and only a body shaped as Slack shapes it reaches Bolt.

`admit` answers None (let it through) or a Refusal; a refusal names the kind of fault only, never
anything the request carried.
"""
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

from handlers.slack.platform.shapes import shape_fault

MAX_BODY = 4 * 1024 * 1024  # far above any modal Slack can send; reading more is only a cost
FORM, JSON = "application/x-www-form-urlencoded", "application/json"
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


UNSIGNED = Refusal(401, "missing, malformed, stale or wrong signature")


def admit(verifier: SignatureVerifier, raw: bytes, headers, content_type: str | None) -> Refusal | None:
    text = _decoded(raw)
    if text is None:
        return Refusal(400, "body is not UTF-8")
    if not verified(verifier, text, headers):
        return UNSIGNED
    body, fault = parse(text, content_type)
    return Refusal(400, fault) if fault else _shape(body)


def verified(verifier: SignatureVerifier, text: str, headers) -> bool:
    timestamp = headers.get("X-Slack-Request-Timestamp") or ""
    signature = headers.get("X-Slack-Signature") or ""
    if not (_TIMESTAMP.fullmatch(timestamp) and _SIGNATURE.fullmatch(signature)):
        return False  # the SDK's int() would raise on "abc"; Unicode digits are not Slack's either
    return verifier.is_valid(text, timestamp, signature)


def parse(text: str, content_type: str | None) -> tuple[dict | None, str | None]:
    """The body as Slack means it, or the fault. Bolt's own reading (slack_bolt.request.internals.parse_body)
    takes any form whose raw text holds the word "payload" for an interaction; web.py hands Bolt this one."""
    kind = (content_type or "").split(";")[0]  # compared as Bolt compares it
    if not text.strip():
        return None, "empty body"
    if kind == JSON:
        return _json_object(text)
    if kind != FORM or text.startswith("{"):
        return None, "unsupported content type"
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:
        return _json_object(fields["payload"])
    return fields, None     # a slash command, or a form the shape check refuses


def _json_object(text: str) -> tuple[dict | None, str | None]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None, "payload is not JSON"
    if not isinstance(value, dict):
        return None, "payload is not a JSON object"
    return (value, None) if _encodable(value) else (None, "payload holds a lone surrogate")


def _encodable(value: dict) -> bool:
    """False if a string holds half of a UTF-16 pair ("\\ud800"): JSON lets it through, but no database,
    cipher or UTF-8 encoder takes it, so a listener would fail on it half way."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


def _shape(body: dict) -> Refusal | None:
    fault = shape_fault(body)
    return Refusal(400, fault) if fault else None


def _decoded(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
