"""The Teams app package: manifest.json (its command list is the commands the bot answers, so the
menu never offers one it would not understand) and the two icons, zipped flat as Teams wants."""
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

from handlers.teams.platform.router import Routes
from messages.teams.help import COMMANDS

TEMPLATE = Path(__file__).resolve().parents[3] / "teams" / "manifest.json"
ACCENT = (0x2C, 0x3E, 0x50)
PER_LIST, LISTS = 12, 3            # Teams shows up to 3 lists of 12 commands


def manifest(client_id: str, host: str, routes: Routes, csp_name: str = "Community Safety Partnership") -> dict:
    """teams/manifest.json with the bot's id and host filled in, and its command menu: every command
    the bot answers (in the help's order), at most 36, described in a line."""
    said = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("TEAMS_CLIENT_ID", client_id), ("HOST", host), ("CSP_NAME", csp_name)):
        said = said.replace("{{" + name + "}}", json.dumps(value)[1:-1])
    made = json.loads(said)
    commands = [{"title": word.split()[0], "description": _line(what)} for word, what in COMMANDS
                if word.split()[0] in routes.commands][:PER_LIST * LISTS]
    scopes = made["bots"][0]["scopes"]
    made["bots"][0]["commandLists"] = [{"scopes": scopes, "commands": commands[i:i + PER_LIST]}
                                       for i in range(0, len(commands), PER_LIST)]
    return made


def _line(what: str) -> str:
    """A command's help, up to its first bracket, in at most 128 characters."""
    line = what.split(" (")[0]
    return line if len(line) <= 128 else line[:127].rsplit(" ", 1)[0] + "…"


def package(client_id: str, host: str, routes: Routes) -> bytes:
    """The zip to upload to the organisation's app catalog."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest(client_id, host, routes), indent=2))
        z.writestr("color.png", png(192, ACCENT, opaque=True))
        z.writestr("outline.png", png(32, (255, 255, 255), opaque=False))
    return out.getvalue()


def png(size: int, rgb: tuple[int, int, int], *, opaque: bool) -> bytes:
    """A square icon: filled (the colour icon), or a white frame on transparency (the outline icon)."""
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            edge = min(x, y, size - 1 - x, size - 1 - y) < max(size // 16, 1)
            row += bytes((*rgb, 255 if opaque or edge else 0))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) + \
        _chunk(b"IDAT", raw) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
