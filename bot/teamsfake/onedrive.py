"""The person's OneDrive as a bot meets it: the pre-authenticated download link of a file they sent the bot,
and the upload session Teams opens when they allow a file the bot offered by consent card.

An upload session follows OneDrive's "upload bytes to the upload session" rules: PUT to the uploadUrl with
Content-Length and `Content-Range: bytes start-end/total`; the first range starts at 0, each next one where
the last ended; a range is at most 60 MiB; the URL carries its own authorisation, so a request that also
sends an Authorization header is refused 401. A fragment is answered 202 with nextExpectedRanges; the last
one 201 with the driveItem. The file then exists in the person's OneDrive, and a file info card may name it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from . import ids
from .model import User
from .wire import Reply, Request

MAX_FRAGMENT = 60 * 1024 * 1024
RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


@dataclass
class UploadSession:
    token: str
    owner: str  # AAD id
    name: str
    unique_id: str
    content_url: str
    received: bytearray = field(default_factory=bytearray)
    total: int | None = None
    done: bool = False

    def upload_info(self, upload_url: str) -> dict[str, Any]:
        """`uploadInfo` of the fileConsent/invoke Teams sends the bot when the person allows the file."""
        return {"contentUrl": self.content_url, "name": self.name, "uploadUrl": upload_url,
                "uniqueId": self.unique_id, "fileType": self.name.rsplit(".", 1)[-1].lower() if "." in self.name
                else "", "etag": "1"}


@dataclass
class DriveFile:
    unique_id: str
    owner: str
    name: str
    content: bytes
    content_url: str


class OneDrive:
    def __init__(self) -> None:
        self.sessions: dict[str, UploadSession] = {}
        self.files: dict[str, DriveFile] = {}  # by uniqueId: what the bot put in people's OneDrive

    def open_session(self, user: User, name: str) -> UploadSession:
        site = user.upn.replace("@", "_").replace(".", "_")
        content_url = f"https://contoso-my.sharepoint.com/personal/{site}/Documents/Applications/DHR Bot/{name}"
        session = UploadSession(secrets.token_urlsafe(24), user.aad_id, name, ids.guid().upper(), content_url)
        self.sessions[session.token] = session
        return session

    def put(self, req: Request, token: str) -> Reply:
        session = self.sessions.get(token)
        if session is None or session.done:
            return _error(404, "itemNotFound", "The upload session was not found.")
        if req.headers.get("authorization"):
            return _error(401, "unauthenticated", "Do not send an Authorization header to the upload URL.")
        found = RANGE.match(req.headers.get("content-range", "").strip())
        if not found:
            return _error(400, "invalidRequest", "Content-Range is required: bytes start-end/total.")
        start, end, total = (int(g) for g in found.groups())
        if req.headers.get("content-length") != str(len(req.body)) or end - start + 1 != len(req.body):
            return _error(400, "invalidRequest", "Content-Length does not match the Content-Range.")
        if len(req.body) > MAX_FRAGMENT:
            return _error(413, "requestTooLarge", "A fragment may be at most 60 MiB.")
        if start != len(session.received) or (session.total is not None and total != session.total) or end >= total:
            return _error(416, "invalidRange", "The range is not the next expected one.")
        session.total = total
        session.received += req.body
        if len(session.received) < total:
            return Reply(202, {"expirationDateTime": "2099-01-01T00:00:00Z",
                               "nextExpectedRanges": [f"{len(session.received)}-"]})
        session.done = True
        self.files[session.unique_id] = DriveFile(session.unique_id, session.owner, session.name,
                                                  bytes(session.received), session.content_url)
        return Reply(201, {"id": session.unique_id, "name": session.name, "size": total,
                           "file": {"mimeType": "application/octet-stream"}, "webUrl": session.content_url})


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}})
