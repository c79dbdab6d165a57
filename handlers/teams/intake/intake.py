"""new, decide, status, retry, help and the bare command on Teams: the same use cases as on Slack."""
from concurrent.futures import TimeoutError as FuturesTimeout

from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage
from bot.workflow.intake import decision_use_cases as decisions
from bot.workflow.intake import intake, opening, suicide
from bot.workflow.panel import panel
from bot.workflow.views import status_use_cases as status
from handlers.submission import submit
from handlers.teams.intake import setup
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, run, submitted
from messages import tree
from messages.intake import forms
from messages.panel import panel as panel_msgs
from messages.slack.ids import ActionId, CallbackId
from messages.teams import help as help_msgs

SETUP_WAIT = 4.0    # seconds: Teams waits a little longer than Slack for a dialog's answer


def new_form(teams: Teams, activity, meta) -> tree.Form:
    today = teams.svc.clock.today()
    with teams.svc.db.session() as s:
        panel.require_admin(s, actor_of(activity), teams.admins, "open a new review")
        return forms.new_review_form(opening.next_reference(s, today), today.isoformat(), panel_msgs.statement())


def new(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("New review", lambda: new_form(teams, ui.activity, {}))


def new_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc, actor = teams.svc, actor_of(ui.activity)

    def open_it():
        with svc.db.session() as s:
            panel.require_admin(s, actor, teams.admins, "open a new review")
            data = intake.validate_new_review(ui.typed(), today=svc.clock.today(),
                                              reference_taken=lambda ref: kernel.reference_taken(s, ref))
            review = opening.open_review(s, data, actor, svc.clock.now(), svc.settings.preset)
            panel.record_creator_agreement(s, review, actor, panel_msgs.statement_sha(), svc.clock.now())
            return review.id
    review_id = submit(ui, "New review", open_it)
    if review_id is None:
        return
    job = svc.background.submit(setup.run, teams, review_id, ui.activity.service_url)
    try:
        outcome = job.result(timeout=SETUP_WAIT)
    except FuturesTimeout:
        with svc.db.session() as s:
            reference = kernel.get_review(s, review_id).reference
        ui.replace_form(forms.setup_progress_form(reference))
        job.add_done_callback(lambda done: setup.tell_if_failed(teams, done.result(), ui.activity.service_url))
        return
    ui.replace_form(setup.outcome_form(outcome))
    setup.tell_if_failed(teams, outcome, ui.activity.service_url)


def decide_form(teams: Teams, activity, meta) -> tree.Form:
    today = teams.svc.clock.today()
    with teams.svc.db.session() as s:
        review = kernel.get_review(s, int_or_zero(meta.get("review_id"))) if meta.get("review_id") \
            else kernel.review_in_space(s, activity.conversation_id)
        kernel.authorize(s, review, actor_of(activity), Operation.RECORD_DECISION)
        if review.stage != Stage.NOTIFIED.value:
            raise WorkflowError(f"The decision on {review.reference} is already recorded.")
        due = kernel.show_date(opening.decision_due(review, today))
        agencies = [(a.id, a.name) for a in panel.active_agencies(s, review.tenant_id)]
        return forms.decide_form(review.id, review.reference, due, today.isoformat(), review.victim_age, agencies,
                                 suicide.GUIDANCE_TEST if review.suspected_suicide else None)


def decide(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Record decision", lambda: decide_form(teams, ui.activity, {}))


def open_decide(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Record decision", lambda: decide_form(teams, ui.activity, {"review_id": value}))


def decide_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    review_id, svc = int_or_zero(meta.get("review_id")), teams.svc
    submitted(teams, ui, "Record decision", lambda s, actor: decisions.decide(
        s, review_id, actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()))


def show_status(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    svc = teams.svc
    run(teams, ui, lambda s, actor: status.status(s, ui.activity.conversation_id, actor, words,
                                                  today=svc.clock.today(), calendar=svc.calendar))


def retry(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    with teams.svc.db.session() as s:
        choice = status.choose_retry(s, actor_of(ui.activity), words)
    if choice.review_id is None:
        run(teams, ui, lambda s, actor: choice.refusal)
        return
    _retried(teams, ui, choice.review_id)


def retry_pressed(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    review_id = int_or_zero(value)
    with teams.svc.db.session() as s:
        kernel.authorize(s, kernel.get_review(s, review_id), actor_of(ui.activity), Operation.MANAGE_PANEL)
    _retried(teams, ui, review_id)


def _retried(teams: Teams, ui: TeamsInteraction, review_id: int) -> None:
    outcome = setup.run(teams, review_id, ui.activity.service_url)
    if ui.in_dialog_call:
        ui.replace_form(setup.outcome_form(outcome))
    else:
        ui.reply(tree.Message(tuple(setup.outcome_form(outcome).blocks), f"Set-up of {outcome.reference}"))
    setup.tell_if_failed(teams, outcome, ui.activity.service_url)


def show_help(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.reply(help_msgs.help_text())


def mine(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: status.list_mine(s, actor, teams.admins))


def unknown(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    # The words typed are never quoted back: they could be anything, a real name included.
    ui.reply(help_msgs.unknown_command())


LISTENERS = [
    ("command", "new", new), ("command", "decide", decide), ("command", "status", show_status),
    ("command", "retry", retry), ("command", "help", show_help), ("command", "", mine),
    ("command", "reviews", mine),
    ("action", ActionId.OPEN_DECIDE, open_decide), ("action", ActionId.RETRY_SETUP, retry_pressed),
    ("form", CallbackId.NEW_REVIEW, FormRoute(new_form, new_submitted)),
    ("form", CallbackId.DECIDE, FormRoute(decide_form, decide_submitted)),
]
