"""A review with a panel ready for evidence, and the ways people hand it in."""
import csv
import io

from sqlmodel import select

from storage.chronology import ChronologyEntry
from storage.models import Review
from tests.e2e import panel_steps
from tests.e2e.driver import AUTHOR, CHAIR, COORDINATOR, HEALTH, POLICE, Seen
from tests.e2e.journey import block_text, create_review, driver_of, wait

HEADER = ["Date", "Time", "Agency", "Source of information", "Subject", "Event / contact",
          "Action taken / outcome", "Comment / analysis"]
POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def ready_review(d, general) -> tuple[str, str]:
    """A review whose panel has a chair, two agency leads and an IMR author."""
    panel_steps.set_agencies(d, COORDINATOR, general, [POLICE_AGENCY, HEALTH_AGENCY])
    reference, space = create_review(d, COORDINATOR, general)
    panel_steps.join(d, space, CHAIR, "chair", by=COORDINATOR)
    panel_steps.join(d, space, POLICE, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    panel_steps.join(d, space, HEALTH, "agency_lead", HEALTH_AGENCY, by=COORDINATOR)
    panel_steps.join(d, space, AUTHOR, "imr_author", POLICE_AGENCY, by=COORDINATOR)
    return reference, space


def review_id(d, reference) -> int:
    with driver_of(d).db.session() as s:
        return s.exec(select(Review.id).where(Review.reference == reference)).one()


def entries(d, reference) -> list[ChronologyEntry]:
    with driver_of(d).db.session() as s:
        return list(s.exec(select(ChronologyEntry).where(ChronologyEntry.review_id == review_id(d, reference))
                           .order_by(ChronologyEntry.id)))


def bot_dms(d, user) -> list:
    return [m for m in driver_of(d).dms(user) if m.author_is_bot]


def dm_reply(d, user, before: int, what="the bot's DM reply"):
    """The first bot DM after the first `before` that says something (not a file shared after it)."""
    return wait(lambda: [m for m in bot_dms(d, user)[before:] if m.text.strip()] or None, what=what)[0]


def bot_dm_count(d, user) -> int:
    return len(bot_dms(d, user))


def ephemeral_reply(d, space, user, before: int, what="an ephemeral reply"):
    return wait(lambda: driver_of(d).ephemerals(user, space)[before:] or None, what=what)[-1]


def text_of(message) -> str:
    if isinstance(message, Seen):
        return message.text
    return (message.text or "") + "\n" + block_text(message.blocks or [])   # a Slack message, in Slack-only tests


def add_entry(d, user, space, values):
    d = driver_of(d)
    d.command(user, "chronology add", space=space)
    form = d.form(user, "dhr.chronology.entry")
    return form, form.submit(values)
