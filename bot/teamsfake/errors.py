"""What the Teams client would not let a person do."""

from __future__ import annotations


class NotShown(Exception):
    """The person cannot see or reach what the test asked for (no such chat, button or dialog)."""


class ClientSideValidation(Exception):
    """The Teams client blocks the submit and shows these messages under the inputs, by input id."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"the client blocks the submit: {errors}")
        self.errors = errors
