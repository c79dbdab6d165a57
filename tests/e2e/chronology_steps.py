"""A review with a panel ready for evidence, and the ways people hand it in."""
import csv
import io

from sqlmodel import select

from storage.chronology import ChronologyEntry
from storage.models import Review
from tests.e2e import panel_steps
from tests.e2e.journey import block_text, create_review, open_view, wait
from tests.e2e.server import AUTHOR, CHAIR, COORDINATOR, HEALTH, POLICE

HEADER = ["Date", "Time", "Agency", "Source of information", "Subject", "Event / contact",
          "Action taken / outcome", "Comment / analysis"]
POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def ready_review(bot, general) -> tuple[str, str]:
    """A review whose panel has a chair, two agency leads and an IMR author."""
    panel_steps.set_agencies(bot, COORDINATOR, general, [POLICE_AGENCY, HEALTH_AGENCY])
    reference, channel = create_review(bot, COORDINATOR, general)
    panel_steps.join(bot, channel, CHAIR, "chair", by=COORDINATOR)
    panel_steps.join(bot, channel, POLICE, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    panel_steps.join(bot, channel, HEALTH, "agency_lead", HEALTH_AGENCY, by=COORDINATOR)
    panel_steps.join(bot, channel, AUTHOR, "imr_author", POLICE_AGENCY, by=COORDINATOR)
    return reference, channel


def review_id(bot, reference) -> int:
    with bot.db.session() as s:
        return s.exec(select(Review.id).where(Review.reference == reference)).one()


def entries(bot, reference) -> list[ChronologyEntry]:
    with bot.db.session() as s:
        return list(s.exec(select(ChronologyEntry).where(ChronologyEntry.review_id == review_id(bot, reference))
                           .order_by(ChronologyEntry.id)))


def dm_reply(bot, user, before: int, what="the bot's DM reply"):
    """The first bot DM after the first `before` that says something (not a file shared after it)."""
    def replies():
        new = [m for m in bot.fake.dm_messages(user) if m.user == bot.fake.bot_user_id][before:]
        return [m for m in new if text_of(m).strip()] or None
    return wait(replies, what=what)[0]


def bot_dm_count(bot, user) -> int:
    return len([m for m in bot.fake.dm_messages(user) if m.user == bot.fake.bot_user_id])


def ephemeral_reply(bot, channel, user, before: int, what="an ephemeral reply"):
    return wait(lambda: bot.fake.ephemeral_messages(channel, user)[before:] or None, what=what)[-1]


def text_of(message) -> str:
    return (message.text or "") + "\n" + block_text(message.blocks or [])


def add_entry(bot, user, channel, values):
    bot.slack.command(user, channel, text="chronology add")
    view = open_view(bot, user, "dhr.chronology.entry")
    return view, bot.slack.submit_view(user, view.id, values)
