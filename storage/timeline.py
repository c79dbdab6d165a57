"""Holds on named activities, and deadlines moved by another timescale agreed by the CSP.

The pure rules live in bot/workflow/clock/holds.py and timescales.py (Extension); these rows are what was
recorded, by whom and when. Deadlines are never stored: they are derived from the extensions.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import ID, UTCDateTime


class ActivityHold(SQLModel, table=True):
    """One activity of a review held by agreement with a parallel process (the SIO, CPS or coroner), for
    example witness interviews until the end of a criminal trial. Everything else goes on. At most one
    hold of the same activity (and agency) is open at a time: the partial unique index settles two people
    recording it at the same moment. agency_id is 0 for activities that are not one agency's."""

    __table_args__ = (
        Index("uq_activityhold_open", "review_id", "activity", "agency_id", unique=True,
              sqlite_where=text("lifted_on IS NULL"), postgresql_where=text("lifted_on IS NULL")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    activity: str = Field(max_length=32)         # a key of holds.ACTIVITIES
    agency_id: int = Field(default=0)            # the agency whose evidence is held, else 0
    agreed_by: str = Field(max_length=200)       # who agreed: a role or body ("SIO, Northshire Police")
    agreed_on: date
    until_on: Optional[date] = None              # exactly one of until_on and until_event
    until_event: Optional[str] = Field(default=None, max_length=200)
    reason: str = Field(sa_type=EncryptedText)   # narrative: encrypted at rest, <= 500 characters
    started_by: str = Field(max_length=ID)
    started_at: datetime = Field(sa_type=UTCDateTime)
    lifted_on: Optional[date] = None
    lifted_by: Optional[str] = Field(default=None, max_length=ID)
    lifted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)


class DeadlineExtension(SQLModel, table=True):
    """A new date for one statutory deadline: another timescale agreed by the CSP. The latest one wins."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    deadline: str = Field(max_length=32)        # timescales.DECISION / TERMS_OF_REFERENCE / OVERVIEW_REPORT
    previous_due: date
    new_due: date
    reason: str = Field(sa_type=EncryptedText)   # narrative: encrypted at rest, <= 1000 characters
    agreed_by: str = Field(max_length=200)      # who at the CSP agreed (a role or body)
    agreed_on: date                             # the day the CSP agreed it
    recorded_on: date
    recorded_by: str = Field(max_length=ID)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
