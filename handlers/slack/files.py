"""Fetching a file a person shared: files.info first (its size decides), then url_private with the bot token."""
import urllib.request
from dataclasses import dataclass

from bot.workflow.errors import WorkflowError

MAX_DOWNLOAD = 10 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class SharedFile:
    id: str
    name: str
    size: int
    user: str
    url: str


class TooBig(WorkflowError):
    def __init__(self, size: int, limit: int):
        super().__init__(f"This file is {size / 1024 / 1024:.1f} MB; one upload may be at most "
                         f"{limit // 1024 // 1024} MB. Split it into smaller files; nothing was imported.")


def info(client, file_id: str) -> SharedFile:
    data = client.files_info(file=file_id)["file"]
    return SharedFile(id=data["id"], name=data.get("name") or "", size=int(data.get("size") or 0),
                      user=data.get("user") or "", url=data.get("url_private_download") or data.get("url_private") or "")


def download(client, shared: SharedFile, limit: int = MAX_DOWNLOAD) -> bytes:
    """The bytes, refusing before the download when Slack says the file is too big, and capping it anyway."""
    if shared.size > limit:
        raise TooBig(shared.size, limit)
    request = urllib.request.Request(shared.url, headers={"Authorization": f"Bearer {client.token}"})
    with urllib.request.urlopen(request, timeout=30) as resp:   # noqa: S310 - Slack's own file URL
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
