"""The reminder ledger: one row per reminder that is (or was) to be sent.

What is due is derived every sweep from the domain tables; this table only records what the
sweep decided to send and what happened to it. The UNIQUE idempotency key (review, item kind,
item key, recipient, due date, schedule point) is what makes a reminder go at most once.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from storage.types import ID, UTCDateTime, platform_field

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
USER, CHANNEL = "user", "channel"


class ReminderLedger(SQLModel, table=True):
    __table_args__ = (
        Index("ix_reminderledger_due_rows", "status", "next_attempt_at"),
        Index("ix_reminderledger_leases", "status", "lease_until"),
        Index("ix_reminderledger_day", "send_on", "recipient"),
        # the few pending rows among the many sent ones, by recipient (claiming a person's digest);
        # SQLite's statistics can't tell that status = 'pending' is rare, a partial index can
        Index("ix_reminderledger_pending", "recipient_kind", "recipient", "next_attempt_at",
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=255, unique=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    platform: str = platform_field()            # whose ids recipient, link_channel and message_* are
    item_kind: str = Field(max_length=32)       # milestone | weekly_status | undeliverable | ...
    item_key: str = Field(max_length=64)
    recipient: str = Field(max_length=ID)       # a person's user id, or a space id for space posts
    recipient_kind: str = Field(max_length=8)   # user | channel
    due_on: date                                # the item's due date when planned
    point: str = Field(max_length=16)           # b10, b5, b1, d0, o5, o10... weekly, notice
    point_on: date = Field(index=True)          # the working day the point fell on
    send_on: date                               # the day whose digest carries it
    escalated: bool = False                     # sent to someone beyond the item's owners
    # What the message shows: the reference and what is due, never case content.
    reference: str = Field(max_length=40)
    label: str = Field(max_length=120)
    link_channel: Optional[str] = Field(default=None, max_length=ID)
    detail: Optional[dict] = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Delivery.
    status: str = Field(default=PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    claimed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    lease_until: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    digest_id: Optional[str] = Field(default=None, max_length=32, index=True)
    message_channel: Optional[str] = Field(default=None, max_length=ID)
    message_ts: Optional[str] = Field(default=None, max_length=ID)
    last_error: Optional[str] = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
