"""The real bot server process, against the fake Slack (reached through Slack's signed request path)
or the fake Teams (through Teams' signed activities), chosen with --platform."""

import pytest

from bot.slackfake import SlackPlatform
from handlers.teams.platform.app import routes as teams_routes
from storage.crypto import configure_keys
from storage.db import Database
from tests.e2e import teams_server
from tests.e2e.driver.slack import SlackDriver
from tests.e2e.driver.teams import NAMES, TEAMS_ADMINS, TeamsDriver
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


@pytest.fixture(scope="module")
def teams_bot(database_url, tmp_path_factory):
    """The bot serving Teams only, against the fake Teams; every journey person has the app installed,
    the CSP admins named in DHR_TEAMS_ADMINS."""
    yield from teams_server.running_teams(database_url, tmp_path_factory.mktemp("teams-bot"), NAMES, TEAMS_ADMINS)


# platform -> (the fixture that runs the bot against that platform's fake, the driver class)
DRIVERS = {"slack": ("bot", SlackDriver), "teams": ("teams_bot", TeamsDriver)}


@pytest.fixture(scope="module")
def driver(request, database_url):
    """The journeys' driver for the platform chosen with --platform (slack by default), its bot on
    each database backend (database_url is named here so the journeys run once per backend)."""
    platform = request.config.getoption("--platform")
    if platform not in DRIVERS:
        raise pytest.UsageError(f"--platform {platform}: the journeys have drivers for {', '.join(DRIVERS)}")
    running, make = DRIVERS[platform]
    return make(request.getfixturevalue(running))


def pytest_collection_modifyitems(config, items):
    """On Teams, a journey that needs a command the Teams bot does not serve yet (teams_needs) is skipped,
    saying which; once a command is served there, its journeys run. One the bot gets wrong on Teams for now (teams_xfail) must fail there."""
    if config.getoption("--platform") != "teams":
        return
    served = set(teams_routes().commands)
    for item in items:
        for mark in item.iter_markers("teams_xfail"):
            item.add_marker(pytest.mark.xfail(strict=True, reason=mark.args[0]))
        missing = sorted({word for m in item.iter_markers("teams_needs") for word in m.args} - served)
        if missing:
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing)} on Teams, not served there yet"))
