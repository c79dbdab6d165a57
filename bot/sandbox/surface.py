"""What a person sees in the sandbox, read from the fake Slack's state: their conversations, the
messages in one, their open modal and their Home tab, as plain values for the templates.
Call these under `fake.ws.lock`."""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.sandbox.people import BY_ID
from bot.slackfake.viewstate import STATE_KEY, initial_value

BOT_NAME = "DHR Bot"


@dataclass
class Conversation:
    id: str
    label: str          # "#general", "DHR Bot"
    kind: str           # public | private | im
    archived: bool = False
    topic: str = ""
    members: int = 0


@dataclass
class MessageView:
    ts: str
    channel: str
    author: str
    at: datetime
    text: str
    blocks: list | None
    files: list = field(default_factory=list)
    ephemeral: bool = False
    pinned: bool = False
    system: bool = False
    in_thread: bool = False
    edited: bool = False


def person_name(ws, user_id: str) -> str:
    if user_id == ws.bot_user_id:
        return BOT_NAME
    user = ws.user(user_id)
    if user is None:
        return user_id
    return user.real_name or user.name


def can_see(ch, user_id: str) -> bool:
    if ch.is_im:
        return ch.im_user == user_id
    return ch.kind == "public" or user_id in ch.members


def conversations(ws, user_id: str) -> list[Conversation]:
    chans = [c for c in ws.channels.values() if not c.is_im and can_see(c, user_id)]
    chans.sort(key=lambda c: (c.is_archived, c.name != "general", c.name))
    out = [Conversation(c.id, f"#{c.name}", c.kind, c.is_archived, c.topic.get("value", ""), len(c.members))
           for c in chans]
    dm = ws.im_for(user_id)
    out.append(Conversation(dm.id, BOT_NAME, "im"))
    return out


def messages(ws, clock, user_id: str, channel_id: str) -> list[MessageView]:
    ws.deliver_scheduled()
    ch = ws.conversation(channel_id)
    if ch is None or not can_see(ch, user_id):
        return []
    shown = list(ch.messages) + [m for m in ch.ephemerals if m.ephemeral_to == user_id]
    shown.sort(key=lambda m: float(m.ts))
    out = []
    for m in shown:
        author = BOT_NAME if m.bot_id else person_name(ws, m.user or "")
        out.append(MessageView(
            ts=m.ts, channel=ch.id, author=author, at=clock.at(float(m.ts)).astimezone(clock.tz), text=m.text,
            blocks=m.blocks, files=[f for f in (m.files or [])], ephemeral=bool(m.ephemeral_to),
            pinned=m.ts in ch.pins, system=m.is_system, in_thread=bool(m.thread_ts and m.thread_ts != m.ts),
            edited=bool(m.edited)))
    return out


def user_choices(ws) -> list[tuple[str, str]]:
    """People a users_select offers: active humans of the workspace (not bots or Slackbot)."""
    people = [u for u in ws.users.values() if not u.is_bot and not u.deleted and u.id != "USLACKBOT"]
    people.sort(key=lambda u: (u.id not in BY_ID, u.real_name or u.name))
    return [(u.id, u.real_name or u.name) for u in people]


def channel_choices(ws, user_id: str) -> list[tuple[str, str]]:
    return [(c.id, c.label) for c in conversations(ws, user_id)]


def current_value(view, block: dict[str, Any], el: dict[str, Any]) -> Any:
    """What an element shows now: what the person typed or chose, else its initial value."""
    kind = el.get("type", "")
    key = STATE_KEY.get(kind)
    if key is None:
        return None
    typed = (view.state.get(block.get("block_id", ""), {}) if view is not None else {}).get(el.get("action_id", ""))
    value = (typed or initial_value(el)).get(key)
    if key == "selected_option":
        return (value or {}).get("value")
    if key == "selected_options":
        return [o.get("value") for o in value or []]
    if key == "rich_text_value" and isinstance(value, dict):
        return _rich_text_plain(value)
    return value


def _rich_text_plain(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "text":
            return node.get("text", "")
        return "".join(_rich_text_plain(n) for n in node.get("elements", []))
    if isinstance(node, list):
        return "".join(_rich_text_plain(n) for n in node)
    return ""


def rich_text_plain(node: Any) -> str:
    return _rich_text_plain(node)
