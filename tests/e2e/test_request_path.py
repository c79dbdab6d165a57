"""Slack's request path itself: signatures, timestamps, retried events, other workspaces.

Slack only: Slack's signatures, timestamps, event retries and workspaces."""
import json
import time

import pytest
from sqlmodel import func, select

from storage.models import ProcessedEvent
from tests.e2e.server import COORDINATOR

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]


def command_body(text: str) -> bytes:
    from urllib.parse import urlencode
    return urlencode({"command": "/dhr", "text": text, "team_id": "T0DHR0001", "user_id": COORDINATOR,
                      "channel_id": "C0NOWHERE", "trigger_id": "1.2.abc", "response_url": ""}).encode()


def test_a_bad_signature_is_refused_and_changes_nothing(bot):
    before = len(bot.fake.calls())
    response = bot.slack.raw_post(command_body("new"), "application/x-www-form-urlencoded",
                                  secret="not-the-secret")
    assert response.status == 401
    time.sleep(0.3)
    assert len(bot.fake.calls()) == before


def test_a_stale_timestamp_is_refused(bot):
    response = bot.slack.raw_post(command_body("help"), "application/x-www-form-urlencoded",
                                  timestamp=str(int(time.time()) - 600))
    assert response.status == 401


def test_a_retried_event_is_handled_once(bot):
    bot.fake.reset_calls()
    event = {"type": "app_home_opened", "user": COORDINATOR, "channel": "D0HOME", "tab": "home"}
    first = bot.slack.event(event, event_id="Ev0RETRY001")
    again = bot.slack.event(event, event_id="Ev0RETRY001", retry_num=1, retry_reason="http_timeout")
    assert first.status == 200 and again.status == 200
    bot.fake.wait_for("views.publish", timeout=5)
    time.sleep(0.5)
    assert len(bot.fake.calls("views.publish")) == 1
    with bot.db.session() as s:
        assert s.exec(select(func.count()).select_from(ProcessedEvent)
                      .where(ProcessedEvent.event_id == "Ev0RETRY001")).one() == 1


def test_home_tab_tells_a_newcomer_how_to_start(bot):
    bot.fake.reset_calls()
    bot.slack.event({"type": "app_home_opened", "user": COORDINATOR, "channel": "D0HOME", "tab": "home"})
    call = bot.fake.wait_for("views.publish", timeout=5)
    assert call.params["user_id"] == COORDINATOR


def test_health_check_answers(bot):
    import urllib.request
    with urllib.request.urlopen(f"{bot.url}/healthz", timeout=5) as resp:
        assert json.loads(resp.read()) == {"status": "ok"}


def test_a_request_from_another_workspace_is_refused(bot):
    from bot.slackfake import SlackPlatform
    from tests.e2e.server import SECRET
    channel = bot.fake.add_channel("elsewhere", members=[COORDINATOR]).id
    stranger = SlackPlatform(bot.fake, bot_url=f"{bot.url}/slack/events", signing_secret=SECRET, team_id="T0OTHER01")
    bot.fake.reset_calls()
    response = stranger.command(COORDINATOR, channel, text="new")
    assert response.status == 200 and "different Slack workspace" in response.text
    time.sleep(0.3)
    assert bot.fake.calls("views.open") == []
