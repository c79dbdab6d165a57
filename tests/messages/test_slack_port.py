"""The chat port on Slack: references in, Slack ids out; neutral text rendered on the way."""
from bot.workflow.core.chat_port import Capability, show_card
from bot.workflow.core.refs import MessageRef, PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Mention, text
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.port import SlackPort
from messages import tree


class Client:
    def __init__(self):
        self.calls = []

    def __getattr__(self, method):
        def call(**kwargs):
            self.calls.append((method, kwargs))
            return {"ts": "1.5", "channel": {"id": "D1"}}
        return call


def test_posts_and_dms_go_to_the_slack_ids_with_neutral_text_rendered():
    client = Client()
    port = SlackPort(SlackChat(client))
    assert port.capabilities == frozenset(Capability)
    ref = port.post(SpaceRef("C1"), text(Mention(PersonRef("U1")), " added ", Bold("1.1"), "."), tag="t")
    port.dm(PersonRef("U2"), tree.Message([tree.Paragraph("Yours")], "Yours"))
    port.ephemeral(SpaceRef("C1"), PersonRef("U2"), text("Only you"))
    assert ref == MessageRef("1.5")
    (post, post_args), (dm, dm_args), (eph, eph_args) = client.calls
    assert (post, post_args["channel"], post_args["text"]) == ("chat_postMessage", "C1", "<@U1> added *1.1*.")
    assert post_args["metadata"]["event_payload"] == {"tag": "t"}
    assert (dm, dm_args["channel"], dm_args["blocks"][0]["text"]["text"]) == ("chat_postMessage", "U2", "Yours")
    assert (eph, eph_args["user"], eph_args["text"]) == ("chat_postEphemeral", "U2", "Only you")


def test_the_card_is_posted_and_pinned_on_slack():
    client = Client()
    show_card(SlackPort(SlackChat(client)), SpaceRef("C1"), text("card"), None)
    assert [m for m, _ in client.calls] == ["chat_postMessage", "pins_add"]
