"""The baseline: a Bolt app on the same server stack (Flask + waitress) whose /dhr only acks."""
import os

from flask import Flask, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve

app = App(client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
          signing_secret=os.environ["SLACK_SIGNING_SECRET"])


@app.command("/dhr")
def only_ack(ack):
    ack()


web = Flask("bare")
handler = SlackRequestHandler(app)
web.add_url_rule("/slack/events", "events", lambda: handler.handle(request), methods=["POST"])
web.add_url_rule("/healthz", "health", lambda: {"status": "ok"})
serve(web, host="127.0.0.1", port=int(os.environ["PORT"]), threads=8)
