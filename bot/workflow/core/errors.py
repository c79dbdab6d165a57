"""Errors the workflow raises. Every one carries a plain-English `.message` that tells the
user what to do; the chat layer shows it as is (modal error, ephemeral or DM)."""
from collections.abc import Mapping, Sequence


class WorkflowError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionRefused(WorkflowError):
    """A stage change was refused. `.reason` is "paused", "wrong_stage" or "missing_facts";
    `.missing` lists human labels of the facts still to record (empty unless missing_facts)."""

    def __init__(self, message: str, *, transition: object = None, missing: Sequence[str] = (),
                 reason: str = "missing_facts"):
        super().__init__(message)
        self.transition = transition
        self.missing = list(missing)
        self.reason = reason


class ValidationFailed(WorkflowError):
    """Form input that can't be accepted. `.field_errors` maps a field name to its message,
    so a modal can show each error next to its field."""

    def __init__(self, field_errors: Mapping[str, str] | str, message: str | None = None):
        if isinstance(field_errors, str):  # a form-less error: just the message
            message = field_errors
            field_errors = {}
        self.field_errors: dict[str, str] = dict(field_errors)
        super().__init__(message or " ".join(self.field_errors.values()) or "Please check your answers.")


class PermissionDenied(WorkflowError):
    pass


class NotFound(WorkflowError):
    pass
