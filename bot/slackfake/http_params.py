"""Decode Web API request parameters the ways Slack accepts them: query string,
application/x-www-form-urlencoded, multipart/form-data and application/json bodies."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from .errors import SlackError

# Arguments whose value is JSON. slack_sdk sends them as JSON strings inside form fields, or as
# nested objects in JSON bodies; handlers always receive the decoded value.
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")


def parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    ctype = content_type.split(";")[0].strip().lower()
    if body:
        params.update(_parse_body(ctype, content_type, body))
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str) and params[key]:
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass  # left as a string: the handler answers invalid_blocks_format & co.
    return params


def _parse_body(ctype: str, content_type: str, body: bytes) -> dict[str, Any]:
    if ctype == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            raise SlackError("invalid_json") from None
        if not isinstance(data, dict):
            raise SlackError("invalid_json")
        return data
    if ctype == "multipart/form-data":
        return {name: value for name, value, _ in multipart_parts(content_type, body)}
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    except UnicodeDecodeError:
        raise SlackError("invalid_form_data") from None


def multipart_parts(content_type: str, body: bytes) -> list[tuple[str, Any, str | None]]:
    """(field name, value, filename) for each part; file parts keep their bytes, others become str."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    parts = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        value: Any = payload if filename else payload.decode("utf-8", errors="replace")
        parts.append((str(name), value, filename))
    return parts
