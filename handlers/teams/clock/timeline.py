"""pause, resume and extend on Teams, in a review's chat (coordinator or chair): the same use cases as
on Slack (bot/workflow/clock/timeline_use_cases.py); the forms open as dialogs."""
from bot.workflow.clock import timeline_use_cases as clock
from bot.workflow.core import kernel
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, run, submitted
from messages import tree
from messages.clock import timeline as msgs
from messages.clock.timeline import TimelineCallbackId


def _space(teams: Teams, s, activity, meta: dict) -> str:
    """The review's chat: the one in the form's metadata, else the chat the command was typed in."""
    if meta.get("review_id"):
        return kernel.get_review(s, int_or_zero(meta.get("review_id"))).space_id or ""
    return activity.conversation_id


def pause_form(teams: Teams, activity, meta: dict) -> tree.Form:
    reason = meta.get("reason")
    with teams.svc.db.session() as s:
        data = clock.pause_form(s, _space(teams, s, activity, meta), actor_of(activity))
        return msgs.pause_form(data.review_id, data.reference, reason if isinstance(reason, str) else None)


def extend_form(teams: Teams, activity, meta: dict) -> tree.Form:
    today = teams.svc.clock.today()
    with teams.svc.db.session() as s:
        data = clock.extend_form(s, _space(teams, s, activity, meta), actor_of(activity), today)
        return msgs.extend_form(data.review_id, data.reference, data.deadlines, today.isoformat())


def pause(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    """`pause <reason>`: the reason typed is the form's first answer."""
    ui.open_form("Pause review", lambda: pause_form(teams, ui.activity, {"reason": words}))


def extend(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Extend a deadline", lambda: extend_form(teams, ui.activity, {}))


def resume(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    svc = teams.svc
    run(teams, ui, lambda s, actor: clock.resume(s, ui.activity.conversation_id, actor, now=svc.clock.now(),
                                                 today=svc.clock.today(), calendar=svc.calendar))


def pause_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Pause review", lambda s, actor: clock.pause(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()))


def extend_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Extend a deadline", lambda s, actor: clock.extend(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today(),
        calendar=svc.calendar))


LISTENERS = [
    ("command", "pause", pause), ("command", "resume", resume), ("command", "extend", extend),
    ("form", TimelineCallbackId.PAUSE, FormRoute(pause_form, pause_submitted)),
    ("form", TimelineCallbackId.EXTEND, FormRoute(extend_form, extend_submitted)),
]
