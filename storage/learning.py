"""Learning across reviews: lessons, theme tags, strategic leads and the partnership's Strategic Action Plan.

Lessons and recommendations belong to one review; their theme tags carry the review's id so the CSP
view counts themes across reviews with one indexed query. Strategic actions belong to the CSP (the
platform's tenant), not to a review: each cites recommendations of any of its reviews.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import ID, UTCDateTime, platform_field


class Lesson(SQLModel, table=True):
    """A key lesson of a review, recorded by its coordinator or chair beside the recommendations."""

    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_lesson_review_number"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    number: int
    text: str = Field(sa_type=EncryptedText)
    created_by: str = Field(max_length=ID)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ThemeTag(SQLModel, table=True):
    """One theme on one recommendation or lesson (exactly one of the two)."""

    __table_args__ = (
        CheckConstraint("(recommendation_id IS NULL) <> (lesson_id IS NULL)", name="one_item"),
        UniqueConstraint("recommendation_id", "lesson_id", "theme", name="uq_themetag_item_theme"),
        Index("ix_themetag_theme_review", "theme", "review_id"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    recommendation_id: Optional[int] = Field(default=None, foreign_key="recommendation.id", index=True)
    lesson_id: Optional[int] = Field(default=None, foreign_key="lesson.id", index=True)
    theme: str = Field(max_length=64)            # the theme's key (bot.workflow.report.themes)


class StrategicLead(SQLModel, table=True):
    """A person a CSP admin named strategic lead (the leads command): sees the themes, runs the strategic plan."""

    __table_args__ = (UniqueConstraint("platform", "tenant_id", "user_id", name="uq_strategiclead_person"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID)
    user_id: str = Field(max_length=ID)
    added_by: str = Field(max_length=ID)
    added_at: datetime = Field(sa_type=UTCDateTime)


class StrategicAction(SQLModel, table=True):
    """One SMART action of the partnership's Strategic Action Plan. RAG is derived, never stored."""

    __table_args__ = (
        UniqueConstraint("platform", "tenant_id", "number", name="uq_strategicaction_number"),
        Index("ix_strategicaction_open_target", "target_on", sqlite_where=text("status = 'open'"),
              postgresql_where=text("status = 'open'")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID)
    number: int
    action: str = Field(sa_type=EncryptedText)
    owner_agency: str = Field(max_length=200)
    owner_user: str = Field(max_length=ID, index=True)
    outcome_measure: str = Field(sa_type=EncryptedText)
    target_on: date
    milestones: Optional[str] = Field(default=None, sa_type=EncryptedText)
    status: str = Field(default="open", max_length=16)   # open | completed | verified
    completed_on: Optional[date] = None
    completion_evidence: Optional[str] = Field(default=None, sa_type=EncryptedText)
    completed_by: Optional[str] = Field(default=None, max_length=ID)
    verified_by: Optional[str] = Field(default=None, max_length=ID)
    verified_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_update_on: Optional[date] = None
    created_by: str = Field(max_length=ID)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class StrategicCitation(SQLModel, table=True):
    """A review recommendation a strategic action answers (several reviews can feed one action)."""

    __table_args__ = (UniqueConstraint("strategic_action_id", "recommendation_id", name="uq_strategiccitation"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    strategic_action_id: int = Field(foreign_key="strategicaction.id", index=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)


class StrategicUpdate(SQLModel, table=True):
    """Progress, completion, verification and returns of a strategic action (append-only)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    strategic_action_id: int = Field(foreign_key="strategicaction.id", index=True)
    kind: str = Field(max_length=16)            # progress | completed | verified | returned
    text: Optional[str] = Field(default=None, sa_type=EncryptedText)
    by: str = Field(max_length=ID)
    at: datetime = Field(sa_type=UTCDateTime)
