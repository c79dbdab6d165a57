"""The interaction port on Teams, over one inbound activity.

A form is a dialog: it opens only from a card button (a `task/fetch` invoke), so a typed command that
opens a form answers, privately, with a card whose button opens it. A dialog's submission
(`task/submit`) is answered in the HTTP response: the card again with the errors beside its
fields and what was typed kept (Teams has no inline-errors answer), another card, or a short
closing message (an empty answer makes Teams show "Unable to reach app" and retry). Replies only
the actor should see go to their 1:1 chat with the bot, never to a review's group chat.
"""
import json
from collections.abc import Callable, Mapping

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.form_spec import Kind
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Text, text
from handlers.teams.platform.activity import Activity
from handlers.teams.platform.directory import Address
from messages import tree
from messages.teams import render
from messages.teams.cards import BLOCKS

OPEN_FORM = "dhr.open_form"     # a card button that re-runs a command inside a task/fetch, to open its form
CLOSED = "Done."


class TeamsInteraction:
    def __init__(self, activity: Activity, port, *, reopen: str = "", rebuild: Callable[[], tree.Form] | None = None):
        """`reopen`: the command words that open this form again (for a typed command).
        `rebuild()`: the form being submitted, as it was opened (to show it again with errors)."""
        self.activity, self.port, self._reopen, self._rebuild = activity, port, reopen, rebuild
        self.response: dict | None = None
        self._closing = CLOSED

    @property
    def actor(self) -> PersonRef:
        return PersonRef(self.activity.user_id)

    @property
    def in_dialog_call(self) -> bool:
        return self.activity.type == "invoke"

    def open_form(self, title: str, build: Callable[[], tree.Form], *,
                  notice: Callable[[str, Text], tree.Form] = tree.notice) -> None:
        if not self.in_dialog_call:
            self.reply(tree.Message((tree.Paragraph(text(f"{title}: the form opens in a dialog.")),
                                     tree.Actions((tree.Button(f"Open: {title}"[:40], OPEN_FORM, self._reopening(),
                                                               style="primary"),))), f"{title}: open the form"))
            return
        try:
            form = build()
        except WorkflowError as err:
            form = notice(title, err.rich or text(err.message))
        self.response = self._dialog(form)

    def _dialog(self, form: tree.Form, **shown) -> dict:
        form = self.port.with_chat_names(form)
        return render.dialog(form, names=self.port.names_for(form), **shown)

    def _reopening(self) -> str:
        """The button's value: the command, and the review chat it was typed in (the button itself
        arrives in the person's 1:1 chat). Forged, it gains nothing: the handler checks the person
        against the review in that chat."""
        a = self.activity
        return json.dumps({"words": self._reopen, "space": "" if a.personal else a.conversation_id})

    @property
    def dialog_metadata(self) -> dict:
        """For a button inside a dialog: the dialog's metadata, which its buttons carry (messages/teams/dialogs).
        What the client sent, so a use case checks it again, as Slack's private metadata is checked."""
        return render.form_metadata(self.activity.data) if self.activity.name == "task/submit" else {}

    @property
    def pressed_blocks(self) -> list[str]:
        """For a button on a message card: the ids of that message's blocks, which its buttons carry
        (messages/teams/cards.BLOCKS). What the client sent: a use case checks what it names."""
        ids = self.activity.data.get(BLOCKS) if isinstance(self.activity.data, dict) else None
        return [i for i in ids[:100] if isinstance(i, str)] if isinstance(ids, list) else []

    def submitted_keys(self) -> frozenset[str]:
        return self._rebuild().keys if self._rebuild is not None else frozenset()

    def submitted_form(self) -> tree.Form | None:
        """The form being submitted, as it was opened (its choices, to check an answer is one of them)."""
        return self._rebuild() if self._rebuild is not None else None

    def typed(self) -> dict:
        """What was submitted, by field key; people as the lower-case directory ids the bot stores."""
        form = self._rebuild() if self._rebuild else None
        values = render.read_submission(self.activity.data, form)
        for f in form.fields if form else ():
            if f.kind == Kind.PERSON and isinstance(values.get(f.key), str):
                values[f.key] = values[f.key].lower()
            elif f.kind == Kind.PEOPLE and isinstance(values.get(f.key), list):
                values[f.key] = [v.lower() for v in values[f.key]]
        return values

    def show_errors(self, errors: Mapping[str, str | Text], *, blank: frozenset[str] = frozenset()) -> None:
        """The dialog again with what was typed, except the `blank` fields (a registered term is never sent
        back to Teams: the person types that field again)."""
        if self._rebuild is None:
            raise ValueError("errors for a form that cannot be shown again")
        typed = {k: v for k, v in self.typed().items() if k not in blank}
        self.response = self._dialog(self._rebuild(), errors={k: text(v) for k, v in errors.items()}, values=typed)

    def keep_form(self, message: Text) -> None:
        if self._rebuild is None:
            self.replace_form(tree.notice("Not saved", message))
            return
        self.response = self._dialog(self._rebuild(), message=message, values=self.typed())

    def replace_form(self, form: tree.Form) -> None:
        self.response = self._dialog(form)

    def stack_form(self, form: tree.Form) -> None:
        self.replace_form(form)      # a dialog has no stack: the next card takes its place

    def close(self, said: "str | Text" = CLOSED) -> None:
        self._closing = said

    def answer(self) -> dict | None:
        """The invoke's HTTP answer (never empty); None for a message activity."""
        if not self.in_dialog_call:
            return None
        return self.response or render.dialog_message(self._closing)

    def reply(self, body, *, replace_source: bool = False) -> None:
        a = self.activity
        if replace_source and a.reply_to_id:
            self.port.replace(Address(a.conversation_id, a.service_url), a.reply_to_id, body)
        elif a.personal:
            self.port.say(Address(a.conversation_id, a.service_url), body)
        else:
            self.port.dm(self.actor, body)

    def publish_home(self, person: PersonRef, view: tree.HomeView) -> None:
        self.port.dm(person, view)
