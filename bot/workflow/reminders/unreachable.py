"""Who the reminders could not reach, derived from the reminder ledger (never stored twice).

A person is unreachable while their latest failed reminder is newer than their latest delivered
one: a DM that goes through again (a reactivated account) clears them everywhere.
"""
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, type_coerce
from sqlmodel import Session, select

from bot.workflow.clock.due import one_of
from storage.ledger import FAILED, SENT, USER, ReminderLedger
from storage.types import UTCDateTime


def unreachable_people(session: Session, users: Iterable[str]) -> set[str]:
    """Of `users`, those whose last reminder failed for good."""
    failed = _latest(session, users, FAILED, ReminderLedger.claimed_at)
    sent = _latest(session, failed, SENT, ReminderLedger.sent_at)
    return {u for u, at in failed.items() if u not in sent or at > sent[u]}


def unreachable_in_review(session: Session, review_id: int) -> list[tuple[str, str]]:
    """(person, why) for the people this review's reminders could not reach, in the order they failed."""
    rows = session.exec(
        select(ReminderLedger.recipient, ReminderLedger.last_error, ReminderLedger.claimed_at)
        .where(ReminderLedger.review_id == review_id, ReminderLedger.recipient_kind == USER,
               ReminderLedger.status == FAILED)
        .order_by(ReminderLedger.claimed_at, ReminderLedger.id)).all()
    why = {user: code or "unknown" for user, code, _ in rows}   # the latest failure's reason wins
    still = unreachable_people(session, why)
    return [(user, code) for user, code in why.items() if user in still]


def _latest(session: Session, users: Iterable[str], status: str, column) -> dict[str, datetime]:
    users = sorted(set(users))
    if not users:
        return {}
    rows = session.exec(
        select(ReminderLedger.recipient,
               type_coerce(func.max(func.coalesce(column, ReminderLedger.created_at)), UTCDateTime))
        .where(ReminderLedger.recipient_kind == USER, ReminderLedger.status == status,
               one_of(session, ReminderLedger.recipient, users))
        .group_by(ReminderLedger.recipient)).all()
    return {user: at for user, at in rows if at is not None}

