"""The Teams app package: what an administrator uploads to the organisation's app catalog."""
import io
import json
import struct
import zipfile

from handlers.teams.platform import app as teams_app
from handlers.teams.platform.manifest import manifest, package

CLIENT = "11111111-2222-3333-4444-555555555555"


def test_the_command_menu_offers_exactly_what_the_bot_answers():
    routes = teams_app.routes()
    made = manifest(CLIENT, "dhr.example.org", routes)
    lists = made["bots"][0]["commandLists"]
    commands = [c for menu in lists for c in menu["commands"]]
    titles = {c["title"] for c in commands}
    assert titles and titles <= set(routes.commands)
    assert {"new", "panel", "decide", "status", "help"} <= titles
    assert len(lists) <= 3 and all(len(menu["commands"]) <= 12 for menu in lists)
    assert all(0 < len(c["description"]) <= 128 for c in commands)
    assert made["manifestVersion"] == "1.29" and "{{" not in json.dumps(made)
    assert made["bots"][0]["botId"] == CLIENT and made["bots"][0]["supportsFiles"] is True
    assert set(made["bots"][0]["scopes"]) == {"personal", "groupChat"}


def test_the_package_holds_the_manifest_and_both_icons_at_its_root():
    with zipfile.ZipFile(io.BytesIO(package(CLIENT, "dhr.example.org", teams_app.routes()))) as z:
        assert sorted(z.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert json.loads(z.read("manifest.json"))["validDomains"] == ["dhr.example.org"]
        for name, size in (("color.png", 192), ("outline.png", 32)):
            data = z.read(name)
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (size, size)
