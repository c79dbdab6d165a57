"""stage (and the summary card's button): record the report's steps; conclude: close the review. The
same use cases as on Slack (bot/workflow/report/report_use_cases.py). Teams cannot archive a chat,
so a concluded review's chat is renamed "(closed)" and everyone but its coordinator removed
(conclusion.finish_closure)."""
from bot.workflow.clock import holds
from bot.workflow.core import kernel
from bot.workflow.core.permissions import Operation, may
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.stages import next_step_text, stage_label
from bot.workflow.report import conclusion, report, report_use_cases
from bot.workflow.report.themes import catalogue
from bot.workflow.views import provisioning
from handlers.submission import submit
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import deliver_to, int_or_zero
from messages import tree
from messages.report import closing
from messages.report import plan as msgs
from messages.report.report_documents import one_minute_guide
from messages.slack.ids import PlanActionId, PlanCallbackId

TITLE = "Review stage"
PLATFORM = "Teams"


def stage_view(teams: Teams, s, review, activity, key: str | None) -> tree.Form:
    """The step's form when one is named, else what is recorded and the steps the actor may take."""
    actor = actor_of(activity)
    if key:
        step = report.get_step(key)
        report.check_can_take(s, review, actor, step)
        return msgs.step_form(review.id, review.reference, step, teams.svc.clock.today().isoformat(),
                              report.step_choices(s, review, step))
    roles = kernel.authorize(s, review, actor, Operation.VIEW_REVIEW)
    now_steps = report.steps_now(s, review)
    steps = [st for st in now_steps if may(roles, st.operation)]
    if now_steps and not steps:     # say who may, rather than that there is nothing to do
        kernel.authorize(s, review, actor, now_steps[0].operation)
    return msgs.stage_chooser(review.id, review.reference, stage_label(review.stage), next_step_text(review.stage),
                              report.recorded_lines(s, review), steps,
                              report.latest_feedback(s, review) if may(roles, Operation.MOVE_STAGE) else None,
                              as_choice=True,
                              held=[h.describe() for h in holds.open_holds(s, review.id)])


def stage_form(teams: Teams, activity, meta: dict) -> tree.Form:
    """The chooser or a step's form, for the review in `meta` (a button, a dialog) or of this chat."""
    with teams.svc.db.session() as s:
        review = kernel.get_review(s, int_or_zero(meta.get("review_id"))) if meta.get("review_id") \
            else kernel.review_in_space(s, activity.conversation_id)
        step = meta.get("step")
        return stage_view(teams, s, review, activity, step if isinstance(step, str) and step else None)


def stage(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    key = words.split(" ")[0].lower()
    ui.open_form(TITLE, lambda: stage_form(teams, ui.activity, {"step": key}))


def open_stage(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form(TITLE, lambda: stage_form(teams, ui.activity, {"review_id": value}))


def chooser_form(teams: Teams, activity, meta: dict) -> tree.Form:
    return stage_form(teams, activity, {"review_id": meta.get("review_id")})


def step_chosen(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    """The chooser's submit: the chosen step's form takes the dialog's place, as its button does on Slack."""
    key, chooser = ui.typed().get(msgs.CHOSEN_STEP), ui.submitted_form()
    offered = chooser.fields[0].choices if chooser is not None and chooser.fields else {}
    if key not in offered:
        ui.show_errors({msgs.CHOSEN_STEP: "Choose one of the steps offered."})
        return
    form = submit(ui, TITLE, lambda: stage_form(teams, ui.activity, {"review_id": meta.get("review_id"), "step": key}))
    if form is not None:
        ui.replace_form(form)


def step_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc, actor = teams.svc, actor_of(ui.activity)

    def record() -> report_use_cases.Recorded:
        with svc.db.session() as s:
            return report_use_cases.record_step(
                s, int_or_zero(meta.get("review_id")), actor, str(meta.get("step") or ""), ui.typed(),
                now=svc.clock.now(), today=svc.clock.today(), retention_years=svc.settings.retention_years,
                guide_file=one_minute_guide, dm_space=ui.port.open_dm,
                themes=catalogue(svc.settings.themes))
    done = submit(ui, TITLE, record, keep_form=True)
    if done is None:
        return
    ui.close("Recorded.")
    deliver_to(teams, ui, done.outcome, strict=False)
    if done.closing is not None:
        close_space(teams, ui, done.closing)


def conclude(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    svc = teams.svc
    with svc.db.session() as s:
        review_id = report_use_cases.conclude(s, ui.activity.conversation_id, actor_of(ui.activity),
                                              now=svc.clock.now(), today=svc.clock.today(),
                                              retention_years=svc.settings.retention_years)
    close_space(teams, ui, review_id)


def close_space(teams: Teams, ui: TeamsInteraction, review_id: int) -> None:
    """The concluded review's chat: summary, renamed, all but the coordinator removed; the actor is told if that
    stopped."""
    svc, port = teams.svc, teams.port(ui.activity.service_url)

    def refresh_card() -> None:
        provisioning.refresh_card(svc.db, review_id, port, today=svc.clock.today(), calendar=svc.calendar)
    done = conclusion.finish_closure(svc.db, review_id, port, refresh_card=refresh_card)
    if not done.ok:   # privately: the actor may no longer be in the chat
        port.dm(PersonRef(ui.activity.user_id), closing.closing_unfinished(done, platform=PLATFORM))


LISTENERS = [
    ("command", "stage", stage), ("command", "conclude", conclude),
    ("action", PlanActionId.OPEN_STAGE, open_stage),
    ("form", PlanCallbackId.STAGE_CHOOSER, FormRoute(chooser_form, step_chosen)),
    ("form", PlanCallbackId.STAGE_STEP, FormRoute(stage_form, step_submitted)),
]
