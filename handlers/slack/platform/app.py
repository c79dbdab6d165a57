"""Builds the Bolt app with Slack's own retry handlers and registers every listener."""
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from handlers.slack.clock import timeline
from handlers.slack.evidence import (
    chronology,
    evidence,
    family,
    imr,
    uploads,
)
from handlers.slack.panel import panel, redaction
from handlers.slack.platform import actions, commands, errors, events, guard, middleware, views
from handlers.slack.platform.context import Services
from handlers.slack.report import (
    action_plan,
    drafts,
    learning,
    retention,
    stage,
)
from handlers.slack.views import audit, board, home


def web_client(token: str, base_url: str, redactions=None) -> WebClient:
    """Slack's own retry handlers; with `redactions`, every call is checked for redacted terms first."""
    client = WebClient(
        token=token, base_url=base_url, timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
    return guard.guarded(client, redactions) if redactions else client


def build_app(svc: Services) -> App:
    s = svc.settings
    app = App(
        client=web_client(s.slack_bot_token, s.slack_api_url, svc.redactions),
        signing_secret=s.slack_signing_secret or "socket-mode-has-no-signing",
        request_verification_enabled=not s.socket_mode,
        raise_error_for_unhandled_request=False,
    )
    middleware.register(app, svc)
    guard.register(app, svc.redactions)
    for part in (commands, views, actions, events, panel, audit, redaction, timeline, evidence, family,
                 chronology, imr, uploads, stage, drafts, action_plan, learning, home, retention, board):
        part.register(app, svc)
    errors.register(app)
    return app
