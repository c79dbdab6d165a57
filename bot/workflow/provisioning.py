"""Setting a new review up on the chat platform, one resumable step at a time.

Each step stores its result before the next begins, so a retry after a failure (or a
crash) picks up where it stopped and never makes a second channel, card or DM.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from bot.workflow.notices import ChannelReady
from bot.workflow.ports import ChatError, ChatPort, SpaceNameTaken
from bot.workflow.reviews import audit, get_review, summary_card
from bot.workflow.workdays import WorkingCalendar
from storage.db import Database
from storage.models import Review

MAX_NAME_TRIES = 20

FAILURE_TEXT = {
    "restricted_action": "Your Slack workspace does not let this app create private channels. "
                         "Ask a Slack admin to allow it, then press Try again.",
    "ratelimited": "Slack is busy and asked the bot to slow down. Press Try again in a minute.",
    "missing_scope": "The Slack app is missing a permission it needs. Ask whoever installed it to "
                     "reinstall it from the manifest, then press Try again.",
    "invalid_auth": "The bot's Slack token is no longer valid. Ask whoever installed the app to check it.",
}
GENERIC_FAILURE = "Slack could not finish setting up the review channel ({code}). Press Try again."


@dataclass(frozen=True)
class SetupOutcome:
    ok: bool
    review_id: int
    reference: str
    channel_id: str | None
    message: str | None = None


def channel_names(reference: str):
    """dhr-2026-03, then dhr-2026-03-2, -3 ... (archived channels keep their names).

    A name always carries the reference's year and number: a reference that is not ASCII
    letters, year and number (as intake checks) raises ValueError rather than yield "dhr", "dhr-2".
    """
    if not re.fullmatch(r"[A-Za-z]{2,10}-[0-9]{4}-[0-9]{2,4}", reference or "", re.ASCII):
        raise ValueError("a review channel is named from an ASCII case reference such as DHR-2026-03")
    base = reference.lower()
    yield base
    for n in range(2, MAX_NAME_TRIES + 1):
        yield f"{base}-{n}"


def failure_message(code: str) -> str:
    return FAILURE_TEXT.get(code, GENERIC_FAILURE.format(code=code))


def set_up(db: Database, review_id: int, chat: ChatPort, *, now: Callable[[], datetime],
           today: Callable[[], date], calendar: WorkingCalendar) -> SetupOutcome:
    try:
        for step in (_channel, _invite, _card, _pin, _dm):
            step(db, review_id, chat, now(), today(), calendar)
    except ChatError as err:
        return _failed(db, review_id, err.code, now())
    with db.session() as s:
        review = get_review(s, review_id)
        if review.setup_state != "complete":
            review.setup_state, review.setup_error = "complete", None
            audit(s, review.created_by, "review.channel_ready", now(), review.id, channel=review.channel_id)
        return SetupOutcome(True, review.id, review.reference, review.channel_id)


def _failed(db, review_id, code, now) -> SetupOutcome:
    with db.session() as s:
        review = get_review(s, review_id)
        review.setup_state, review.setup_error = "failed", code[:64]
        audit(s, review.created_by, "review.setup_failed", now, review.id, error=code)
        return SetupOutcome(False, review.id, review.reference, review.channel_id, failure_message(code))


def _load(db, review_id) -> Review:
    with db.session() as s:
        return get_review(s, review_id)


def _save(db, review_id, **values) -> None:
    with db.session() as s:
        review = get_review(s, review_id)
        for key, value in values.items():
            setattr(review, key, value)


def _channel(db, review_id, chat, now, today, calendar):
    review = _load(db, review_id)
    if review.channel_id:
        return
    for name in channel_names(review.reference):
        try:
            space = chat.create_private_space(name)
        except SpaceNameTaken:
            continue
        _save(db, review_id, channel_id=space.id, channel_name=space.name)
        return
    raise ChatError("name_taken")


def _invite(db, review_id, chat, now, today, calendar):
    review = _load(db, review_id)
    chat.invite(review.channel_id, [review.created_by])


def _card(db, review_id, chat, now, today, calendar):
    review = _load(db, review_id)
    if review.card_ts:
        return
    with db.session() as s:
        card = summary_card(s, get_review(s, review_id), today, calendar)
    _save(db, review_id, card_ts=chat.post(review.channel_id, card))


def _pin(db, review_id, chat, now, today, calendar):
    review = _load(db, review_id)
    if not review.card_pinned:
        chat.pin(review.channel_id, review.card_ts)
        _save(db, review_id, card_pinned=True)


def _dm(db, review_id, chat, now, today, calendar):
    review = _load(db, review_id)
    if not review.coordinator_dm_sent:
        chat.dm(review.created_by, ChannelReady(channel_id=review.channel_id))
        _save(db, review_id, coordinator_dm_sent=True)


def refresh_card(db: Database, review_id: int, chat: ChatPort, *, today: date, calendar: WorkingCalendar) -> None:
    """Re-render the pinned card after a change. Best effort: the stored facts are the truth."""
    with db.session() as s:
        review = get_review(s, review_id)
        card = summary_card(s, review, today, calendar)
    if review.channel_id and review.card_ts:
        chat.update(review.channel_id, review.card_ts, card)
