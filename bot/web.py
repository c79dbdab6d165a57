"""HTTP: Slack's request path at POST /slack/events, and GET /healthz for the platform."""
from flask import Flask, jsonify, request
from slack_bolt.adapter.flask import SlackRequestHandler
from sqlalchemy import text

from storage.db import Database


def create_web_app(bolt_app, db: Database) -> Flask:
    web = Flask("dhr-bot")
    handler = SlackRequestHandler(bolt_app)

    @web.post("/slack/events")
    def slack_events():
        return handler.handle(request)

    @web.get("/healthz")
    def healthz():
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - health is a yes/no
            return jsonify(status="database unavailable"), 503
        return jsonify(status="ok")

    return web
