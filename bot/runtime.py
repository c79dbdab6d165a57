"""Composition root: settings -> database -> services -> Slack app -> server."""
import logging

from bot import scheduler
from bot.clock import Clock
from bot.config import ConfigError, Settings
from bot.logs import configure_logging as configure_log_level
from bot.logs import hold_library_floor
from bot.web import create_web_app
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import naming
from bot.workflow.panel.redaction import hmac_key
from bot.workflow.panel.redaction_list import Redactions
from handlers.slack.platform.app import build_app
from handlers.slack.platform.context import Services
from handlers.teams.platform import app as teams_app
from handlers.teams.platform import context as teams_context
from messages.core import text
from storage import migrate
from storage.all_tables import METADATA
from storage.crypto import configure_keys, unreadable_column
from storage.db import INTERACTIVE, PATIENT, Database, Timeouts, reaching

log = logging.getLogger("dhr")


def configure_logging(level: str) -> None:
    configure_log_level(level)


def configure(settings: Settings) -> None:
    """Process-wide set-up that storage and messages need before anything runs."""
    if settings.field_keys:
        configure_keys(list(settings.field_keys))
    text.configure(settings.templates_dir)
    naming.configure(settings.review_name, settings.statutory_basis)


def services(settings: Settings, timeouts: Timeouts = PATIENT) -> Services:
    configure(settings)
    with reaching(settings.database_url):
        migrate.upgrade(settings.database_url)
    db = Database(settings.database_url, timeouts)
    _check_keys_read(db, settings)
    return Services(settings=settings, db=db, clock=Clock(settings.tz), calendar=WorkingCalendar(settings.region),
                    redactions=Redactions(db, hmac_key(settings.hmac_key)))


def _check_keys_read(db: Database, settings: Settings) -> None:
    """A database restored with the wrong DHR_FIELD_KEYS stops the start with one line, rather than
    serving errors (or nothing) review by review."""
    if settings.field_keys and (column := unreadable_column(db.engine, METADATA)):
        raise ConfigError(f"DHR_FIELD_KEYS cannot decrypt the data already in this database ({column}): set it to "
                          "the keys this database was encrypted with (from the backup of your .env), newest first.")


def _slack_app(build_app, svc: Services):
    """Bolt checks the token with auth.test as it starts: a refusal or no answer is one line, not a traceback."""
    from urllib.error import URLError

    from slack_bolt.error import BoltError
    try:
        app = build_app(svc)
    except BoltError:
        raise ConfigError("Slack refused SLACK_BOT_TOKEN (auth.test failed): set it to the app's Bot User OAuth "
                          "Token (xoxb-...) from its OAuth & Permissions page.") from None
    except (URLError, OSError) as err:
        raise ConfigError(f"Slack's Web API did not answer ({type(err).__name__}): check this machine's network "
                          "and SLACK_API_URL (unset means https://slack.com/api/).") from None
    hold_library_floor()
    return app


def serve(settings: Settings) -> None:
    """Slack, Teams or both, on one server; a review belongs to the platform it was opened on."""
    settings.require_platform()
    svc = services(settings, INTERACTIVE)  # a request never waits long on a database that stopped answering
    app = _slack_app(build_app, svc) if settings.has_slack else None
    teams = teams_of(svc, settings)
    _stop_on_sigterm()
    sweeper = None
    try:   # SIGTERM during start-up still stops the sweep (it is a KeyboardInterrupt from here on)
        sweeper = _start_reminders(app, svc, settings, teams[0] if teams else None)
        if app is not None and settings.socket_mode:
            _serve_socket_mode(app, svc, settings)
        else:
            _serve_http(app, svc, settings, teams)
    finally:
        scheduler.stop(sweeper)


def teams_of(svc: Services, settings: Settings):
    """(Teams, its routes) when TEAMS_CLIENT_ID and the rest are set, else None."""
    if settings.teams is None:
        return None
    return teams_context.build(svc, settings.teams), teams_app.routes()


def _start_reminders(app, svc, settings, teams=None):
    """The minute-by-minute reminder sweep (bot/scheduler.py), unless SCHEDULER=off."""
    if not settings.scheduler:
        log.info("reminder sweep off (SCHEDULER=off): run `python -m bot sweep` from cron")
        return None
    # The sweep has no platform deadline: its own engine, with the patient timeouts.
    client = app.client if app is not None else None
    sweep = scheduler.build_sweep(settings, Database(settings.database_url), svc.calendar, client,
                                  redactions=svc.redactions, teams=teams)
    return scheduler.start(sweep, svc.clock.now, tz=settings.tz,
                           resume=scheduler.setup_resumer(svc, client, teams))


def _stop_on_sigterm() -> None:
    """SIGTERM (the platform stopping the process) stops the server and the sweep as Ctrl-C does."""
    import signal
    import threading
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _serve_http(app, svc, settings, teams=None) -> None:
    from waitress import serve as waitress_serve
    paths = ([] if app is None else ["/slack/events"]) + ([] if teams is None else ["/api/messages"])
    log.info("DHR Bot listening on http://%s:%s (%s)", settings.host, settings.port, ", ".join(paths))
    web = create_web_app(app, svc.db, settings.slack_signing_secret, teams)
    # Waitress buffers a whole body before the app sees it: cap what a stranger can make it hold.
    waitress_serve(web, host=settings.host, port=settings.port, threads=8, ident="dhr-bot",
                   max_request_body_size=64 * 1024 * 1024)


def _serve_socket_mode(app, svc, settings) -> None:
    import threading

    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from waitress import serve as waitress_serve
    # Socket Mode needs no public URL; /healthz still answers for the platform's probes.
    threading.Thread(target=waitress_serve, args=(create_web_app(app, svc.db, None),),
                     kwargs={"host": settings.host, "port": settings.port}, daemon=True).start()
    log.info("DHR Bot connected in Socket Mode")
    SocketModeHandler(app, settings.slack_app_token).start()
