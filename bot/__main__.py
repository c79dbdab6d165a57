"""`python -m bot [serve|migrate]`."""
import argparse
import sys

from bot.config import ConfigError, load_settings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="DHR Bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve Slack requests (needs Slack credentials)")
    sub.add_parser("migrate", help="apply database migrations")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        from bot import runtime
        runtime.configure_logging(settings.log_level)
        if args.command == "migrate":
            from storage import migrate
            migrate.upgrade(settings.database_url)
            print("Database is up to date.")
            return 0
        runtime.serve(settings)  # `serve`, and plain `python -m bot` until the sandbox exists
        return 0
    except ConfigError as err:
        print(f"Configuration error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
