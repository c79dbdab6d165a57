"""The journeys' driver on Slack: slash commands, modals, block actions and Events API deliveries,
each signed as Slack signs them and sent to the real bot server, with what people see read back
from the Slack fake (bot/slackfake)."""
from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from typing import Any, Callable
from urllib.parse import quote

from bot.slackfake import viewstate
from bot.slackfake.errors import ClientSideValidation
from bot.slackfake.errors import NotShown as SlackNotShown
from tests.e2e.driver.base import (
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
from tests.e2e.server import ADMINS, FIELD_KEY, HMAC_KEY, ROOT, SECRET, TOKEN
from tests.e2e.server import AUTHOR as S_AUTHOR
from tests.e2e.server import CHAIR as S_CHAIR
from tests.e2e.server import COORDINATOR as S_COORDINATOR
from tests.e2e.server import HEALTH as S_HEALTH
from tests.e2e.server import OBSERVER as S_OBSERVER
from tests.e2e.server import OUTSIDER as S_OUTSIDER
from tests.e2e.server import POLICE as S_POLICE

SLACK_IDS = {"coordinator": S_COORDINATOR, "chair": S_CHAIR, "police.lead": S_POLICE, "outsider": S_OUTSIDER,
             "health.lead": S_HEALTH, "imr.author": S_AUTHOR, "observer": S_OBSERVER}
_KINDS = {"plain_text_input": "text", "datepicker": "date", "static_select": "choice", "radio_buttons": "choice",
          "multi_static_select": "multi_choice", "checkboxes": "multi_choice", "users_select": "person",
          "multi_users_select": "people", "file_input": "file", "number_input": "number",
          "conversations_select": "space", "channels_select": "space"}


def as_person(act: Callable) -> Callable:
    """What Slack's client would not let a person do, in the driver's words."""
    @functools.wraps(act)
    def acting(*args: Any, **kwargs: Any) -> Any:
        try:
            return act(*args, **kwargs)
        except ClientSideValidation as refused:
            raise InputRefused(refused.block_id, str(refused)) from refused
        except SlackNotShown as hidden:
            raise NotShown(str(hidden)) from hidden
    return acting


def wait(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def block_text(blocks: Any) -> str:
    """Every piece of text in a list of blocks, for assertions on what a user reads."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(out)


def _elements(blocks: list[dict]) -> list[tuple[str, dict]]:
    out = []
    for block in blocks or []:
        out += [(block.get("block_id"), el) for el in block.get("elements", []) if isinstance(el, dict)]
        if block.get("accessory"):
            out.append((block.get("block_id"), block["accessory"]))
    return out


def sections_of(blocks: list[dict]) -> list[Section]:
    return [Section(block_text([b]), buttons_of([b])) for b in blocks or []]


def buttons_of(blocks: list[dict]) -> list[Button]:
    return [Button(el["action_id"], el.get("text", {}).get("text", ""), el.get("value"), block_id)
            for block_id, el in _elements(blocks) if el.get("type") == "button"]


class SlackForm:
    """A modal as the person sees it. `view` is the fake's live view (Slack-only tests may read it)."""

    def __init__(self, driver: "SlackDriver", user: str, view: Any) -> None:
        self._d, self.user, self.view = driver, user, view
        self.id = view.id

    @property
    def key(self) -> str:
        """What the form is for now (a press may swap in another form in the same place)."""
        return self.view.callback_id

    def __getattr__(self, name: str) -> Any:        # Block Kit details, for Slack-only assertions
        return getattr(self.view, name)

    @property
    def title(self) -> str:
        return (self.view.title or {}).get("text", "")

    @property
    def text(self) -> str:
        return block_text(self.view.blocks)

    @property
    def fields(self) -> list[Field]:
        return [self._field(b) for b in viewstate.input_blocks(self.view)]

    def _field(self, block: dict) -> Field:
        el = block["element"]
        options = [(o["text"]["text"], o["value"]) for o in viewstate.options_of(el)]
        initial = el.get("initial_value") or el.get("initial_date") or el.get("initial_user") \
            or el.get("initial_option", {}).get("value") or [o["value"] for o in el.get("initial_options", [])] or None
        return Field(block["block_id"], block.get("label", {}).get("text", ""), not block.get("optional", False),
                     _KINDS.get(el.get("type", ""), el.get("type", "")), options, initial,
                     block.get("hint", {}).get("text", ""))

    def field(self, key: str) -> Field:
        found = [f for f in self.fields if f.key == key]
        assert found, f"no field {key!r} in form {self.key}: {[f.key for f in self.fields]}"
        return found[0]

    def has_field(self, key: str) -> bool:
        return any(f.key == key for f in self.fields)

    def initial(self, key: str) -> Any:
        return self.field(key).initial

    def option(self, key: str, label: str, *, starts: bool = False) -> str:
        for shown, value in self.field(key).options:
            if shown == label or (starts and shown.startswith(label)):
                return value
        raise AssertionError(f"no option {label!r} in {key}: {self.field(key).options}")

    @property
    def buttons(self) -> list[Button]:
        return buttons_of(self.view.blocks)

    @property
    def closed(self) -> bool:
        return self.view.closed

    @property
    def errors(self) -> dict[str, str]:
        return dict(self.view.errors or {})

    @property
    def can_submit(self) -> bool:
        return bool(self.view.content.get("submit"))

    @property
    def intro(self) -> str:
        """The form's first line, above its fields."""
        return block_text(self.view.blocks[:1])

    def value(self, key: str) -> Any:
        """What is in a field now (typed or chosen, kept across a refusal)."""
        block = next(b for b in viewstate.input_blocks(self.view) if b["block_id"] == key)
        held = self.view.state.get(key, {}).get(block["element"]["action_id"], {})
        for name in ("value", "selected_date", "selected_user", "selected_time"):
            if held.get(name) is not None:
                return held[name]
        if held.get("selected_option"):
            return held["selected_option"]["value"]
        if held.get("selected_options") is not None:
            return [o["value"] for o in held["selected_options"]]
        return None

    @property
    def all_text(self) -> str:
        return json.dumps(self.view.blocks, ensure_ascii=False)

    @property
    def metadata(self) -> dict:
        return json.loads(self.view.private_metadata or "{}")

    def _typed(self, values: dict[str, Any]) -> dict[str, Any]:
        """People in person fields are named as in the journey; Slack wants their user ids."""
        kinds = {f.key: f.kind for f in self.fields}
        out = {}
        for key, value in values.items():
            if kinds.get(key) == "person" and value:
                value = self._d.person(value)
            elif kinds.get(key) == "people" and value:
                value = [self._d.person(v) for v in value]
            out[key] = value
        return out

    @as_person
    def fill(self, values: dict[str, Any]) -> None:
        self._d.slack.fill(self.user, self.view.id, self._typed(values))

    @as_person
    def submit(self, values: dict[str, Any] | None = None) -> Submitted:
        return submitted(self._d.slack.submit_view(self.user, self.view.id, self._typed(values or {})))

    @as_person
    def press(self, label_or_action: str, *, forged_value: Any = None) -> Any:
        button = next((b for b in self.buttons if label_or_action in (b.action, b.label)), None)
        action = button.action if button else label_or_action   # a select that dispatches, by action id
        extra = {} if forged_value is None else {"forged_value": forged_value}
        return self._d.slack.click(self.user, action, view_id=self.view.id, **extra)

    @as_person
    def choose(self, action: str, value: Any) -> Any:
        """Pick a value in an element that answers at once (dispatch_action)."""
        return self._d.slack.click(self.user, action, view_id=self.view.id, value=value)

    @as_person
    def forge(self, values: dict[str, Any] | None = None, metadata: str | None = None) -> Submitted:
        return submitted(self._d.slack.forge_submission(self.user, self.view.id, self._typed(values or {}),
                                                        private_metadata=metadata))

    @as_person
    def cancel(self) -> None:
        self._d.slack.close_view(self.user, self.view.id)


def submitted(response: Any) -> Submitted:
    said = _submitted(response)
    said.answer = response.text
    return said


def _submitted(response: Any) -> Submitted:
    if getattr(response, "outcome", None) == "generic_error" or response.status != 200:
        return Submitted("failed", raw=response)     # Slack shows "We had some trouble connecting"
    body = response.json() if response.text not in ("", "{}") else {}
    if body.get("response_action") == "errors":
        return Submitted("errors", errors=body["errors"], raw=response)
    if body.get("response_action") == "update":
        return Submitted("notice", text=block_text(body["view"]["blocks"]), raw=response)
    if body.get("response_action") == "push":
        return Submitted("stacked", text=block_text(body["view"]["blocks"]), raw=response)
    if body.get("response_action") == "clear":
        return Submitted("cleared", raw=response)
    if body.get("response_action") is not None:
        return Submitted("failed", raw=response)
    return Submitted("closed", raw=response)


class SlackDriver:
    platform = "slack"
    space_word = "channel"       # what the bot calls a review's space
    closed_suffix = "-closed"    # a concluded review's channel: dhr-2026-03-closed
    files_in_spaces = True   # files go both ways in a review's space (else only in DMs)

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self._ids = dict(SLACK_IDS)
        self._names = {v: k for k, v in self._ids.items()}

    @property
    def fake(self) -> Any:
        return self.bot.fake

    @property
    def slack(self) -> Any:           # read each time: a test may restart the server
        return self.bot.slack

    @property
    def db(self) -> Any:
        return self.bot.db

    # ---- people and places -----------------------------------------------------------------------

    def person(self, who: Who) -> Person:
        if isinstance(who, Person):
            return who
        if who in self._ids:
            return Person(self._ids[who], who)
        if who in self._names or who in self.fake.users:
            return Person(who, self._names.get(who, who))
        raise AssertionError(f"nobody called {who!r} on Slack")

    def add_person(self, name: str, platform_id: str | None = None) -> Person:
        user = platform_id or f"U0{name.upper().replace('.', '')[:7]:0<7}"
        self.fake.add_user(user, name)
        self._ids[name], self._names[user] = user, name
        return Person(user, name)

    def add_space(self, name: str, members: list[Who], *, private: bool = False) -> Space:
        channel = self.fake.add_channel(name, is_private=private, members=[self.person(m) for m in members])
        return Space(channel.id, name)

    def add_to_space(self, who: Who, space: Space) -> None:
        """Someone added by a person in the space, not through the bot."""
        self.fake.channels[space].members.append(self.person(who))

    def dm(self, who: Who) -> Space:
        return Space(self.fake.ws.im_for(self.person(who)).id, "dm")

    def mention(self, who: Who) -> str:
        return f"<@{self.person(who)}>"

    def link(self, space: Space) -> str:
        return f"<#{space}>"

    def hint(self, words: str) -> str:
        """How the bot tells a person to type a command."""
        return f"/dhr {words}"

    # ---- doing -----------------------------------------------------------------------------------

    @as_person
    def command(self, who: Who, text: str = "", *, space: Space | None = None) -> Any:
        """`/dhr <text>` typed by a person in a space, or in their DM with the bot."""
        user = self.person(who)
        return self.slack.command(user, space if space is not None else self.dm(user), text=text)

    def _ready(self, user: str, key: str | None, seen: tuple | None = None, differs: str | None = None):
        view = self.fake.open_view_for(user)
        if view is None or "Loading" in block_text(view.blocks) or (key and view.callback_id != key):
            return None
        if differs is not None and view.callback_id == differs:
            return None
        return view if seen is None or (view.id, view.hash) != seen else None

    def form(self, who: Who, key: str | None = None, timeout: float = 10.0) -> SlackForm:
        """The form in front of the person once the bot has replaced its Loading view."""
        user = self.person(who)
        return SlackForm(self, user, wait(lambda: self._ready(user, key), timeout, f"a form for {who}"))

    def form_after(self, who: Who, action: Callable[[], Any], key: str | None = None,
                   differs: str | None = None) -> SlackForm:
        """The form shown after `action` (a command, a press): a new one, or the same one changed
        (with `differs`, one for another purpose than that)."""
        user = self.person(who)
        old = self.fake.open_view_for(user)
        seen = (old.id, old.hash) if old is not None and differs is None else None
        action()
        return SlackForm(self, user, wait(lambda: self._ready(user, key, seen, differs), what=f"a form for {who}"))

    def open_form(self, who: Who, text: str, *, space: Space | None = None) -> SlackForm:
        """The form a command opens (a fresh one: typing a command closes any open form first)."""
        self.command(who, text, space=space)
        return self.form(who)

    @as_person
    def press(self, who: Who, message: Seen, label_or_action: str, *, value: str | None = None,
              near: str | None = None, forged_value: Any = None) -> Any:
        """Press a button on a message the person sees (in a space, a DM or home); `value` or `near`
        (words beside it) picks one of several alike; `forged_value` is a tampered client sending another value."""
        user = self.person(who)
        if near is not None:
            part = next(p for p in message.sections if near in p.text and any(
                label_or_action in (b.action, b.label) for b in p.buttons))
            button = next(b for b in part.buttons if label_or_action in (b.action, b.label))
        else:
            button = message.button(label_or_action, value)
        extra = {"block_id": button.where} if value is not None or near is not None else {}
        if forged_value is not None:
            extra["forged_value"] = forged_value
        if message.space == "home":
            return self.slack.click(user, button.action, view_id=message.ref, **extra)
        return self.slack.click(user, button.action, message=(message.space, message.ref), **extra)

    @as_person
    def press_unshown(self, who: Who, action: str, value: str, *, space: Space | None = None) -> Any:
        """A tampered client: a signed press of a button the person was never shown, naming `value`
        (as if pressed in `space`; with no space, a press from nowhere the bot can answer in)."""
        user = self.person(who)
        payload: dict[str, Any] = {
            "type": "block_actions", "team": {"id": self.slack.team_id}, "user": {"id": user},
            "api_app_id": self.fake.app_id, "token": "x", "trigger_id": self.fake.issue_trigger(user),
            "actions": [{"type": "button", "action_id": action, "block_id": "x", "value": value,
                         "action_ts": str(time.time())}]}
        if space is not None:
            payload.update(container={"type": "message", "channel_id": space, "message_ts": "1.2"},
                           channel={"id": space}, response_url=self.fake.issue_response_url(space, user))
        return self.slack.raw_post(("payload=" + quote(json.dumps(payload))).encode(),
                                   "application/x-www-form-urlencoded")

    @as_person
    def share_file(self, who: Who, filename: str, content: bytes | None, *, space: Space | None = None,
                   title: str | None = None, **slack: Any) -> str:
        user = self.person(who)
        return self.slack.upload_file(user, space if space is not None else user, filename, content,
                                      title=title, **slack)

    @as_person
    def say(self, who: Who, text: str, *, space: Space | None = None) -> Any:
        user = self.person(who)
        return self.slack.user_message(user, space if space is not None else user, text)

    def sweep_env(self) -> dict:
        """The environment a `python -m bot sweep` process needs to reach this platform."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_"))}
        env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=self.fake.base_url,
                   DATABASE_URL=self.db.url, DHR_ADMINS=",".join(ADMINS), DHR_FIELD_KEYS=FIELD_KEY,
                   DHR_HMAC_KEY=HMAC_KEY, LOG_LEVEL="WARNING")
        return env

    def start_sweep(self, when: datetime) -> subprocess.Popen:
        """Time passes: a reminder sweep process runs as if it were `when`."""
        return subprocess.Popen([sys.executable, "-m", "bot", "sweep", "--now", when.isoformat()], cwd=ROOT,
                                env=self.sweep_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def log_text(self) -> str:
        return self.bot.log_text()

    def traffic_count(self) -> int:
        return len(self.fake.calls())

    def traffic(self, since: int = 0) -> str:
        """Everything that crossed Slack's wire since the `since`-th exchange (what the bot sent, what
        Slack answered), as one string with its characters as sent."""
        return json.dumps([[c.method, c.params, c.response] for c in self.fake.calls()[since:]],
                          ensure_ascii=False, default=str)

    # ---- seeing ----------------------------------------------------------------------------------

    def _seen(self, m: Any, space: str) -> Seen:
        text = (m.text or "") + "\n" + block_text(m.blocks or [])
        return Seen(text, buttons_of(m.blocks or []), Space(m.channel or space), m.ts,
                    m.user == self.fake.bot_user_id, m, m.text or "", sections_of(m.blocks or []), m.user or "",
                    [f.get("name", "") for f in m.files or []])

    def messages(self, space: Space, include_system: bool = False) -> list[Seen]:
        """The space's messages, oldest first; with include_system, the platform's own notices too."""
        return [self._seen(m, space) for m in self.fake.messages(space, include_system=include_system)]

    def shared_files(self) -> list[SharedFile]:
        return [SharedFile(f.name, f.content, list(f.channels)) for f in list(self.fake.files.values())
                if f.user == self.fake.bot_user_id and f.completed and f.channels]

    def files(self, space: Space) -> list[SharedFile]:
        return [f for f in self.shared_files() if space in f.spaces]

    def reads(self) -> list[str]:
        return [c.params.get("file_id") for c in self.fake.calls("file_download")]

    def reread(self, message: Seen) -> Seen:
        """The same message as it reads now (the bot may have changed it)."""
        channel = self.fake.channels[message.space]
        found = channel.message(message.ref) or next(m for m in channel.ephemerals if m.ts == message.ref)
        return self._seen(found, message.space)

    def dms(self, who: Who) -> list[Seen]:
        user = self.person(who)
        return [self._seen(m, user) for m in self.fake.dm_messages(user)]

    def replies(self, who: Who) -> list[Seen]:
        """What the bot answered the person privately (command and button replies), oldest first."""
        return self._replies(self.person(who))

    def all_replies(self) -> list[Seen]:
        """Every private reply to anyone (Slack's response_url posts), oldest first."""
        return self._replies(None)

    def _replies(self, user: str | None) -> list[Seen]:
        urls = self.fake.ws.response_urls
        out = []
        for call in self.fake.responses():
            target = urls.get(call.params.get("_token"))
            if target is not None and user in (None, target.user_id):
                p = call.params
                out.append(Seen(str(p.get("text") or "") + block_text(p.get("blocks") or []),
                                buttons_of(p.get("blocks") or []), Space(target.channel_id),
                                target.message_ts or "", True, call, str(p.get("text") or ""),
                                sections_of(p.get("blocks") or [])))
        return out

    def ephemerals(self, who: Who, space: Space) -> list[Seen]:
        user = self.person(who)
        return [self._seen(m, space) for m in self.fake.ephemeral_messages(space, user)]

    def card(self, space: Space) -> Seen:
        """The review's summary card: the message the bot pinned in the review's space."""
        channel = self.fake.channels[space]
        card = next(channel.message(ts) for ts in channel.pins if channel.message(ts) is not None)
        return self._seen(card, space)

    def _published(self, user: str) -> int:
        return len([c for c in self.fake.calls("views.publish") if c.params.get("user_id") == user and c.ok])

    def home_after(self, who: Who, action: Callable[[], Any]) -> Seen:
        """The person's home view once `action` (opening it, a press) has made the bot publish it again."""
        user = self.person(who)
        before = self._published(user)
        action()
        wait(lambda: self._published(user) > before, what="the home view")
        return self.home_now(user)

    def home(self, who: Who) -> Seen:
        """The person opens the bot's home view and reads it."""
        user = self.person(who)
        return self.home_after(user, lambda: self.slack.event({"type": "app_home_opened", "user": user,
                                                               "tab": "home"}))

    def home_now(self, who: Who) -> Seen:
        view = self.fake.home_view(self.person(who))
        return Seen(block_text(view.blocks), buttons_of(view.blocks), Space("home"), view.id, True, view, "",
                    sections_of(view.blocks))

    def members(self, space: Space) -> set[str]:
        return set(self.fake.channels[space].members)

    def archived(self, space: Space) -> bool:
        return self.fake.channels[space].is_archived

    def private(self, space: Space) -> bool:
        return self.fake.channels[space].is_private

    def space_count(self) -> int:
        """Spaces in the workspace (DMs aside): the bot made none if this has not grown."""
        return len([c for c in self.fake.channels.values() if not c.is_im])

    def space_name(self, space: Space) -> str:
        return self.fake.channels[space].name

    def space_of(self, reference: str) -> Space:
        """The space the bot set up for a review (named for its reference; a suffix if taken)."""
        name = reference.lower()
        made = [c for c in self.fake.channels.values()
                if (c.name == name or c.name.startswith(name + "-")) and self.fake.bot_user_id in c.members]
        assert made, f"no space for {reference}"
        return Space(made[-1].id, made[-1].name)
