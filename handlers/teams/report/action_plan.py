"""recommend, action, actions on Teams; the owner's buttons in their 1:1 chat (progress, complete) and
the coordinator's or chair's in the review's chat (verify, send back). The same use cases as on Slack
(bot/workflow/report/action_plan_use_cases.py). The plan's XLSX and DOCX go to the coordinator or chair who
asked, by file consent card in their 1:1 chat."""
from bot.workflow.core import kernel
from bot.workflow.report import action_plan_use_cases as plan
from bot.workflow.report import themes as learned
from handlers.teams.platform import home_cards
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, run, submitted
from messages import tree
from messages.report import learning as learning_msgs
from messages.report import plan as msgs
from messages.report import plan_export
from messages.slack.ids import LearningCallbackId, PlanActionId, PlanCallbackId


def review_space(teams: Teams, s, activity, meta: dict) -> str:
    """The review's chat: the one in the form's metadata, else the chat the command was typed in."""
    if meta.get("review_id"):
        return kernel.get_review(s, int_or_zero(meta.get("review_id"))).space_id or ""
    return activity.conversation_id


def recommendation_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.recommendation_form(plan.plan_form(s, review_space(teams, s, activity, meta), actor_of(activity),
                                                       learned.catalogue(teams.svc.settings.themes)))


def action_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.action_form(plan.plan_form(s, review_space(teams, s, activity, meta), actor_of(activity)))


def recommend(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Add recommendation", lambda: recommendation_form(teams, ui.activity, {}))


def link_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return learning_msgs.link_form(plan.plan_form(s, review_space(teams, s, activity, meta), actor_of(activity)))


def link_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    submitted(teams, ui, "Link strategic action", lambda s, actor: plan.link_action(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=teams.svc.clock.now()))


def action(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    if words.strip().lower() == "link":         # answered by a strategic action of the CSP
        ui.open_form("Link strategic action", lambda: link_form(teams, ui.activity, {}))
        return
    ui.open_form("Add action", lambda: action_form(teams, ui.activity, {}))


def actions(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    svc = teams.svc
    run(teams, ui, lambda s, actor: plan.show_plan(
        s, ui.activity.conversation_id, actor, today=svc.clock.today(), now=svc.clock.now(), calendar=svc.calendar,
        exporters=plan_export.EXPORTERS, national_exporters=plan_export.NATIONAL_EXPORTERS))


def recommend_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Add recommendation", lambda s, actor: plan.recommend(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today(),
        themes=learned.catalogue(svc.settings.themes)), keep_form=True)


def action_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Add action", lambda s, actor: plan.add_action(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()),
        keep_form=True)


# ---------------------------------------------------------------- the owner, from the buttons in their 1:1 chat

def progress_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.progress_form(plan.owner_form(s, int_or_zero(meta.get("action_id")), actor_of(activity)))


def complete_form(teams: Teams, activity, meta: dict) -> tree.Form:
    today = teams.svc.clock.today().isoformat()
    with teams.svc.db.session() as s:
        return msgs.complete_form(plan.owner_form(s, int_or_zero(meta.get("action_id")), actor_of(activity)), today)


def open_progress(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Progress update", lambda: progress_form(teams, ui.activity, {"action_id": value}))


def open_complete(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Mark complete", lambda: complete_form(teams, ui.activity, {"action_id": value}))


def progress_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Progress update", lambda s, actor: plan.record_progress(
        s, int_or_zero(meta.get("action_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()))


def complete_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Mark complete", lambda s, actor: plan.record_completion(
        s, int_or_zero(meta.get("action_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()))


# ---------------------------------------------------------------- the coordinator or chair, in the review's chat

def verify(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """The message asking for verification is replaced by who verified it; pressed on the person's
    "My work" card, the review's chat is told instead and the card is redrawn (home_cards)."""
    from_home = home_cards.shown_on(teams, ui.activity)
    run(teams, ui, lambda s, actor: plan.verify(s, int_or_zero(value), actor, now=teams.svc.clock.now(),
                                                from_home=from_home))
    ui.close("Verified.")


def return_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.return_form(*plan.return_form(s, int_or_zero(meta.get("action_id")), actor_of(activity)))


def open_return(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Send back", lambda: return_form(teams, ui.activity, {"action_id": value}))


def return_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Send back", lambda s, actor: plan.send_back(
        s, int_or_zero(meta.get("action_id")), actor, ui.typed(), now=svc.clock.now()))


LISTENERS = [
    ("command", "recommend", recommend), ("command", "action", action), ("command", "actions", actions),
    ("action", PlanActionId.ACTION_PROGRESS, open_progress), ("action", PlanActionId.ACTION_COMPLETE, open_complete),
    ("action", PlanActionId.ACTION_VERIFY, verify), ("action", PlanActionId.ACTION_RETURN, open_return),
    ("form", PlanCallbackId.RECOMMEND, FormRoute(recommendation_form, recommend_submitted)),
    ("form", PlanCallbackId.ACTION, FormRoute(action_form, action_submitted)),
    ("form", LearningCallbackId.LINK, FormRoute(link_form, link_submitted)),
    ("form", PlanCallbackId.ACTION_PROGRESS, FormRoute(progress_form, progress_submitted)),
    ("form", PlanCallbackId.ACTION_COMPLETE, FormRoute(complete_form, complete_submitted)),
    ("form", PlanCallbackId.ACTION_RETURN, FormRoute(return_form, return_submitted)),
]
