"""The reminder sweep on a timer, and once from the command line.

`serve` starts one APScheduler BackgroundScheduler (the web server is threads) with a single
interval job: every minute, coalesced, never two at once in a process, dropped if more than 30 s
late. Nothing is registered at import; `start` does it and `serve` shuts it down on the way out.
Several processes may each run it against PostgreSQL (see bot/workflow/reminders/sweep.py); `SCHEDULER=off`
turns it off, for hosts that run `python -m bot sweep` from cron instead.
"""
import logging
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import Settings
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.reminders.reminders import ReminderSchedule, WorkdayIndex
from bot.workflow.reminders.sweep import ReminderSweep, SweepReport
from bot.workflow.views import provisioning
from handlers.slack.intake.setup import resume_abandoned
from handlers.slack.platform.port import slack_port
from handlers.teams.intake.setup import resume_on_teams
from handlers.teams.platform.directory import TEAMS
from storage.db import Database
from storage.types import SLACK

log = logging.getLogger("dhr.scheduler")
JOB_ID = "dhr-reminder-sweep"


def reminder_schedule(settings: Settings) -> ReminderSchedule:
    start, end = (time.fromisoformat(t) for t in settings.reminder_hours)
    return ReminderSchedule(days_before=settings.reminder_days_before, overdue_every=settings.reminder_overdue_every,
                            catch_up_days=settings.reminder_catch_up_days, start=start, end=end)


def build_sweep(settings: Settings, db: Database, calendar: WorkingCalendar, client, pacer=None,
                redactions=None, teams=None) -> ReminderSweep:
    """One sweep for every platform configured: Slack's WebClient `client` and/or `teams`
    (handlers/teams/platform/context.Teams). With `redactions`, what is sent is redaction-checked."""
    ports, admins = {}, {}
    if client is not None:
        ports[SLACK], admins[SLACK] = slack_port(client, redactions, pacer), settings.admins
    if teams is not None:
        ports[TEAMS], admins[TEAMS] = teams.port(), teams.admins

    def refresh_card(review_id: int, today) -> None:
        port = ports.get(provisioning.platform_of(db, review_id))
        if port is not None:
            provisioning.refresh_card(db, review_id, port, today=today, calendar=calendar)

    return ReminderSweep(db, ports, tz=settings.tz, calendar=calendar,
                         schedule=reminder_schedule(settings), idx=WorkdayIndex(calendar),
                         admins=admins, refresh_card=refresh_card)


def setup_resumer(svc, client, teams=None):
    """Finishes review set-ups whose attempt died, each on its own platform, on the sweep's ticks."""
    def resume(now: datetime) -> None:
        if client is not None:
            resume_abandoned(svc, client, now)
        if teams is not None:
            resume_on_teams(teams, now)
    return resume


def resume_set_ups(resume, now: datetime) -> None:
    try:
        resume(now)
    except Exception as err:  # noqa: BLE001 - the next tick tries again
        log.error("resuming set-ups failed: %s", type(err).__name__)


def tick(sweep: ReminderSweep, now: datetime, resume=None) -> SweepReport | None:
    """One scheduled run. Errors are logged (type only: no case content) and the next tick retries."""
    if resume is not None:
        resume_set_ups(resume, now)
    try:
        report = sweep.run(now)
    except Exception as err:  # noqa: BLE001 - the scheduler must keep ticking
        log.error("reminder sweep failed: %s", type(err).__name__,
                  exc_info=err if type(err).__module__.startswith(("sqlalchemy", "slack_sdk")) else None)
        return None
    busy = report.planned or report.messages or report.failed or report.recovered or report.errors
    log.log(logging.INFO if busy else logging.DEBUG, "%s", report.summary())
    return report


def start(sweep: ReminderSweep, now, *, tz: ZoneInfo, interval_seconds: float = 60,
          resume=None) -> BackgroundScheduler:
    """`now` is a callable returning the current aware instant (the service clock)."""
    scheduler = BackgroundScheduler(timezone=tz)
    scheduler.add_job(lambda: tick(sweep, now(), resume), "interval", seconds=interval_seconds, id=JOB_ID,
                      name="reminder sweep", coalesce=True, max_instances=1, misfire_grace_time=30,
                      replace_existing=True)
    scheduler.start()
    log.info("reminder sweep scheduled every %g s", interval_seconds)
    return scheduler


def stop(scheduler: BackgroundScheduler | None) -> None:
    """Stops ticking; a sweep in progress finishes its current message (leases cover the rest)."""
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)
        log.info("reminder sweep stopped")


def parse_now(raw: str | None, tz: ZoneInfo) -> datetime:
    """--now: an ISO time; without an offset it is local time in the deployment's zone."""
    if not raw:
        return datetime.now(timezone.utc)
    value = datetime.fromisoformat(raw)
    return value if value.tzinfo else value.replace(tzinfo=tz)

