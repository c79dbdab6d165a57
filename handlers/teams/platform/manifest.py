"""The Teams app package: manifest.json (its command list is the commands the bot answers, so the
menu never offers one it would not understand) and the two icons, zipped flat as Teams wants."""
import io
import json
import struct
import zipfile
import zlib

from handlers.teams.platform.router import Routes
from messages.teams.help import COMMANDS

SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.25/MicrosoftTeams.schema.json"
ACCENT = (0x2C, 0x3E, 0x50)
PER_LIST = 12                      # Teams shows at most 12 commands in one list


def manifest(client_id: str, host: str, routes: Routes, version: str = "1.0.0") -> dict:
    commands = [{"title": word.split()[0], "description": what[:128]} for word, what in COMMANDS
                if word.split()[0] in routes.commands][:PER_LIST]
    return {
        "$schema": SCHEMA, "manifestVersion": "1.25", "version": version, "id": client_id,
        "developer": {"name": "Community Safety Partnership", "websiteUrl": f"https://{host}/",
                      "privacyUrl": f"https://{host}/privacy", "termsOfUseUrl": f"https://{host}/terms"},
        "name": {"short": "DHR Bot", "full": "DHR Bot: Domestic Homicide Reviews"},
        "description": {"short": "Runs statutory Domestic Homicide Reviews.",
                        "full": "Opens a review, makes its group chat, runs its panel, evidence, report and action "
                                "plan, and reminds everyone of the statutory deadlines."},
        "icons": {"color": "color.png", "outline": "outline.png"}, "accentColor": "#%02X%02X%02X" % ACCENT,
        "bots": [{"botId": client_id, "scopes": ["personal", "groupChat"], "supportsFiles": True,
                  "isNotificationOnly": False,
                  "commandLists": [{"scopes": ["personal", "groupChat"], "commands": commands}]}],
        "validDomains": [host],
        "webApplicationInfo": {"id": client_id, "resource": f"api://botid-{client_id}"},
    }


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
