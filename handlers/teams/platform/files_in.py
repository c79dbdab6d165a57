"""Files people send the bot in its 1:1 chat: the message's `application/vnd.microsoft.teams.file.download.info`
attachment, and fetching its bytes.

The `downloadUrl` is pre-authenticated (a short-lived OneDrive link): it is fetched with a plain GET and no
bot token, so no credential can leak to it. It is fetched only from SharePoint/OneDrive over HTTPS, or from
the origin of the configured Graph API (the sandbox and the test fake, like Slack's configured Web API), and
never across a redirect. The size is refused before reading when the answer says it, and capped while reading.
"""
from dataclasses import dataclass

import httpx

from bot.workflow.core.errors import WorkflowError
from handlers.slack.platform.files import MAX_DOWNLOAD, TooBig, origin

DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
# A file shared in a group chat reaches the bot as a link to SharePoint, never as a download it may read.
REFERENCE = "reference"
FILE_HOST_SUFFIXES = (".sharepoint.com",)
_CHUNK = 64 * 1024
TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@dataclass(frozen=True)
class SentFile:
    """A file in the person's 1:1 chat: its name, where to fetch it, and OneDrive's id for it."""

    name: str
    url: str
    unique_id: str


def sent_file(attachments: tuple) -> SentFile | None:
    """The first file attachment of a 1:1 message, or None (text, the HTML copy of the text, a card)."""
    for a in attachments:
        content = a.get("content") if isinstance(a.get("content"), dict) else {}
        if a.get("contentType") == DOWNLOAD_INFO and isinstance(content.get("downloadUrl"), str):
            name = a.get("name") if isinstance(a.get("name"), str) else ""
            unique = content.get("uniqueId") if isinstance(content.get("uniqueId"), str) else ""
            return SentFile(name[:255], content["downloadUrl"][:4096], unique[:64])
    return None


def shares_a_file(attachments: tuple) -> bool:
    """A message in a group chat carrying a file (Teams attaches it as a SharePoint reference)."""
    return any(a.get("contentType") in (REFERENCE, DOWNLOAD_INFO) for a in attachments)


def trusted(url: str, configured: tuple[str, ...]) -> bool:
    """SharePoint over HTTPS, or one of the configured service origins (loopback fakes)."""
    found = origin(url)
    if found is None:
        return False
    scheme, host, _port = found
    if scheme == "https" and host.endswith(FILE_HOST_SUFFIXES):
        return True
    return found in {origin(c) for c in configured if c}


def download(http: httpx.Client, shared: SentFile, configured: tuple[str, ...], limit: int = MAX_DOWNLOAD) -> bytes:
    if not trusted(shared.url, configured):
        raise WorkflowError("I can only read a file sent to me here in our chat from Teams' own storage, so I have "
                            "not opened this one. Send the file itself (attach it from your computer).")
    try:
        with http.stream("GET", shared.url, timeout=TIMEOUT, follow_redirects=False) as answer:
            if answer.status_code != 200:
                raise _unfetched()
            declared = answer.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise TooBig(int(declared), limit)
            return _read(answer, limit)
    except httpx.HTTPError:
        raise _unfetched() from None


def _read(answer: httpx.Response, limit: int) -> bytes:
    chunks, total = [], 0
    for chunk in answer.iter_bytes(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise TooBig(total, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _unfetched() -> WorkflowError:
    return WorkflowError("I couldn't fetch the file from Teams just now. Send it again in a few minutes; nothing "
                         "was kept.")


