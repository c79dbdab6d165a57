"""The demo's reviews made in Teams: the same steps as in Slack (demo.py), done as Teams people do
them, through Teams' request path (signed activities to /api/messages).

A command is typed in the person's 1:1 chat with the bot, or after @DHR Bot in the review's group
chat; the bot answers in the 1:1 chat with an "Open: ..." button, which opens the form as a dialog
(Teams opens dialogs only from a card button). Values go as the Teams client sends them: strings,
several choices as "a,b", people as their Entra object ids.
"""
import json

from bot.sandbox.demo import Demo, DemoFailed
from bot.teamsfake import ClientSideValidation, NotShown
from bot.teamsfake.cardwalk import actions, inputs

OPEN_FORM = "dhr.open_form"     # the button a typed command answers with (handlers/teams/platform/interaction.py)


class TeamsDemo(Demo):
    platform = "Teams"

    @property
    def lock(self):
        return self.sandbox.teams_fake.tenant.lock

    @property
    def general(self) -> str:
        return ""       # commands for no review are typed in the admin's own 1:1 chat

    @property
    def teams(self):
        return self.sandbox.teams

    def _user(self, person):
        return self.sandbox.teams_users[person.id]

    def _dm(self, person) -> str:
        return self.sandbox.teams_fake.personal_chat(self._user(person)).id

    # ---- forms -----------------------------------------------------------------------------------

    def command(self, person, channel: str, text: str, callback_id: str | None = None):
        user, mine = self._user(person), self._dm(person)
        self.teams.close_dialog(user)
        before = {m.id for m in self.sandbox.teams_fake.bot_messages_in(mine)}
        response = self.teams.say(user, channel or mine, text)
        if response.status != 200:
            raise DemoFailed(f"{text!r} typed in Teams answered HTTP {response.status}")
        offer = self.wait(lambda: next((m for m in reversed(self.sandbox.teams_fake.bot_messages_in(mine))
                                        if m.id not in before and _button(m.cards, OPEN_FORM)), None),
                          f"the Open button for {text!r}")
        self._press(person, mine, offer, OPEN_FORM)
        return self.wait(lambda: self._ready_dialog(person, callback_id), f"the dialog of {text!r}")

    def _ready_dialog(self, person, callback_id: str | None):
        dialog = self.teams.open_dialog(self._user(person))
        if dialog is None or (callback_id and _form_of(dialog.card) != callback_id):
            return None
        return dialog

    def _press(self, person, chat_id: str, message, action_id: str):
        data = _button(message.cards, action_id)
        try:
            self.teams.press(self._user(person), chat_id, message.id, data)
        except (NotShown, ClientSideValidation) as err:
            raise DemoFailed(f"{person.name} could not press {action_id}: {err}") from err

    def submit(self, person, view, values: dict, close: bool = True) -> None:
        callback_id = _form_of(view.card)
        try:
            response = self.teams.submit_dialog(self._user(person), view.conversation_id, self._wire(values))
        except ClientSideValidation as err:
            raise DemoFailed(f"Teams would not send the form {callback_id}: {err.errors}") from err
        if response.status != 200 or not response.text.strip():
            raise DemoFailed(f"the form {callback_id} failed (HTTP {response.status})")
        refused = _attention(response.json())
        if refused:
            raise DemoFailed(f"the form {callback_id} was refused: {refused}")
        if close:
            self.close(person, view)

    def close(self, person, view) -> None:
        self.teams.close_dialog(self._user(person))

    def press(self, person, view, action_id: str, callback_id: str):
        """A button inside an open dialog (on Teams every action in a dialog submits it)."""
        title = next((a.get("title") for a in actions(view.card) if _action_of(a) == action_id), None)
        if title is None:
            raise DemoFailed(f"the dialog has no button {action_id}")
        self.teams.submit_dialog(self._user(person), view.conversation_id, {}, action=title)
        return self.wait(lambda: self._ready_dialog(person, callback_id), f"the dialog after {action_id}")

    def click_dm(self, person, action_id: str, callback_id: str):
        message = self._bot_message_with(person, action_id)
        self._press(person, self._dm(person), message, action_id)
        return self.wait(lambda: self._ready_dialog(person, callback_id), f"the dialog of {action_id}")

    def initial(self, view, block_id: str):
        return inputs(view.card).get(block_id, {}).get("value")

    def option(self, view, block_id: str, label: str, starts: bool = False) -> str:
        for choice in inputs(view.card)[block_id].get("choices") or []:
            shown = str(choice.get("title", ""))
            if shown == label or shown.startswith(label + " \u2013 ") or (starts and shown.startswith(label)):
                return str(choice["value"])
        raise DemoFailed(f"no choice {label!r} in {block_id}")

    def _wire(self, values: dict) -> dict:
        """As the Teams client sends them: strings, lists as "a,b", sandbox people as their Entra ids."""
        def one(value) -> str:
            user = self.sandbox.teams_users.get(value) if isinstance(value, str) else None
            return user.aad_id if user is not None else ("" if value is None else str(value))
        return {key: ",".join(one(v) for v in value) if isinstance(value, (list, tuple)) else one(value)
                for key, value in values.items()}

    # ---- the review's chat and its panel ---------------------------------------------------------

    def review_space(self) -> str:
        """The review's group chat (its topic the reference), once the summary card is in it."""
        fake = self.sandbox.teams_fake
        name = self.reference.lower()

        def made():
            chat = next((c for c in fake.chats.values() if c.is_group and c.installed and c.topic == name), None)
            return chat if chat is not None and any(m.cards for m in fake.bot_messages_in(chat.id)) else None
        return self.wait(made, "the review's group chat and its summary card").id

    def _bot_message_with(self, person, action_id: str):
        fake, mine = self.sandbox.teams_fake, self._dm(person)
        return self.wait(lambda: next((m for m in reversed(fake.bot_messages_in(mine))
                                       if self.reference in json.dumps(m.activity) and _button(m.cards, action_id)),
                                      None), f"{person.name}'s message with {action_id}")

    def invitation(self, person):
        return self._bot_message_with(person, "dhr.agree")

    def agree(self, person) -> None:
        self._press(person, self._dm(person), self.invitation(person), "dhr.agree")
        user, chat = self._user(person), self.sandbox.teams_fake.chat(self.channel)
        self.wait(lambda: chat.member(user.aad_id) is not None, f"{person.name} joining")


def _action_of(action: dict):
    data = action.get("data")
    dhr = data.get("dhr") if isinstance(data, dict) else None
    return dhr.get("action") if isinstance(dhr, dict) else None


def _button(cards: list, action_id: str) -> dict | None:
    """The data of the bot's button for `action_id` on these cards."""
    for card in cards:
        for action in actions(card):
            if _action_of(action) == action_id:
                return action["data"]
    return None


def _form_of(card: dict) -> str | None:
    """The form's id: on its submit button, or (a form with no submit) on its first element."""
    for action in card.get("actions") or []:
        if isinstance(action, dict) and isinstance(action.get("data"), dict) and action["data"].get("dhr_form"):
            return action["data"]["dhr_form"]
    body = card.get("body") or [{}]
    return body[0].get("id") if isinstance(body[0], dict) else None


def _attention(answer) -> list[str]:
    """The attention lines of a dialog the bot answered again (a refusal: errors beside its fields)."""
    task = answer.get("task") if isinstance(answer, dict) else None
    value = task.get("value") if isinstance(task, dict) and task.get("type") == "continue" else None
    card = ((value or {}).get("card") or {}).get("content") if isinstance(value, dict) else None
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "TextBlock" and node.get("color") == "attention":
                out.append(str(node.get("text", "")))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(card)
    return out
