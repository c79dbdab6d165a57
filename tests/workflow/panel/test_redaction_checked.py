"""The redaction check wraps any port: every send is checked, bidi controls are removed, reads pass."""
from dataclasses import dataclass
from datetime import datetime

import pytest

from bot.workflow.core import outcome as o
from bot.workflow.core.deliver import deliver
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, text
from bot.workflow.panel.redaction import RedactionMatcher, hmac_key, scan_payload, term_digests
from bot.workflow.panel.redaction_checked import RedactionChecked, SendBlocked
from tests.workflow.core.fakes import RecordingChat

KEY = hmac_key("a-server-key-of-at-least-32-characters")
SPACE, ANN = SpaceRef("C1"), PersonRef("U1")


class Terms:
    def __init__(self, *names):
        self.matcher = RedactionMatcher([d for n in names for d in term_digests(n, "name", KEY)], KEY)

    def hit(self, payload):
        return scan_payload(payload, self.matcher)


@dataclass(frozen=True)
class Card:
    reference: str
    lines: tuple[str, ...] = ()


def checked(chat=None):
    chat = chat or RecordingChat()
    return chat, RedactionChecked(chat, Terms("Jane Smith"))


@pytest.mark.parametrize("send", [
    lambda port: port.post(SPACE, text("Met ", Bold("Jane Smith"))),
    lambda port: port.dm(ANN, Card("DHR-1", ("spoke to jane-smith",))),
    lambda port: port.rename(SPACE, "jane-smith"),
    lambda port: port.upload(SPACE, "Jane Smith.docx", b"", "plan"),
    lambda port: port.send_digest(SPACE, {"text": "JANE SMITH"}, digest_id="d1"),
])
def test_every_send_with_a_registered_term_is_stopped_before_the_port(send):
    chat, port = checked()
    with pytest.raises(SendBlocked) as err:
        send(port)
    assert chat.sent == []
    assert isinstance(err.value, WorkflowError) and "redaction list" in err.value.message
    assert isinstance(err.value, ChatError) and err.value.code == "redaction_blocked" and not err.value.retryable


def test_clean_sends_go_through_without_bidi_controls_and_reads_are_not_checked():
    chat, port = checked()
    port.post(SPACE, Card("DHR\u202e-1", ("fine",)))
    assert chat.sent[0][2] == Card("DHR-1", ("fine",))
    assert port.open_dm(ANN) == SpaceRef("D-U1") and port.capabilities == chat.capabilities
    port.find_post(SPACE, "Jane Smith")          # a read: a tag is not sent anywhere
    assert chat.kinds() == ["post", "find_post"]


def test_deliver_through_the_check_sends_the_rest_and_tells_the_actor_why():
    chat, port = checked()
    sent = o.post(SPACE, "Jane Smith was here.") + o.dm(ANN, "Action 1.1 is yours.")
    with pytest.raises(SendBlocked):
        deliver(sent, port)
    assert chat.kinds() == ["dm"]


def test_file_bytes_and_dates_pass_the_scan():
    chat, port = checked()
    port.upload(SPACE, "plan.xlsx", b"Jane Smith", "DHR-1 action plan")
    port.send_digest(SPACE, {"at": datetime(2026, 1, 1)}, digest_id="d1")
    assert chat.kinds() == ["upload", "digest"]


def test_what_a_builder_handed_to_the_port_returns_is_checked_when_it_is_built():
    class Forms:
        def __init__(self):
            self.opened = []

        def open_form(self, title, build):
            self.opened.append(build())

    forms = Forms()
    port = RedactionChecked(forms, Terms("Jane Smith"))
    port.open_form("Add action", lambda: Card("DHR\u2067-1"))
    assert forms.opened == [Card("DHR-1")]
    with pytest.raises(SendBlocked):
        port.open_form("Add action", lambda: Card("DHR-1", ("Jane Smith",)))
    assert len(forms.opened) == 1
