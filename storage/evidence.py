"""What each agency owes a review (scoping answer, chronology, IMR, short report) and where it stands."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import ID, UTCDateTime


class EvidenceItem(SQLModel, table=True):
    """One agency x item cell of the evidence grid. "Overdue" is derived (open and past due_on)."""

    __table_args__ = (
        UniqueConstraint("review_id", "agency_id", "kind", name="uq_evidenceitem_review_agency_kind"),
        # The reminder sweep asks for open requests due by a date; accepted items pile up as history.
        Index("ix_evidenceitem_open_due", "due_on", sqlite_where=text("status IN ('requested', 'returned')"),
              postgresql_where=text("status IN ('requested', 'returned')")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    agency_id: int = Field(foreign_key="agency.id")
    kind: str = Field(max_length=16)     # scoping | chronology | imr | short_report
    status: str = Field(max_length=16)   # requested | submitted | returned | accepted | not_required
    due_on: Optional[date] = None
    requested_by: Optional[str] = Field(default=None, max_length=ID)
    requested_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    updated_by: str = Field(max_length=ID)
    updated_at: datetime = Field(sa_type=UTCDateTime)
