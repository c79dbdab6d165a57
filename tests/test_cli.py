"""Start-up: a missing or malformed setting stops with one clear line, no stack trace."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def run_bot(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_", "DATABASE_URL", "PORT"))}
    clean.update(env)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=60)


def test_serve_without_a_token_says_what_to_set():
    result = run_bot("serve", DATABASE_URL="sqlite:///:memory:")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "SLACK_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("env, words", [
    ({"SLACK_BOT_TOKEN": "xoxb-1", "PORT": "eighty"}, "PORT"),
    ({"SLACK_BOT_TOKEN": "not-a-token"}, "SLACK_BOT_TOKEN must start with 'xoxb-'"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DHR_TIMEZONE": "Mars/Base"}, "DHR_TIMEZONE"),
])
def test_bad_settings_are_named(env, words):
    result = run_bot("serve", **env)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


def test_defaults():
    settings = load_settings(env={})
    assert settings.port == 3000 and settings.timezone == "Europe/London"
    assert settings.database_url.startswith("sqlite:///") and settings.slack_api_url == "https://slack.com/api/"


def test_heroku_style_database_url_is_accepted():
    assert load_settings(env={"DATABASE_URL": "postgres://u@h/db"}).database_url == "postgresql+psycopg://u@h/db"


def test_socket_mode_needs_no_signing_secret():
    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    settings.require_slack()
    assert settings.socket_mode
    with pytest.raises(ConfigError):
        load_settings(env={"SLACK_APP_TOKEN": "xoxb-wrong"})


def test_migrate_command_brings_a_new_database_up(tmp_path):
    result = run_bot("migrate", DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
