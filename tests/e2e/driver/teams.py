"""The journeys' driver on Microsoft Teams: messages typed in a person's 1:1 chat with the bot or after
"<at>DHR Bot</at>" in a group chat, card buttons (task/fetch invokes) and dialogs (task/submit), each
signed as Teams signs them and sent to the real bot server, with what people see read back from the
Teams fake (bot/teamsfake): the Adaptive Cards in the chats they are in.

Teams has no modal that a command opens by itself: a typed command that opens a form answers in the
person's 1:1 chat with a button ("Open: ..."), and `form` presses it, as the person would. A review's
space is its group chat; things only the actor should see (Slack's ephemerals and response_url
replies) reach their 1:1 chat; Slack's Home tab is the "My work" card there. Files come to the bot in the
1:1 chat; files from the bot are file consent cards there, which `shared_files` allows as the person
would."""
from __future__ import annotations

import functools
import itertools
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator

from sqlmodel import select

from bot.teamsfake import activities, events
from bot.teamsfake.errors import ClientSideValidation
from bot.teamsfake.errors import NotShown as TeamsNotShown
from bot.teamsfake.model import Dialog, Message, User
from bot.teamsfake.validation import FILE_CONSENT
from messages.teams.text import ICONS
from storage.addresses import HomeCard
from storage.models import Membership, Review
from storage.models import Person as PersonRow
from tests.e2e.driver.base import (
    ADMINS,
    AUTHOR,
    CHAIR,
    COORDINATOR,
    HEALTH,
    OBSERVER,
    OUTSIDER,
    POLICE,
    Button,
    Field,
    InputRefused,
    NotShown,
    Person,
    Section,
    Seen,
    SharedFile,
    Space,
    Submitted,
    Who,
)
from tests.e2e.driver.slack import wait
from tests.e2e.server import ROOT
from tests.e2e.teams_server import teams_env

# The journeys' people as Teams users (display names: a mention reads <at>Name</at>).
NAMES = {COORDINATOR: "Coordinator Cole", CHAIR: "Chair Chen", POLICE: "Police Lead Patel",
         OUTSIDER: "Outsider Oakes", HEALTH: "Health Lead Hughes", AUTHOR: "Imr Author Ames",
         OBSERVER: "Observer Olsen"}
TEAMS_ADMINS = ADMINS
OPEN_FORM = "dhr.open_form"      # the button a typed command answers with (handlers/teams/platform/interaction.py)
NOTICE = "dhr.notice"            # a dialog with no submit button only says something, as Slack's notice form


def as_person(act: Callable) -> Callable:
    """What the Teams client would not let a person do, in the driver's words."""
    @functools.wraps(act)
    def acting(*args: Any, **kwargs: Any) -> Any:
        try:
            return act(*args, **kwargs)
        except ClientSideValidation as refused:
            field, message = next(iter(refused.errors.items()))
            raise InputRefused(field, message) from refused
        except TeamsNotShown as hidden:
            raise NotShown(str(hidden)) from hidden
    return acting


# ---------------------------------------------------------------- reading cards as a person reads them

_ESCAPED = re.compile(r"\\([\\`*_\[\]()<>~#+=.\-])")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_LINK = re.compile(r"(?<!\\)\[([^\]]*)\]\([^)]*\)")


# The bot's icons, read back as their names: the journeys write them as Slack's :name: (a person sees the same icon).
_ICON_NAMES = sorted(((shown, f":{name}:") for name, shown in ICONS.items()), key=lambda pair: -len(pair[0]))


def words(markdown: str) -> str:
    """TextBlock markdown as the words a person reads: escapes gone, links as their label, one line
    per paragraph; bold kept as *words* and icons as :name: (the journeys' notation, Slack's own)."""
    said = _LINK.sub(r"\1", markdown or "")
    said = _BOLD.sub(r"*\1*", said)
    said = _ESCAPED.sub(r"\1", said)
    for shown, name in _ICON_NAMES:
        said = said.replace(shown, name)
    return re.sub(r"\n\n+", "\n", said)


def nodes(node: Any) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from nodes(item)


def card_words(card: Any, *, labels: bool = False) -> str:
    """Every word a card shows: TextBlocks, facts ("title: value"), the bot's buttons' labels (a person
    reads "I have read them" on the button), and with `labels` its inputs' labels and choices (a dialog)."""
    out: list[str] = []
    for n in nodes(card):
        kind = n.get("type")
        if kind == "TextBlock":
            out.append(words(str(n.get("text", ""))))
        elif kind == "Action.Submit" and isinstance(n.get("data"), dict) and isinstance(n["data"].get("dhr"), dict):
            out.append(str(n.get("title", "")))
        elif kind == "FactSet":
            out += [f"{words(str(f.get('title', '')))}: {words(str(f.get('value', '')))}" for f in n.get("facts", [])]
        elif labels and str(kind).startswith("Input."):
            out.append(str(n.get("label", "")))
            out += [str(c.get("title", "")) for c in n.get("choices", []) if isinstance(c, dict)]
    return "\n".join(t for t in out if t)


def buttons_in(card: Any) -> list[Button]:
    """The bot's buttons: every Action.Submit carrying {"dhr": {"action", "value"}}."""
    out = []
    for n in nodes(card):
        dhr = (n.get("data") or {}).get("dhr") if n.get("type") == "Action.Submit" and isinstance(n.get("data"), dict) \
            else None
        if isinstance(dhr, dict):
            out.append(Button(str(dhr.get("action")), str(n.get("title", "")), dhr.get("value"),
                              json.dumps(n["data"], sort_keys=True)))
    return out


def sections_in(card: Any) -> list[Section]:
    body = card.get("body", []) if isinstance(card, dict) else []
    return [Section(card_words(part), buttons_in(part)) for part in body] + \
        ([Section("", buttons_in(card["actions"]))] if isinstance(card, dict) and card.get("actions") else [])


def inputs_of(card: dict) -> list[dict]:
    return [n for n in nodes(card.get("body", [])) if str(n.get("type", "")).startswith("Input.") and "id" in n]


def field_errors(card: dict) -> dict[str, str]:
    """The attention lines the bot put right under a field (messages/teams/dialogs.field_elements)."""
    errors: dict[str, str] = {}
    for items in _lists(card.get("body", [])):
        for here, after in zip(items, items[1:]):
            if isinstance(here, dict) and isinstance(after, dict) and "id" in here \
                    and str(here.get("type", "")).startswith("Input.") \
                    and after.get("type") == "TextBlock" and after.get("color") == "attention":
                errors[here["id"]] = words(str(after.get("text", "")))
    return errors


def field_hints(card: dict) -> dict[str, str]:
    """The subtle line under a field (after its error, if any): its hint (messages/teams/dialogs.field_elements)."""
    hints: dict[str, str] = {}
    for items in _lists(card.get("body", [])):
        for i, here in enumerate(items):
            if not (isinstance(here, dict) and "id" in here and str(here.get("type", "")).startswith("Input.")):
                continue
            after = [x for x in items[i + 1:i + 3] if isinstance(x, dict) and x.get("type") == "TextBlock"]
            if after and after[0].get("color") == "attention":
                after = after[1:]
            if after and after[0].get("isSubtle"):
                hints[here["id"]] = words(str(after[0].get("text", "")))
    return hints


def _lists(node: Any) -> Iterator[list]:
    if isinstance(node, list):
        yield node
        for item in node:
            yield from _lists(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _lists(value)


def submit_data(card: dict) -> dict:
    """The data of the dialog's own submit button (its form key and metadata)."""
    for action in card.get("actions") or []:
        if isinstance(action, dict) and isinstance(action.get("data"), dict) and "dhr_form" in action["data"]:
            return action["data"]
    return {}


def _kind(spec: dict) -> str:
    kind = spec.get("type")
    many = bool(spec.get("isMultiSelect"))
    if kind == "Input.ChoiceSet" and "choices.data" in spec:
        return "people" if many else "person"
    if kind == "Input.ChoiceSet":
        return "multi_choice" if many else "choice"
    return {"Input.Text": "text", "Input.Date": "date", "Input.Number": "number", "Input.Time": "time",
            "Input.Toggle": "toggle"}.get(str(kind), str(kind))


def _initial(spec: dict, kind: str) -> Any:
    value = spec.get("value")
    if value in (None, ""):
        return None
    if kind in ("multi_choice", "people"):
        return [v for v in str(value).split(",") if v]
    return str(value) if not isinstance(value, str) else value


# ---------------------------------------------------------------- answers

@dataclass
class Said:
    """A typed message's answer: Teams' HTTP status and what the bot said back in the 1:1 chat."""
    status: int
    text: str
    raw: Any = None


def submitted(response: Any) -> Submitted:
    said = _submitted(response)
    said.answer = response.text
    return said


def _submitted(response: Any) -> Submitted:
    try:
        body = response.json() if response.status == 200 and response.text.strip() else None
    except ValueError:
        body = None
    task = body.get("task") if isinstance(body, dict) else None
    if not isinstance(task, dict):
        return Submitted("failed", raw=response)          # Teams shows "Unable to reach app"
    if task.get("type") == "message":
        return Submitted("closed", text=str(task.get("value", "")), raw=response)
    card = ((task.get("value") or {}).get("card") or {}).get("content") or {}
    errors = field_errors(card)
    if errors:
        return Submitted("errors", errors=errors, raw=response)
    return Submitted("notice", text=card_words(card), raw=response)


# ---------------------------------------------------------------- a dialog

class TeamsForm:
    """A dialog open in front of one person, read live from the fake (a submission may change it)."""

    _ids = itertools.count(1)

    def __init__(self, driver: "TeamsDriver", user: User, dialog: Dialog) -> None:
        self._d, self.user, self.dialog = driver, user, dialog
        self.id = f"dialog-{next(self._ids)}"
        self._typed: dict[str, Any] = {}
        self.closing = ""            # the message the dialog closed with, if it did

    def _live(self) -> Dialog:
        now = self._d.teams.open_dialog(self.user)
        if now is not None and self._d._forms.get(self.user.aad_id) is self:
            self.dialog = now
        return self.dialog

    @property
    def card(self) -> dict:
        return self._live().card

    @property
    def key(self) -> str:
        """The form's id: on its submit button, or (a dialog with no submit) on its first element."""
        body = self.card.get("body") or [{}]
        return str(submit_data(self.card).get("dhr_form") or (body[0].get("id") if not self.can_submit else None)
                   or NOTICE)

    @property
    def title(self) -> str:
        return self._live().title or ""

    @property
    def text(self) -> str:
        return card_words(self.card, labels=True) + ("\n" + self.closing if self.closing else "")

    @property
    def fields(self) -> list[Field]:
        out, hints = [], field_hints(self.card)
        for spec in inputs_of(self.card):
            kind = _kind(spec)
            options = [(str(c.get("title", "")), str(c.get("value", ""))) for c in spec.get("choices", [])
                       if isinstance(c, dict)] if kind in ("choice", "multi_choice") else []
            out.append(Field(spec["id"], str(spec.get("label", "")), bool(spec.get("isRequired")), kind, options,
                             _initial(spec, kind), hints.get(spec["id"], "")))
        return out

    def field(self, key: str) -> Field:
        found = [f for f in self.fields if f.key == key]
        assert found, f"no field {key!r} in form {self.key}: {[f.key for f in self.fields]}"
        return found[0]

    def has_field(self, key: str) -> bool:
        return any(f.key == key for f in self.fields)

    def initial(self, key: str) -> Any:
        return self.field(key).initial

    def value(self, key: str) -> Any:
        """What is in the field now: typed and not yet sent, else what the dialog holds."""
        if key in self._typed:
            return self._typed[key]
        return self.initial(key)

    def option(self, key: str, label: str, *, starts: bool = False) -> str:
        for shown, value in self.field(key).options:
            # a choice with a description reads "label – description"
            if shown == label or shown.startswith(label + " \u2013 ") or (starts and shown.startswith(label)):
                return value
        raise AssertionError(f"no option {label!r} in {key}: {self.field(key).options}")

    @property
    def buttons(self) -> list[Button]:
        return buttons_in(self.card.get("body", []))

    @property
    def closed(self) -> bool:
        return self._d.teams.open_dialog(self.user) is None or self._d._forms.get(self.user.aad_id) is not self

    @property
    def errors(self) -> dict[str, str]:
        return field_errors(self.card)

    @property
    def can_submit(self) -> bool:
        return bool(submit_data(self.card))

    @property
    def intro(self) -> str:
        body = self.card.get("body") or []
        return card_words(body[:1])

    @property
    def metadata(self) -> dict:
        meta = submit_data(self.card).get("dhr_meta")
        return dict(meta) if isinstance(meta, dict) else {}

    @property
    def all_text(self) -> str:
        return json.dumps(self.card, ensure_ascii=False)

    def _wire(self, values: dict[str, Any]) -> dict[str, str]:
        """Values as the Teams client sends them: strings, lists as "a,b", people as their Entra ids."""
        kinds = {f.key: f.kind for f in self.fields}
        out = {}
        for key, value in values.items():
            if kinds.get(key) in ("person", "people") and value:
                value = [self._d.person(v) for v in value] if isinstance(value, (list, tuple)) else self._d.person(value)
            if isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            out[key] = "" if value is None else str(value)
        return out

    def fill(self, values: dict[str, Any]) -> None:
        self._typed.update(values)

    @as_person
    def submit(self, values: dict[str, Any] | None = None) -> Submitted:
        typed, failed = {**self._typed, **(values or {})}, len(self._d.fake.invoke_failures)
        response = self._d.teams.submit_dialog(self.user, self._live().conversation_id, self._wire(typed))
        self._typed = {}
        return self._answered(response, failed)

    def _answered(self, response: Any, failed: int) -> Submitted:
        """What the submission did; "failed" when Teams could not use the answer (an invalid card, none
        in time): the person sees "Unable to reach app" and the dialog stays as it was."""
        said = submitted(response)
        if len(self._d.fake.invoke_failures) > failed:
            said = Submitted("failed", raw=response, answer=response.text)
        if said.kind == "closed":
            self.closing = said.text
        return said

    @as_person
    def forge(self, values: dict[str, Any] | None = None, metadata: str | None = None) -> Submitted:
        """A tampered client: the values sent as they are, past the client's checks, and/or forged metadata."""
        platform, tenant, failed = self._d.teams, self._d.fake.tenant, len(self._d.fake.invoke_failures)
        with tenant.lock:
            dialog = self._live()
            chat = tenant.chat(dialog.conversation_id)
            data = {**submit_data(dialog.card), **self._wire({**self._typed, **(values or {})})}
            if metadata is not None:
                data["dhr_meta"] = json.loads(metadata)
            activity = activities.invoke(tenant, chat, self.user, "task/submit", {"data": data,
                                                                                  "context": {"theme": "default"}})
        response = platform.send(activity)
        if response.status == 200 and response.text.strip():
            platform._apply_task_answer(self.user, chat, activity, response)
        return self._answered(response, failed)

    @as_person
    def press(self, label_or_action: str, *, forged_value: Any = None) -> Any:
        """A button inside the dialog: on Teams every action in a dialog submits it."""
        button = next((b for b in self.buttons if label_or_action in (b.action, b.label)), None)
        if button is None:
            raise NotShown(f"no button {label_or_action!r} in the dialog {self.key}")
        failed = len(self._d.fake.invoke_failures)
        if forged_value is not None:
            return self._forged_press(button, forged_value, failed)
        response = self._d.teams.submit_dialog(self.user, self._live().conversation_id, {}, action=button.label)
        return self._answered(response, failed)

    def _forged_press(self, button: Button, value: Any, failed: int) -> Submitted:
        """A tampered client: the button's own submission, naming another value."""
        platform, tenant = self._d.teams, self._d.fake.tenant
        data = json.loads(button.where or "{}")
        data["dhr"] = {**data.get("dhr", {}), "value": value}
        with tenant.lock:
            chat = tenant.chat(self._live().conversation_id)
            activity = activities.invoke(tenant, chat, self.user, "task/submit", {"data": data,
                                                                                  "context": {"theme": "default"}})
        response = platform.send(activity)
        if response.status == 200 and response.text.strip():
            platform._apply_task_answer(self.user, chat, activity, response)
        return self._answered(response, failed)

    def cancel(self) -> None:
        self._d.teams.close_dialog(self.user)


# ---------------------------------------------------------------- the driver

class TeamsDriver:
    platform = "teams"
    space_word = "chat"          # what the bot calls a review's space
    closed_suffix = " (closed)"  # a concluded review's chat topic: "dhr-2026-03 (closed)"
    files_in_spaces = False   # files go both ways in a review's space (else only in DMs)

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self._users: dict[str, User] = dict(bot.people)          # journey name -> Teams user
        self._forms: dict[str, TeamsForm] = {}                    # the dialog each person has open
        self._offers_seen: set[str] = set()                       # "Open: ..." buttons already pressed
        self._replies: dict[str, list[tuple[str, str]]] = {}      # per person: ("message", id) | ("said", text)
        self._marks: dict[int, tuple[int, int]] = {0: (0, 0)}
        self._homes: set[str] = set()                             # "My work" cards: Slack's Home, not DMs

    @property
    def fake(self) -> Any:
        return self.bot.fake

    @property
    def teams(self) -> Any:               # Teams' side of the wire (bot.teamsfake.TeamsPlatform)
        return self.bot.platform

    @property
    def db(self) -> Any:
        return self.bot.db

    # ---- people and places -----------------------------------------------------------------------

    def user(self, who: Who) -> User:
        if isinstance(who, User):
            return who
        name = getattr(who, "name", None) if isinstance(who, Person) else None
        if name in self._users:
            return self._users[name]
        if who in self._users:
            return self._users[who]
        found = self.fake.tenant.find_user(str(who))
        if found is None:
            raise AssertionError(f"nobody called {who!r} on Teams")
        return found

    def person(self, who: Who) -> Person:
        user = self.user(who)
        name = next((n for n, u in self._users.items() if u is user), user.name)
        return Person(user.aad_id, name)

    def add_person(self, name: str) -> Person:
        user = self.fake.add_user(name.replace(".", " ").title())
        self._users[name] = user
        self.teams.install_for(user)
        return Person(user.aad_id, name)

    def add_space(self, name: str, members: list[Who], *, private: bool = False) -> Space:
        """A group chat people made, with the app added by its first member."""
        people = [self.user(m) for m in members]
        chat = self.fake.add_chat(name, people)
        self.teams.add_to_chat(people[0], chat.id)
        return Space(chat.id, name)

    def add_to_space(self, who: Who, space: Space) -> None:
        """Someone added to the chat by a person in it, not through the bot (Teams tells the bot)."""
        tenant, user = self.fake.tenant, self.user(who)
        with tenant.lock:
            chat = tenant.chat(space)
            tenant.add_member(chat, user, ["owner"])
            actor = events.chat_actor(chat)
            sent = events.members_added(tenant, chat, actor, [user])
        for activity in sent:
            self.teams.send(activity)

    def dm(self, who: Who) -> Space:
        return Space(self.fake.personal_chat(self.user(who)).id, "dm")

    def mention(self, who: Who) -> str:
        return f"<at>{self.user(who).name}</at>"

    def link(self, space: Space) -> str:
        """How the bot names a review's chat: by its name (Teams links a chat by no id a person reads)."""
        return self.space_name(space)

    def hint(self, words: str) -> str:
        """How the bot tells a person to type a command: in bold, the command's words first (the help
        adds what may follow them inside the bold: "status [DHR-YYYY-NN]")."""
        return f"*{words}"

    # ---- doing -----------------------------------------------------------------------------------

    @as_person
    def command(self, who: Who, text: str = "", *, space: Space | None = None) -> Said:
        """The words typed to the bot: in the person's 1:1 chat, or after @DHR Bot in a group chat. A
        dialog open in front of them is closed first (Teams' dialogs are modal)."""
        user = self.user(who)
        self.teams.close_dialog(user)
        mine = self.dm(user)
        before = len(self.fake.bot_messages_in(mine))
        response = self.teams.say(user, space if space is not None else mine, text)
        said = [self._seen(m, mine).text for m in self.fake.bot_messages_in(mine)[before:]]
        return Said(response.status, "\n".join(said), response)

    def say(self, who: Who, text: str, *, space: Space | None = None) -> Any:
        return self.command(who, text, space=space)

    def _offer(self, user: User) -> bool:
        """Presses the newest "Open: ..." button the bot answered a typed command with, once."""
        mine = self.dm(user)
        offers = [m for m in self.fake.bot_messages_in(mine)
                  if m.id not in self._offers_seen and any(b.action == OPEN_FORM for b in buttons_in(m.cards))]
        if not offers:
            return False
        self._offers_seen.update(m.id for m in offers)
        button = next(b for b in buttons_in(offers[-1].cards) if b.action == OPEN_FORM)
        self._press(user, mine, offers[-1], button)
        return True

    def _current(self, user: User) -> TeamsForm | None:
        form = self._forms.get(user.aad_id)
        return form if form is not None and not form.closed else None

    def form(self, who: Who, key: str | None = None, timeout: float = 10.0) -> TeamsForm:
        """The dialog in front of the person (opening the one a typed command offered, if any)."""
        user = self.user(who)

        def ready() -> TeamsForm | None:
            self._offer(user)
            form = self._current(user)
            return form if form is not None and (key is None or form.key == key) else None
        return wait(ready, timeout, f"a form for {who}")

    def form_after(self, who: Who, action: Callable[[], Any], key: str | None = None,
                   differs: str | None = None) -> TeamsForm:
        """The dialog shown after `action` (a command, a press): a new one, or the same one changed
        (with `differs`, one for another purpose than that)."""
        user = self.user(who)
        old = self._current(user)
        seen = (old, json.dumps(old.card, sort_keys=True)) if old is not None else None
        action()

        def ready() -> TeamsForm | None:
            self._offer(user)
            form = self._current(user)
            if form is None or (key and form.key != key) or (differs is not None and form.key == differs):
                return None
            if differs is None and seen is not None and (form, json.dumps(form.card, sort_keys=True)) == seen:
                return None
            return form
        return wait(ready, what=f"a form for {who}")

    def open_form(self, who: Who, text: str, *, space: Space | None = None) -> TeamsForm:
        return self.form_after(who, lambda: self.command(who, text, space=space))

    @as_person
    def press(self, who: Who, message: Seen, label_or_action: str, *, value: str | None = None,
              near: str | None = None, forged_value: Any = None) -> Any:
        """Press a button on a card the person sees; `forged_value`: a tampered client sends another value."""
        user = self.user(who)
        if near is not None:
            part = next(p for p in message.sections if near in p.text and any(
                label_or_action in (b.action, b.label) for b in p.buttons))
            button = next(b for b in part.buttons if label_or_action in (b.action, b.label))
        else:
            button = message.button(label_or_action, value)
        if forged_value is not None:
            return self._forged(user, message.space, button.action, forged_value, reply_to=message.ref)
        return self._press(user, message.space, message.raw, button)

    def _press(self, user: User, chat_id: str, message: Message, button: Button) -> Any:
        data = json.loads(button.where) if button.where else None
        response = self.teams.press(user, chat_id, message.id, data)
        self._after_fetch(user, response)
        return response

    def _after_fetch(self, user: User, response: Any) -> None:
        """A dialog opened (a new form in front of them), or a short message said in its place."""
        dialog = self.teams.open_dialog(user)
        current = self._forms.get(user.aad_id)
        if dialog is not None and (current is None or current.dialog is not dialog):
            self._forms[user.aad_id] = TeamsForm(self, user, dialog)
        said = submitted(response)
        if said.kind == "closed":
            self._note_reply(user, said.text)

    @as_person
    def press_unshown(self, who: Who, action: str, value: str, *, space: Space | None = None) -> Any:
        """A tampered client: a signed press of a button the person was never shown, naming `value`
        (as if pressed in `space`, else in their 1:1 chat)."""
        user = self.user(who)
        return self._forged(user, space if space is not None else self.dm(user), action, value)

    def _forged(self, user: User, chat_id: str, action: str, value: Any, reply_to: str | None = None) -> Any:
        tenant = self.fake.tenant
        data = {"msteams": {"type": "task/fetch"}, "dhr": {"action": action, "value": value}}
        with tenant.lock:
            chat = tenant.chat(chat_id)
            if chat is None or chat.member(user.aad_id) is None:
                raise NotShown(f"{user.name} is not in {chat_id}")
            activity = activities.invoke(tenant, chat, user, "task/fetch", {"data": data,
                                                                           "context": {"theme": "default"}}, reply_to)
        response = self.teams.send(activity)
        if response.status == 200:
            self.teams._apply_task_answer(user, chat, activity, response)
        self._after_fetch(user, response)
        return response

    @as_person
    def share_file(self, who: Who, filename: str, content: bytes | None, *, space: Space | None = None,
                   title: str | None = None) -> str:
        """A file attached to a message: in the person's 1:1 chat with the bot (space None), or posted in a
        group chat with the bot mentioned (Teams passes the bot no file there). Its download token."""
        user = self.user(who)
        if space is None or space == self.dm(user):
            response = self.teams.upload_file(user, "", filename, content or b"")
            url = response.sent["attachments"][0]["content"]["downloadUrl"]
            return url.rsplit("/", 1)[-1]
        self.teams.post_file_in_chat(user, space, filename, content or b"")
        with self.fake.tenant.lock:
            return next(t for t, f in reversed(self.fake.tenant.files.items()) if f.uploader == user.aad_id)

    # ---- time passing ----------------------------------------------------------------------------

    def sweep_env(self) -> dict:
        """The environment a `python -m bot sweep` process needs to reach this Teams."""
        return teams_env(self.fake, [self._users[a] for a in TEAMS_ADMINS], self.db.url)

    def start_sweep(self, when: datetime) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "bot", "sweep", "--now", when.isoformat()], cwd=ROOT,
                                env=self.sweep_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def log_text(self) -> str:
        return self.bot.log_path.read_text(errors="replace")

    # ---- the wire --------------------------------------------------------------------------------

    def traffic_count(self) -> int:
        """A mark in the traffic (the bot's calls to Teams and its answers to Teams' activities)."""
        mark = len(self._marks)
        self._marks[mark] = (len(self.fake.calls), len(self.fake.deliveries))
        return mark

    def traffic(self, since: int = 0) -> str:
        calls, delivered = self._marks[since]
        sent = [[c.method, c.path, c.request, c.response] for c in self.fake.calls[calls:]]
        answered = [[d.activity.get("type"), d.body] for d in self.fake.deliveries[delivered:]]
        return json.dumps(sent + answered, ensure_ascii=False, default=str)

    # ---- seeing ----------------------------------------------------------------------------------

    def _seen(self, m: Message, space: str) -> Seen:
        preview = words(m.text)
        text = "\n".join(t for t in (preview, *(card_words(c) for c in m.cards)) if t)
        sections = [s for c in m.cards for s in sections_in(c)]
        sender = self.fake.tenant.find_user(m.sender_id)      # a person by their Entra id, as `person` gives it
        return Seen(text, [b for c in m.cards for b in buttons_in(c)], Space(space), m.id,
                    m.sender_id == self.fake.bot_account_id, m, preview, sections,
                    sender.aad_id if sender else m.sender_id)

    def messages(self, space: Space, include_system: bool = False) -> list[Seen]:
        return [self._seen(m, space) for m in self.fake.messages_in(space)]

    def reread(self, message: Seen) -> Seen:
        chat = self.fake.chat(message.space)
        return self._seen(chat.message(message.ref), message.space)

    def dms(self, who: Who) -> list[Seen]:
        """What the bot said in the person's 1:1 chat, oldest first; not the "Open: ..." buttons it answers a
        typed command with (on Slack the form just opens: the journeys count messages, not forms)."""
        mine = self.dm(who)
        return [self._seen(m, mine) for m in self.fake.bot_messages_in(mine)
                if m.id not in self._homes and not any(b.action == OPEN_FORM for b in buttons_in(m.cards))]

    def _note_reply(self, user: User, said: str) -> None:
        self._scan(user)
        self._replies.setdefault(user.aad_id, []).append(("said", said))

    def _scan(self, user: User) -> list[tuple[str, str]]:
        log = self._replies.setdefault(user.aad_id, [])
        known = {ref for kind, ref in log if kind == "message"}
        log += [("message", m.id) for m in self.fake.bot_messages_in(self.dm(user))
                if m.id not in known and m.id not in self._homes]
        return log

    def replies(self, who: Who) -> list[Seen]:
        """The bot's private answers: its messages in the person's 1:1 chat (replaced in place as it
        answers a button there) and what a button's dialog closed with, oldest first."""
        user = self.user(who)
        mine = self.dm(user)
        chat = self.fake.chat(mine)
        out = []
        for kind, ref in list(self._scan(user)):
            if kind == "message":
                out.append(self._seen(chat.message(ref), mine))
            else:
                out.append(Seen(ref, [], Space(mine), "", True, None, ref))
        return out

    def ephemerals(self, who: Who, space: Space) -> list[Seen]:
        """Teams shows nothing to one person inside a group chat: what is for them alone is in their 1:1 chat."""
        return self.replies(who)

    def card(self, space: Space) -> Seen:
        """The review's summary card: the card the bot keeps up to date in the review's chat."""
        with self.db.session() as s:
            ref = s.exec(select(Review.card_ref).where(Review.space_id == space)).first()
        chat = self.fake.chat(space)
        message = chat.message(ref) if ref else None
        if message is None:
            message = next(m for m in chat.visible_messages() if m.sender_id == self.fake.bot_account_id and m.cards)
        return self._seen(message, space)

    def _home_card(self, user: User) -> tuple[str, int] | None:
        """(message id, versions drawn) of the person's "My work" card, as the bot keeps it."""
        with self.db.session() as s:
            ref = s.exec(select(HomeCard.activity_id).where(HomeCard.user_id == user.aad_id.lower())).first()
        message = self.fake.chat(self.dm(user)).message(ref) if ref else None
        if message is None:
            return None
        self._homes.add(message.id)
        return message.id, len(message.versions)

    def home_after(self, who: Who, action: Callable[[], Any]) -> Seen:
        """The "My work" card once `action` (typing home, a press) made the bot post it or redraw it."""
        user = self.user(who)
        before = self._home_card(user)
        action()
        wait(lambda: (now := self._home_card(user)) is not None and now != before, what="the My work card")
        return self.home_now(user)

    def home(self, who: Who) -> Seen:
        """The person types home in their 1:1 chat and reads the card it posts."""
        return self.home_after(who, lambda: self.command(who, "home"))

    def home_now(self, who: Who) -> Seen:
        user = self.user(who)
        card = self._home_card(user)
        if card is None:
            raise NotShown(f"{user.name} has no My work card")
        mine = self.dm(user)
        return self._seen(self.fake.chat(mine).message(card[0]), mine)

    def files(self, space: Space) -> list[SharedFile]:
        return [f for f in self.shared_files() if space in f.spaces]

    def shared_files(self) -> list[SharedFile]:
        """Files the bot sent people: each file consent card waiting in a 1:1 chat is allowed first, as the
        person would, so the file is in their OneDrive; then every such file, with the 1:1 chat it came in."""
        self.allow_files()
        chats = {u.aad_id: self.fake.personal_chat(u) for u in list(self.fake.users.values())}
        return [SharedFile(f.name, f.content, [chats[f.owner].id]) for f in self.fake.drive_files]

    def consent_cards(self, who: Who) -> list[Message]:
        """The file consent cards in the person's 1:1 chat still waiting for an answer."""
        return [m for m in self.fake.bot_messages_in(self.dm(who)) if m.attachments_of(FILE_CONSENT)]

    def allow_files(self) -> None:
        for user in list(self.fake.users.values()):
            if self.fake.tenant.installed_for(user) is None:
                continue
            for card in self.consent_cards(user):
                self.teams.accept_file(user, self.dm(user), card.id)

    def reads(self) -> list[str]:
        return self.fake.file_reads

    def members(self, space: Space) -> set[str]:
        with self.fake.tenant.lock:
            return {m.user.aad_id for m in self.fake.chat(space).members.values()}

    def archived(self, space: Space) -> bool:
        """Closed, Teams' equivalent: a chat cannot be archived, so a concluded review's chat keeps only its
        coordinator(s) (bot/workflow/report/conclusion.archive_or_empty), and nobody else reads it any more."""
        with self.db.session() as s:
            coordinators = set(s.exec(select(PersonRow.user_id).join(Membership, Membership.person_id == PersonRow.id)
                                      .join(Review, Review.id == Membership.review_id)
                                      .where(Review.space_id == space, Membership.role == "coordinator",
                                             Membership.status == "active")).all())
        return bool(coordinators) and {m.lower() for m in self.members(space)} == {c.lower() for c in coordinators}

    def private(self, space: Space) -> bool:
        return True       # a group chat is seen by its members only

    def space_count(self) -> int:
        return len([c for c in self.fake.chats.values() if c.is_group])

    def space_name(self, space: Space) -> str:
        return self.fake.chat(space).topic or ""

    def space_of(self, reference: str) -> Space:
        """The group chat the bot made for a review (named for its reference)."""
        name = reference.lower()
        made = [c for c in self.fake.chats.values()
                if c.is_group and c.installed and (c.topic == name or (c.topic or "").startswith((name + "-", name + " ")))]
        assert made, f"no chat for {reference}"
        return Space(made[-1].id, made[-1].topic or "")
