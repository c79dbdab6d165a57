"""Settings from the environment and `.env`. A bad setting stops start-up with one clear line."""
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

SLACK_API_DEFAULT = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///var/dhr.sqlite3"


class ConfigError(Exception):
    """One line that says what to set."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    database_url: str
    port: int
    host: str
    slack_api_url: str
    timezone: str
    preset: str
    log_level: str

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_slack(self) -> None:
        """A deployment must have real credentials; never guess."""
        if not self.slack_bot_token:
            raise ConfigError("SLACK_BOT_TOKEN is not set: set it to the app's Bot User OAuth Token (xoxb-...).")
        if not self.slack_socket_or_secret_ok():
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: set it to the app's Signing Secret "
                "(Basic Information > App Credentials), or set SLACK_APP_TOKEN for Socket Mode."
            )

    def slack_socket_or_secret_ok(self) -> bool:
        return bool(self.slack_signing_secret) or self.socket_mode


def load_settings(env: dict | None = None, dotenv_path: str | None = ".env") -> Settings:
    if env is None:
        if dotenv_path and Path(dotenv_path).exists():
            load_dotenv(dotenv_path, override=False)
        env = dict(os.environ)
    return Settings(
        slack_bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
        slack_signing_secret=_optional(env, "SLACK_SIGNING_SECRET"),
        slack_app_token=_token(env, "SLACK_APP_TOKEN", "xapp-"),
        database_url=_database_url(env),
        port=_port(env),
        host=_optional(env, "HOST") or "0.0.0.0",
        slack_api_url=_api_url(env),
        timezone=_timezone(env),
        preset=_preset(env),
        log_level=_log_level(env),
    )


def _optional(env, name) -> str | None:
    value = (env.get(name) or "").strip()
    return value or None


def _token(env, name, prefix) -> str | None:
    value = _optional(env, name)
    if value and not value.startswith(prefix):
        raise ConfigError(f"{name} must start with '{prefix}' (got a value that does not).")
    return value


def _database_url(env) -> str:
    value = _optional(env, "DATABASE_URL") or DEFAULT_DATABASE_URL
    if value.startswith("postgres://"):  # Heroku-style URLs
        value = "postgresql+psycopg://" + value[len("postgres://"):]
    elif value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    if not value.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError("DATABASE_URL must be a sqlite:/// path or a postgresql:// URL.")
    return value


def _port(env) -> int:
    raw = _optional(env, "PORT") or "3000"
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"PORT must be a number between 1 and 65535 (got {raw!r}).")
    return int(raw)


def _api_url(env) -> str:
    value = _optional(env, "SLACK_API_URL") or SLACK_API_DEFAULT
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL such as {SLACK_API_DEFAULT}.")
    return value if value.endswith("/") else value + "/"


def _timezone(env) -> str:
    value = _optional(env, "DHR_TIMEZONE") or "Europe/London"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"DHR_TIMEZONE must be an IANA time zone such as Europe/London (got {value!r}).")
    return value


def _preset(env) -> str:
    value = _optional(env, "DHR_TIMESCALE_PRESET") or "2016"
    if value not in ("2016", "2024-draft"):
        raise ConfigError("DHR_TIMESCALE_PRESET must be 2016 or 2024-draft.")
    return value


def _log_level(env) -> str:
    value = (_optional(env, "LOG_LEVEL") or "INFO").upper()
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")
    return value
