"""Running one use case from a Slack listener: in a database session, then delivering its outcome.

`open_form` builds a form from the database after its Loading view; `submitted` runs a form's use
case and answers the submission (closed, or why nothing was stored); `run` does the same for a
command or a button. A listener is then: parse the payload, name the use case, render.
"""
from collections.abc import Callable

from bot.workflow.core.deliver import Delivered, deliver
from bot.workflow.core.outcome import Outcome, Reply
from bot.workflow.views import provisioning
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.port import slack_port
from handlers.submission import submit
from messages import tree


def open_form(svc: Services, ui: SlackInteraction, title: str, build: Callable) -> None:
    """build(session) -> Form; a WorkflowError opens a notice saying why instead."""
    def make() -> tree.Form:
        with svc.db.session() as s:
            return build(s)
    ui.open_form(title, make)


def submitted(svc: Services, ui: SlackInteraction, title: str, case: Callable, *, keep_form: bool = False
              ) -> Outcome | None:
    """case(session, actor) -> Outcome. Closes the form and delivers; None if it was refused."""
    actor = actor_of(ui.body)

    def run() -> Outcome:
        with svc.db.session() as s:
            return case(s, actor)
    done = submit(ui, title, run, keep_form=keep_form)
    if done is not None:
        ui.close()
        deliver_to(ui, done, svc)
    return done


def run(svc: Services, ui: SlackInteraction, case: Callable) -> Outcome:
    """case(session, actor) -> Outcome, for a command or a button (already acknowledged)."""
    with svc.db.session() as s:
        done = case(s, actor_of(ui.body))
    deliver_to(ui, done, svc)
    return done


def deliver_to(ui: SlackInteraction, outcome: Outcome, svc: Services | None = None) -> Delivered:
    """Through the redaction-checked port; with `svc`, the summary cards the outcome names are redrawn too."""
    def reply(answer: Reply) -> None:
        ui.reply(answer.body, replace_source=answer.replace_source)

    def refresh_card(review_id: int) -> None:
        if svc is not None:
            provisioning.refresh_card(svc.db, review_id, slack_port(ui.client), today=svc.clock.today(),
                                      calendar=svc.calendar)
    port = slack_port(ui.client, svc.redactions if svc is not None else None)
    return deliver(outcome, port, reply=reply, refresh_card=refresh_card)
