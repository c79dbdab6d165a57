"""The real bot server process serving Teams only, against the fake Teams (FakeTeams)."""
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

from bot.teamsfake import FakeTeams, TeamsPlatform, User
from bot.teamsfake.cards import validate_card
from storage.crypto import configure_keys
from storage.db import Database
from tests.e2e.server import FIELD_KEY, HMAC_KEY, ROOT, _wait_healthy, free_port

PEOPLE = ("Coordinator Cole", "Chair Chen", "Police Lead Patel", "Outsider Oakes")


def start_fake() -> tuple[FakeTeams, dict[str, User]]:
    fake = FakeTeams(card_validator=validate_card).start()
    people = {name.split()[0].lower(): fake.add_user(name) for name in PEOPLE}
    return fake, people


def teams_env(fake: FakeTeams, admins: list[User], database_url: str) -> dict[str, str]:
    """The bot's environment for Teams only, pointed at the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_", "TEAMS_"))}
    env.update(TEAMS_CLIENT_ID=fake.bot_id, TEAMS_CLIENT_SECRET=fake.client_secret, TEAMS_TENANT_ID=fake.tenant_id,
               TEAMS_APP_CATALOG_ID=fake.app_catalog_id, DHR_TEAMS_ADMINS=",".join(u.aad_id for u in admins),
               TEAMS_LOGIN_URL=fake.login_url, TEAMS_OPENID_METADATA_URL=fake.openid_metadata_url,
               GRAPH_API_URL=fake.graph_url, DATABASE_URL=database_url, HOST="127.0.0.1",
               LOG_LEVEL="DEBUG", PYTHONUNBUFFERED="1", DHR_FIELD_KEYS=FIELD_KEY, DHR_HMAC_KEY=HMAC_KEY,
               SCHEDULER="off")   # tests sweep with `python -m bot sweep --now`
    return env


def sweep(fake: FakeTeams, admins: list[User], database_url: str, when) -> str:
    proc = subprocess.run([sys.executable, "-m", "bot", "sweep", "--now", when.isoformat()], cwd=ROOT,
                          env=teams_env(fake, admins, database_url), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def start_bot(fake: FakeTeams, admins: list[User], database_url: str, log_path: Path,
              extra_env=None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**teams_env(fake, admins, database_url), "PORT": str(port)}
    env.update(extra_env or {})
    log = open(log_path, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, proc, log_path)
    return proc, url


def teams_platform(fake: FakeTeams, url: str) -> TeamsPlatform:
    return TeamsPlatform(fake, f"{url}/api/messages")


def running_teams(database_url: str, folder: Path, names: dict[str, str] | None = None,
                  admins: tuple[str, ...] = ("coordinator",)) -> Iterator[SimpleNamespace]:
    """For a module's fixture: the fake Teams with `names` (role -> display name; PEOPLE by default), the
    bot serving it with `admins` (roles) as its Teams admins, and the app installed for everyone;
    stopped when the module is done."""
    configure_keys([FIELD_KEY])
    fake = FakeTeams(card_validator=validate_card).start()
    names = names or {name.split()[0].lower(): name for name in PEOPLE}
    people = {role: fake.add_user(name) for role, name in names.items()}
    log_path = folder / "bot.log"
    proc, url = start_bot(fake, [people[a] for a in admins], database_url, log_path)
    platform = teams_platform(fake, url)
    for person in people.values():
        platform.install_for(person)
    db = Database(database_url)
    yield SimpleNamespace(fake=fake, people=people, platform=platform, db=db, log_path=log_path, proc=proc,
                          url=database_url)
    proc.terminate()
    proc.wait(timeout=10)
    db.engine.dispose()
    fake.stop()
