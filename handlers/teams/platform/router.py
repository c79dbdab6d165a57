"""From a verified activity to the one handler for it, through tables the capability modules fill.

- a message: the first word typed is the command (the same words as after `/dhr` in Slack);
- a `task/fetch` invoke: a card button (its `dhr.action`), or OPEN_FORM re-running a typed command
  so that its form can open as a dialog;
- a `task/submit` invoke: a dialog's submission (its `dhr_form`), with the form's own builder to
  show it again beside its errors; or a button inside a dialog (its `dhr.action`, as a card button);
- a message carrying a file: the file route of the chat it came in (1:1: read it; group: say where files go);
- a `fileConsent/invoke`: the person's answer to a file consent card (consent.py);
- installation and conversation updates: where the bot can now reach people and chats.
Every activity also refreshes the directory (the latest serviceUrl, the 1:1 chat, the name).
"""
import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.text import text
from handlers.teams.platform import consent, errors, files_in, guard, home_cards
from handlers.teams.platform.activity import GROUP_CHAT, Activity
from handlers.teams.platform.context import Teams
from handlers.teams.platform.interaction import OPEN_FORM, TeamsInteraction
from messages import tree

log = logging.getLogger("dhr.teams")
NOT_SAVED = "Not saved"
FILE_CONSENT = "fileConsent/invoke"

Command = Callable[[Teams, TeamsInteraction, str], None]           # (teams, ui, words after the command)
Action = Callable[[Teams, TeamsInteraction, str], None]            # (teams, ui, the button's value)
Rebuild = Callable[[Teams, Activity, dict], tree.Form]             # (teams, activity, form metadata)
Submit = Callable[[Teams, TeamsInteraction, dict], None]           # (teams, ui, form metadata)


@dataclass(frozen=True)
class FormRoute:
    rebuild: Rebuild
    submit: Submit


FileSent = Callable[[Teams, TeamsInteraction], None]               # (teams, ui): a message carrying a file


@dataclass
class Routes:
    commands: dict[str, Command]
    actions: dict[str, Action]
    forms: dict[str, FormRoute]
    unknown: Command
    files: dict[str, FileSent] = field(default_factory=dict)        # "personal" / "group": where it was sent

    def add(self, rows) -> None:
        """Rows of ("command", word, fn), ("action", action id, fn), ("form", callback, FormRoute) or
        ("file", "personal" | "group", fn)."""
        for kind, key, fn in rows:
            table = {"command": self.commands, "action": self.actions, "form": self.forms, "file": self.files}[kind]
            if key in table:
                raise ValueError(f"two Teams handlers for {kind} {key!r}")
            table[key] = fn


def handle(teams: Teams, routes: Routes, activity: Activity) -> dict | None:
    """The invoke's answer (never empty), or None for anything else."""
    remember(teams, activity)
    ui = TeamsInteraction(activity, teams.port(activity.service_url))
    since = _audit_mark(teams)
    try:
        _route(teams, routes, activity, ui)
    except Exception as err:  # noqa: BLE001 - the person is told; the log has the type only
        errors.tell(ui, err)
    _redraw_homes(teams, since)
    if activity.type == "invoke" and activity.name == FILE_CONSENT:
        return {}       # Teams wants only a 200 for a consent answer; what happened is said in the chat
    return ui.answer()


def _audit_mark(teams: Teams) -> int | None:
    try:
        return home_cards.mark(teams)
    except Exception as err:  # noqa: BLE001 - a database that fails here fails the request's own step, told there
        log.warning("could not mark the audit log: %s", type(err).__name__)
        return None


def _redraw_homes(teams: Teams, since: int | None) -> None:
    """Whoever's work this changed sees their "My work" card redrawn (home_cards)."""
    if since is None:
        return
    try:
        home_cards.after(teams, since)
    except Exception as err:  # noqa: BLE001 - the request itself is done; its answer must still go
        log.warning("could not look for home cards to redraw: %s", type(err).__name__)


def _route(teams: Teams, routes: Routes, activity: Activity, ui: TeamsInteraction) -> None:
    on_file = routes.files.get("personal" if activity.personal else "group")
    if activity.type == "message" and activity.user_id and on_file and _carries_file(activity):
        if _first(teams, activity):
            on_file(teams, ui)
    elif activity.type == "message" and activity.user_id and _first(teams, activity):
        words = activity.command_text()
        if not words and on_file and not activity.personal:
            on_file(teams, ui)      # a bare mention may be a file Teams kept back: say where files go first
        _command(teams, routes, activity, ui, words)
    elif activity.type == "invoke" and activity.name == FILE_CONSENT:
        if _first(teams, activity):
            consent.answer(teams, ui)
    elif activity.type == "invoke" and activity.name == "task/fetch":
        _pressed(teams, routes, activity, ui)
    elif activity.type == "invoke" and activity.name == "task/submit":
        if _first(teams, activity):
            _submitted(teams, routes, activity, ui)
        else:       # Teams re-sent a submission it thinks went unanswered: it was handled once
            ui.close("This was already saved.")
    elif activity.type == "invoke":
        ui.close("This action is not available here.")


def _carries_file(activity: Activity) -> bool:
    """In a group chat Teams passes a bot no file, only the text of its @mention: a bare mention is what a
    file posted with one looks like, so it is also told where files go (_route), then answered as usual."""
    if activity.personal:
        return files_in.sent_file(activity.attachments) is not None
    return files_in.shares_a_file(activity.attachments)


def _command(teams: Teams, routes: Routes, activity: Activity, ui: TeamsInteraction, words: str) -> None:
    refused = guard.command_refusal(words, teams.svc.redactions)
    if refused:
        ui.reply(text(refused))
        return
    word, _, rest = words.partition(" ")
    ui._reopen = words
    routes.commands.get(word.lower(), routes.unknown)(teams, ui, rest.strip())


def _pressed(teams: Teams, routes: Routes, activity: Activity, ui: TeamsInteraction) -> None:
    pressed = activity.data.get("dhr")
    pressed = pressed if isinstance(pressed, dict) else {}
    action, value = pressed.get("action"), pressed.get("value")
    if isinstance(pressed.get("select"), str):        # a menu in a card: the choice comes as its input
        value = activity.data.get(pressed["select"])
    if not isinstance(action, str) or not isinstance(value, (str, type(None))):
        ui.close("This button is not one the bot made.")
        return
    if action == OPEN_FORM:
        _reopen(teams, routes, ui, value or "")
        return
    handler = routes.actions.get(action)
    if handler is None:
        ui.close("This button is no longer in use.")
        return
    handler(teams, ui, value or "")


def _reopen(teams: Teams, routes: Routes, ui: TeamsInteraction, value: str) -> None:
    """A typed command's form, opened from the button it answered with, as if in the chat it was typed in."""
    try:
        asked = json.loads(value)
    except ValueError:
        asked = None
    words, space = (asked.get("words"), asked.get("space")) if isinstance(asked, dict) else (None, None)
    if not isinstance(words, str) or not isinstance(space, str):
        ui.close("This button is not one the bot made.")
        return
    if space:
        ui.activity = replace(ui.activity, conversation_id=space[:255], conversation_type=GROUP_CHAT)
    _command(teams, routes, ui.activity, ui, " ".join(words.split())[:200])


def _submitted(teams: Teams, routes: Routes, activity: Activity, ui: TeamsInteraction) -> None:
    callback, meta = activity.data.get("dhr_form"), activity.data.get("dhr_meta")
    if callback is None and isinstance(activity.data.get("dhr"), dict):
        _pressed(teams, routes, activity, ui)    # a button inside a dialog: Teams sends it as a submit
        return
    route = routes.forms.get(callback) if isinstance(callback, str) else None
    if route is None:
        ui.close("This form is no longer in use: open it again.")
        return
    meta = meta if isinstance(meta, dict) else {}
    ui._rebuild = functools.cache(lambda: route.rebuild(teams, activity, meta))
    try:
        form = ui._rebuild()
    except WorkflowError as err:
        # The form no longer opens as it was (its review concluded meanwhile, the person was removed):
        # the dialog stays and says why, as Slack's modal does, and nothing is saved.
        ui._rebuild = None
        ui.replace_form(tree.notice(NOT_SAVED, err.rich or text(err.message)))
        return
    errors = guard.field_errors(form, ui.typed(), teams.svc.redactions)
    if errors:
        ui.show_errors(errors, blank=frozenset(errors))
        return
    route.submit(teams, ui, meta)


def _first(teams: Teams, activity: Activity) -> bool:
    """Teams re-sends a message it thinks was missed: the first delivery only."""
    if not activity.id:
        return True
    with teams.svc.db.session() as s:
        return kernel.first_delivery(s, f"teams:{activity.conversation_id[-20:]}:{activity.id}"[:64],
                                     teams.svc.clock.now())


def remember(teams: Teams, activity: Activity) -> None:
    d = teams.directory
    if activity.personal:
        d.remember_person(activity.user_id, conversation_id=activity.conversation_id,
                          service_url=activity.service_url, platform_user_id=activity.platform_user_id,
                          name=activity.user_name)
        return
    d.remember_space(activity.conversation_id, activity.service_url)
    if activity.user_id:
        d.remember_person(activity.user_id, conversation_id=None, service_url=activity.service_url,
                          platform_user_id=activity.platform_user_id, name=activity.user_name)
