"""The one answer to a form's submission, for every platform: run the use case, then either close
the form, or say why nothing was stored.

Field errors go beside the fields only when every key names an input of the form that was
submitted (Slack answers any other key with "We had some trouble connecting" and the person is
stuck). Otherwise the same form comes back with the message on top and what was typed kept; a
refusal that is not about the answers (permission, a review concluded meanwhile) replaces the
form with a notice, unless `keep_form`.
"""
import logging
from collections.abc import Callable
from typing import TypeVar

from bot.workflow.core.errors import ValidationFailed, WorkflowError, joined
from bot.workflow.core.outcome import Outcome, refused
from bot.workflow.core.text import Text, text
from messages import tree
from messages.interaction import Interaction

log = logging.getLogger("dhr.submission")
T = TypeVar("T")


def submit(ui: Interaction, title: str, run: Callable[[], T], *, keep_form: bool = False,
           notice: Callable[[str, Text], tree.Form] = tree.notice) -> T | None:
    """The use case's result when it went through (the handler then closes or replaces the form and
    delivers); None when it was refused and the submission is already answered."""
    try:
        result = run()
    except WorkflowError as err:
        answer_refusal(ui, title, refused(err), validation=isinstance(err, ValidationFailed),
                       keep_form=keep_form, notice=notice)
        return None
    if isinstance(result, Outcome) and result.refused:
        answer_refusal(ui, title, result, validation=True, keep_form=keep_form, notice=notice)
        return None
    return result


def answer_refusal(ui: Interaction, title: str, outcome: Outcome, *, validation: bool, keep_form: bool = False,
                   notice: Callable[[str, Text], tree.Form] = tree.notice) -> None:
    errors = dict(outcome.field_errors)
    message = _message(outcome)
    if errors and set(errors) <= ui.submitted_keys():
        ui.show_errors(errors)
    elif validation or keep_form:
        if errors:
            log.info("field errors for no input of the form (%s): shown on top", ", ".join(sorted(errors)))
        ui.keep_form(message)
    else:
        ui.replace_form(notice(title, message))


def _message(outcome: Outcome) -> Text:
    """The form-level message, or the field errors joined."""
    if outcome.form_message:
        return outcome.form_message
    return text(joined(outcome.field_errors.values()) or "Please check your answers.")
