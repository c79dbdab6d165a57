"""The sandbox page: a small Slack-like client in server-rendered HTML (Flask + Jinja2, a little
vanilla JS). Every action a person takes is sent to the bot by SlackPlatform, signed exactly as
Slack signs it; what the bot sends back through the Web API is read from the fake and rendered
generically from its Block Kit, so new features show up here without changes.
"""
import json
import secrets
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from flask import (
    Flask,
    Response,
    abort,
    flash,
    get_flashed_messages,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from bot.sandbox import surface, teams_web
from bot.sandbox.mrkdwn import Names, to_html
from bot.sandbox.people import BY_ID, PEOPLE
from bot.slackfake import ClientSideValidation, NotShown, SlackError
from bot.slackfake.viewstate import input_blocks

HERE = Path(__file__).parent
BANNER = "Sandbox — fictional data, not connected to Slack or Teams"
LIST_KINDS = {"multi_static_select", "multi_external_select", "checkboxes", "multi_users_select",
              "multi_conversations_select", "multi_channels_select"}


def create_app(sandbox) -> Flask:
    app = Flask("dhr-sandbox", template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.secret_key = secrets.token_bytes(32)
    app.config["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
    ui = _Ui(sandbox)

    @app.context_processor
    def common():
        return {"banner": BANNER, "people": PEOPLE, "ui": ui}

    @app.get("/")
    def choose():
        platform = "teams" if request.args.get("platform") == "teams" else "slack"
        return render_template("choose.html", messages=get_flashed_messages(with_categories=True), platform=platform)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/as/<uid>/")
    def person_home(uid):
        _person(uid)
        return redirect(url_for("conversation", uid=uid, cid=sandbox.general_id))

    @app.get("/as/<uid>/c/<cid>")
    def conversation(uid, cid):
        _person(uid)
        with sandbox.fake.ws.lock:
            ch = sandbox.fake.ws.conversation(cid)
            if ch is None or not surface.can_see(ch, uid):
                abort(404)
            return render_template("conversation.html", **ui.page(uid, cid))

    @app.get("/as/<uid>/home")
    def home(uid):
        _person(uid)
        try:
            sandbox.platform.event({"type": "app_home_opened", "user": uid, "tab": "home"})
        except NotShown as err:
            flash(str(err), "error")
        with sandbox.fake.ws.lock:
            return render_template("home.html", **ui.page(uid, None))

    @app.get("/as/<uid>/poll")
    def poll(uid):
        _person(uid)
        cid = request.args.get("c") or None
        with sandbox.fake.ws.lock:
            ctx = ui.page(uid, cid, flashed=False)
            modal = render_template("_modal.html", **ctx)
            return jsonify(
                sidebar=render_template("_sidebar.html", **ctx),
                main=render_template("_home_tab.html" if cid is None else "_messages.html", **ctx),
                modal=modal, modal_key=ctx["modal_key"], clock=ctx["clock_text"])

    @app.post("/as/<uid>/command")
    def command(uid):
        _person(uid)
        cid = request.form.get("channel", "")
        raw = (request.form.get("text") or "").strip()
        back = _back()
        if not raw:
            flash("Type a command, for example /dhr help.", "error")
            return redirect(back)
        word, _, rest = raw.partition(" ")
        if not word.startswith("/"):
            flash("This sandbox sends slash commands only: start with /dhr (try /dhr help).", "error")
            return redirect(back)
        try:
            resp = sandbox.platform.command(uid, cid, text=rest.strip(), command=word)
            _report(resp, "command")
        except NotShown as err:
            flash(_not_shown(err, word), "error")
        return redirect(back)

    @app.post("/as/<uid>/click")
    def click(uid):
        _person(uid)
        back = _back()
        try:
            block_id, action_id = json.loads(request.form.get("click") or "[]")
        except ValueError:
            abort(400)
        view_id = request.form.get("view_id") or None
        message = None if view_id else (request.form.get("channel", ""), request.form.get("ts", ""))
        value = _element_value(request.form, block_id, action_id)
        if f"v.{block_id}.{action_id}" in request.form and value in ("", None) or value == []:
            flash("Choose something first.", "error")
            return redirect(back)
        try:
            if view_id and request.form.get("in_modal"):
                _fill(uid, view_id)
            resp = sandbox.platform.click(uid, action_id, message=message, view_id=view_id, block_id=block_id,
                                          value=value)
            _report(resp, "click")
        except (NotShown, SlackError) as err:
            flash(f"That can't be used any more ({err}).", "error")
        return redirect(back)

    @app.post("/as/<uid>/view/<view_id>/submit")
    def submit(uid, view_id):
        _person(uid)
        back = _back()
        ui.client_errors.pop((uid, view_id), None)
        try:
            values = _fill(uid, view_id)
            resp = sandbox.platform.submit_view(uid, view_id, values)
            if resp.outcome == "generic_error":
                flash("The bot did not answer in time or answered something Slack can't use; "
                      "Slack would show \"We had some trouble connecting\".", "error")
        except ClientSideValidation as err:
            ui.client_errors[(uid, view_id)] = {err.block_id: err.message}
        except NotShown as err:
            flash(f"That form is no longer open ({err}).", "error")
        return redirect(back)

    @app.post("/as/<uid>/view/<view_id>/close")
    def close(uid, view_id):
        _person(uid)
        try:
            sandbox.platform.close_view(uid, view_id)
        except NotShown:
            pass
        return redirect(_back())

    @app.post("/as/<uid>/c/<cid>/upload")
    def upload(uid, cid):
        _person(uid)
        back = _back()
        upload_file = getattr(sandbox.platform, "upload_file", None)
        if upload_file is None:
            flash("File upload is not available in this version of the sandbox.", "error")
            return redirect(back)
        sent = request.files.get("file")
        if sent is None or not sent.filename:
            flash("Choose a file to upload.", "error")
            return redirect(back)
        title = (request.form.get("title") or "").strip() or None
        try:
            upload_file(uid, cid, Path(sent.filename).name, sent.read(), title=title)
            flash(f"Uploaded {Path(sent.filename).name}.", "info")
        except (NotShown, SlackError) as err:
            flash(f"The upload was refused ({err}).", "error")
        return redirect(back)

    @app.get("/as/<uid>/files/<file_id>")
    def download(uid, file_id):
        _person(uid)
        with sandbox.fake.ws.lock:
            stored = sandbox.fake.files.get(file_id)
            visible = stored is not None and stored.completed and any(
                (ch := sandbox.fake.ws.conversation(c)) is not None and surface.can_see(ch, uid)
                for c in stored.channels)
            if not visible:
                abort(404)
            content, name = stored.content or b"", stored.name
        return Response(content, mimetype=_mimetype(name),
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    @app.post("/as/<uid>/files/<file_id>/delete")
    def delete_file(uid, file_id):
        """A person deletes a file they shared, as the bot asks when its name or content holds a registered term."""
        _person(uid)
        try:
            sandbox.platform.delete_file(uid, file_id)
            flash("File deleted.", "info")
        except (AttributeError, NotShown):
            flash("Only the person who shared a file can delete it.", "error")
        return redirect(_back())

    @app.post("/clock")
    def advance():
        back = _back()
        try:
            days = int(request.form.get("days") or 0)
            moved = sandbox.advance(days)
        except ValueError:
            flash("Move the clock on by 1 to 400 days.", "error")
            return redirect(back)
        flash(f"Bot time is now {ui.show_time(moved)}. Reminders due by then are on their way to DMs.", "info")
        return redirect(back)

    def _fill(uid, view_id):
        with sandbox.fake.ws.lock:
            view = sandbox.fake.views.get(view_id)
            if view is None:
                raise NotShown(f"no view {view_id}")
            values = _form_values(view, request.form)
        sandbox.platform.fill(uid, view_id, values)
        return values

    teams_web.add_routes(app, sandbox, ui)
    return app


def _person(uid: str):
    if uid not in BY_ID:
        abort(404)
    return BY_ID[uid]


def _back() -> str:
    back = request.form.get("back") or "/"
    return back if back.startswith("/") and not back.startswith("//") else "/"


def _report(resp, what: str) -> None:
    if resp.status == 0 or resp.too_slow:
        flash(f"The bot took more than 3 seconds to answer this {what}: Slack would show an error.", "error")
    elif resp.status != 200:
        flash(f"The bot answered this {what} with HTTP {resp.status}: Slack would show an error.", "error")


def _not_shown(err: NotShown, word: str) -> str:
    text = str(err)
    if "not a slash command" in text:
        return f"{word} is not a command of this app. Try /dhr help."
    return f"Slack would not let you do that here ({text})."


def _form_values(view, form) -> dict:
    """The values typed into a modal's inputs, keyed by block id, as SlackPlatform takes them."""
    values = {}
    for block in input_blocks(view):
        el, name = block["element"], f"i.{block['block_id']}"
        kind = el.get("type", "")
        if kind == "file_input":
            continue
        if kind in LIST_KINDS:
            values[block["block_id"]] = form.getlist(name)
        elif kind == "rich_text_input":
            text = form.get(name, "")
            values[block["block_id"]] = {"type": "rich_text", "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]} if text else None
        elif kind == "datetimepicker":
            raw = form.get(name, "")
            values[block["block_id"]] = int(datetime.fromisoformat(raw).timestamp()) if raw else None
        else:
            values[block["block_id"]] = form.get(name, "")
    return values


def _element_value(form, block_id: str, action_id: str):
    name = f"v.{block_id}.{action_id}"
    if name not in form:
        return None
    listed = form.getlist(name)
    return listed if form.get(f"multi.{block_id}.{action_id}") else (listed[0] if listed else None)


def _mimetype(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return {".csv": "text/csv", ".txt": "text/plain", ".pdf": "application/pdf", ".md": "text/markdown",
            ".json": "application/json", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml"
            ".document"}.get(suffix, "application/octet-stream")


class _Ui:
    """Builds the template context for one person's page (under the fake's lock)."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.client_errors: dict[tuple[str, str], dict[str, str]] = {}

    def show_time(self, moment: datetime) -> str:
        local = moment.astimezone(self.sandbox.clock.tz)
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"

    def names(self, uid: str) -> Names:
        ws = self.sandbox.fake.ws

        def channel(cid):
            ch = ws.conversation(cid)
            if ch is None or not surface.can_see(ch, uid):
                return None
            label = "DHR Bot" if ch.is_im else ch.name
            return label, url_for("conversation", uid=uid, cid=cid)
        return Names(lambda u: surface.person_name(ws, u) if ws.user(u) else None, channel)

    def page(self, uid: str, cid: str | None, flashed: bool = True) -> dict:
        ws = self.sandbox.fake.ws
        convs = surface.conversations(ws, uid)
        current = next((c for c in convs if c.id == cid), None)
        modal = self.sandbox.fake.open_view_for(uid)
        if modal is not None and (modal.closed or modal.type != "modal"):
            modal = None
        home = self.sandbox.fake.home_view(uid) if cid is None else None
        names = self.names(uid)
        errors = {}
        if modal is not None:
            errors = dict(modal.errors or {})
            errors.update(self.client_errors.get((uid, modal.id), {}))
        back = url_for("conversation", uid=uid, cid=cid) if cid else url_for("home", uid=uid)
        return {
            "uid": uid, "me": BY_ID[uid], "convs": convs, "current": current, "cid": cid,
            "messages": surface.messages(ws, self.sandbox.clock, uid, cid) if cid else [],
            "modal": modal, "modal_errors": errors,
            "modal_depth": len(self.sandbox.fake.modal_stack(uid)) if modal else 0,
            "modal_key": f"{modal.id}:{modal.hash}:{json.dumps(errors, sort_keys=True)}:{modal.generic_error}"
                         if modal else "",
            "home": home, "back": back,
            "md": lambda text: to_html(text, names),
            "text_obj": lambda obj: _text_obj(obj, names),
            "value_of": lambda view, block, el: surface.current_value(view, block, el),
            "users": surface.user_choices(ws), "channels": surface.channel_choices(ws, uid),
            "rich_text": surface.rich_text_plain,
            "clock_text": self.show_time(self.sandbox.clock.now()),
            "can_upload": hasattr(self.sandbox.platform, "upload_file"),
            "flashes": get_flashed_messages(with_categories=True) if flashed else [],
            "json": json.dumps,
        }


def _text_obj(obj, names):
    if not isinstance(obj, dict):
        return to_html(str(obj or ""), names)
    if obj.get("type") == "mrkdwn":
        return to_html(obj.get("text", ""), names)
    return to_html(obj.get("text", ""), names, plain=True)
