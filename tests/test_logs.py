"""Library log lines keep their gist and lose anything they quote, whatever their level."""
import io
import logging

import pytest

from bot.logs import LIBRARIES, WithholdContent

CANARY = "Zoltan Quibblewick"


@pytest.fixture()
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(WithholdContent())
    root = logging.getLogger()
    root.addHandler(handler)
    # Every library logger, the children Bolt configures for itself included, as verbose as can be made.
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in LIBRARIES] + list(LIBRARIES)
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("name", ["slack_bolt.App", "slack_bolt.RequestVerification", "slack_sdk.web.base_client",
                                  "waitress", "flask.app", "urllib3.connectionpool", "sqlalchemy.engine.Engine",
                                  "werkzeug", "dhr-bot"])
def test_a_library_line_quoting_a_request_keeps_its_gist_only(captured, name):
    log = logging.getLogger(name)
    log.debug(f"Sending a request - body: {{'text': '{CANARY}'}}")
    log.info(f"Invalid request signature detected (signature: v0=1, body: text={CANARY})")
    log.warning("Unhandled request (%s)", {"value": CANARY})
    try:
        raise ValueError(f"bad value {CANARY}")
    except ValueError:
        log.exception("Failed to run listener function")
    text = captured.getvalue()
    assert CANARY not in text and "Quibblewick" not in text
    assert "Invalid request signature detected" in text and "[ValueError]" in text


def test_our_own_lines_are_left_as_written(captured):
    logging.getLogger("dhr.web").warning("refused a Slack request (%d): %s", 401, "wrong signature")
    assert "refused a Slack request (401): wrong signature" in captured.getvalue()


def test_refused_requests_are_logged_at_most_twenty_a_minute_then_counted(caplog):
    from bot.web import RefusalLog
    from handlers.slack.platform.ingress import UNSIGNED
    now = [0.0]
    refusals = RefusalLog(clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="dhr.web"):
        for _ in range(500):
            refusals.note(UNSIGNED)
        now[0] = 61.0
        refusals.note(UNSIGNED)
    lines = caplog.messages
    assert len(lines) == RefusalLog.PER_MINUTE + 2
    assert "refused 480 more Slack requests in the last minute" in lines
