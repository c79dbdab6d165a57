"""Family, friends and colleagues: each contact by relationship only, never by name; and the
chair's interview with the perpetrator."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import UTCDateTime


class FamilyContact(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_familycontact_review_number"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    number: int                                   # "Contact 2" within the review
    relationship: str = Field(max_length=32)      # mother | father | ... | other
    relationship_note: Optional[str] = Field(default=None, sa_type=EncryptedText)   # e.g. "older sister"
    leaflet: Optional[str] = Field(default=None, max_length=16)   # family | friends | employers
    leaflet_sent_on: Optional[date] = None
    advocacy_offered: Optional[bool] = None       # at the first contact
    advocacy_accepted: Optional[str] = Field(default=None, max_length=16)   # yes | no | undecided
    wishes_to_take_part: Optional[str] = Field(default=None, max_length=16)  # yes | no | undecided
    meetings: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))   # ISO dates
    draft_shared_on: Optional[date] = None
    comments_received_on: Optional[date] = None
    comments: Optional[str] = Field(default=None, sa_type=EncryptedText)    # their comments on the draft
    updated_by: str = Field(max_length=32)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class PerpetratorInterview(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", unique=True)
    status: str = Field(max_length=16)            # requested | held | declined | not_sought
    requested_on: Optional[date] = None
    held_on: Optional[date] = None
    declined_on: Optional[date] = None
    updated_by: str = Field(max_length=32)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class FamilyStep(SQLModel, table=True):
    """One involvement step (bot.workflow.evidence.family_steps.STEPS), the latest record of each kind; the
    audit log keeps earlier ones. `detail` holds the pseudonym they chose, the advocacy service or
    the form of tribute: never a family member's name."""
    __table_args__ = (UniqueConstraint("review_id", "kind", name="uq_familystep_review_kind"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    kind: str = Field(max_length=24)
    on_date: date
    contact_number: Optional[int] = None          # which contact (by relationship), if one in particular
    detail: Optional[str] = Field(default=None, sa_type=EncryptedText)
    recorded_by: str = Field(max_length=32)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
