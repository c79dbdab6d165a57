"""Launching the real bot server process against the fake Slack (used by the e2e tests and bench/)."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.slackfake import FakeSlack, SlackPlatform
from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-1000-2000-testtoken"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0DHR0001"
COORDINATOR, CHAIR, POLICE, OUTSIDER = "U0COORD01", "U0CHAIR01", "U0POLICE1", "U0OUTSID1"
HEALTH, AUTHOR, OBSERVER = "U0HEALTH1", "U0AUTHOR1", "U0OBSERV1"
ADMINS = (COORDINATOR, CHAIR, OUTSIDER)  # CSP admins may open reviews; OUTSIDER is on none of the panels
FIELD_KEY = "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="
HMAC_KEY = "test-hmac-key-that-is-long-enough-0123456789"


@dataclass
class Bot:
    url: str
    fake: FakeSlack
    slack: SlackPlatform
    db: Database
    log_path: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_fake() -> FakeSlack:
    fake = FakeSlack(bot_token=TOKEN, team_id=TEAM, manifest_path=str(ROOT / "manifest.yml"))
    for user, name in ((COORDINATOR, "coordinator"), (CHAIR, "chair"), (POLICE, "police.lead"),
                       (OUTSIDER, "outsider"), (HEALTH, "health.lead"), (AUTHOR, "imr.author"),
                       (OBSERVER, "observer")):
        fake.add_user(user, name)
    fake.start()
    return fake


def start_bot(fake: FakeSlack, database_url: str, log_path: Path, extra_env=None,
              argv=("-m", "bot", "serve")) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_"))}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.base_url,
               DATABASE_URL=database_url, PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="INFO",
               PYTHONUNBUFFERED="1", DHR_ADMINS=",".join(ADMINS), DHR_FIELD_KEYS=FIELD_KEY,
               DHR_HMAC_KEY=HMAC_KEY, SCHEDULER="off")   # tests drive sweeps with `python -m bot sweep --now`
    env.update(extra_env or {})
    log = open(log_path, "ab")
    proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, proc, log_path)
    return proc, url


def _wait_healthy(url: str, proc, log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"bot exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"bot did not become healthy:\n{log_path.read_text()}")
