"""panel and the confidentiality agreement's buttons on Teams: the same use cases as on Slack."""
from bot.workflow.core.deliver import deliver
from bot.workflow.panel import panel_use_cases as cases
from bot.workflow.panel.panel_use_cases import SpaceChange
from bot.workflow.views import provisioning
from handlers.submission import submit
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, submitted
from messages import tree
from messages.panel import panel as msgs
from messages.slack.ids import ActionId, CallbackId


def panel_form(teams: Teams, activity, meta) -> tree.Form:
    actor = actor_of(activity)
    with teams.svc.db.session() as s:
        if meta.get("review_id"):
            return msgs.panel_form(cases.panel_form(s, actor, review_id=int_or_zero(meta.get("review_id"))))
        return msgs.panel_form(cases.panel_form(s, actor, space_id=activity.conversation_id))


def panel(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Review panel", lambda: panel_form(teams, ui.activity, {}))


def open_panel(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Review panel", lambda: panel_form(teams, ui.activity, {"review_id": value}))


def panel_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc, actor = teams.svc, actor_of(ui.activity)

    def change() -> SpaceChange:
        with svc.db.session() as s:
            return cases.change_panel(s, int_or_zero(meta.get("review_id")), actor, ui.typed(), admins=teams.admins,
                                      statement_sha=msgs.statement_sha(), now=svc.clock.now())
    done = submit(ui, "Review panel", change)
    if done is not None:
        ui.close("Saved.")
        carry_out(teams, ui, done)


def agencies_form(teams: Teams, activity, meta) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.agencies_form(cases.agencies_form(s, actor_of(activity), teams.admins))


def agencies(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Agencies", lambda: agencies_form(teams, ui.activity, {}))


def agencies_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc, actor = teams.svc, actor_of(ui.activity)

    def save():
        with svc.db.session() as s:
            return cases.set_agencies(s, actor, ui.typed(), teams.admins, now=svc.clock.now())
    done = submit(ui, "Agencies", save)
    if done is not None:
        ui.close("Saved.")
        deliver(done, teams.port(ui.activity.service_url), strict=False,
                reply=lambda answer: ui.reply(answer.body))


def admins_form(teams: Teams, activity, meta) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.admins_form(cases.admins_form(s, actor_of(activity), teams.admins))


def admins(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("CSP admins", lambda: admins_form(teams, ui.activity, {}))


def admins_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "CSP admins", lambda s, actor: cases.set_admins(s, actor, ui.typed(), teams.admins,
                                                                        now=svc.clock.now()))


def agree(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    _answer(teams, ui, value, agreed=True)


def decline(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    _answer(teams, ui, value, agreed=False)


def _answer(teams: Teams, ui: TeamsInteraction, value: str, *, agreed: bool) -> None:
    """The invitation they answered is replaced by what happened."""
    actor, now = actor_of(ui.activity), teams.svc.clock.now()
    with teams.svc.db.session() as s:
        change = cases.answer_invitation(s, int_or_zero(value), actor, agreed, now=now)
    ui.close("Thank you: your answer is recorded." if agreed else "Your answer is recorded.")
    carry_out(teams, ui, change)


def carry_out(teams: Teams, ui: TeamsInteraction, change: SpaceChange) -> None:
    """Moves people in or out of the review's chat, then delivers; failures are logged by deliver."""
    svc, port = teams.svc, teams.port(ui.activity.service_url)
    cases.carry_out(change, port)
    deliver(change.outcome, port, strict=False,
            reply=lambda answer: ui.reply(answer.body, replace_source=answer.replace_source),
            refresh_card=lambda review_id: provisioning.refresh_card(svc.db, review_id, port,
                                                                     today=svc.clock.today(), calendar=svc.calendar))


LISTENERS = [
    ("command", "panel", panel), ("command", "agencies", agencies), ("command", "admins", admins),
    ("action", ActionId.OPEN_PANEL, open_panel), ("action", ActionId.AGREE, agree),
    ("action", ActionId.DECLINE, decline),
    ("form", CallbackId.PANEL, FormRoute(panel_form, panel_submitted)),
    ("form", CallbackId.AGENCIES, FormRoute(agencies_form, agencies_submitted)),
    ("form", CallbackId.ADMINS, FormRoute(admins_form, admins_submitted)),
]
