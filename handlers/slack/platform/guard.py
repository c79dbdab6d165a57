"""The redaction guard on Slack's wire: nothing with a registered term comes in through a form or goes out.

What goes out through the chat port (deliver, the reminder sweep, closing a concluded review's space)
is checked there by bot/workflow/panel/redaction_checked.RedactionChecked, whatever the platform.
This guard stays for what does not go through the port: forms (views.open, views.update, views.push),
answers to a submission (ack) and replies through response_url (respond), and the Web API calls
handlers still make on a SlackChat directly. Incoming forms and commands are checked here too."""
import logging

from slack_bolt import Ack, BoltResponse
from slack_sdk import WebClient

from bot.workflow.core.errors import ValidationFailed
from bot.workflow.core.fields import COMMAND_CONTROL, control_errors
from bot.workflow.core.unicode_text import control_character, without_bidi
from bot.workflow.panel.redaction_list import REFUSED_FIELD, RedactionBlocked, Redactions
from handlers.slack.platform.errors import refusal
from handlers.slack.platform.forms import input_fields, state_values
from messages.slack.ids import CallbackId

log = logging.getLogger("dhr.guard")


class GuardedWebClient(WebClient):
    """Every Web API call (messages, views, channel names and topics, file names) is checked before it
    leaves, and loses any bidi control that could make it read differently from what was checked."""

    redactions: Redactions | None = None

    def api_call(self, api_method, *, http_verb="POST", files=None, data=None, params=None, json=None,
                 headers=None, auth=None):
        data, params, json = without_bidi(data), without_bidi(params), without_bidi(json)
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


class BidiFreeAck(Ack):
    """ack() whose answer (a modal update, an error, a reply) carries no bidi control either."""

    def __call__(self, *args, **kwargs):
        return super().__call__(*without_bidi(args), **without_bidi(kwargs))


def guarded_respond(respond, redactions: Redactions):
    def send(*args, **kwargs):
        args, kwargs = without_bidi(args), without_bidi(kwargs)
        if redactions.hit([args, kwargs]):
            log.warning("blocked a reply: it contained a redacted term")
            raise RedactionBlocked()
        return respond(*args, **kwargs)
    return send


def register(app, redactions: Redactions) -> None:
    @app.middleware
    def redaction_guard(context, body, next):
        if _is_submission(body):
            errors = _form_errors(body["view"], redactions)
            if errors:   # state can hold blocks that are no input: the shared refusal knows which are
                return BoltResponse(status=200, body=refusal("DHR Bot", ValidationFailed(errors), body["view"]),
                                    headers={"content-type": "application/json"})
        if body.get("command"):
            text = str(body.get("text") or "")
            if control_character(text, multiline=True):  # a typed command may wrap onto a new line
                return BoltResponse(status=200, body=COMMAND_CONTROL)
            if redactions.hit(text):
                return BoltResponse(status=200, body=REFUSED_FIELD)
        context["client"] = guarded(context.client, redactions)
        context["ack"] = BidiFreeAck()  # nothing has acked yet: middleware runs before any listener
        if context.get("respond") is not None:
            context["respond"] = guarded_respond(context["respond"], redactions)
        return next()


def _form_errors(view: dict, redactions: Redactions) -> dict[str, str]:
    """Control characters first (every form, the redaction list's too), then registered terms."""
    values = state_values(view)
    errors = control_errors(values, *input_fields(view))
    if errors or view.get("callback_id") == CallbackId.REDACTION:
        return errors
    return redactions.field_errors(values)


def _is_submission(body) -> bool:
    return body.get("type") == "view_submission" and isinstance(body.get("view"), dict)
