"""Start-up when Slack refuses the token or does not answer: one line saying what to set."""
import pytest

from tests.e2e.server import FIELD_KEY, HMAC_KEY, TOKEN, start_fake
from tests.test_cli import run_bot
from tests.test_startup_database import closed_port


@pytest.fixture(scope="module")
def fake():
    slack = start_fake()
    yield slack
    slack.stop()


@pytest.mark.parametrize("case", ["token refused", "no answer"])
def test_slack_refusing_or_silent_at_start_stops_the_bot_with_one_line(fake, tmp_path, case):
    token, api = ("xoxb-9-9-notthetoken", fake.base_url) if case == "token refused" else \
        (TOKEN, f"http://127.0.0.1:{closed_port()}/api/")
    result = run_bot("serve", SLACK_BOT_TOKEN=token, SLACK_SIGNING_SECRET="s", SLACK_API_URL=api,
                     DATABASE_URL=f"sqlite:///{tmp_path}/dhr.sqlite3", DHR_ADMINS="U0ADMIN1",
                     DHR_FIELD_KEYS=FIELD_KEY, DHR_HMAC_KEY=HMAC_KEY, SCHEDULER="off", PORT=str(closed_port()))
    output = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 2
    assert [line for line in output if "Traceback" in line or line.startswith(" ")] == [], output
    assert "SLACK_BOT_TOKEN" in output[-1] if case == "token refused" else "SLACK_API_URL" in output[-1]
    assert "notthetoken" not in "\n".join(output)
