"""Opening a review when things go wrong mid set-up: two presses at once, a server killed after Slack
made the channel or posted the card, and a set-up nobody came back to. The real server, killed with
SIGKILL and restarted against the same database and the same fake Slack.

Slack only: Slack Web API calls held or failed mid set-up, and a server killed between them."""
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.slackfake import SlackPlatform
from storage.crypto import configure_keys
from storage.db import Database
from storage.models import Review
from tests.e2e.journey import block_text, initial_value, new_review_values, start_new_review, wait
from tests.e2e.server import (
    ADMINS,
    COORDINATOR,
    FIELD_KEY,
    HMAC_KEY,
    OUTSIDER,
    ROOT,
    SECRET,
    TEAM,
    TOKEN,
    Bot,
    start_bot,
    start_fake,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]
LEASE_ENV = {"DHR_SETUP_LEASE_SECONDS": "5"}


@pytest.fixture(scope="module")
def bot(database_url, tmp_path_factory):
    configure_keys([FIELD_KEY])
    fake = start_fake()
    log_path = tmp_path_factory.mktemp("bot") / "bot.log"
    proc, url = start_bot(fake, database_url, log_path, LEASE_ENV)
    slack = SlackPlatform(fake, bot_url=f"{url}/slack/events", signing_secret=SECRET, team_id=TEAM)
    db = Database(database_url)
    running = Bot(url, fake, slack, db, log_path, proc)
    yield running
    running.process.terminate()
    running.process.wait(timeout=10)
    db.engine.dispose()
    fake.stop()


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general", is_private=False, members=[COORDINATOR, OUTSIDER]).id


def restart(bot) -> None:
    """SIGKILL, then a new server process on the same database and Slack."""
    if bot.process.poll() is None:
        bot.process.kill()
        bot.process.wait(timeout=10)
    bot.process, bot.url = start_bot(bot.fake, bot.db.url, bot.log_path, LEASE_ENV)
    bot.slack = SlackPlatform(bot.fake, bot_url=f"{bot.url}/slack/events", signing_secret=SECRET, team_id=TEAM)


def review_row(bot, reference: str) -> Review:
    with bot.db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).one()


def channels_named(bot, reference: str):
    return [c for c in bot.fake.channels.values() if c.name.startswith(reference.lower())]


def bot_cards(bot, channel) -> list:
    return [m for m in channel.messages if m.user == bot.fake.bot_user_id and m.blocks]


def submit_and_kill_at(bot, general, method: str, when=None) -> str:
    """/dhr new, with the server killed while Slack is acting on `method`: Slack does it, the bot
    never hears. Returns the reference."""
    view = start_new_review(bot, COORDINATOR, general)
    reference = initial_value(view, "reference")
    hold = bot.fake.hold_next(method, when=when)
    submit = threading.Thread(target=_quietly, args=(bot.slack.submit_view, COORDINATOR, view.id,
                                                     new_review_values(reference)))
    submit.start()
    assert hold.arrived.wait(15), f"no {method} call"
    bot.process.kill()
    bot.process.wait(timeout=10)
    hold.release()
    bot.fake.wait_for(method, lambda c: c.ok and _about(c, reference, bot), timeout=10)
    submit.join(timeout=15)
    return reference


def _about(call, reference: str, bot) -> bool:
    if call.method == "conversations.create":
        return call.params.get("name") == reference.lower()
    if call.params.get("channel") == COORDINATOR:
        return True
    channel = bot.fake.channels.get(call.params.get("channel"))
    return channel is not None and channel.name == reference.lower()


def _quietly(fn, *args):
    try:
        fn(*args)
    except Exception:  # noqa: BLE001 - the server was killed while answering
        pass


def lease_lapsed(bot, reference: str) -> bool:
    with bot.db.session() as s:   # a column read by name: the test process may import an older model
        until = s.execute(text("SELECT setup_claimed_until FROM review WHERE reference = :r"),
                          {"r": reference}).scalar()
    if until is None:
        return True
    until = datetime.fromisoformat(until) if isinstance(until, str) else until
    return until.replace(tzinfo=until.tzinfo or timezone.utc) < datetime.now(timezone.utc)


def last_response_text(bot) -> str:
    responses = bot.fake.responses()
    if not responses:
        return ""
    params = responses[-1].params
    return params.get("text", "") + block_text(params.get("blocks", []))


def command_answer(bot, channel: str, text: str, user: str = COORDINATOR) -> str:
    before = len(bot.fake.responses())
    bot.slack.command(user, channel, text=text)
    wait(lambda: len(bot.fake.responses()) > before, what=f"an answer to /dhr {text}")
    return last_response_text(bot)


def assert_set_up_once(bot, reference: str) -> None:
    review = review_row(bot, reference)
    assert review.setup_state == "complete"
    named = channels_named(bot, reference)
    assert [c.name for c in named] == [reference.lower()]          # no -2, nothing orphaned
    channel = named[0]
    assert review.space_id == channel.id and COORDINATOR in channel.members
    cards = bot_cards(bot, channel)
    assert len(cards) == 1 and cards[0].ts == review.card_ref and review.card_ref in channel.pins
    ready = [m for m in bot.fake.dm_messages(COORDINATOR)
             if f"<#{channel.id}>" in m.text and "new review channel is ready" in m.text]
    assert len(ready) == 1


def test_two_simultaneous_try_again_presses_make_one_channel(bot, general):
    view = start_new_review(bot, COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next("conversations.create", error="restricted_action")
    bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference))
    button = wait(lambda: [m for m in bot.fake.dm_messages(COORDINATOR) if m.blocks and "could not" in m.text],
                  what="the DM with Try again")[-1]
    creates = len(bot.fake.calls("conversations.create"))
    responses = len(bot.fake.responses())

    hold = bot.fake.hold_next("conversations.create")
    bot.slack.click(COORDINATOR, "dhr.retry_setup", message=(button.channel, button.ts))
    assert hold.arrived.wait(15)
    bot.slack.click(COORDINATOR, "dhr.retry_setup", message=(button.channel, button.ts))
    # The second press either says the set-up is running, or (unclaimed) races to create its own channel.
    wait(lambda: len(bot.fake.responses()) > responses or len(bot.fake.calls("conversations.create")) > creates,
         what="the second press's effect")
    hold.release()
    wait(lambda: review_row(bot, reference).setup_state == "complete" and lease_lapsed(bot, reference),
         what="set-up to finish")
    assert len(channels_named(bot, reference)) == 1
    answers = [r.params.get("text", "") for r in bot.fake.responses()[responses:]]
    assert any("being set up right now" in a for a in answers), answers
    assert_set_up_once(bot, reference)


def test_killed_after_slack_made_the_channel_retry_finishes_with_the_same_channel(bot, general):
    reference = submit_and_kill_at(bot, general, "conversations.create")
    restart(bot)
    listing = command_answer(bot, general, "")
    assert f"/dhr retry {reference}" in listing

    wait(lambda: lease_lapsed(bot, reference), timeout=20, what="the dead attempt's lease to lapse")
    text = command_answer(bot, general, f"retry {reference}")
    assert "ready" in text
    assert_set_up_once(bot, reference)
    assert f"<#{review_row(bot, reference).space_id}>" in text


def test_killed_after_the_card_was_posted_retry_posts_no_second_card(bot, general):
    reference = submit_and_kill_at(bot, general, "chat.postMessage")
    restart(bot)
    wait(lambda: lease_lapsed(bot, reference), timeout=20, what="the dead attempt's lease to lapse")
    assert "ready" in command_answer(bot, general, "retry")     # the only unfinished one: no reference needed
    assert_set_up_once(bot, reference)


def test_killed_after_the_ready_dm_retry_sends_no_second_dm(bot, general):
    reference = submit_and_kill_at(bot, general, "chat.postMessage", when=lambda p: p.get("channel") == COORDINATOR)
    restart(bot)
    wait(lambda: lease_lapsed(bot, reference), timeout=20, what="the dead attempt's lease to lapse")
    assert "ready" in command_answer(bot, general, f"retry {reference}")
    assert_set_up_once(bot, reference)


def test_the_sweep_resumes_a_set_up_abandoned_by_a_killed_server(bot, general):
    reference = submit_and_kill_at(bot, general, "conversations.create")
    try:
        out = sweep(bot, datetime.now(timezone.utc) + timedelta(minutes=10))
        assert review_row(bot, reference).setup_state == "complete", out
        assert_set_up_once(bot, reference)
    finally:
        restart(bot)


def sweep(bot, when: datetime) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_"))}
    env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=bot.fake.base_url,
               DATABASE_URL=bot.db.url, DHR_ADMINS=",".join(ADMINS), DHR_FIELD_KEYS=FIELD_KEY,
               DHR_HMAC_KEY=HMAC_KEY, LOG_LEVEL="WARNING", **LEASE_ENV)
    proc = subprocess.run([sys.executable, "-m", "bot", "sweep", "--now", when.isoformat()], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_retry_with_nothing_unfinished_says_so(bot, general):
    assert "nothing to try again" in command_answer(bot, general, "retry", user=OUTSIDER)
