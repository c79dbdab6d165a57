"""redact on Teams: add a term to the review's redaction list. The term is never stored or shown back."""
from bot.workflow.core import kernel
from bot.workflow.panel import redaction_use_cases as cases
from handlers.submission import submit
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero
from messages import tree
from messages.panel import panel as msgs
from messages.slack.ids import CallbackId


def redaction_form(teams: Teams, activity, meta) -> tree.Form:
    actor = actor_of(activity)
    with teams.svc.db.session() as s:
        space = activity.conversation_id
        if meta.get("review_id"):
            space = kernel.get_review(s, int_or_zero(meta.get("review_id"))).space_id or ""
        return msgs.redaction_form(cases.redaction_form(s, space, actor))


def redact(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form("Redaction list", lambda: redaction_form(teams, ui.activity, {}))


def redaction_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    """The dialog says it was added, and how many entries the list now has."""
    svc, actor = teams.svc, actor_of(ui.activity)

    def add() -> int:
        with svc.db.session() as s:
            return cases.add_term(s, int_or_zero(meta.get("review_id")), actor, ui.typed(), svc.redactions.key,
                                  now=svc.clock.now())
    count = submit(ui, "Redaction list", add)
    if count is not None:
        ui.replace_form(msgs.redaction_added(count))


LISTENERS = [
    ("command", "redact", redact), ("command", "redaction", redact),
    ("form", CallbackId.REDACTION, FormRoute(redaction_form, redaction_submitted)),
]
