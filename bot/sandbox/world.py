"""The running sandbox: the real bot, the embedded Slack-compatible Web API (bot.slackfake), its
own SQLite file and keys, the reminder sweep on the sandbox clock, and the platform client the
page uses to send signed requests to the bot, exactly as Slack does.

Nothing here reads DATABASE_URL or Slack credentials: the sandbox can never touch a deployment's
database or workspace. Each start begins afresh (the fake workspace lives in memory, so the
database file is emptied with it).
"""
import logging
import secrets
import threading
from pathlib import Path

from bot import runtime, scheduler
from bot.config import load_settings
from bot.sandbox.clock import SandboxClock
from bot.sandbox.people import ADMIN, PEOPLE
from bot.slackfake import FakeSlack, SlackPlatform
from bot.web import create_web_app
from handlers.slack.platform.app import build_app
from storage.crypto import generate_key

log = logging.getLogger("dhr.sandbox")
ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "manifest.yml"
TEAM = "T0SANDBOX"
DB_NAME = "dhr-sandbox.db"
# Settings a developer may still choose for the sandbox; everything else is the sandbox's own.
PASS_THROUGH = ("DHR_TIMEZONE", "DHR_TIMESCALE_PRESET", "DHR_REGION", "DHR_TEMPLATES_DIR", "DHR_REMINDER_DAYS_BEFORE",
                "DHR_REMINDER_OVERDUE_EVERY", "DHR_REMINDER_CATCH_UP_DAYS", "DHR_REMINDER_HOURS", "LOG_LEVEL")


class Sandbox:
    def __init__(self, data_dir: str | Path = ".sandbox", environ: dict | None = None):
        self.data_dir = Path(data_dir)
        self.environ = dict(environ or {})
        self.fake: FakeSlack | None = None
        self.platform: SlackPlatform | None = None
        self.svc = None
        self.clock: SandboxClock | None = None
        self.general_id = ""
        self._bot_server = None
        self._scheduler = None
        self._sweep = None
        self._sweep_lock = threading.Lock()
        self.dm_read_only = _messages_tab_read_only(MANIFEST)

    @property
    def database_path(self) -> Path:
        return self.data_dir / DB_NAME

    def start(self) -> "Sandbox":

        self.data_dir.mkdir(parents=True, exist_ok=True)
        for leftover in self.data_dir.glob(DB_NAME + "*"):
            leftover.unlink()
        fake = FakeSlack(bot_token="xoxb-sandbox-" + secrets.token_hex(8), team_id=TEAM, manifest_path=MANIFEST)
        fake.ws.team_name, fake.ws.team_domain = "DHR Sandbox", "dhr-sandbox"
        for person in PEOPLE:
            fake.add_user(person.id, person.handle, real_name=person.name)
        fake.start()
        self.fake = fake
        self.general_id = fake.add_channel("general", members=[p.id for p in PEOPLE], bot_member=False).id
        secret = secrets.token_hex(16)
        env = {k: v for k, v in self.environ.items() if k in PASS_THROUGH}
        env.update(SLACK_BOT_TOKEN=fake.bot_token, SLACK_SIGNING_SECRET=secret, SLACK_API_URL=fake.base_url,
                   DATABASE_URL=f"sqlite:///{self.database_path.resolve()}", HOST="127.0.0.1",
                   DHR_ADMINS=ADMIN.id, DHR_FIELD_KEYS=generate_key(), DHR_HMAC_KEY=secrets.token_urlsafe(36),
                   SCHEDULER="on")
        settings = load_settings(env=env, dotenv_path=None)
        svc = runtime.services(settings)
        self.clock = svc.clock = SandboxClock(settings.tz)
        self.svc = svc
        bolt = build_app(svc)
        self._bot_server = _serve_in_thread(_web_app(bolt, svc), "dhr-sandbox-bot")
        bot_url = f"http://127.0.0.1:{self._bot_server.effective_port}/slack/events"
        self.platform = SlackPlatform(fake, bot_url, secret, team_id=TEAM)
        self._sweep = _LockedSweep(scheduler.build_sweep(settings, svc.db, svc.calendar, bolt.client,
                                                             redactions=svc.redactions),
                                   self._sweep_lock)
        self._scheduler = scheduler.start(self._sweep, self.clock.now, tz=settings.tz)
        return self

    def sweep_now(self):
        """One reminder sweep at the sandbox's time (after the clock moved)."""
        return scheduler.tick(self._sweep, self.clock.now())

    def advance(self, days: int):
        """Move the bot's clock on and send what has become due, in the background."""
        moved_to = self.clock.advance(days)
        threading.Thread(target=self.sweep_now, name="dhr-sandbox-sweep", daemon=True).start()
        return moved_to

    def stop(self) -> None:
        scheduler.stop(self._scheduler)
        if self._bot_server is not None:
            self._bot_server.close()
        if self.fake is not None:
            self.fake.stop()
        if self.svc is not None:
            self.svc.db.engine.dispose()


def _messages_tab_read_only(manifest: Path) -> bool:
    """Slack hides the message box in the app's Messages tab when the manifest makes it read-only."""
    import yaml
    app_home = ((yaml.safe_load(manifest.read_text()) or {}).get("features") or {}).get("app_home") or {}
    return bool(app_home.get("messages_tab_read_only_enabled", False))


class _LockedSweep:
    """The scheduled sweep and a sweep after a clock move never run at once (one SQLite file)."""

    def __init__(self, sweep, lock):
        self.sweep, self.lock = sweep, lock

    def run(self, now):
        with self.lock:
            return self.sweep.run(now)


def _web_app(bolt, svc):
    return create_web_app(bolt, svc.db, svc.settings.slack_signing_secret)


def _serve_in_thread(wsgi_app, name: str, port: int = 0):
    from waitress import create_server
    server = create_server(wsgi_app, host="127.0.0.1", port=port, threads=8, ident=name)
    threading.Thread(target=server.run, name=name, daemon=True).start()
    return server
