"""The door: unsigned, forged, stale and malformed requests are refused before anything in them is
read or acted on, with one short log line and no case content in the log, even at DEBUG.

Slack only: Slack's request signing and the bytes on its wire."""
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from bot.slackfake import SlackPlatform
from bot.slackfake.signed_http import signature
from storage.crypto import configure_keys
from storage.db import Database
from tests.e2e.journey import wait
from tests.e2e.server import COORDINATOR, FIELD_KEY, HEALTH, SECRET, TEAM, Bot, start_bot, start_fake

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]
CANARY = "Zoltan Quibblewick"  # stands for a pseudonym or a registered real name
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def bot(database_url, tmp_path_factory):
    """The real server at LOG_LEVEL=DEBUG: what it logs at its most verbose is what we check."""
    configure_keys([FIELD_KEY])
    fake = start_fake()
    log_path = tmp_path_factory.mktemp("bot") / "bot.log"
    proc, url = start_bot(fake, database_url, log_path, extra_env={"LOG_LEVEL": "DEBUG"})
    slack = SlackPlatform(fake, bot_url=f"{url}/slack/events", signing_secret=SECRET, team_id=TEAM)
    db = Database(database_url)
    yield Bot(url, fake, slack, db, log_path, proc)
    proc.terminate()
    proc.wait(timeout=10)
    db.engine.dispose()
    fake.stop()


@pytest.fixture(scope="module")
def elsewhere():
    """A host of ours that records anything POSTed to it, standing for an attacker's response_url."""
    seen = []

    class Record(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", seen
    server.shutdown()


def command(text: str, response_url: str = "", user: str = HEALTH) -> bytes:
    return urlencode({"command": "/dhr", "text": text, "team_id": TEAM, "user_id": user,
                      "channel_id": "C0NOWHERE", "trigger_id": "1.2.abc", "response_url": response_url}).encode()


def payload(value) -> bytes:
    return urlencode({"payload": json.dumps(value)}).encode()


def post(bot, body: bytes, content_type: str = FORM, headers: dict | None = None):
    """A request with exactly these headers (no signature unless given)."""
    request = urllib.request.Request(f"{bot.url}/slack/events", data=body, method="POST",
                                      headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def signed(body: bytes, age: int = 0) -> dict:
    ts = str(int(time.time()) - age)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(SECRET, ts, body)}


def nothing_happened(bot, calls_before: int, seen: list) -> bool:
    time.sleep(0.4)  # anything the bot would do after answering has had its chance
    return len(bot.fake.calls()) == calls_before and bot.fake.responses() == [] and seen == []


def now() -> str:
    return str(int(time.time()))


FORGED_HEADERS = {
    "non-numeric timestamp": {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
    "no headers": {},
    "empty headers": {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""},
    "superscript digits": {"X-Slack-Request-Timestamp": "\u00b9\u00b2\u00b3" + now()[3:],
                           "X-Slack-Signature": "v0=" + "0" * 64},
    "signature not hex": {"X-Slack-Request-Timestamp": now(), "X-Slack-Signature": "v0=" + "z" * 64},
    "huge timestamp": {"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": "v0=" + "0" * 64},
}


@pytest.mark.parametrize("case", FORGED_HEADERS)
@pytest.mark.parametrize("with_url", [True, False], ids=["response_url", "dm"])
def test_an_unsigned_request_gets_401_and_the_bot_does_nothing(bot, elsewhere, case, with_url):
    hook, seen = elsewhere
    seen.clear()
    bot.fake.reset_calls()
    status, _ = post(bot, command("status", hook if with_url else ""), headers=FORGED_HEADERS[case])
    assert status == 401
    assert nothing_happened(bot, 0, seen)


def test_a_request_signed_with_another_secret_or_too_old_gets_401(bot, elsewhere):
    hook, seen = elsewhere
    seen.clear()
    bot.fake.reset_calls()
    body = command("status", hook)
    ts = now()
    assert post(bot, body, headers={"X-Slack-Request-Timestamp": ts,
                                    "X-Slack-Signature": signature("another-secret", ts, body)})[0] == 401
    assert post(bot, body, headers=signed(body, age=400))[0] == 401
    assert nothing_happened(bot, 0, seen)


def _view_submission(state_values) -> dict:
    return {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": COORDINATOR},
            "trigger_id": "1.2.abc", "view": {"id": "V0NOTHERE1", "callback_id": "dhr.new_review",
                                             "state": {"values": state_values}, "private_metadata": ""}}


JUNK = {  # (body, content type)
    "payload is not JSON": (b"payload=%7Bnot%20json", FORM),
    "payload is a JSON list": (payload([1, 2]), FORM),
    "payload without a type": (payload({"user": {"id": COORDINATOR}}), FORM),
    "plain text body": (b"status please", "text/plain"),
    "multipart body": (b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--",
                       "multipart/form-data; boundary=x"),
    "JSON body under a form type": (b'{"type": "event_callback"}', FORM),
    "empty body": (b"", FORM),
    "huge body": (b"text=" + b"a" * (5 * 1024 * 1024), FORM),
    "bad UTF-8": (b"command=%2Fdhr&text=\xff\xfe&user_id=U0HEALTH1&tenant_id=" + TEAM.encode(), FORM),
    "command without a user": (urlencode({"command": "/dhr", "text": "status", "team_id": TEAM}).encode(), FORM),
    "submission without a view": (payload({"type": "view_submission", "user": {"id": COORDINATOR}}), FORM),
    "submission with a string user": (payload({**_view_submission({}), "user": COORDINATOR}), FORM),
    "submission with a list for a checkbox": (payload(_view_submission({"b": {"a": {
        "type": "checkboxes", "selected_options": "agreed"}}})), FORM),
    "actions that are a string": (payload({"type": "block_actions", "user": {"id": COORDINATOR},
                                           "trigger_id": "1.2.abc", "actions": "open"}), FORM),
    "action with a numeric value": (payload({"type": "block_actions", "user": {"id": COORDINATOR},
                                             "trigger_id": "1.2.abc",
                                             "actions": [{"action_id": "dhr.open_panel", "value": 7}]}), FORM),
    "event body that is a list": (b"[]", "application/json"),
    "event that is a string": (json.dumps({"type": "event_callback", "team_id": TEAM, "event_id": "Ev1",
                                           "event": "app_home_opened"}).encode(), "application/json"),
    "deeply nested JSON": (b"[" * 100000 + b"]" * 100000, "application/json"),
    "lone surrogate in a form field": (payload(_view_submission({"victim_pseudonym": {"value": {
        "type": "plain_text_input", "value": "Adult \ud800"}}})), FORM),   # no UTF-8 can carry it
    "lone surrogate in an event": (json.dumps({"type": "event_callback", "team_id": TEAM, "event_id": "Ev2",
                                               "event": {"type": "app_home_opened", "user": "U0\udc00",
                                                         "tab": "home"}}).encode(), "application/json"),
}


@pytest.mark.parametrize("kind", JUNK)
def test_a_junk_body_gets_400_or_401_one_line_and_no_traceback(bot, elsewhere, kind):
    hook, seen = elsewhere
    seen.clear()
    body, content_type = JUNK[kind]
    bot.fake.reset_calls()
    lines_before = bot.log_text().splitlines()
    unsigned_status, _ = post(bot, body, content_type, {"X-Slack-Request-Timestamp": "abc",
                                                         "X-Slack-Signature": "v0=00"})
    signed_status, answer = post(bot, body, content_type, signed(body))
    assert unsigned_status in (400, 401)
    assert signed_status == 400, answer
    assert nothing_happened(bot, 0, seen)
    added = bot.log_text().splitlines()[len(lines_before):]
    assert len(added) <= 2 and not any("Traceback" in line for line in added), added


def test_a_signed_command_still_works(bot):
    channel = bot.fake.add_channel("ingress-ok", members=[COORDINATOR]).id
    response = bot.slack.command(COORDINATOR, channel, text="help")
    assert response.status == 200


def test_at_debug_the_libraries_still_log_nothing_below_info(bot):
    """Bolt copies the root level onto its own loggers as the app is built; the floor is put back."""
    channel = bot.fake.add_channel("ingress-floor", members=[COORDINATOR]).id
    assert bot.slack.command(COORDINATOR, channel, text="help").status == 200
    time.sleep(0.3)
    log = bot.log_path.read_text()
    assert not [line for line in log.splitlines() if " DEBUG slack_" in line or " DEBUG urllib3" in line]


def test_a_command_whose_text_holds_the_word_payload_is_answered(bot):
    channel = bot.fake.add_channel("ingress-payload", members=[COORDINATOR]).id
    before = len(bot.fake.responses())
    response = bot.slack.command(COORDINATOR, channel, text="payload")   # an unknown word, like any other
    assert response.status == 200
    wait(lambda: any("isn't a `/dhr` command I know" in r.params.get("text", "")
                     for r in bot.fake.responses()[before:]), what="the unknown-command reply")


def test_a_signed_home_event_naming_nobody_is_answered_and_logs_no_error(bot):
    body = json.dumps({"type": "event_callback", "team_id": TEAM, "event_id": "Ev0NOBODY",
                       "event": {"type": "app_home_opened", "tab": "home"}}).encode()
    size = bot.log_path.stat().st_size
    calls = len(bot.fake.calls())
    status, _ = post(bot, body, "application/json", signed(body))
    time.sleep(0.4)
    assert status == 200 and len(bot.fake.calls()) == calls
    assert "unhandled error" not in bot.log_path.read_text()[size:]


def test_no_request_content_reaches_the_log_even_at_debug(bot, elsewhere):
    hook, _ = elsewhere
    submission = payload({**_view_submission({"victim_pseudonym": {"value": {"type": "plain_text_input",
                                                                             "value": CANARY}}}),
                          "response_urls": []})
    stale = signed(submission, age=400)
    post(bot, submission, headers=stale)                                        # a submission 400 s old
    post(bot, command(CANARY, hook), headers={"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"})
    post(bot, command(CANARY, hook), headers=signed(command(CANARY, hook), age=301))
    unknown = payload({"type": "block_actions", "user": {"id": COORDINATOR}, "trigger_id": "1.2.abc",
                       "team": {"id": TEAM}, "actions": [{"action_id": "no.such.action", "value": CANARY}]})
    post(bot, unknown, headers=signed(unknown))                                # signed, but nobody listens
    channel = bot.fake.add_channel("ingress-canary", members=[COORDINATOR]).id
    bot.slack.command(COORDINATOR, channel, text=f"status {CANARY}")           # signed and handled
    time.sleep(0.5)
    log = bot.log_text()
    assert CANARY not in log and CANARY.replace(" ", "+") not in log and "Quibblewick" not in log


def test_junk_traffic_makes_a_small_log(bot):
    before = bot.log_path.stat().st_size
    body = command(CANARY + " " + "x" * 100_000)
    for n in range(19):
        headers = signed(body, age=400) if n % 2 else {"X-Slack-Request-Timestamp": "abc",
                                                       "X-Slack-Signature": "v0=00"}
        assert post(bot, body, headers=headers)[0] == 401
    time.sleep(0.3)
    grown = bot.log_path.stat().st_size - before
    assert grown < 4096, f"the log grew by {grown} bytes for 19 refused requests"
