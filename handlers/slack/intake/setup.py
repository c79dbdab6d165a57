"""Running a review's channel set-up on Slack and telling the coordinator how it went."""
import logging
from datetime import datetime, timedelta

from bot.workflow.core.deliver import deliver
from bot.workflow.views import provisioning
from handlers.slack.platform.context import Services
from handlers.slack.platform.port import slack_port
from messages.intake import forms
from messages.intake import setup as texts
from messages.render import render_notice
from messages.slack import render, words

log = logging.getLogger("dhr.setup")


def lease(svc: Services) -> timedelta:
    return timedelta(seconds=svc.settings.setup_lease_seconds)


def run(svc: Services, client, review_id: int, now=None) -> provisioning.SetupOutcome:
    return provisioning.set_up(svc.db, review_id, slack_port(client), now=now or svc.clock.now,
                               today=svc.clock.today, calendar=svc.calendar, lease=lease(svc))


def failure(outcome: provisioning.SetupOutcome) -> str:
    return words.failure_text(outcome.error, outcome.code)


def outcome_view(outcome: provisioning.SetupOutcome) -> dict:
    if outcome.ok:
        return render.modal(forms.setup_done_form(outcome.reference, outcome.space_id))
    if outcome.running:
        return render.modal(forms.setup_progress_form(outcome.reference))
    return render.modal(forms.setup_failed_form(outcome.reference, failure(outcome), outcome.review_id))


def reply(outcome: provisioning.SetupOutcome) -> dict:
    """An ephemeral answer (to `/dhr retry` or a Try again button in a message)."""
    if outcome.ok:
        return {"text": texts.READY.format(space_id=outcome.space_id)}
    if outcome.running:
        return {"text": texts.RUNNING.format(reference=outcome.reference)}
    return render_notice(provisioning.failure_notice(outcome))


def show_setup_outcome(svc: Services, client, outcome, *, view_id: str | None) -> None:
    """Update the modal if asked, and DM the coordinator when set-up failed (the modal may be gone)."""
    if view_id:
        _best_effort(lambda: client.views_update(view_id=view_id, view=outcome_view(outcome)))
    with svc.db.session() as s:
        told = provisioning.tell_coordinator(s, outcome)
    _best_effort(lambda: deliver(told, slack_port(client)))


def resume_abandoned(svc: Services, client, now: datetime) -> int:
    """Finishes set-ups whose attempt died; the coordinator hears of a failure by DM. Returns how many ran."""
    review_ids = provisioning.abandoned(svc.db, now, lease(svc))
    for review_id in review_ids:
        outcome = run(svc, client, review_id, now=lambda: now)
        show_setup_outcome(svc, client, outcome, view_id=None)
    if review_ids:
        log.info("resumed %d abandoned set-up(s)", len(review_ids))
    return len(review_ids)


def _best_effort(call) -> None:
    """The user may have closed the modal, or Slack may still be failing: the stored state is the truth."""
    try:
        call()
    except Exception:  # noqa: BLE001 - reported through the stored setup_state instead
        log.warning("could not show the set-up outcome")
