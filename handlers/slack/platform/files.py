"""Fetching a file a person shared: files.info first (its size and where it lives decide), then url_private
with the bot token. The token goes only to Slack's file host over HTTPS (or to the configured Web API's own
origin, which gets the token on every call anyway: the sandbox and the test fake), and never across a
redirect to another origin."""
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.refs import PersonRef, SpaceRef

MAX_DOWNLOAD = 10 * 1024 * 1024
_CHUNK = 64 * 1024
SLACK_FILE_ORIGINS = frozenset({("https", "files.slack.com", 443)})   # url_private, url_private_download


@dataclass(frozen=True)
class SharedFile:
    id: str
    name: str
    size: int
    user: str
    url: str
    external: bool = False


class TooBig(WorkflowError):
    def __init__(self, size: int, limit: int):
        super().__init__(f"This file is {size / 1024 / 1024:.1f} MB; one upload may be at most "
                         f"{limit // 1024 // 1024} MB. Split it into smaller files; nothing was imported.")


class NotInSlack(WorkflowError):
    def __init__(self):
        super().__init__("This file is a link to a copy kept outside Slack, so I have not opened it. Upload the "
                         "file itself (drag it into Slack from your computer) and I'll check it.")


def info(client, file_id: str) -> SharedFile:
    data = client.files_info(file=file_id)["file"]
    external = bool(data.get("is_external") or data.get("external_type")) or data.get("mode") == "external"
    url = "" if external else data.get("url_private_download") or data.get("url_private") or ""
    return SharedFile(id=data["id"], name=data.get("name") or "", size=int(data.get("size") or 0),
                      user=data.get("user") or "", external=external, url=_requoted(url))


def _requoted(url: str) -> str:
    """The address with any space, control or non-ASCII character of a file's name percent-encoded (what is
    already encoded stays so): urllib refuses to send such a URL at all."""
    return quote(url, safe="%/:=&?~#+!$,;'@()*[]")


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port), or None. An address with user info or a backslash before the host has none:
    urlsplit and urllib's own connection read such a host differently ("evil.com\\@files.slack.com")."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    except ValueError:
        return None
    if "@" in parts.netloc or "\\" in parts.netloc or "%" in parts.netloc:
        return None
    return (parts.scheme, (parts.hostname or "").lower(), port) if parts.hostname and port else None


def trusted_origins(client) -> frozenset:
    api = origin(client.base_url or "")
    return SLACK_FILE_ORIGINS | ({api} if api else set())


class _TokenOnlyToTrusted(urllib.request.HTTPRedirectHandler):
    """urllib copies every header onto a redirect, whatever the host: here the token is an unredirected
    header, put back only when the redirect stays on a trusted origin."""

    def __init__(self, token: str, trusted: frozenset):
        self.token, self.trusted = token, trusted

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and origin(new.full_url) in self.trusted:
            new.add_unredirected_header("Authorization", f"Bearer {self.token}")
        return new


def download(client, shared: SharedFile, limit: int = MAX_DOWNLOAD) -> bytes:
    """The bytes, refusing before the download when Slack says the file is too big, and capping it anyway."""
    if shared.external:
        raise NotInSlack()
    trusted = trusted_origins(client)
    if origin(shared.url) not in trusted:
        raise NotInSlack()
    if shared.size > limit:
        raise TooBig(shared.size, limit)
    request = urllib.request.Request(shared.url)
    request.add_unredirected_header("Authorization", f"Bearer {client.token}")
    opener = urllib.request.build_opener(_TokenOnlyToTrusted(client.token, trusted))
    try:
        return _read(opener.open(request, timeout=30), limit)
    except (urllib.error.URLError, OSError, ValueError):   # ValueError: http.client.InvalidURL
        raise WorkflowError("I couldn't fetch the file from Slack just now. Share it again in a few minutes; "
                            "nothing was kept.") from None


def _read(resp, limit: int) -> bytes:
    with resp:
        if "text/html" in (resp.headers.get("Content-Type") or ""):
            # Slack answers a login page, not the file, when the token can't read it.
            raise WorkflowError("I couldn't read the file from Slack (no access). Upload it again in the review "
                                "channel or in a DM to me.")
        chunks, total = [], 0
        while chunk := resp.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise TooBig(total, limit)
            chunks.append(chunk)
    return b"".join(chunks)


def dm_space(client):
    """person -> the DM space with them, where files sent to one person go (Slack uploads to a conversation)."""
    def open_dm(person: PersonRef) -> SpaceRef:
        return SpaceRef(client.conversations_open(users=person.id)["channel"]["id"])
    return open_dm
