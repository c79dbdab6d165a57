"""The real bot server process, against the fake Slack, reached through Slack's signed request path."""
import pytest

from bot.slackfake import SlackPlatform
from storage.crypto import configure_keys
from storage.db import Database
from tests.e2e.driver.slack import SlackDriver
from tests.e2e.server import FIELD_KEY, SECRET, TEAM, Bot, start_bot, start_fake


@pytest.fixture(scope="module")
def bot(database_url, tmp_path_factory):
    configure_keys([FIELD_KEY])  # this process reads what the bot encrypted
    fake = start_fake()
    log_path = tmp_path_factory.mktemp("bot") / "bot.log"
    proc, url = start_bot(fake, database_url, log_path)
    slack = SlackPlatform(fake, bot_url=f"{url}/slack/events", signing_secret=SECRET, team_id=TEAM)
    db = Database(database_url)
    yield Bot(url, fake, slack, db, log_path, proc)
    proc.terminate()
    proc.wait(timeout=10)
    db.engine.dispose()
    fake.stop()


# platform -> (the fixture that runs the bot against that platform's fake, the driver class)
DRIVERS = {"slack": ("bot", SlackDriver)}


@pytest.fixture(scope="module")
def driver(request, database_url):
    """The journeys' driver for the platform chosen with --platform (slack by default), its bot on
    each database backend (database_url is named here so the journeys run once per backend)."""
    platform = request.config.getoption("--platform")
    if platform not in DRIVERS:
        raise pytest.UsageError(f"--platform {platform}: the journeys have drivers for {', '.join(DRIVERS)}")
    running, make = DRIVERS[platform]
    return make(request.getfixturevalue(running))
