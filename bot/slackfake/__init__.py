"""A faithful local fake of Slack: the Web API as a real HTTP server (FakeSlack) and Slack's side of
the conversation with the app, sending signed slash commands, interactions and events (SlackPlatform).

Behaviour follows what Slack does, not only what it documents: limits, error codes and answers are
Slack's own, so a test that passes here fails in the same way against Slack.

    fake = FakeSlack(manifest_path="manifest.yml").start()      # or scopes=[...]
    fake.add_user("U0000001", "alice")
    client = WebClient(token=fake.bot_token, base_url=fake.base_url)
    platform = SlackPlatform(fake, "http://127.0.0.1:3000/slack/events", signing_secret)
    platform.command("U0000001", channel_id, text="new")        # signed, like Slack
    view = fake.wait_until(lambda: fake.open_view_for("U0000001"))
    platform.submit_view("U0000001", view.id, {"name_block": "Jane"})
    fake.stop()

State objects (fake.channels, fake.views, ...) are live; read them from the test thread while the
app is idle, or under `with fake.ws.lock:`. `fake.internal_errors` lists crashes of the fake itself.
"""

from .blockkit import validate_message_blocks, validate_view
from .errors import ClientSideValidation, NotShown, SlackError
from .fake import DEFAULT_SCOPES, FakeSlack
from .model import Channel, Message, StoredFile, User, View
from .platform import SlackPlatform
from .recorder import Call
from .signed_http import Response

__all__ = [
    "DEFAULT_SCOPES", "Call", "Channel", "ClientSideValidation", "FakeSlack", "Message", "NotShown",
    "Response", "SlackError", "SlackPlatform", "StoredFile", "User", "View", "validate_message_blocks", "validate_view",
]
