"""Retention on Teams: the reminder's *Delete* button and `retention confirm DHR-YYYY-NN` delete a
concluded review's content once its retention period is over (coordinator or CSP admin). A chat its
conclusion left open is closed the Teams way: renamed and emptied of its members."""
from bot.workflow.core.errors import WorkflowError
from bot.workflow.report import retention, retention_use_cases
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from messages import tree
from messages.report import retention as msgs
from messages.slack.ids import RetentionActionId

USAGE = "Type retention confirm DHR-YYYY-NN to delete a concluded review's content once its retention period is over."


def delete_content(teams: Teams, ui: TeamsInteraction, reference: str) -> None:
    """Deletes, then closes the review's chat if its conclusion left it open; tells the actor privately."""
    svc = teams.svc
    with svc.db.session() as s:
        done = retention_use_cases.confirm_deletion(s, actor_of(ui.activity), reference, admins=teams.admins,
                                                    now=svc.clock.now(), today=svc.clock.today())
    error = retention.close_space(svc.db, done.review_id, teams.port(ui.activity.service_url))
    ui.close("Deleted.")
    ui.reply(msgs.deleted_reply(done, error, platform="Teams", close="close", by_hand="remove its members by hand"))


def confirm_command(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    action, _, reference = words.partition(" ")
    if action.lower() != "confirm" or not reference.strip():
        raise WorkflowError(USAGE)
    delete_content(teams, ui, reference.strip())


def confirm_clicked(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """A Teams button cannot ask first: a dialog asks, and deleting waits for its *Delete*."""
    ui.open_form("Delete the content?", lambda: confirm_form(teams, ui.activity, {"reference": value}))


def confirm_form(teams: Teams, activity, meta: dict) -> tree.Form:
    reference = meta.get("reference")
    return msgs.confirm_form(reference[:40] if isinstance(reference, str) else "")


def confirmed(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    reference = meta.get("reference")
    delete_content(teams, ui, reference if isinstance(reference, str) else "")


LISTENERS = [
    ("command", "retention", confirm_command),
    ("action", RetentionActionId.CONFIRM, confirm_clicked),
    ("form", msgs.CONFIRM_FORM, FormRoute(confirm_form, confirmed)),
]
