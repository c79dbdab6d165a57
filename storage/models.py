"""The tables. Free text is bounded here; the forms bound it again with a message."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import ID, UTCDateTime, platform_field

# Named constraints let Alembic's batch mode alter SQLite tables later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _utc(**kw):
    return Field(sa_type=UTCDateTime, **kw)


class Review(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID, index=True)
    reference: str = Field(max_length=40, unique=True)
    stage: str = Field(max_length=32, index=True)
    preset: str = Field(default="2016", max_length=32)
    notified_on: date
    notifying_agency: str = Field(max_length=100)
    victim_pseudonym: str = Field(max_length=60)
    perpetrator_pseudonym: Optional[str] = Field(default=None, max_length=60)
    victim_age: int
    relationship: str = Field(max_length=32)
    suspected_suicide: bool = False
    # The space's set-up; each step is stored as it completes so a retry resumes, never repeats.
    setup_state: str = Field(default="pending", max_length=16)
    setup_error: Optional[str] = Field(default=None, max_length=64)
    # The lease of the attempt running the set-up, and a count of attempts (which fences a stale one).
    setup_claimed_until: Optional[datetime] = _utc(default=None, nullable=True)
    setup_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    space_id: Optional[str] = Field(default=None, max_length=ID, index=True)
    space_name: Optional[str] = Field(default=None, max_length=80)
    # What a platform needs to reach the space unprompted (Teams' conversation reference); Slack needs none.
    # JSONB on PostgreSQL: plain json has no equality, and reviews are selected DISTINCT
    space_ref: Optional[dict] = Field(default=None,
                                      sa_column=Column(JSON().with_variant(JSONB(), "postgresql"), nullable=True))
    card_ref: Optional[str] = Field(default=None, max_length=ID)
    card_pinned: bool = False
    coordinator_dm_sent: bool = False
    created_by: str = Field(max_length=ID)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Decision(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", unique=True)
    outcome: str = Field(max_length=16)  # review | no_review
    decided_on: date
    agencies_consulted: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    concerns: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    parallel_processes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    home_office_told_on: date
    lscp_told_on: Optional[date] = None
    # Narrative free text is encrypted at rest (storage.crypto; keys from DHR_FIELD_KEYS).
    delay_reason: Optional[str] = Field(default=None, sa_type=EncryptedText)
    no_review_reasons: Optional[str] = Field(default=None, sa_type=EncryptedText)
    home_office_reply: Optional[str] = Field(default=None, max_length=32)
    home_office_reply_on: Optional[date] = None
    # The decision record the QA panel reads: who decided, records secured, criteria, lead and joint CSPs.
    # Null on decisions recorded before these were asked.
    decided_by: Optional[str] = Field(default=None, max_length=ID)
    records_secured_on: Optional[date] = None
    criteria: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))
    usual_residence: Optional[str] = Field(default=None, sa_type=EncryptedText)
    lead_csp: Optional[str] = Field(default=None, max_length=120)
    joint_with: Optional[str] = Field(default=None, max_length=120)
    joint_lead: Optional[str] = Field(default=None, max_length=8)   # "this" | "other"
    recorded_by: str = Field(max_length=ID)
    recorded_at: datetime = _utc()


class Person(SQLModel, table=True):
    """A person known to the bot: (platform, tenant, user id). No names: the platform is the directory."""

    __table_args__ = (UniqueConstraint("platform", "tenant_id", "user_id", name="uq_person_platform_tenant_user"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID)
    user_id: str = Field(max_length=ID)
    created_at: datetime = _utc()


class Membership(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=32)
    agency_id: Optional[int] = Field(default=None, foreign_key="agency.id")
    # invited (awaiting the confidentiality agreement) | active | declined | removed
    status: str = Field(default="active", max_length=16)
    added_by: str = Field(max_length=ID)
    added_at: datetime = _utc()
    removed_at: Optional[datetime] = _utc(default=None, nullable=True)


class StageChange(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    from_stage: Optional[str] = Field(default=None, max_length=32)
    to_stage: str = Field(max_length=32)
    transition: str = Field(max_length=48)
    by: str = Field(max_length=ID)
    at: datetime = _utc()


class AuditEntry(SQLModel, table=True):
    """Append-only: the code never updates or deletes a row."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: Optional[int] = Field(default=None, foreign_key="review.id", index=True)
    actor: str = Field(max_length=ID)
    action: str = Field(max_length=64)
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = _utc()


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already handled: Slack retries re-send the same event_id."""

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = _utc()
