"""Settings from the environment and `.env`. A bad setting stops start-up with one clear line."""
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from storage.crypto import parse_keys

SLACK_API_DEFAULT = "https://slack.com/api/"
TEAMS_LOGIN_DEFAULT = "https://login.microsoftonline.com"
TEAMS_OPENID_DEFAULT = "https://login.botframework.com/v1/.well-known/openidconfiguration"
GRAPH_API_DEFAULT = "https://graph.microsoft.com/v1.0/"
GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
DEFAULT_DATABASE_URL = "sqlite:///var/dhr.sqlite3"


class ConfigError(Exception):
    """One line that says what to set."""


# Themes of learning a review's recommendations and lessons are tagged with (DHR_THEMES), drawn from the
# published national analyses of domestic homicide reviews.
DEFAULT_THEMES = (
    "Coercive control", "Risk assessment and DASH", "MARAC", "Information sharing", "Mental health",
    "Substance use", "Economic abuse", "Older victims", "Suicide", "Children and young people",
    "Barriers to disclosure", "Professional curiosity", "Equality and diversity", "Agency-specific practice",
)
MAX_THEMES, THEME_MAX = 60, 60


@dataclass(frozen=True)
class TeamsSettings:
    """The single-tenant Entra app registration of the bot, and where Microsoft's services are."""

    client_id: str
    client_secret: str
    tenant_id: str
    app_catalog_id: str
    admins: tuple[str, ...]
    login_url: str = TEAMS_LOGIN_DEFAULT
    openid_metadata_url: str = TEAMS_OPENID_DEFAULT
    graph_api_url: str = GRAPH_API_DEFAULT


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
    review_name: str = "dhr"            # DHR_REVIEW_NAME: dhr | dardr (bot.workflow.core.naming)
    statutory_basis: str = "2004"       # DHR_STATUTORY_BASIS: 2004 | 2024
    csp_name: str = "Community Safety Partnership"    # DHR_CSP_NAME: the board report's title
    admins: tuple[str, ...] = ()
    field_keys: tuple[str, ...] = ()
    hmac_key: str | None = None
    templates_dir: str | None = None
    # Reminders: see reminder_schedule() and docs/configuration.md.
    scheduler: bool = True
    region: str = "ENG"
    reminder_days_before: tuple[int, ...] = (10, 5, 1)
    reminder_overdue_every: int = 5
    reminder_catch_up_days: int = 10
    reminder_hours: tuple[str, str] = ("09:00", "18:00")
    # Concluded reviews: how long their records are kept after conclusion.
    retention_years: int = 6
    # Section 19 of the Victims and Prisoners Act 2024, once commenced, adds the Secretary of State's
    # copy of the report to the copies after sign-off. Off until the CSP turns it on.
    # A review's channel set-up: how long one attempt holds it before a retry or the sweep may take over.
    setup_lease_seconds: int = 120
    themes: tuple[str, ...] = DEFAULT_THEMES
    teams: TeamsSettings | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_slack(self) -> None:
        """A deployment must have real credentials and its own keys; never guess."""
        if not self.slack_bot_token:
            raise ConfigError("SLACK_BOT_TOKEN is not set: set it to the app's Bot User OAuth Token (xoxb-...), "
                              "or set TEAMS_CLIENT_ID and the other Teams settings (docs/teams-setup.md), "
                              "or run `python -m bot sandbox` to try the bot without either.")
        if not self.slack_socket_or_secret_ok():
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: set it to the app's Signing Secret "
                "(Basic Information > App Credentials), or set SLACK_APP_TOKEN for Socket Mode."
            )
        if not self.admins:
            raise ConfigError("DHR_ADMINS is not set: set it to the Slack user IDs (e.g. U012AB3CD) of the "
                              "CSP staff who may create reviews, separated by commas.")
        if not self.field_keys:
            raise ConfigError("DHR_FIELD_KEYS is not set: set it to a key made with `python -m bot gen-key` "
                              "(it encrypts free text at rest; keep it safe, data is unreadable without it).")
        if not self.hmac_key:
            raise ConfigError("DHR_HMAC_KEY is not set: set it to a random secret of 32+ characters "
                              "(e.g. from `python -m bot gen-key`); it hashes the redaction list.")

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_bot_token)

    def require_platform(self) -> None:
        """Serving needs Slack's or Teams' settings (or both), each complete."""
        if self.teams is None or self.has_slack:
            self.require_slack()
        elif not self.field_keys or not self.hmac_key:
            raise ConfigError("DHR_FIELD_KEYS and DHR_HMAC_KEY must be set (make each with `python -m bot gen-key`).")

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
        review_name=_choice(env, "DHR_REVIEW_NAME", "dhr", {"dhr": "Domestic Homicide Review",
                                                          "dardr": "Domestic Abuse Related Death Review"}),
        statutory_basis=_choice(env, "DHR_STATUTORY_BASIS", "2004", {
            "2004": "section 9 of the 2004 Act", "2024": "section 9 as section 19 of the 2024 Act amends it"}),
        log_level=_log_level(env),
        csp_name=(_optional(env, "DHR_CSP_NAME") or "Community Safety Partnership")[:100],
        admins=_admins(env),
        field_keys=_field_keys(env),
        hmac_key=_hmac_key(env),
        templates_dir=_templates_dir(env),
        **_reminder_settings(env),
        retention_years=_retention_years(env),
        setup_lease_seconds=_setup_lease(env),
        themes=_themes(env),
        teams=_teams(env),
    )


def _themes(env) -> tuple[str, ...]:
    """DHR_THEMES: the theme labels, separated by semicolons (or new lines); unset, the national list."""
    raw = _optional(env, "DHR_THEMES")
    if raw is None:
        return DEFAULT_THEMES
    labels = tuple(dict.fromkeys(" ".join(x.split()) for x in re.split(r"[;\n]", raw) if x.strip()))
    if not labels or len(labels) > MAX_THEMES or any(len(x) > THEME_MAX or not re.search(r"[A-Za-z0-9]", x)
                                                     for x in labels):
        raise ConfigError(f"DHR_THEMES must list 1 to {MAX_THEMES} themes of at most {THEME_MAX} characters each, "
                          "separated by semicolons (e.g. \"Coercive control; MARAC; Mental health\").")
    return labels


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
    try:
        _ = make_url(value).port   # read now: the driver would fail on it later, with a long traceback
    except (ValueError, ArgumentError):
        raise ConfigError("DATABASE_URL cannot be read (check its host and port): write it as "
                          "postgresql://user:password@host:5432/dbname or sqlite:///path/dhr.sqlite3.") from None
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
        raise ConfigError(f"DHR_TIMEZONE must be an IANA time zone such as Europe/London (got {value!r}).") from None
    return value


def _choice(env, name: str, default: str, allowed: dict[str, str]) -> str:
    value = (_optional(env, name) or default).lower()
    if value not in allowed:
        raise ConfigError(f"{name} must be one of: " + "; ".join(f"{k} ({v})" for k, v in allowed.items()) + ".")
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


def _admins(env) -> tuple[str, ...]:
    raw = _optional(env, "DHR_ADMINS") or ""
    ids = tuple(x for x in re.split(r"[\s,]+", raw) if x)
    bad = [x for x in ids if not re.fullmatch(r"[UW][A-Z0-9]{2,30}", x)]
    if bad:
        raise ConfigError(f"DHR_ADMINS must list Slack user IDs such as U012AB3CD (not {bad[0][:20]!r}).")
    return ids


def _field_keys(env) -> tuple[str, ...]:
    raw = _optional(env, "DHR_FIELD_KEYS")
    if not raw:
        return ()
    try:
        return tuple(parse_keys(raw))
    except ValueError as err:
        raise ConfigError(str(err)) from None


def _hmac_key(env) -> str | None:
    raw = _optional(env, "DHR_HMAC_KEY")
    if raw and len(raw) < 32:
        raise ConfigError("DHR_HMAC_KEY must be at least 32 characters long.")
    return raw


def _templates_dir(env) -> str | None:
    raw = _optional(env, "DHR_TEMPLATES_DIR")
    if raw and not Path(raw).is_dir():
        raise ConfigError(f"DHR_TEMPLATES_DIR must be a folder of Jinja2 templates (no folder at {raw!r}).")
    return raw


def _reminder_settings(env) -> dict:
    """SCHEDULER, DHR_REGION and the reminder schedule."""
    import re as _re
    scheduler = (_optional(env, "SCHEDULER") or "on").lower()
    if scheduler not in ("on", "off", "true", "false", "1", "0", "yes", "no"):
        raise ConfigError("SCHEDULER must be on or off (off: run `python -m bot sweep` from cron instead).")
    region = (_optional(env, "DHR_REGION") or "ENG").upper()
    if region not in ("ENG", "WLS", "SCT", "NIR"):
        raise ConfigError("DHR_REGION must be ENG, WLS, SCT or NIR (whose bank holidays count as non-working days).")
    raw_before = _optional(env, "DHR_REMINDER_DAYS_BEFORE")
    raw_before = "10,5,1" if raw_before is None else raw_before
    parts = [p for p in _re.split(r"[\s,]+", raw_before) if p and p.lower() != "none"]
    if not all(p.isdigit() and 1 <= int(p) <= 60 for p in parts):
        raise ConfigError("DHR_REMINDER_DAYS_BEFORE must list working days before a deadline, e.g. 10,5,1 (or none).")
    every = _optional(env, "DHR_REMINDER_OVERDUE_EVERY") or "5"
    if not every.isdigit() or int(every) > 60:
        raise ConfigError("DHR_REMINDER_OVERDUE_EVERY must be a number of working days "
                          "(0 turns overdue reminders off).")
    catch_up = _optional(env, "DHR_REMINDER_CATCH_UP_DAYS") or "10"
    if not catch_up.isdigit() or not 1 <= int(catch_up) <= 60:
        raise ConfigError("DHR_REMINDER_CATCH_UP_DAYS must be a number of working days between 1 and 60.")
    hours = _optional(env, "DHR_REMINDER_HOURS") or "09:00-18:00"
    m = _re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)", hours)
    if not m or hours[:5] >= hours[6:]:
        raise ConfigError("DHR_REMINDER_HOURS must be HH:MM-HH:MM local time, start before end (e.g. 09:00-18:00).")
    return dict(scheduler=scheduler in ("on", "true", "1", "yes"), region=region,
                reminder_days_before=tuple(int(p) for p in parts), reminder_overdue_every=int(every),
                reminder_catch_up_days=int(catch_up), reminder_hours=(hours[:5], hours[6:]))


def _retention_years(env) -> int:
    raw = _optional(env, "DHR_RETENTION_YEARS") or "6"
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise ConfigError("DHR_RETENTION_YEARS must be a whole number of years between 1 and 100 "
                          "(how long a concluded review's records are kept; follow your CSP's retention policy).")
    return int(raw)


def _setup_lease(env) -> int:
    raw = _optional(env, "DHR_SETUP_LEASE_SECONDS") or "120"
    if not raw.isdigit() or not 1 <= int(raw) <= 3600:
        raise ConfigError("DHR_SETUP_LEASE_SECONDS must be a whole number of seconds between 1 and 3600 "
                          "(how long a channel set-up attempt may run before another may take over; default 120).")
    return int(raw)


def _teams(env) -> TeamsSettings | None:
    """None unless TEAMS_CLIENT_ID is set; then every Teams setting must be there and well formed."""
    client_id = _optional(env, "TEAMS_CLIENT_ID")
    if client_id is None:
        return None
    required = {name: _optional(env, name) for name in ("TEAMS_CLIENT_SECRET", "TEAMS_TENANT_ID",
                                                        "TEAMS_APP_CATALOG_ID", "DHR_TEAMS_ADMINS")}
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise ConfigError(f"{missing[0]} is not set: with TEAMS_CLIENT_ID set, Teams also needs "
                          "TEAMS_CLIENT_SECRET, TEAMS_TENANT_ID, TEAMS_APP_CATALOG_ID and DHR_TEAMS_ADMINS "
                          "(see docs/teams-setup.md).")
    for name in ("TEAMS_CLIENT_ID", "TEAMS_TENANT_ID", "TEAMS_APP_CATALOG_ID"):
        if not re.fullmatch(GUID, env[name].strip()):
            raise ConfigError(f"{name} must be a GUID such as 00000000-0000-0000-0000-000000000000.")
    admins = tuple(x for x in re.split(r"[\s,]+", required["DHR_TEAMS_ADMINS"] or "") if x)
    if not all(re.fullmatch(GUID, a) for a in admins):
        raise ConfigError("DHR_TEAMS_ADMINS must list Entra object ids (GUIDs) of the CSP admins, comma-separated.")
    return TeamsSettings(
        client_id=client_id, client_secret=required["TEAMS_CLIENT_SECRET"] or "",
        tenant_id=(required["TEAMS_TENANT_ID"] or "").lower(), app_catalog_id=required["TEAMS_APP_CATALOG_ID"] or "",
        admins=tuple(a.lower() for a in admins),
        login_url=_service_url(env, "TEAMS_LOGIN_URL", TEAMS_LOGIN_DEFAULT).rstrip("/"),
        openid_metadata_url=_service_url(env, "TEAMS_OPENID_METADATA_URL", TEAMS_OPENID_DEFAULT),
        graph_api_url=_service_url(env, "GRAPH_API_URL", GRAPH_API_DEFAULT).rstrip("/") + "/",
    )


def _service_url(env, name: str, default: str) -> str:
    """https, or plain http only on this machine (a local fake in tests and the sandbox)."""
    value = _optional(env, name) or default
    parsed = urlparse(value)
    local = parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost", "::1")
    if not parsed.netloc or not (parsed.scheme == "https" or local):
        raise ConfigError(f"{name} must be an https URL (plain http only on 127.0.0.1), such as {default}.")
    return value
