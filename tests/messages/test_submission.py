"""The one answer to a submission, on Slack: inline errors only for the form's own inputs; otherwise
the same form with the message on top and what was typed kept; other refusals a notice."""
from bot.workflow.core import outcome as o
from bot.workflow.core.errors import PermissionDenied, ValidationFailed
from bot.workflow.core.form_spec import Field, Kind
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Mention, text
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.listeners import bound
from handlers.submission import submit
from messages import tree
from messages.slack import render
from messages.slack.views import REFUSED_BLOCK

FORM = tree.Form("dhr.panel", "Review panel", (tree.Paragraph("DHR-1 panel"),
                                               Field("Person", Kind.PERSON, key="person"),
                                               tree.Context("No agencies are set up yet.")),
                 submit="Save", metadata={"review_id": 1})


class Ack:
    def __init__(self):
        self.response, self.calls = None, []

    def __call__(self, *args, **kwargs):
        self.calls.append(kwargs)
        self.response = kwargs or {"empty": True}


class Client:
    def __init__(self):
        self.calls = []

    def __getattr__(self, method):
        def call(**kwargs):
            self.calls.append((method, kwargs))
            return {"view": {"id": "V1", "hash": "h1"}}
        return call


def submitted():
    view = {**render.modal(FORM), "id": "V9", "state": {"values": {}}}
    ack = Ack()
    return ack, SlackInteraction(ack, {"type": "view_submission", "view": view, "user": {"id": "U1"}}, Client())


def test_errors_naming_inputs_of_the_form_stay_inline():
    ack, ui = submitted()
    assert submit(ui, "Review panel", lambda: (_ for _ in ()).throw(ValidationFailed({"person": "Choose."}))) is None
    assert ack.calls == [{"response_action": "errors", "errors": {"person": "Choose."}}]


def test_an_error_for_no_input_brings_the_same_form_back_with_the_message_on_top():
    ack, ui = submitted()
    submit(ui, "Review panel", lambda: o.refusal({"agency": "No agencies are set up yet."}))
    (answer,) = ack.calls
    assert answer["response_action"] == "update"
    view = answer["view"]
    assert view["blocks"][0]["block_id"] == REFUSED_BLOCK and "No agencies" in view["blocks"][0]["text"]["text"]
    assert view["callback_id"] == "dhr.panel" and view["private_metadata"] == '{"review_id": 1}'
    assert view["blocks"][1:] == render.modal(FORM)["blocks"]


def test_a_refusal_that_is_not_about_the_answers_replaces_the_form_unless_kept():
    ack, ui = submitted()
    submit(ui, "Review panel", lambda: (_ for _ in ()).throw(PermissionDenied("Only the coordinator.")))
    assert ack.calls[0]["view"]["callback_id"] != "dhr.panel"
    ack, ui = submitted()
    submit(ui, "Review panel", lambda: (_ for _ in ()).throw(PermissionDenied("Only the coordinator.")),
           keep_form=True)
    assert ack.calls[0]["view"]["callback_id"] == "dhr.panel"


def test_what_went_through_is_handed_back_and_closing_acks_once():
    ack, ui = submitted()
    result = submit(ui, "Review panel", lambda: o.post(None, "x") + o.dm(PersonRef("U2"), "y"))
    assert len(result.dms) == 1 and ack.calls == []
    ui.close()
    ui.close()
    assert ack.calls == [{}]


def test_a_form_opens_loading_first_then_the_form_or_why_it_cannot():
    client = Client()
    ui = SlackInteraction(Ack(), {"trigger_id": "1.2.abc"}, client)
    ui.open_form("Add action", lambda: FORM)
    assert [m for m, _ in client.calls] == ["views_open", "views_update"]
    assert client.calls[1][1]["view"]["callback_id"] == "dhr.panel"
    ui.open_form("Add action", lambda: (_ for _ in ()).throw(PermissionDenied("Not yours.")))
    assert "Not yours." in client.calls[3][1]["view"]["blocks"][0]["text"]["text"]


def test_a_private_reply_goes_by_response_url_or_else_as_a_dm():
    sent = []
    ui = SlackInteraction(Ack(), {"response_url": "https://hooks", "user_id": "U1"}, Client(),
                          respond=lambda **kw: sent.append(kw))
    ui.reply(text("Verified by ", Mention(PersonRef("U1")), "."), replace_source=True)
    assert sent == [{"replace_original": True, "text": "Verified by <@U1>."}]
    client = Client()
    SlackInteraction(Ack(), {"user": {"id": "U1"}, "container": {"type": "view"}}, client).reply(text("Hi"))
    assert client.calls == [("chat_postMessage", {"channel": "U1", "text": "Hi"})]


def test_a_listener_row_binds_svc_and_acks_commands_and_buttons_first():
    seen, ack = [], Ack()

    def pressed(svc, body, action):
        seen.append((svc, body["user"], action["value"], ack.response))
    listener = bound(pressed, "svc", ack_first=True)
    assert list(listener.__signature__.parameters) == ["body", "action", "ack"]
    listener(body={"user": "U1"}, action={"value": "5"}, ack=ack)
    assert seen == [("svc", "U1", "5", {"empty": True})]
