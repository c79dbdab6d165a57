"""HTTP: Slack's request path at POST /slack/events, and GET /healthz for the platform."""
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
from storage.db import Database

log = logging.getLogger("dhr.web")
HEALTH_WAIT = 1.0  # seconds; a platform probe wants a quick no rather than a late yes


def create_web_app(bolt_app, db: Database, signing_secret: str | None) -> Flask:
    """Without a signing secret (Socket Mode) there is no Slack request path, only /healthz."""
    web = Flask("dhr-bot")
    if signing_secret:
        _slack_path(web, bolt_app, SignatureVerifier(signing_secret))

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


def _body() -> bytes | None:
    """At most MAX_BODY bytes: a huge body is refused before it is read, whatever its headers claim."""
    if (request.content_length or 0) > MAX_BODY:
        return None
    raw = request.stream.read(MAX_BODY + 1)
    return None if len(raw) > MAX_BODY else raw


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

    def __init__(self, clock=time.monotonic):
        self.clock, self.lock = clock, threading.Lock()
        self.window, self.logged, self.held = clock(), 0, 0

    def note(self, refusal: Refusal) -> None:
        with self.lock:
            now = self.clock()
            if now - self.window >= 60:
                if self.held:
                    log.warning("refused %d more Slack requests in the last minute", self.held)
                self.window, self.logged, self.held = now, 0, 0
            if self.logged >= self.PER_MINUTE:
                self.held += 1
                return
            self.logged += 1
        log.warning("refused a Slack request (%d): %s", refusal.status, refusal.reason)
