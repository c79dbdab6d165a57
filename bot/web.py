"""HTTP: Slack's request path at POST /slack/events, Teams' at POST /api/messages, and GET /healthz.

One WSGI server (waitress) serves both: the workflow and storage are synchronous, so Teams' activities
are handled in waitress's threads like Slack's requests, with the Teams SDK's token validator and models.
"""
import logging
import threading
import time

from flask import Flask, jsonify, request
from slack_bolt.adapter.flask.handler import to_flask_response
from slack_bolt.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

from handlers.slack.platform.ingress import MAX_BODY, Refusal, admit, parse
from handlers.teams.platform import ingress as teams_ingress
from handlers.teams.platform.router import handle as handle_activity
from storage.db import Database

log = logging.getLogger("dhr.web")
HEALTH_WAIT = 1.0  # seconds; a platform probe wants a quick no rather than a late yes


def create_web_app(bolt_app, db: Database, signing_secret: str | None, teams=None) -> Flask:
    """Without a signing secret (Socket Mode, or Teams only) there is no Slack request path;
    `teams`: (Teams, Routes) when Teams is configured."""
    web = Flask("dhr-bot")
    if bolt_app is not None and signing_secret:
        _slack_path(web, bolt_app, SignatureVerifier(signing_secret))
    if teams is not None:
        _teams_path(web, *teams)

    @web.get("/healthz")
    def healthz():
        if not db.answers(HEALTH_WAIT):
            return jsonify(status="database unavailable"), 503
        return jsonify(status="ok")

    return web


def _slack_path(web: Flask, bolt_app, verifier: SignatureVerifier) -> None:
    refusals = RefusalLog()

    @web.post("/slack/events")
    def slack_events():
        raw = _body()
        refusal = Refusal(400, "body too large") if raw is None else \
            admit(verifier, raw, request.headers, request.content_type)
        if refusal:
            refusals.note(refusal)
            return jsonify(error="invalid request"), refusal.status
        return _dispatch(bolt_app, raw.decode("utf-8"), refusals)


def _teams_path(web: Flask, teams, routes) -> None:
    refusals = RefusalLog("Teams")

    @web.post("/api/messages")
    def teams_messages():
        raw = _body(teams_ingress.MAX_BODY)
        admitted = teams_ingress.admit(teams, raw, request.headers.get("Authorization"), request.content_type)
        if admitted.refusal or admitted.activity is None:
            refusal = admitted.refusal or Refusal(400, "no activity")
            refusals.note(refusal)
            return jsonify(error="invalid request"), refusal.status
        answer = handle_activity(teams, routes, admitted.activity)
        return (jsonify(answer), 200) if answer is not None else ("", 200)


def _body(limit: int = MAX_BODY) -> bytes | None:
    """At most MAX_BODY bytes: a huge body is refused before it is read, whatever its headers claim."""
    if (request.content_length or 0) > limit:
        return None
    raw = request.stream.read(limit + 1)
    return None if len(raw) > limit else raw


def _dispatch(bolt_app, text: str, refusals: "RefusalLog"):
    try:
        answer = bolt_app.dispatch(_bolt_request(text))
    except Exception as error:  # noqa: BLE001 - a verified body Bolt cannot take in is still only a 400
        refusals.note(Refusal(400, f"Bolt could not read it ({type(error).__name__})"))
        return jsonify(error="invalid request"), 400
    return to_flask_response(answer)


def _bolt_request(text: str) -> BoltRequest:
    """Bolt keeps the raw text (it checks the signature again) but reads the body as the door did: its own
    reading makes a command typed with the word "payload" in it an empty body, which nobody answers."""
    bolt = BoltRequest(body=text, query=request.query_string.decode("utf-8"), headers=dict(request.headers))
    body, _fault = parse(text, request.content_type)
    if body is not None and body != bolt.body:
        bolt.body, bolt.context = body, build_context(BoltContext({}), body)
    return bolt


class RefusalLog:
    """One short line per refused request, at most PER_MINUTE a minute; the rest are counted."""

    PER_MINUTE = 20

    def __init__(self, platform: str = "Slack", clock=time.monotonic):
        self.platform, self.clock, self.lock = platform, clock, threading.Lock()
        self.window, self.logged, self.held = clock(), 0, 0

    def note(self, refusal: Refusal) -> None:
        with self.lock:
            now = self.clock()
            if now - self.window >= 60:
                if self.held:
                    log.warning("refused %d more %s requests in the last minute", self.held, self.platform)
                self.window, self.logged, self.held = now, 0, 0
            if self.logged >= self.PER_MINUTE:
                self.held += 1
                return
            self.logged += 1
        log.warning("refused a %s request (%d): %s", self.platform, refusal.status, refusal.reason)
