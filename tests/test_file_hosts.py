"""Where the bot token may go when the bot downloads a shared file: Slack's file host over HTTPS, or the
origin of the configured Web API (the sandbox's and the tests' fake), and nowhere else."""
from types import SimpleNamespace

import pytest

from handlers.slack.platform.files import origin, trusted_origins

SLACK = SimpleNamespace(base_url="https://slack.com/api/")
FAKE = SimpleNamespace(base_url="http://127.0.0.1:8123/api/")


@pytest.mark.parametrize("client, url, trusted", [
    (SLACK, "https://files.slack.com/files-pri/T1-F1/download/a.csv", True),
    (SLACK, "https://FILES.slack.com:443/files-pri/T1-F1/a.csv", True),
    (SLACK, "http://files.slack.com/files-pri/T1-F1/a.csv", False),          # never over plain HTTP
    (SLACK, "https://files.slack.com.example.net/a.csv", False),
    (SLACK, "https://files.slack.com@example.net/a.csv", False),
    (SLACK, "https://example.net\\@files.slack.com/a.csv", False),           # urllib would dial the whole "host"
    (SLACK, "https://example.net%5C@files.slack.com/a.csv", False),
    (SLACK, "https://docs.google.com/spreadsheets/d/1", False),
    (SLACK, "", False),
    (SLACK, "https://files.slack.com:99999/a.csv", False),                   # unreadable port
    (FAKE, "http://127.0.0.1:8123/files-pri/T1-F1/a.csv", True),
    (FAKE, "http://127.0.0.1:8124/files-pri/T1-F1/a.csv", False),            # another server on the same machine
])
def test_the_token_goes_only_to_slacks_file_host_or_the_configured_api(client, url, trusted):
    assert (origin(url) in trusted_origins(client)) is trusted
