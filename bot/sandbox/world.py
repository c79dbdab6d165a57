"""The running sandbox: the real bot, the embedded Slack-compatible Web API (bot.slackfake) and the
embedded Microsoft Teams fake (bot.teamsfake: login, Bot Connector, Graph), its own SQLite file and
keys, the reminder sweep on the sandbox clock, and the platform clients the page uses to send
signed requests to the bot exactly as each platform does: Slack's to /slack/events, Teams'
activities (signed with the fake Bot Framework key) to /api/messages. One bot serves both, as a
deployment with both platforms does; a review belongs to the platform it was opened on.

Nothing here reads DATABASE_URL or Slack or Teams credentials: the sandbox can never touch a deployment's
database, workspace or tenant. Each start begins afresh (the fake workspace lives in memory, so the
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
from bot.teamsfake import FakeTeams, TeamsPlatform
from bot.teamsfake.cards import validate_card
from bot.web import create_web_app
from handlers.slack.platform.app import build_app
from handlers.teams.platform import app as teams_app
from handlers.teams.platform import context as teams_context
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
        self.teams_fake: FakeTeams | None = None
        self.teams: TeamsPlatform | None = None
        self.teams_users: dict = {}         # sandbox person id -> the fake Teams user
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
        teams = self.teams_fake = FakeTeams(card_validator=validate_card, bot_name="DHR Bot").start()
        self.teams_users = {p.id: teams.add_user(p.name, upn=f"{p.handle}@dhr-sandbox.example") for p in PEOPLE}
        secret = secrets.token_hex(16)
        env = {k: v for k, v in self.environ.items() if k in PASS_THROUGH}
        env.update(SLACK_BOT_TOKEN=fake.bot_token, SLACK_SIGNING_SECRET=secret, SLACK_API_URL=fake.base_url,
                   DATABASE_URL=f"sqlite:///{self.database_path.resolve()}", HOST="127.0.0.1",
                   DHR_ADMINS=ADMIN.id, DHR_FIELD_KEYS=generate_key(), DHR_HMAC_KEY=secrets.token_urlsafe(36),
                   SCHEDULER="on", **_teams_env(teams, self.teams_users[ADMIN.id].aad_id))
        settings = load_settings(env=env, dotenv_path=None)
        svc = runtime.services(settings)
        self.clock = svc.clock = SandboxClock(settings.tz)
        self.svc = svc
        bolt = build_app(svc)
        assert settings.teams is not None
        on_teams = teams_context.build(svc, settings.teams)
        web = create_web_app(bolt, svc.db, settings.slack_signing_secret, (on_teams, teams_app.routes()))
        self._bot_server = _serve_in_thread(web, "dhr-sandbox-bot")
        bot_root = f"http://127.0.0.1:{self._bot_server.effective_port}"
        self.platform = SlackPlatform(fake, f"{bot_root}/slack/events", secret, team_id=TEAM)
        self.teams = TeamsPlatform(teams, f"{bot_root}/api/messages")
        for person in PEOPLE:      # everyone has the app (their 1:1 chat with the bot), as an org-wide install gives
            self.teams.install_for(self.teams_users[person.id])
        self._sweep = _LockedSweep(scheduler.build_sweep(settings, svc.db, svc.calendar, bolt.client,
                                                             redactions=svc.redactions, teams=on_teams),
                                   self._sweep_lock)
        self._scheduler = scheduler.start(self._sweep, self.clock.now, tz=settings.tz)
        return self

    def teams_user(self, person_id: str):
        return self.teams_users.get(person_id)

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
        if self.teams_fake is not None:
            self.teams_fake.stop()
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


def _teams_env(teams: FakeTeams, admin_aad_id: str) -> dict:
    """The bot's Teams settings, pointed at the embedded fake (plain http is allowed on 127.0.0.1 only)."""
    return dict(TEAMS_CLIENT_ID=teams.bot_id, TEAMS_CLIENT_SECRET=teams.client_secret, TEAMS_TENANT_ID=teams.tenant_id,
                TEAMS_APP_CATALOG_ID=teams.app_catalog_id, DHR_TEAMS_ADMINS=admin_aad_id,
                TEAMS_LOGIN_URL=teams.login_url, TEAMS_OPENID_METADATA_URL=teams.openid_metadata_url,
                GRAPH_API_URL=teams.graph_url)


def _serve_in_thread(wsgi_app, name: str, port: int = 0):
    from waitress import create_server
    server = create_server(wsgi_app, host="127.0.0.1", port=port, threads=8, ident=name)
    threading.Thread(target=server.run, name=name, daemon=True).start()
    return server
