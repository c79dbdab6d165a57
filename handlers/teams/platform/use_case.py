"""Running one use case from a Teams handler: in a database session, then delivering its outcome
through the redaction-checked Teams port (summary cards redrawn, the reply to the actor privately, files to
the actor by consent card)."""
from collections.abc import Callable

from bot.workflow.core.deliver import Delivered, deliver
from bot.workflow.core.outcome import Outcome, Reply
from bot.workflow.views import provisioning
from handlers.submission import submit
from handlers.teams.platform import files_out
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction


def open_form(teams: Teams, ui: TeamsInteraction, title: str, build: Callable) -> None:
    """build(session) -> Form; a WorkflowError opens a notice saying why instead."""
    def make():
        with teams.svc.db.session() as s:
            return build(s)
    ui.open_form(title, make)


def submitted(teams: Teams, ui: TeamsInteraction, title: str, case: Callable, *, keep_form: bool = False
              ) -> Outcome | None:
    """case(session, actor) -> Outcome. Closes the dialog and delivers; None if it was refused."""
    actor = actor_of(ui.activity)

    def go() -> Outcome:
        with teams.svc.db.session() as s:
            return case(s, actor)
    done = submit(ui, title, go, keep_form=keep_form)
    if done is not None:
        ui.close()
        deliver_to(teams, ui, done)
    return done


def run(teams: Teams, ui: TeamsInteraction, case: Callable) -> Outcome:
    """case(session, actor) -> Outcome, for a command or a button."""
    with teams.svc.db.session() as s:
        done = case(s, actor_of(ui.activity))
    deliver_to(teams, ui, done)
    return done


def deliver_to(teams: Teams, ui: TeamsInteraction, outcome: Outcome, *, strict: bool = True) -> Delivered:
    """Files go to the person who asked, by consent card in their 1:1 chat, wherever they asked."""
    port = teams.port(ui.activity.service_url)
    if outcome.files:
        outcome = files_out.to_requester(outcome, port.open_dm(ui.actor))

    def reply(answer: Reply) -> None:
        ui.reply(answer.body, replace_source=answer.replace_source)

    def refresh_card(review_id: int) -> None:
        svc = teams.svc
        provisioning.refresh_card(svc.db, review_id, port, today=svc.clock.today(), calendar=svc.calendar)
    return deliver(outcome, port, reply=reply, refresh_card=refresh_card, strict=strict)


def int_or_zero(value) -> int:
    """A button value or form metadata as a row id; anything else is 0, which matches no row."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 2**31 else 0
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return 0
