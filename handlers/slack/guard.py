"""The redaction guard on Slack's wire: nothing with a registered term comes in through a form or goes out."""
import logging

from slack_bolt import BoltResponse
from slack_sdk import WebClient

from bot.workflow.errors import ValidationFailed
from bot.workflow.redaction_list import REFUSED_FIELD, RedactionBlocked, Redactions
from handlers.slack.errors import refusal
from handlers.slack.forms import state_values
from messages.ids import CallbackId

log = logging.getLogger("dhr.guard")


class GuardedWebClient(WebClient):
    """Every Web API call (messages, views, channel names and topics, file names) is checked before it leaves."""

    redactions: Redactions | None = None

    def api_call(self, api_method, *, http_verb="POST", files=None, data=None, params=None, json=None,
                 headers=None, auth=None):
        if self.redactions is not None:
            path = self.redactions.hit([data, params, json])
            if path:
                log.warning("blocked %s: it contained a redacted term (at %s)", api_method, path)
                raise RedactionBlocked()
        return super().api_call(api_method, http_verb=http_verb, files=files, data=data, params=params,
                                json=json, headers=headers, auth=auth)


def guarded(client: WebClient, redactions: Redactions) -> GuardedWebClient:
    copy = GuardedWebClient(token=client.token, base_url=client.base_url, timeout=client.timeout,
                            ssl=client.ssl, proxy=client.proxy, headers=dict(client.headers),
                            logger=client.logger, retry_handlers=list(client.retry_handlers))
    copy.default_params = dict(client.default_params)  # carries the request's team_id
    copy.redactions = redactions
    return copy


def guarded_respond(respond, redactions: Redactions):
    def send(*args, **kwargs):
        if redactions.hit([args, kwargs]):
            log.warning("blocked a reply: it contained a redacted term")
            raise RedactionBlocked()
        return respond(*args, **kwargs)
    return send


def register(app, redactions: Redactions) -> None:
    @app.middleware
    def redaction_guard(context, body, next):
        if _is_submission(body) and body["view"].get("callback_id") != CallbackId.REDACTION:
            errors = redactions.field_errors(state_values(body["view"]))
            if errors:   # state can hold blocks that are no input: the shared refusal knows which are
                return BoltResponse(status=200, body=refusal("DHR Bot", ValidationFailed(errors), body["view"]),
                                    headers={"content-type": "application/json"})
        if body.get("command") and redactions.hit(body.get("text") or ""):
            return BoltResponse(status=200, body=REFUSED_FIELD)
        context["client"] = guarded(context.client, redactions)
        if context.get("respond") is not None:
            context["respond"] = guarded_respond(context["respond"], redactions)
        return next()


def _is_submission(body) -> bool:
    return body.get("type") == "view_submission" and isinstance(body.get("view"), dict)
