"""Workspace admins, agencies, confidentiality agreements and the redaction list."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import ID, UTCDateTime, platform_field


class WorkspaceAdmin(SQLModel, table=True):
    """CSP admins added with /dhr admins (those in DHR_ADMINS are admins without a row)."""

    __table_args__ = (UniqueConstraint("platform", "tenant_id", "user_id",
                                       name="uq_workspaceadmin_platform_tenant_user"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID)
    user_id: str = Field(max_length=ID)
    added_by: str = Field(max_length=ID)
    added_at: datetime = Field(sa_type=UTCDateTime)


class Agency(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "tenant_id", "name", name="uq_agency_platform_tenant_name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID)
    name: str = Field(max_length=75)  # Slack option text is at most 75 characters
    active: bool = True
    created_by: str = Field(max_length=ID)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Agreement(SQLModel, table=True):
    """A person's answer to a review's confidentiality statement. Nobody joins before agreeing."""

    __table_args__ = (
        UniqueConstraint("membership_id", name="uq_agreement_membership_id"),
        # The reminder sweep asks for unanswered invitations; answered ones pile up as history.
        Index("ix_agreement_pending_asked", "asked_at", sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    membership_id: int = Field(foreign_key="membership.id")
    status: str = Field(default="pending", max_length=16)  # pending | agreed | declined | withdrawn
    statement_sha256: str = Field(max_length=64)  # which wording they were shown
    asked_at: datetime = Field(sa_type=UTCDateTime)
    answered_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)


class RedactionTerm(SQLModel, table=True):
    """A term that must never appear: only its keyed hash (HMAC) is stored, never the term."""

    __table_args__ = (UniqueConstraint("review_id", "digest", name="uq_redactionterm_review_digest"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    token_count: int
    digest: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)
    entry: int  # several digests (date formats) share one entry number
    added_by: str = Field(max_length=ID)
    added_at: datetime = Field(sa_type=UTCDateTime)
