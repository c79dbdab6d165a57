"""Setting a review's group chat up on Teams (Graph: the chat, the app in it, its first member; then
the summary card), and telling the coordinator how it went."""
import logging
from datetime import datetime, timedelta

from bot.workflow.core.deliver import deliver
from bot.workflow.views import provisioning
from handlers.teams.platform.context import Teams
from messages import tree
from messages.intake import forms
from messages.intake import setup as texts

log = logging.getLogger("dhr.setup")


def run(teams: Teams, review_id: int, service_url: str | None = None) -> provisioning.SetupOutcome:
    svc = teams.svc
    return provisioning.set_up(svc.db, review_id, teams.port(service_url, checked=False), now=svc.clock.now,
                               today=svc.clock.today, calendar=svc.calendar,
                               lease=timedelta(seconds=svc.settings.setup_lease_seconds))


def outcome_form(outcome: provisioning.SetupOutcome) -> tree.Form:
    if outcome.ok:
        return forms.setup_done_form(outcome.reference, outcome.space_id or "")
    if outcome.running:
        return forms.setup_progress_form(outcome.reference)
    return forms.setup_failed_form(outcome.reference, texts.failure_text(outcome.error, outcome.code),
                                   outcome.review_id)


def tell_if_failed(teams: Teams, outcome: provisioning.SetupOutcome, service_url: str | None = None) -> None:
    """A failed set-up is DMed to the coordinator (the dialog may be gone); best effort."""
    try:
        with teams.svc.db.session() as s:
            told = provisioning.tell_coordinator(s, outcome)
        deliver(told, teams.port(service_url), strict=False)
    except Exception as err:  # noqa: BLE001 - the stored set-up state is the truth; the sweep retries
        log.warning("could not tell the coordinator about the set-up: %s", type(err).__name__)


def resume_on_teams(teams: Teams, now: datetime) -> int:
    """Finishes Teams set-ups whose attempt died; the coordinator hears of a failure by DM."""
    lease = timedelta(seconds=teams.svc.settings.setup_lease_seconds)
    review_ids = provisioning.abandoned(teams.svc.db, now, lease, platform="teams")
    for review_id in review_ids:
        tell_if_failed(teams, run(teams, review_id))
    return len(review_ids)
