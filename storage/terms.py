"""Terms of reference (every saved version kept), who confirmed reading an agreed version, and the
agencies' scoping answers."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import ID, UTCDateTime


class TermsOfReference(SQLModel, table=True):
    """One saved version. A new save is a new row; old versions are never changed."""

    __table_args__ = (UniqueConstraint("review_id", "version", name="uq_termsofreference_review_version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    version: int
    scope_from: date
    scope_to: date
    agency_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    lines_of_enquiry: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Narrative free text is encrypted at rest.
    other_lines: Optional[str] = Field(default=None, sa_type=EncryptedText)
    pseudonyms: Optional[str] = Field(default=None, sa_type=EncryptedText)
    agreed_on: Optional[date] = None
    saved_by: str = Field(max_length=ID)
    saved_at: datetime = Field(sa_type=UTCDateTime)


class TermsConfirmation(SQLModel, table=True):
    """A member asked to confirm they have read an agreed version, and when they did."""

    __table_args__ = (UniqueConstraint("terms_id", "person_id", name="uq_termsconfirmation_terms_person"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    terms_id: int = Field(foreign_key="termsofreference.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    asked_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)


class ScopingAnswer(SQLModel, table=True):
    """An agency's answer: contact in the scoping period? Every answer is kept; the latest counts."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    agency_id: int = Field(foreign_key="agency.id")
    contact_victim: bool
    contact_perpetrator: bool
    contact_children: bool
    answered_by: str = Field(max_length=ID)
    answered_at: datetime = Field(sa_type=UTCDateTime)
    # Set when the answer revises a settled one (the "Revise" of an old request): why, encrypted.
    revision_reason: Optional[str] = Field(default=None, sa_type=EncryptedText, nullable=True)
