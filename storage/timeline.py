"""Pauses and extensions of a review's statutory clock.

The pure rules live in bot/workflow/clock/timescales.py (Pause, Extension); these rows are what was
recorded, by whom and when. Deadlines are never stored: they are derived from these facts.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import ID, UTCDateTime


class ReviewPause(SQLModel, table=True):
    """One pause of a review's clock. At most one is open (ended_on NULL) per review: the partial
    unique index settles two people pausing at the same moment."""

    __table_args__ = (
        Index("uq_reviewpause_open", "review_id", unique=True,
              sqlite_where=text("ended_on IS NULL"), postgresql_where=text("ended_on IS NULL")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    kind: str = Field(max_length=32)            # a key of timescales.PAUSE_KINDS
    reason: str = Field(sa_type=EncryptedText)   # narrative: encrypted at rest, <= 500 characters
    started_on: date
    ended_on: Optional[date] = None
    started_by: str = Field(max_length=ID)
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_by: Optional[str] = Field(default=None, max_length=ID)
    ended_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)


class DeadlineExtension(SQLModel, table=True):
    """A new date for one statutory deadline, agreed by the CSP. The latest one wins."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    deadline: str = Field(max_length=32)        # timescales.DECISION / TERMS_OF_REFERENCE / OVERVIEW_REPORT
    previous_due: date
    new_due: date
    reason: str = Field(sa_type=EncryptedText)   # narrative: encrypted at rest, <= 1000 characters
    agreed_by: str = Field(max_length=200)      # who at the CSP agreed (a role or body)
    recorded_on: date
    recorded_by: str = Field(max_length=ID)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
