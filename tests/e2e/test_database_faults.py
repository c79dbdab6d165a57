"""A database that is locked, stops answering or refuses connections: Slack still gets its answer in
time, the person is told plainly that nothing was saved, /healthz says 503 at once, and the bot
recovers by itself when the database is back.

Slack only: Slack's 3-second acknowledgement and its trigger ids while the database is down."""
import json
import sqlite3
import urllib.error
import urllib.request

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.slackfake import SlackPlatform
from storage.crypto import configure_keys
from storage.db import Database
from storage.models import Review
from tests.e2e.journey import block_text, new_review_values, start_new_review, wait
from tests.e2e.server import COORDINATOR, FIELD_KEY, SECRET, TEAM, Bot, start_bot, start_fake
from tests.e2e.tcp_hold import HoldingProxy

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]
NOTHING_SAVED = "nothing was saved"
PROBE_TIMEOUT = 2.5  # a platform's health probe gives up after a couple of seconds


def health(bot) -> int:
    try:
        with urllib.request.urlopen(f"{bot.url}/healthz", timeout=PROBE_TIMEOUT) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code
    except (TimeoutError, urllib.error.URLError):
        return 0  # no answer in time


def status_reply(bot, channel: str) -> tuple:
    """`/dhr status`, and the reply the person sees: in the ack itself or sent to the response_url."""
    before = len(bot.fake.responses())
    response = bot.slack.command(COORDINATOR, channel, text="status")
    if response.text.strip():
        return response, response.text
    replies = wait(lambda: bot.fake.responses()[before:], what="a reply to the command")
    return response, json.dumps(replies[-1].params)


def submit_new_review(bot, channel: str, view, reference: str):
    response = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference))
    return response, block_text(bot.fake.views[view.id].blocks) + json.dumps(response.json() or {})


def review_exists(bot, reference: str) -> bool:
    with bot.db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).first() is not None


# ---- SQLite: another process holds the write lock ---------------------------------------------

def test_a_held_sqlite_write_lock_is_answered_in_time_and_the_form_stays_open(request, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    bot = request.getfixturevalue("bot")
    channel = bot.fake.add_channel("locked-db", members=[COORDINATOR]).id
    view = start_new_review(bot, COORDINATOR, channel)
    holder = sqlite3.connect(make_url(database_url).database, isolation_level=None, timeout=5)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = bot.slack.submit_view(COORDINATOR, view.id, new_review_values("DHR-2031-07"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status == 200 and not response.too_slow
    assert response.outcome == "errors" and NOTHING_SAVED in response.text
    assert not review_exists(bot, "DHR-2031-07")
    again = bot.slack.submit_view(COORDINATOR, view.id, new_review_values("DHR-2031-07"))
    assert again.status == 200 and not again.too_slow
    wait(lambda: review_exists(bot, "DHR-2031-07"), what="the review, once the lock is released")


# ---- PostgreSQL behind a proxy that can hang or refuse ------------------------------------------

@pytest.fixture(scope="module")
def pg_bot(database_url, tmp_path_factory):
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server behind a proxy")
    url = make_url(database_url)
    proxy = HoldingProxy((url.host or "127.0.0.1", url.port or 5432))
    configure_keys([FIELD_KEY])
    fake = start_fake()
    log_path = tmp_path_factory.mktemp("bot") / "bot.log"
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proc, bot_url = start_bot(fake, through, log_path)
    slack = SlackPlatform(fake, bot_url=f"{bot_url}/slack/events", signing_secret=SECRET, team_id=TEAM)
    db = Database(database_url)
    yield Bot(bot_url, fake, slack, db, log_path, proc), proxy
    proxy.restore()
    proc.terminate()
    proc.wait(timeout=10)
    db.engine.dispose()
    fake.stop()
    proxy.stop()


@pytest.mark.parametrize("fault", ["hold", "refuse"])
def test_a_database_that_hangs_or_refuses_is_answered_in_time_and_recovered_from(pg_bot, fault):
    bot, proxy = pg_bot
    channel = bot.fake.add_channel(f"pg-{fault}", members=[COORDINATOR]).id
    view = start_new_review(bot, COORDINATOR, channel)
    reference = "DHR-2031-11" if fault == "hold" else "DHR-2031-12"
    getattr(proxy, fault)()
    try:
        assert health(bot) == 503
        submitted, shown = submit_new_review(bot, channel, view, reference)
        assert submitted.status == 200 and not submitted.too_slow
        assert submitted.outcome == "errors" and NOTHING_SAVED in shown
        response, reply = status_reply(bot, channel)   # typing a command closes the modal, as in Slack
        assert response.status == 200 and not response.too_slow
        assert NOTHING_SAVED in reply
        assert health(bot) == 503
    finally:
        proxy.restore()
    wait(lambda: health(bot) == 200, timeout=15, what="the bot to find its database again")
    response, reply = status_reply(bot, channel)
    assert response.status == 200 and NOTHING_SAVED not in reply
    again, _ = submit_new_review(bot, channel, start_new_review(bot, COORDINATOR, channel), reference)
    assert again.status == 200 and not again.too_slow
    wait(lambda: review_exists(bot, reference), what="the review, once the database is back")
    assert "Traceback" not in bot.log_text()
