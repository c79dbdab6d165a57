"""The sandbox page's Teams view: a small Teams-like client in server-rendered HTML.

What a person does is sent to the bot by TeamsPlatform exactly as Teams sends it: signed activities
to /api/messages (a typed message, a card button's invoke, a dialog's task/submit). What the bot
sends back through the Bot Connector is read from the Teams fake and its Adaptive Cards drawn
generically (templates/teams/_card.html), so new cards show up here without changes. Client-side
checks (a required input left empty) are the Teams client's own, with the card's errorMessage.
"""
import copy
import hashlib
import json
import re
from pathlib import Path

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for

from bot.sandbox import teams_view
from bot.sandbox.people import BY_ID
from bot.sandbox.teams_md import to_html
from bot.teamsfake import ClientSideValidation, NotShown

PREFIX = "/teams/as/<uid>"
ROOT = Path(__file__).resolve().parents[2]
# Microsoft's Adaptive Cards renderer (npm `adaptivecards`), when the set-up installed it (run.sh does, with npm;
# never copied into the repository): the page offers it beside each card for comparison.
REFERENCE_RENDERER = ROOT / "var" / "sandbox-js" / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.min.js"


def add_routes(app, sandbox, ui) -> None:
    teams = _TeamsUi(sandbox, ui)

    @app.get("/vendor/adaptivecards.js")
    def reference_renderer():
        if not REFERENCE_RENDERER.is_file():
            abort(404)
        return send_file(REFERENCE_RENDERER, mimetype="text/javascript", max_age=3600)

    @app.get(PREFIX + "/")
    def teams_home(uid):
        user = teams.user(uid)
        with sandbox.teams_fake.tenant.lock:
            first = sandbox.teams_fake.tenant.installed_for(user)
        return redirect(url_for("teams_chat", uid=uid, cid=first.id))

    @app.get(PREFIX + "/c/<cid>")
    def teams_chat(uid, cid):
        user = teams.user(uid)
        with sandbox.teams_fake.tenant.lock:
            chat = teams.visible_chat(user, cid)
            return render_template("teams/chat.html", **teams.page(uid, user, chat))

    @app.get(PREFIX + "/poll")
    def teams_poll(uid):
        user = teams.user(uid)
        with sandbox.teams_fake.tenant.lock:
            chat = teams.visible_chat(user, request.args.get("c", ""))
            ctx = teams.page(uid, user, chat, flashed=False)
            return jsonify(sidebar=render_template("teams/_sidebar.html", **ctx),
                           main=render_template("teams/_messages.html", **ctx),
                           modal=render_template("teams/_dialog.html", **ctx), modal_key=ctx["modal_key"],
                           clock=ctx["clock_text"])

    @app.post(PREFIX + "/say")
    def teams_say(uid):
        user = teams.user(uid)
        back, cid = _back(), request.form.get("chat", "")
        # In a group chat the sandbox mentions the bot itself, as Teams does once @DHR Bot is picked:
        # an "@DHR Bot" typed out as well is that mention, not part of the command.
        words = re.sub(r"^@\s*DHR Bot\b[\s:,]*", "", (request.form.get("text") or "").strip(), flags=re.I)
        if not words:
            flash("Type a message for DHR Bot, for example help.", "error")
            return redirect(back)
        try:
            mine, failed = teams.answers_in_personal(user), len(sandbox.teams_fake.invoke_failures)
            response = sandbox.teams.say(user, cid, words)
            _report(response, "message")
            teams.tell_where(user, cid, mine, failed)
        except NotShown as err:
            flash(f"Teams would not let you do that here ({err}).", "error")
        return redirect(back)

    @app.post(PREFIX + "/press")
    def teams_press(uid):
        user = teams.user(uid)
        back, cid, mid = _back(), request.form.get("chat", ""), request.form.get("message", "")
        teams.client_errors.pop((uid, mid), None)
        try:
            with sandbox.teams_fake.tenant.lock:
                chat = teams.visible_chat(user, cid)
                message = chat.message(mid)
                if message is None or message.deleted:
                    raise NotShown("that message is gone")
                card = _nth(message.cards, request.form.get("card"))
                action = _chosen(card)
                typed = _typed(card)
                wanted = action.get("data") if isinstance(action.get("data"), dict) else action.get("title")
            mine, failed = teams.answers_in_personal(user), len(sandbox.teams_fake.invoke_failures)
            response = sandbox.teams.press(user, cid, mid, wanted, typed)
            _report(response, "button")
            teams.tell_where(user, cid, mine, failed)
        except ClientSideValidation as err:
            teams.client_errors[(uid, mid)] = (dict(err.errors), typed)
        except (NotShown, LookupError) as err:
            flash(f"That can't be used any more ({err}).", "error")
        return redirect(back)

    @app.post(PREFIX + "/dialog/submit")
    def teams_dialog_submit(uid):
        user = teams.user(uid)
        back = _back()
        teams.client_errors.pop((uid, "dialog"), None)
        dialog = sandbox.teams.open_dialog(user)
        if dialog is None:
            flash("That dialog is no longer open.", "error")
            return redirect(back)
        typed: dict = {}
        try:
            with sandbox.teams_fake.tenant.lock:
                action = _chosen(dialog.card)
                typed = _typed(dialog.card)
            failed = len(sandbox.teams_fake.invoke_failures)
            response = sandbox.teams.submit_dialog(user, dialog.conversation_id, typed, action=action.get("title"))
            _report(response, "dialog", dialog=True)
            teams.tell_where(user, dialog.conversation_id, None, failed)
            closing = _closing_message(response)
            if closing:
                flash(closing, "info")
        except ClientSideValidation as err:
            teams.client_errors[(uid, "dialog")] = (dict(err.errors), typed)
        except (NotShown, LookupError) as err:
            flash(f"That dialog can't be used any more ({err}).", "error")
        return redirect(back)

    @app.post(PREFIX + "/dialog/close")
    def teams_dialog_close(uid):
        user = teams.user(uid)
        teams.client_errors.pop((uid, "dialog"), None)
        sandbox.teams.close_dialog(user)
        return redirect(_back())

    @app.post(PREFIX + "/consent")
    def teams_consent(uid):
        """Allow or Decline on a file consent card in the 1:1 chat: Teams asks the bot to upload (or not)."""
        user = teams.user(uid)
        back, cid, mid = _back(), request.form.get("chat", ""), request.form.get("message", "")
        answer = sandbox.teams.accept_file if request.form.get("answer") == "accept" else sandbox.teams.decline_file
        try:
            _report(answer(user, cid, mid), "file consent")
        except NotShown as err:
            flash(f"Teams would not let you do that here ({err}).", "error")
        return redirect(back)

    @app.post(PREFIX + "/upload")
    def teams_upload(uid):
        """A file sent in the 1:1 chat with the bot (the only place Teams gives a bot files)."""
        user = teams.user(uid)
        back = _back()
        sent = request.files.get("file")
        if sent is None or not sent.filename:
            flash("Choose a file to send.", "error")
            return redirect(back)
        try:
            response = sandbox.teams.upload_file(user, (request.form.get("text") or "").strip(), sent.filename,
                                                 sent.read())
            _report(response, "file")
        except NotShown as err:
            flash(f"Teams would not let you do that here ({err}).", "error")
        return redirect(back)


def _nth(cards: list, index: str | None) -> dict:
    try:
        return cards[int(index or 0)]
    except (ValueError, IndexError):
        raise LookupError("that card has changed") from None


def _chosen(card: dict) -> dict:
    """The action the button named: by its place in the card, checked against its title (the card may have
    been replaced in place since the page was drawn)."""
    shown = teams_view.action_list(card)
    place, _, title = (request.form.get("action") or "").partition("|")
    try:
        action = shown[int(place)]
    except (ValueError, IndexError):
        raise LookupError("that button is gone") from None
    if (action.get("title") or "") != title:
        raise LookupError("that card has changed")
    return action


def _typed(card: dict) -> dict:
    """The card's inputs as the Teams client sends them: strings, a multi-select as "a,b", a toggle as
    its valueOn/valueOff."""
    out = {}
    for input_id, spec in teams_view.input_specs(card).items():
        name = f"i.{input_id}"
        if spec.get("type") == "Input.Toggle":
            out[input_id] = str(spec.get("valueOn", "true")) if name in request.form else str(spec.get("valueOff",
                                                                                                          "false"))
        elif spec.get("isMultiSelect"):
            out[input_id] = ",".join(v for v in request.form.getlist(name) if v)
        elif name in request.form:
            out[input_id] = request.form.get(name, "")
        else:
            out[input_id] = ""
    return out


def _closing_message(response) -> str:
    try:
        task = (response.json() or {}).get("task") if response.text.strip() else None
    except ValueError:
        return ""
    if isinstance(task, dict) and task.get("type") == "message":
        return f"DHR Bot: {task.get('value', '')}"
    return ""


def _back() -> str:
    back = request.form.get("back") or "/"
    return back if back.startswith("/") and not back.startswith("//") else "/"


def _report(response, what: str, dialog: bool = False) -> None:
    if response.status == 0:
        flash(f"The bot did not answer this {what} in time: Teams would show \"Unable to reach app\".", "error")
    elif response.status >= 400:
        flash(f"The bot answered this {what} with HTTP {response.status}: Teams would show an error.", "error")
    elif dialog and not response.text.strip():
        flash("The bot answered the dialog with nothing: Teams would show \"Unable to reach app\".", "error")


class _TeamsUi:
    """Builds the template context for one person's Teams page (under the tenant's lock)."""

    def __init__(self, sandbox, ui):
        self.sandbox, self.ui = sandbox, ui
        # (person, message id | "dialog") -> (the Teams client's errors by input id, what was typed)
        self.client_errors: dict[tuple[str, str], tuple[dict, dict]] = {}

    def user(self, uid: str):
        if uid not in BY_ID or self.sandbox.teams_user(uid) is None:
            abort(404)
        return self.sandbox.teams_user(uid)

    def visible_chat(self, user, cid: str):
        chat = self.sandbox.teams_fake.tenant.chat(cid)
        if not teams_view.can_see(chat, user):
            abort(404)
        return chat

    def answers_in_personal(self, user) -> int:
        personal = self.sandbox.teams_fake.personal_chat(user)
        return len(self.sandbox.teams_fake.bot_messages_in(personal.id)) if personal else 0

    def tell_where(self, user, cid: str, before: int | None, failed: int) -> None:
        """What Teams itself would make plain: "Unable to reach app" on a failed invoke, and (from a group
        chat) a new message from the bot in the person's 1:1 chat, where its private answers go."""
        if len(self.sandbox.teams_fake.invoke_failures) > failed:
            flash("Teams would show \"Unable to reach app\": the bot's answer was late, empty or a card Teams "
                  "refuses.", "error")
        personal = self.sandbox.teams_fake.personal_chat(user)
        if before is not None and personal is not None and personal.id != cid \
                and self.answers_in_personal(user) > before:
            flash("DHR Bot answered you in your 1:1 chat (DHR Bot, under Apps).", "info")

    def people_choices(self, el: dict) -> list[dict]:
        """A people picker (Data.Query on Graph users): the organisation's people, those already chosen first."""
        chosen = [c for c in el.get("choices") or [] if isinstance(c, dict)]
        known = {c.get("value") for c in chosen}
        everyone = sorted(self.sandbox.teams_fake.tenant.users.values(), key=lambda u: u.name)
        return chosen + [{"title": u.name, "value": u.aad_id} for u in everyone if u.aad_id not in known]

    def page(self, uid: str, user, chat, flashed: bool = True) -> dict:
        from flask import get_flashed_messages
        tenant, clock = self.sandbox.teams_fake.tenant, self.sandbox.clock
        dialog = tenant.dialogs.get(user.aad_id)
        dialog_errors, dialog_typed = self.client_errors.get((uid, "dialog"), ({}, {})) if dialog else ({}, {})
        dialog_card = numbered(dialog.card) if dialog else None
        here = url_for("teams_chat", uid=uid, cid=chat.id)
        return {
            "uid": uid, "me": BY_ID[uid], "user": user, "chats": teams_view.chats(tenant, user), "chat": chat,
            "cid": chat.id, "personal": chat.kind == "personal",
            "current": next((c for c in teams_view.chats(tenant, user) if c.id == chat.id), None),
            "messages": teams_view.messages(tenant, clock, chat), "numbered": numbered,
            "message_errors": {mid: v for (who, mid), v in self.client_errors.items()
                               if who == uid and mid != "dialog"},
            "dialog": dialog, "dialog_card": dialog_card, "dialog_errors": dialog_errors, "dialog_typed": dialog_typed,
            "modal_key": hashlib.sha256(json.dumps([dialog.title, dialog.card, dialog_errors], sort_keys=True,
                                                   default=str).encode()).hexdigest()[:16] if dialog else "",
            "back": here, "platform": "teams", "switch_url": url_for("person_home", uid=uid),
            "md": to_html, "people_choices": self.people_choices,
            "clock_text": self.ui.show_time(clock.now()),
            "reference_renderer": REFERENCE_RENDERER.is_file(),
            "flashes": get_flashed_messages(with_categories=True) if flashed else [],
        }


def numbered(card: dict) -> dict:
    """A copy of the card with each Submit/Execute action's place in it, for its button to name."""
    shown = copy.deepcopy(card)
    for i, action in enumerate(teams_view.action_list(shown)):
        action["_sandbox_index"] = i
    return shown
