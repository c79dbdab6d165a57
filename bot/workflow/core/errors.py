"""Errors the workflow raises. Every one carries a plain-English `.message` that tells the
user what to do; the chat layer shows it as is (beside a form field, a private reply or a DM).

A message written as neutral Text (a mention, a command hint) is kept in `.rich` for each platform
to render; `.message` is then its words alone. Messages still written as strings are shown as is.
"""
from collections.abc import Iterable, Mapping, Sequence

from bot.workflow.core.text import Text, join, words


class WorkflowError(Exception):
    def __init__(self, message: str | Text):
        self.rich = message if isinstance(message, Text) else None
        self.message = words(message)
        super().__init__(self.message)


class TransitionRefused(WorkflowError):
    """A stage change was refused. `.reason` is "wrong_stage", "not_ready" or "missing_facts";
    `.missing` lists human labels of the facts still to record (empty unless missing_facts)."""

    def __init__(self, message: str | Text, *, transition: object = None, missing: Sequence[str] = (),
                 reason: str = "missing_facts"):
        super().__init__(message)
        self.transition = transition
        self.missing = list(missing)
        self.reason = reason


class ValidationFailed(WorkflowError):
    """Form input that can't be accepted. `.field_errors` maps a field name to its message,
    so a form can show each error next to its field."""

    def __init__(self, field_errors: Mapping[str, str | Text] | str | Text, message: str | Text | None = None):
        if isinstance(field_errors, (str, Text)):  # a form-less error: just the message
            message, field_errors = field_errors, {}
        self.field_errors: dict[str, str | Text] = dict(field_errors)
        super().__init__(message or joined(self.field_errors.values()) or "Please check your answers.")


def joined(messages: "Iterable[str | Text]") -> str | Text:
    """Several messages as one: Text if any of them is."""
    listed = list(messages)
    if any(isinstance(m, Text) for m in listed):
        return join(" ", listed)
    return " ".join(m for m in listed if isinstance(m, str))


class PermissionDenied(WorkflowError):
    pass


class NotFound(WorkflowError):
    pass
