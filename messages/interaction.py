"""How a handler answers the person in front of it, whatever the platform: the interaction port.

Slack: modals (views.open/update/push, a view_submission's response_action), ephemeral replies
through response_url, views.publish for Home. Teams: dialogs (task/fetch, task/submit answered with
the card again, errors shown beside the fields), targeted or 1:1 replies, a home card.
"""
from collections.abc import Callable, Mapping
from typing import Protocol

from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Text
from messages.tree import Form, HomeView, Message


class Interaction(Protocol):
    def open_form(self, title: str, build: Callable[[], Form], *, notice: Callable[[str, Text], Form] = ...) -> None:
        """Opens a form from a command or button. `build` may take a moment (it reads the database)
        or raise a WorkflowError: then `notice(title, message)` opens instead, saying why."""

    def submitted_keys(self) -> frozenset[str]:
        """The field keys of the form being submitted (empty outside a submission)."""

    def show_errors(self, errors: Mapping[str, str | Text]) -> None:
        """Answers a submission with messages beside its fields; every key is one of submitted_keys()."""

    def keep_form(self, message: Text) -> None:
        """Answers a submission with the same form, what was typed kept, and the message on top."""

    def replace_form(self, form: Form) -> None:
        """Shows another form (or a notice) in place of the current one."""

    def stack_form(self, form: Form) -> None:
        """Shows a form over the current one (where the platform stacks; else in its place)."""

    def close(self) -> None:
        """Closes the form being submitted, or acknowledges a command or button press."""

    def reply(self, body: Message | Text, *, replace_source: bool = False) -> None:
        """A message only the actor sees; `replace_source` replaces the message whose button was pressed."""

    def publish_home(self, person: PersonRef, view: HomeView) -> None: ...
