"""Files the bot sends a person on Teams: a file consent card in their 1:1 chat, then, when they choose
Allow (a `fileConsent/invoke` with action "accept"), the bytes PUT to the upload URL Teams gives (one
OneDrive upload-session request with its Content-Range) and a file info card pointing at the file.

Teams has no other way for a bot to hand a person a file, and none at all in a group chat, so an export
asked for in a review's chat goes to the requester's 1:1 chat (`to_requester`), never to the group.

Until the person answers, the file waits in this process's memory only (PendingFiles): never on disk, in
the database or in a log, dropped after PENDING_FOR or once answered, and given only to the person it was
offered to. A restart forgets it: the person is then asked to request it again.
"""
import secrets
import threading
import time
from dataclasses import dataclass, field, replace

import httpx

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, SpaceLink, Text, text

PERSON_PREFIX = "person:"     # an open_dm space names whose 1:1 chat it is (port.py)

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
PENDING_FOR = 3600.0                 # seconds a consent card stays good
MOST_PENDING = 256 * 1024 * 1024     # bytes waiting for an answer, all people together
UPLOAD_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


@dataclass
class _Pending:
    person: str
    name: str
    content: bytes = field(repr=False)
    at: float


class PendingFiles:
    """Files offered by consent card and not yet answered, by a random token the card carries."""

    def __init__(self, *, keep_for: float = PENDING_FOR, most: int = MOST_PENDING, clock=time.monotonic):
        self._files: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._keep_for, self._most, self._clock = keep_for, most, clock

    def offer(self, person: str, name: str, content: bytes) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._expire()
            while self._files and sum(len(p.content) for p in self._files.values()) + len(content) > self._most:
                self._files.pop(next(iter(self._files)))      # the oldest offer goes first
            self._files[token] = _Pending(person, name, content, self._clock())
        return token

    def take(self, token: str, person: str) -> _Pending | None:
        """The file offered to this person under this token (once), or None."""
        with self._lock:
            self._expire()
            found = self._files.get(token)
            if found is None or found.person != person:
                return None
            return self._files.pop(token)

    def drop(self, token: str, person: str) -> bool:
        return self.take(token, person) is not None

    def _expire(self) -> None:
        cutoff = self._clock() - self._keep_for
        for token in [t for t, p in self._files.items() if p.at < cutoff]:
            del self._files[token]


def consent_activity(name: str, size: int, description: str, token: str) -> dict:
    """The FileConsentCard: Teams shows the name, the size and Allow / Decline."""
    context = {"dhr_file": token}
    return {"type": "message", "attachments": [{
        "contentType": CONSENT, "name": name,
        "content": {"description": description[:250], "sizeInBytes": size,
                    "acceptContext": context, "declineContext": context}}]}


def file_info_activity(upload_info: dict) -> dict:
    """The card that shows the uploaded file in the chat (open, preview, download)."""
    name = str(upload_info.get("name") or "")
    return {"type": "message", "attachments": [{
        "contentType": FILE_INFO, "contentUrl": str(upload_info.get("contentUrl") or ""), "name": name,
        "content": {"uniqueId": str(upload_info.get("uniqueId") or ""),
                    "fileType": str(upload_info.get("fileType") or name.rsplit(".", 1)[-1])}}]}


def put_bytes(http: httpx.Client, upload_url: str, content: bytes) -> None:
    """The whole file in one request to the upload session (Content-Range over all of it); no Authorization
    header: the URL carries its own (OneDrive answers 401 to one that also has a bearer token)."""
    size = len(content)
    headers = {"Content-Length": str(size), "Content-Range": f"bytes 0-{size - 1}/{size}",
               "Content-Type": "application/octet-stream"}
    try:
        answer = http.put(upload_url, content=content, headers=headers, timeout=UPLOAD_TIMEOUT,
                          follow_redirects=False)
    except httpx.HTTPError:
        raise WorkflowError("I couldn't save the file to your OneDrive just now. Ask for it again.") from None
    if answer.status_code not in (200, 201):
        raise WorkflowError("OneDrive did not take the file. Ask for it again; if it keeps failing, check that your "
                            "OneDrive has room.")


def consent_answer(value) -> tuple[str, str, dict]:
    """(action, token, uploadInfo) of a fileConsent/invoke value; "" where missing."""
    value = value if isinstance(value, dict) else {}
    context = value.get("context") if isinstance(value.get("context"), dict) else {}
    info = value.get("uploadInfo") if isinstance(value.get("uploadInfo"), dict) else {}
    action = value.get("action") if value.get("action") in ("accept", "decline") else ""
    token = context.get("dhr_file") if isinstance(context.get("dhr_file"), str) else ""
    return action, token, info


def to_requester(outcome: Outcome, personal: SpaceRef) -> Outcome:
    """Files go to the person who asked, in their 1:1 chat (unless addressed to a person's own). A reply that
    pointed at the review's space (where Slack posts exports) says where they are now instead; a listing that
    names that space loses it."""
    if not outcome.files:
        return outcome
    # a file the workflow addressed to someone's own 1:1 chat (open_dm gave it: a chair's draft) stays theirs
    files = tuple(f if f.space.name.startswith(PERSON_PREFIX) else replace(f, space=personal) for f in outcome.files)
    reply = outcome.reply
    if reply is not None and isinstance(reply.body, Text):
        if any(isinstance(part, SpaceLink) for part in reply.body.parts):
            reply = replace(reply, body=sent(files))
    elif reply is not None and getattr(reply.body, "exported_to", None) is not None:
        reply = replace(reply, body=replace(reply.body, exported_to=None))
    return replace(outcome, files=files, reply=reply)


def sent(files) -> Text:
    names = ", ".join(f.filename for f in files)
    return text("I've sent ", Bold(names), " to our 1:1 chat: choose ", Bold("Allow"),
                " to save each file to your OneDrive, or Decline.")


def described(title: str) -> str:
    return f"{title}. Allow saves it to your OneDrive."


def person_of(space: SpaceRef, prefix: str) -> PersonRef | None:
    return PersonRef(space.name[len(prefix):]) if space.name.startswith(prefix) else None
