"""TeamsPlatform: Teams' side of the conversation with the bot, playing the people who use it.

People type messages, press card buttons, fill and submit dialogs, upload files, install the app
and add it to chats. Each activity is the one Teams sends, signed with Bot Framework's key (the
fake's), POSTed to the bot's messaging endpoint; invoke answers are applied as the Teams client
would (a dialog opens, changes or closes; a card is replaced). What a person could not do raises
NotShown or ClientSideValidation. Forged requests (unsigned, wrong key, expired...) test the bot's
authentication.
"""

from __future__ import annotations

import time
from typing import Any

from . import activities, cardwalk, events, ids
from .errors import ClientSideValidation, NotShown
from .fake import FakeTeams
from .keys import SigningKey
from .model import ADAPTIVE_CARD, Chat, Dialog, Message, User
from .outbound import Response
from .validation import FILE_CONSENT, dialog_card_problems

THEME = {"theme": "default"}
FORGERIES = ("unsigned", "wrong_key", "expired", "wrong_audience", "wrong_serviceurl")


class TeamsPlatform:
    def __init__(self, fake: FakeTeams, bot_url: str | None = None, *, timeout: float = 30.0) -> None:
        self.fake = fake
        self.tenant = fake.tenant
        self.link = fake.link
        if bot_url:
            fake.messaging_endpoint = bot_url
        self.link.timeout = timeout

    # ---- low level -------------------------------------------------------------------------------

    def send(self, activity: dict[str, Any], authorization: str | None = None, *, signed: bool = True) -> Response:
        return self.link.send(activity, authorization, signed=signed)

    def forge(self, kind: str, activity: dict[str, Any]) -> Response:
        """Send `activity` with a token Teams would never send: one of FORGERIES."""
        if kind == "unsigned":
            return self.send(activity, signed=False)
        options: dict[str, Any] = {
            "wrong_key": {"key": SigningKey("forger", self.link.key.kid)},
            "expired": {"issued_at": time.time() - 7200},
            "wrong_audience": {"audience": ids.guid()},
            "wrong_serviceurl": {"service_url": "https://smba.attacker.example/amer/"},
        }[kind]
        return self.send(activity, f"Bearer {self.link.token_for(activity, **options)}")

    # ---- look-ups ----------------------------------------------------------------------------------

    def _chat_for(self, user: User, conversation_id: str) -> Chat:
        chat = self.tenant.chat(conversation_id)
        if chat is None or chat.member(user.aad_id) is None:
            raise NotShown(f"{user.name} is not in conversation {conversation_id}")
        if not chat.installed:
            raise NotShown(f"the app is not in conversation {conversation_id}")
        return chat

    def _message(self, chat: Chat, message_id: str) -> Message:
        message = chat.message(message_id)
        if message is None or message.deleted:
            raise NotShown(f"no message {message_id} in {chat.id}")
        return message

    def message_activity(self, user: User, conversation_id: str, text: str) -> dict[str, Any]:
        """The activity `say` would send, unsent (e.g. to forge)."""
        with self.tenant.lock:
            return activities.message(self.tenant, self._chat_for(user, conversation_id), user, text)

    # ---- people talking --------------------------------------------------------------------------

    def say(self, user: User, conversation_id: str, text: str) -> Response:
        with self.tenant.lock:
            chat = self._chat_for(user, conversation_id)
            activity = activities.message(self.tenant, chat, user, text)
            self.tenant.record_message(chat, dict(activity), user.id)
        return self.send(activity)

    def upload_file(self, user: User, text: str, name: str, content: bytes) -> Response:
        """A file sent in the person's 1:1 chat with the bot (the only scope where bots get files)."""
        with self.tenant.lock:
            chat = self.tenant.installed_for(user)
            if chat is None:
                raise NotShown(f"{user.name} has no chat with the app to send a file in")
            stored = self.tenant.store_file(name, content, user)
            url = f"{self.tenant.root_url}/files/{stored.token}"
            activity = activities.file_message(self.tenant, chat, user, text, name, url, ids.guid())
            self.tenant.record_message(chat, dict(activity), user.id)
        return self.send(activity)

    def post_file_in_chat(self, user: User, chat_id: str, name: str, content: bytes, text: str = "") -> Response | None:
        """A file attached to a message in a group chat. Everyone in the chat sees it; the bot hears of the
        message only when it is @mentioned, and then gets no file at all: Teams passes only the text/html
        copy of the mention (bots get files in personal chats only; vercel/chat #536, botbuilder-dotnet #6710)."""
        with self.tenant.lock:
            chat = self._chat_for(user, chat_id)
            if not chat.is_group:
                raise NotShown("post_file_in_chat is for group chats; use upload_file in the 1:1 chat")
            stored = self.tenant.store_file(name, content, user)
            activity = activities.message(self.tenant, chat, user, text)
            shown = dict(activity, attachments=[*activity["attachments"], {
                "contentType": "reference", "contentUrl": f"{self.tenant.root_url}/files/{stored.token}",
                "name": name}])
            self.tenant.record_message(chat, shown, user.id)
        return self.send(activity)

    # ---- files the bot offers ----------------------------------------------------------------------

    def _consent(self, user: User, conversation_id: str, message_id: str) -> tuple[Chat, dict[str, Any]]:
        chat = self._chat_for(user, conversation_id)
        if chat.is_group:
            raise NotShown("file consent cards exist only in the 1:1 chat")
        cards = self._message(chat, message_id).attachments_of(FILE_CONSENT)
        if not cards:
            raise NotShown(f"message {message_id} is not a file consent card")
        return chat, cards[0]

    def accept_file(self, user: User, conversation_id: str, message_id: str) -> Response:
        """The person chooses Allow: Teams opens an upload session in their OneDrive and tells the bot where."""
        with self.tenant.lock:
            chat, card = self._consent(user, conversation_id, message_id)
            session = self.tenant.drive.open_session(user, str(card.get("name")))
            upload_url = f"{self.tenant.root_url}/upload/{session.token}"
            value = {"type": "fileUpload", "action": "accept",
                     "context": (card.get("content") or {}).get("acceptContext") or {},
                     "uploadInfo": session.upload_info(upload_url)}
            activity = activities.invoke(self.tenant, chat, user, "fileConsent/invoke", value, message_id)
        return self.send(activity)

    def decline_file(self, user: User, conversation_id: str, message_id: str) -> Response:
        with self.tenant.lock:
            chat, card = self._consent(user, conversation_id, message_id)
            value = {"type": "fileUpload", "action": "decline",
                     "context": (card.get("content") or {}).get("declineContext") or {}}
            activity = activities.invoke(self.tenant, chat, user, "fileConsent/invoke", value, message_id)
        return self.send(activity)

    # ---- cards and dialogs -------------------------------------------------------------------------

    def press(self, user: User, conversation_id: str, message_id: str, action: dict[str, Any] | str | None = None,
              inputs: dict[str, Any] | None = None) -> Response:
        """Press a button on a card in a message: `action` is the button's data, its title or verb."""
        with self.tenant.lock:
            chat = self._chat_for(user, conversation_id)
            message = self._message(chat, message_id)
            card, found = self._card_action(message, action)
            values, unknown, errors = cardwalk.typed_values(card, inputs or {})
            if unknown:
                raise NotShown(f"the card has no inputs {unknown}")
            if errors:
                raise ClientSideValidation(errors)
            data = cardwalk.submitted_data(found, values)
            activity = self._action_activity(chat, user, message_id, found, data)
        response = self.send(activity)
        self._apply_action_answer(user, chat, message, activity, response)
        return response

    def _card_action(self, message: Message, wanted: dict[str, Any] | str | None) -> tuple[dict[str, Any], dict]:
        for card in message.cards:
            found = cardwalk.find_action(card, wanted)
            if found:
                return card, found
        raise NotShown(f"message {message.id} shows no button {wanted!r}")

    def _action_activity(self, chat: Chat, user: User, message_id: str, action: dict[str, Any],
                         data: Any) -> dict[str, Any]:
        if action["type"] == "Action.Execute":
            if not action.get("verb"):
                raise NotShown("an Action.Execute without a verb sends nothing to the bot")
            value = {"action": {"type": "Action.Execute", "id": action.get("id"), "verb": action["verb"],
                                "data": data}, "trigger": "manual"}
            return activities.invoke(self.tenant, chat, user, "adaptiveCard/action", value, message_id)
        if isinstance(data, dict) and (data.get("msteams") or {}).get("type") == "task/fetch":
            value = {"data": data, "context": dict(THEME)}
            return activities.invoke(self.tenant, chat, user, "task/fetch", value, message_id)
        return activities.card_submit(self.tenant, chat, user, message_id, data)

    def _apply_action_answer(self, user: User, chat: Chat, message: Message, sent: dict[str, Any],
                             response: Response) -> None:
        if sent["type"] != "invoke" or response.status != 200:
            return
        answer = _json_or_none(response)
        if sent["name"] == "task/fetch":
            self._apply_task_answer(user, chat, sent, response)
        elif isinstance(answer, dict) and answer.get("type") == ADAPTIVE_CARD and isinstance(answer.get("value"), dict):
            with self.tenant.lock:  # Universal Actions: the card is replaced in place
                message.versions.append({**message.activity, "attachments": [
                    {"contentType": ADAPTIVE_CARD, "content": answer["value"]}]})

    def _apply_task_answer(self, user: User, chat: Chat, sent: dict[str, Any], response: Response) -> None:
        answer = _json_or_none(response)
        task = answer.get("task") if isinstance(answer, dict) else None
        if not isinstance(task, dict) or task.get("type") != "continue":
            self.tenant.dialogs.pop(user.aad_id, None)
            return
        info = task.get("value") if isinstance(task.get("value"), dict) else {}
        card = (info.get("card") or {}).get("content") if isinstance(info.get("card"), dict) else None
        problems = dialog_card_problems(card, self.fake.card_validator)
        if problems:
            self.link.record_invoke_failure(sent, response, "dialog card refused: " + "; ".join(problems))
            return
        assert isinstance(card, dict)
        self.tenant.dialogs[user.aad_id] = Dialog(user.aad_id, chat.id, card, info.get("title"))

    def open_dialog(self, user: User) -> Dialog | None:
        return self.tenant.dialogs.get(user.aad_id)

    def close_dialog(self, user: User) -> None:
        """The person closes the dialog with its X: Teams tells the bot nothing."""
        self.tenant.dialogs.pop(user.aad_id, None)

    def submit_dialog(self, user: User, conversation_id: str, data: dict[str, Any],
                      action: str | None = None) -> Response:
        """Fill the open dialog's inputs with `data` (by input id) and press its submit button."""
        with self.tenant.lock:
            dialog = self.tenant.dialogs.get(user.aad_id)
            chat = self.tenant.chat(conversation_id)
            if dialog is None or chat is None or dialog.conversation_id != chat.id:
                raise NotShown(f"{user.name} has no dialog open from {conversation_id}")
            found = cardwalk.find_action(dialog.card, action)
            if found is None or found["type"] != "Action.Submit":
                raise NotShown(f"the dialog has no Action.Submit {action!r}")
            values, unknown, errors = cardwalk.typed_values(dialog.card, data)
            if unknown:
                raise NotShown(f"the dialog has no inputs {unknown}")
            if errors:
                raise ClientSideValidation(errors)
            value = {"data": cardwalk.submitted_data(found, values), "context": dict(THEME)}
            activity = activities.invoke(self.tenant, chat, user, "task/submit", value)
        response = self.send(activity)
        if response.status == 200 and response.text.strip():
            self._apply_task_answer(user, chat, activity, response)
        return response

    # ---- installing the app ------------------------------------------------------------------------

    def install_for(self, user: User) -> list[Response]:
        """The person adds the app for themselves (personal scope)."""
        with self.tenant.lock:
            if self.tenant.installed_for(user):
                raise NotShown(f"the app is already installed for {user.name}")
            chat = self.tenant.personal_chat(user)
            assert chat is not None
            self.tenant.install_in(chat)
            sent = events.installed(self.tenant, chat, user)
        return [self.send(a) for a in sent]

    def uninstall_for(self, user: User) -> list[Response]:
        with self.tenant.lock:
            chat = self.tenant.installed_for(user)
            if chat is None:
                raise NotShown(f"the app is not installed for {user.name}")
            self.tenant.uninstall_from(chat)
            sent = events.uninstalled(self.tenant, chat, user)
        return [self.send(a) for a in sent]

    def add_to_chat(self, user: User, chat_id: str) -> list[Response]:
        """A member adds the app to a group chat they are in."""
        with self.tenant.lock:
            chat = self.tenant.chat(chat_id)
            if chat is None or not chat.is_group or chat.member(user.aad_id) is None:
                raise NotShown(f"{user.name} is not in group chat {chat_id}")
            if chat.installed:
                raise NotShown("the app is already in this chat")
            self.tenant.install_in(chat)
            sent = events.installed(self.tenant, chat, user)
        return [self.send(a) for a in sent]

    def remove_from_chat(self, user: User, chat_id: str) -> list[Response]:
        with self.tenant.lock:
            chat = self._chat_for(user, chat_id)
            self.tenant.uninstall_from(chat)
            sent = events.uninstalled(self.tenant, chat, user)
        return [self.send(a) for a in sent]


def _json_or_none(response: Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
