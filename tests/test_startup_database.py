"""Start-up against a database that cannot be used: one line saying what is wrong and what to set."""
import socket

import pytest

from tests.test_cli import run_bot


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


READY = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DHR_ADMINS": "U0ADMIN1",
         "DHR_FIELD_KEYS": "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg=", "DHR_HMAC_KEY": "k" * 40,
         "SCHEDULER": "off", "PORT": str(closed_port())}



@pytest.mark.parametrize("url", [
    f"postgresql://dhr:hunter2secret@127.0.0.1:{closed_port()}/dhr",
    "sqlite:////proc/no-such-place/dhr.sqlite3",
    "postgresql://dhr:hunter2secret@db.internal:5432x/dhr",
    "postgresql://dhr:hunter2secret@[::1/dhr",
], ids=["postgres-refused", "sqlite-unwritable", "port-not-a-number", "broken-ipv6-host"])
@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_an_unreachable_database_stops_the_bot_with_one_clear_line(url, command):
    result = run_bot(command, DATABASE_URL=url, **READY)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0
    assert output.count("\n") == 0, output
    assert "DATABASE_URL" in output and "Traceback" not in output
    assert "hunter2secret" not in output
