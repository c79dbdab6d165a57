"""`python -m bot [sandbox|serve|migrate|sweep|gen-key|rotate-keys]`; with no command: the sandbox when
neither SLACK_BOT_TOKEN nor TEAMS_CLIENT_ID is set, else serve."""
import argparse
import os
import re
import sys
from pathlib import Path

from dotenv import dotenv_values

from bot import runtime, scheduler
from bot.config import ConfigError, load_settings
from bot.sandbox import run as run_sandbox
from handlers.slack.platform.app import web_client
from handlers.teams.platform import app as teams_app
from handlers.teams.platform import manifest as teams_manifest
from storage import migrate
from storage.all_tables import METADATA
from storage.crypto import generate_key, rotate_all
from storage.db import Database, DatabaseUnreachable, reaching


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="DHR Bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve Slack and/or Teams requests (needs their credentials)")
    sandbox = sub.add_parser("sandbox", help="run the bot locally in a browser, as Slack or Teams, with fictional "
                                             "data and neither platform")
    sandbox.add_argument("--demo", nargs="?", const="both", choices=("slack", "teams", "both"),
                         help="load two fictional reviews (one half way through evidence gathering, one in drafting) "
                              "in Slack, Teams or both (the default)")
    sandbox.add_argument("--port", type=int, default=None,
                         help="port on 127.0.0.1 for the page (default $PORT or 3000)")
    sandbox.add_argument("--data-dir", default=".sandbox", help="folder for the sandbox's own database file")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("gen-key", help="print a new key for DHR_FIELD_KEYS or DHR_HMAC_KEY")
    sub.add_parser("rotate-keys", help="re-encrypt stored free text under the first key of DHR_FIELD_KEYS")
    package = sub.add_parser("teams-package", help="write the Teams app package (manifest and icons) to upload")
    package.add_argument("--host", required=True, help="the bot's public host name, e.g. dhr.example.org")
    package.add_argument("--out", default="dhr-bot-teams.zip", help="where to write the zip")
    sweep = sub.add_parser("sweep", help="send the reminders that are due, once (for cron, or to catch up)")
    sweep.add_argument("--now", metavar="ISO-TIME", help="sweep as of this time (local time unless it has an offset)")
    args = parser.parse_args(argv)
    if args.command is None and not _has_platform():
        args = parser.parse_args(["sandbox", *(argv or [])])
    if args.command == "sandbox":
        return run_sandbox(port=args.port, demo=args.demo, data_dir=args.data_dir)
    if args.command == "gen-key":
        print(generate_key())
        return 0
    try:
        settings = load_settings()
        runtime.configure_logging(settings.log_level)
        if args.command == "migrate":
            runtime.configure(settings)
            with reaching(settings.database_url):
                migrate.upgrade(settings.database_url)
            print("Database is up to date.")
            return 0
        if args.command == "rotate-keys":
            return _rotate_keys(settings)
        if args.command == "sweep":
            return _sweep_once(settings, args.now)
        if args.command == "teams-package":
            return _teams_package(settings, args.host, args.out)
        runtime.serve(settings)  # `serve`, and plain `python -m bot` when SLACK_BOT_TOKEN is set
        return 0
    except ConfigError as err:
        print(f"Configuration error: {err}", file=sys.stderr)
        return 2
    except DatabaseUnreachable as err:
        print(f"Database error: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 0


def _has_platform() -> bool:
    """Plain `python -m bot` serves only when Slack's token or Teams' client id is configured
    (environment or .env)."""
    names = ("SLACK_BOT_TOKEN", "TEAMS_CLIENT_ID")
    if any(os.environ.get(n, "").strip() for n in names):
        return True
    saved = dotenv_values(".env") if Path(".env").exists() else {}
    return any((saved.get(n) or "").strip() for n in names)


def _rotate_keys(settings) -> int:
    if not settings.field_keys:
        raise ConfigError("DHR_FIELD_KEYS is not set: put the new key first, then the old ones, comma-separated.")
    runtime.configure(settings)
    counts = rotate_all(Database(settings.database_url).engine, METADATA)
    print(f"Re-encrypted {sum(counts.values())} values under the first key of DHR_FIELD_KEYS.")
    return 0


def _sweep_once(settings, raw_now: str | None) -> int:
    """`python -m bot sweep [--now ISO-TIME]`: one sweep, its summary on stdout."""
    try:
        now = scheduler.parse_now(raw_now, settings.tz)
    except ValueError:
        raise ConfigError(f"--now must be an ISO time such as 2026-11-02T09:00 (got {raw_now!r}).") from None
    settings.require_platform()
    svc = runtime.services(settings)
    client = web_client(settings.slack_bot_token, settings.slack_api_url, svc.redactions) \
        if settings.has_slack else None
    teams = runtime.teams_of(svc, settings)
    teams_app = teams[0] if teams else None
    scheduler.resume_set_ups(scheduler.setup_resumer(svc, client, teams_app), now)
    report = scheduler.build_sweep(settings, svc.db, svc.calendar, client, redactions=svc.redactions,
                                   teams=teams_app).run(now)
    svc.db.engine.dispose()
    print(report.summary())
    return 1 if report.errors else 0


def _teams_package(settings, host: str, out: str) -> int:
    if settings.teams is None:
        raise ConfigError("TEAMS_CLIENT_ID is not set: the package names the bot by its client id.")
    if not re.fullmatch(r"[a-z0-9.-]{1,253}", host.lower()):
        raise ConfigError(f"--host must be a host name such as dhr.example.org (not {host[:40]!r}).")
    Path(out).write_bytes(teams_manifest.package(settings.teams.client_id, host.lower(), teams_app.routes()))
    print(f"Wrote {out}: upload it to your organisation's app catalog (Teams admin centre > Manage apps).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
