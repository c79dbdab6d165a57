"""Steps for the evidence journeys: a staffed review, the forms, the DMs."""
from sqlmodel import select

from storage.models import Review
from tests.e2e.journey import block_text, create_review, open_view, wait
from tests.e2e.panel_steps import join
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, OBSERVER, POLICE

AGENCIES = ["Northshire Police", "Northshire NHS Trust", "Northshire Probation"]


def staffed_review(bot, general, *, panel=True) -> tuple[str, str]:
    """Coordinator; chair; POLICE leads Northshire Police, HEALTH leads the NHS trust; OBSERVER sits on the
    panel for the police. Probation has no lead."""
    reference, channel = create_review(bot, COORDINATOR, general)
    join(bot, channel, CHAIR, "chair", by=COORDINATOR)
    join(bot, channel, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    join(bot, channel, HEALTH, "agency_lead", "Northshire NHS Trust", by=COORDINATOR)
    if panel:
        join(bot, channel, OBSERVER, "panel_member", "Northshire Police", by=COORDINATOR)
    return reference, channel


def form(bot, user, channel, word):
    """The modal `/dhr <word>` opens (a fresh one: the command closes any open modal first)."""
    bot.slack.command(user, channel, text=word)
    return open_view(bot, user)


def view_text(bot, view_id) -> str:
    return block_text(bot.fake.views[view_id].blocks)


def review_row(bot, reference) -> Review:
    with bot.db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).one()


def card_text(bot, reference) -> str:
    r = review_row(bot, reference)
    return block_text(bot.fake.channels[r.space_id].message(r.card_ref).blocks)


def channel_texts(bot, channel) -> str:
    return "\n".join((m.text or "") + "\n" + block_text(m.blocks or []) for m in bot.fake.messages(channel))


def dms_with(bot, user, words) -> list:
    return [m for m in bot.fake.dm_messages(user) if words in (m.text or "") + block_text(m.blocks or [])]


def buttons(message) -> dict[str, str]:
    """action_id -> value of every button in a message."""
    out = {}
    for block in message.blocks or []:
        for el in block.get("elements", []) + ([block["accessory"]] if block.get("accessory") else []):
            if el.get("type") == "button":
                out.setdefault(el["action_id"], el.get("value"))
    return out


def all_buttons(message) -> list[tuple[str, str]]:
    out = []
    for block in message.blocks or []:
        for el in block.get("elements", []) + ([block["accessory"]] if block.get("accessory") else []):
            if el.get("type") == "button":
                out.append((el["action_id"], el.get("value")))
    return out


def wait_text(fn, words: str, what: str):
    return wait(lambda: words in (t := fn()) and t, what=what)
