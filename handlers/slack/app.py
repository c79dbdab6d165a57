"""Builds the Bolt app with Slack's own retry handlers and registers every listener."""
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler,
)

from handlers.slack import actions, commands, errors, events, middleware, views
from handlers.slack.context import Services


def web_client(token: str, base_url: str) -> WebClient:
    return WebClient(
        token=token, base_url=base_url, timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(svc: Services) -> App:
    s = svc.settings
    app = App(
        client=web_client(s.slack_bot_token, s.slack_api_url),
        signing_secret=s.slack_signing_secret or "socket-mode-has-no-signing",
        request_verification_enabled=not s.socket_mode,
        raise_error_for_unhandled_request=False,
    )
    for part in (middleware, commands, views, actions, events):
        part.register(app, svc)
    errors.register(app)
    return app
