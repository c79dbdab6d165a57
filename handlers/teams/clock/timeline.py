"""hold, lift and extend on Teams, in a review's chat (coordinator or chair), and the card's "Lift a hold"
button: the same use cases as on Slack (bot/workflow/clock/timeline_use_cases.py); the forms open as
dialogs. pause and resume answer with what replaced them."""
from bot.workflow.clock import timeline_use_cases as clock
from bot.workflow.core import kernel
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, run, submitted
from messages import tree
from messages.clock import timeline as msgs
from messages.clock.timeline import TimelineActionId, TimelineCallbackId


def _space(teams: Teams, s, activity, meta: dict) -> str:
    """The review's chat: the one in the form's metadata, else the chat the command was typed in."""
    if meta.get("review_id"):
        return kernel.get_review(s, int_or_zero(meta.get("review_id"))).space_id or ""
    return activity.conversation_id


def hold_form(teams: Teams, activity, meta: dict) -> tree.Form:
    reason = meta.get("reason")
    with teams.svc.db.session() as s:
        data = clock.hold_form(s, _space(teams, s, activity, meta), actor_of(activity))
        return msgs.hold_form(data.review_id, data.reference, data.agencies,
                              reason if isinstance(reason, str) else None)


def lift_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        review_id = int_or_zero(meta.get("review_id"))
        data = clock.lift_form(s, actor_of(activity), review_id=review_id) if review_id else \
            clock.lift_form(s, actor_of(activity), space_id=activity.conversation_id)
        return msgs.lift_form(data.review_id, data.reference, data.holds)


def extend_form(teams: Teams, activity, meta: dict) -> tree.Form:
    today = teams.svc.clock.today()
    with teams.svc.db.session() as s:
        data = clock.extend_form(s, _space(teams, s, activity, meta), actor_of(activity), today)
        return msgs.extend_form(data.review_id, data.reference, data.deadlines, today.isoformat())


def hold(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    """`hold <reason>`: the reason typed is the form's first answer."""
    ui.open_form("Hold an activity", lambda: hold_form(teams, ui.activity, {"reason": words}))


def lift(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Lift a hold", lambda: lift_form(teams, ui.activity, {}))


def open_lift(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """The summary card's button (value: the review's id)."""
    ui.open_form("Lift a hold", lambda: lift_form(teams, ui.activity, {"review_id": value}))


def extend(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Another timescale", lambda: extend_form(teams, ui.activity, {}))


def retired(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: clock.pause_retired())


def hold_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Hold an activity", lambda s, actor: clock.hold(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()))


def lift_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Lift a hold", lambda s, actor: clock.lift(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()))


def extend_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Another timescale", lambda s, actor: clock.extend(
        s, int_or_zero(meta.get("review_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today(),
        calendar=svc.calendar))


LISTENERS = [
    ("command", "hold", hold), ("command", "lift", lift), ("command", "extend", extend),
    ("command", "pause", retired), ("command", "resume", retired),
    ("action", TimelineActionId.OPEN_LIFT, open_lift),
    ("form", TimelineCallbackId.HOLD, FormRoute(hold_form, hold_submitted)),
    ("form", TimelineCallbackId.LIFT, FormRoute(lift_form, lift_submitted)),
    ("form", TimelineCallbackId.EXTEND, FormRoute(extend_form, extend_submitted)),
]
