"""`python -m bot [serve|migrate|sweep]`."""
import argparse
import sys

from bot.config import ConfigError, load_settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="DHR Bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve Slack requests (needs Slack credentials)")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("gen-key", help="print a new key for DHR_FIELD_KEYS or DHR_HMAC_KEY")
    sub.add_parser("rotate-keys", help="re-encrypt stored free text under the first key of DHR_FIELD_KEYS")
    sweep = sub.add_parser("sweep", help="send the reminders that are due, once (for cron, or to catch up)")
    sweep.add_argument("--now", metavar="ISO-TIME", help="sweep as of this time (local time unless it has an offset)")
    args = parser.parse_args(argv)
    if args.command == "gen-key":
        from storage.crypto import generate_key
        print(generate_key())
        return 0
    try:
        settings = load_settings()
        from bot import runtime
        runtime.configure_logging(settings.log_level)
        if args.command == "migrate":
            from storage import migrate
            runtime.configure(settings)
            migrate.upgrade(settings.database_url)
            print("Database is up to date.")
            return 0
        if args.command == "rotate-keys":
            return _rotate_keys(settings)
        if args.command == "sweep":
            from bot.scheduler import run_once
            return run_once(settings, args.now)
        runtime.serve(settings)  # `serve`, and plain `python -m bot` until the sandbox exists
        return 0
    except ConfigError as err:
        print(f"Configuration error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def _rotate_keys(settings) -> int:
    from bot import runtime
    from storage.crypto import rotate_all
    from storage.db import Database
    if not settings.field_keys:
        raise ConfigError("DHR_FIELD_KEYS is not set: put the new key first, then the old ones, comma-separated.")
    runtime.configure(settings)
    counts = rotate_all(Database(settings.database_url).engine)
    print(f"Re-encrypted {sum(counts.values())} values under the first key of DHR_FIELD_KEYS.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
