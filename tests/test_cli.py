"""Start-up: a missing or malformed setting stops with one clear line, no stack trace."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.workflow.report.themes import catalogue

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


KEYS = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


@pytest.mark.parametrize("env, words", [
    (KEYS, "DHR_ADMINS"),
    ({**KEYS, "DHR_ADMINS": "U0ADMIN1"}, "DHR_FIELD_KEYS"),
    ({**KEYS, "DHR_ADMINS": "U0ADMIN1", "DHR_FIELD_KEYS": "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="},
     "DHR_HMAC_KEY"),
    ({**KEYS, "DHR_ADMINS": "jane.smith"}, "DHR_ADMINS must list Slack user IDs"),
    ({**KEYS, "DHR_FIELD_KEYS": "not-a-key"}, "DHR_FIELD_KEYS"),
    ({**KEYS, "DHR_HMAC_KEY": "short"}, "DHR_HMAC_KEY"),
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


@pytest.mark.parametrize("raw", ["0", "soon", "-5", "99999"])
def test_a_bad_setup_lease_is_named(raw):
    with pytest.raises(ConfigError, match="DHR_SETUP_LEASE_SECONDS"):
        load_settings(env={"DHR_SETUP_LEASE_SECONDS": raw})
    assert load_settings(env={}).setup_lease_seconds == 120


def test_heroku_style_database_url_is_accepted():
    assert load_settings(env={"DATABASE_URL": "postgres://u@h/db"}).database_url == "postgresql+psycopg://u@h/db"


def test_socket_mode_needs_no_signing_secret():
    settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "DHR_ADMINS": "U0ADMIN1",
                                  "DHR_FIELD_KEYS": "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg=",
                                  "DHR_HMAC_KEY": "k" * 32})
    settings.require_slack()
    assert settings.socket_mode
    with pytest.raises(ConfigError):
        load_settings(env={"SLACK_APP_TOKEN": "xoxb-wrong"})


def test_migrate_command_brings_a_new_database_up(tmp_path):
    result = run_bot("migrate", DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_rotate_keys_re_encrypts_under_the_new_key(tmp_path):
    from cryptography.fernet import Fernet
    from sqlalchemy import text as sql

    from storage.crypto import clear_keys, configure_keys
    from storage.db import Database
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path}/rot.sqlite3"
    assert run_bot("migrate", DATABASE_URL=url, DHR_FIELD_KEYS=old).returncode == 0
    db = Database(url)
    configure_keys([old])
    try:
        with db.engine.begin() as conn:
            conn.execute(sql("INSERT INTO review (tenant_id, reference, stage, preset, notified_on, notifying_agency,"
                             " victim_pseudonym, victim_age, relationship, suspected_suicide, setup_state, card_pinned,"
                             " coordinator_dm_sent, created_by, created_at, updated_at) VALUES ('T', 'DHR-2026-01',"
                             " 'setup', '2016', '2026-01-01', 'Police', 'A', 30, 'other', 0, 'complete', 0, 0, 'U',"
                             " '2026-01-01', '2026-01-01')"))
            from storage.crypto import encrypt
            conn.execute(sql("INSERT INTO decision (review_id, outcome, decided_on, agencies_consulted, concerns,"
                             " parallel_processes, home_office_told_on, delay_reason, recorded_by, recorded_at)"
                             " VALUES (1, 'review', '2026-01-02', '[]', '[]', '[]', '2026-01-02', :d, 'U',"
                             " '2026-01-02')"),
                         {"d": encrypt("late because of the inquest")})
        result = run_bot("rotate-keys", DATABASE_URL=url, DHR_FIELD_KEYS=f"{new},{old}")
        assert result.returncode == 0, result.stderr
        assert "Re-encrypted 1" in result.stdout
        with db.engine.connect() as conn:
            token = conn.execute(sql("SELECT delay_reason FROM decision")).scalar_one()
        assert Fernet(new.encode()).decrypt(token.encode()) == b"late because of the inquest"
    finally:
        clear_keys()
        db.engine.dispose()


def test_gen_key_prints_a_usable_key():
    from cryptography.fernet import Fernet
    result = run_bot("gen-key")
    Fernet(result.stdout.strip().encode())


def test_the_review_name_and_statutory_basis_are_settings_with_a_clear_refusal():
    assert (load_settings(env={}).review_name, load_settings(env={}).statutory_basis) == ("dhr", "2004")
    chosen = load_settings(env={"DHR_REVIEW_NAME": "DARDR", "DHR_STATUTORY_BASIS": "2024"})
    assert (chosen.review_name, chosen.statutory_basis) == ("dardr", "2024")
    with pytest.raises(ConfigError, match="DHR_REVIEW_NAME must be one of: dhr .*dardr"):
        load_settings(env={"DHR_REVIEW_NAME": "Domestic Homicide Review"})
    with pytest.raises(ConfigError, match="DHR_STATUTORY_BASIS must be one of"):
        load_settings(env={"DHR_STATUTORY_BASIS": "2021"})


def test_the_themes_are_a_setting_with_the_national_list_by_default():
    assert load_settings(env={}).themes[:3] == ("Coercive control", "Risk assessment and DASH", "MARAC")
    chosen = load_settings(env={"DHR_THEMES": " Coercive  control ; MARAC;\nMental health;MARAC"}).themes
    assert chosen == ("Coercive control", "MARAC", "Mental health")
    assert catalogue(chosen) == {"coercive-control": "Coercive control", "marac": "MARAC",
                                 "mental-health": "Mental health"}
    for bad in (";;", "x" * 61, "; ".join(f"Theme {n}" for n in range(61))):
        with pytest.raises(ConfigError, match="DHR_THEMES must list 1 to 60 themes"):
            load_settings(env={"DHR_THEMES": bad})
