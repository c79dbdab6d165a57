"""The local sandbox: the whole bot in a browser, with no Slack workspace.

`python -m bot` (with no SLACK_BOT_TOKEN) or `python -m bot sandbox [--demo [slack|teams]] [--port N]`
starts the real bot, the embedded Slack-compatible Web API (bot.slackfake) and Microsoft Teams fake
(bot.teamsfake), the sandbox's own SQLite file and keys, and a page on http://127.0.0.1:3000/ where
you choose Slack or Teams and act as one of the fictional demo people. See world.py (what runs),
web.py and teams_web.py (the page), demo.py and demo_teams.py (the demo reviews).
"""
import logging
import os
import sys

from bot import runtime
from bot.sandbox.demo import Demo, DemoFailed, load_demo
from bot.sandbox.demo_teams import TeamsDemo
from bot.sandbox.web import create_app
from bot.sandbox.world import Sandbox

log = logging.getLogger("dhr.sandbox")


DEMO_ON = {"slack": (Demo,), "teams": (TeamsDemo,), "both": (Demo, TeamsDemo)}


def run(port: int | None = None, demo: str | None = None, data_dir: str = ".sandbox") -> int:
    """`demo`: load the demo reviews on "slack", "teams" or "both" (None: none)."""
    from waitress import create_server


    if port is None:
        port = int(os.environ["PORT"]) if os.environ.get("PORT", "").isdigit() else 3000
    runtime.configure_logging(os.environ.get("LOG_LEVEL", "WARNING").upper()
                              if os.environ.get("LOG_LEVEL", "").upper() in ("DEBUG", "INFO", "WARNING", "ERROR")
                              else "WARNING")
    try:
        page = create_server(create_app(None), host="127.0.0.1", port=port, threads=8, ident="dhr-sandbox")
    except OSError as err:
        print(f"Sandbox: port {port} on 127.0.0.1 is not free ({err.strerror}); "
              f"choose another with `python -m bot sandbox --port N`.", file=sys.stderr)
        return 2
    sandbox = Sandbox(data_dir, environ=dict(os.environ)).start()
    page.application = create_app(sandbox)
    try:
        for kind in DEMO_ON.get(demo or "", ()):
            print(f"Loading the demo reviews in {kind.platform}…", flush=True)
            try:
                demo_run = load_demo(sandbox, kind=kind)
                for reference, stage in demo_run.reviews:
                    print(f"Demo review {reference} ({stage}) is ready in {kind.platform}.", flush=True)
            except DemoFailed as err:
                print(f"Sandbox: {err}; the sandbox runs on without the rest of the {kind.platform} demo.",
                      file=sys.stderr)
        print(f"DHR Bot sandbox: http://127.0.0.1:{page.effective_port}/ "
              "(fictional data, not connected to Slack or Teams; Ctrl-C to stop)", flush=True)
        page.run()
    except KeyboardInterrupt:
        pass
    finally:
        page.close()
        sandbox.stop()
    return 0
