"""Chronology entries (every version kept), pending uploads, and IMR versions."""
import json
from datetime import date, datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import ID, UTCDateTime

NARRATIVE = ("source", "subject", "event", "action", "comment", "outside_reason")


class ChronologyEntry(SQLModel, table=True):
    """One event in an agency's chronology, as it stands now (its latest version).

    Its narrative columns are one encrypted JSON object: an export of 20,000 entries decrypts 20,000
    values rather than 120,000. Read them as attributes (entry.source, entry.event...)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    agency_id: int = Field(foreign_key="agency.id")
    version: int = 1
    date_start: date                       # the first day of the date's period
    date_precision: str = Field(max_length=8)   # day | month | year
    time: Optional[str] = Field(default=None, max_length=5)
    narrative: str = Field(sa_type=EncryptedText)   # JSON: {"source", "subject", "event", "action", ...}
    upload_id: Optional[int] = Field(default=None, foreign_key="chronologyupload.id")
    redaction_mark: int = 0   # the newest redaction term its text was checked against (exports check newer ones)
    created_by: str = Field(max_length=ID)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(max_length=ID)
    updated_at: datetime = Field(sa_type=UTCDateTime)

    def fields(self) -> dict:
        return json.loads(self.narrative or "{}")

    source = property(lambda self: self.fields().get("source"))
    subject = property(lambda self: self.fields().get("subject"))
    event = property(lambda self: self.fields().get("event"))
    action = property(lambda self: self.fields().get("action"))
    comment = property(lambda self: self.fields().get("comment"))
    outside_reason = property(lambda self: self.fields().get("outside_reason"))


class ChronologyEntryVersion(SQLModel, table=True):
    """Every version of an entry, the first included: corrections never overwrite history."""

    __table_args__ = (UniqueConstraint("entry_id", "version", name="uq_chronologyentryversion_entry_version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="chronologyentry.id", index=True)
    version: int
    date_start: date
    date_precision: str = Field(max_length=8)
    time: Optional[str] = Field(default=None, max_length=5)
    agency_id: int = Field(foreign_key="agency.id")
    source: str = Field(sa_type=EncryptedText)
    subject: Optional[str] = Field(default=None, sa_type=EncryptedText)
    event: str = Field(sa_type=EncryptedText)
    action: Optional[str] = Field(default=None, sa_type=EncryptedText)
    comment: Optional[str] = Field(default=None, sa_type=EncryptedText)
    outside_reason: Optional[str] = Field(default=None, sa_type=EncryptedText)
    change_reason: Optional[str] = Field(default=None, sa_type=EncryptedText)
    recorded_by: str = Field(max_length=ID)
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class ChronologyUpload(SQLModel, table=True):
    """A checked file awaiting the lead's "Import": its valid rows (encrypted JSON), never imported twice."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    agency_id: Optional[int] = Field(default=None, foreign_key="agency.id")
    uploaded_by: str = Field(max_length=ID)
    file_id: str = Field(max_length=ID)
    sha256: str = Field(max_length=64)
    status: str = Field(default="pending", max_length=16)   # pending | imported | superseded
    valid_rows: int = 0
    error_rows: int = 0
    rows_json: str = Field(sa_type=EncryptedText)
    redaction_mark: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)


class ImrVersion(SQLModel, table=True):
    """One uploaded IMR document for an agency, with its checks, declarations and the chair's decision."""

    __table_args__ = (UniqueConstraint("review_id", "agency_id", "version",
                                       name="uq_imrversion_review_agency_version"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    agency_id: int = Field(foreign_key="agency.id")
    version: int
    status: str = Field(max_length=16)   # draft | submitted | returned | accepted | superseded
    sha256: str = Field(max_length=64)
    size: int
    document: str = Field(sa_type=EncryptedText)   # the DOCX, base64, encrypted at rest
    uploaded_by: str = Field(max_length=ID)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)
    not_involved: bool = False
    not_line_manager: bool = False
    senior_manager: Optional[str] = Field(default=None, sa_type=EncryptedText)
    feedback_held: Optional[bool] = None
    feedback_on: Optional[date] = None
    submitted_by: Optional[str] = Field(default=None, max_length=ID)
    submitted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    decided_by: Optional[str] = Field(default=None, max_length=ID)
    decided_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    comments: Optional[str] = Field(default=None, sa_type=EncryptedText)
