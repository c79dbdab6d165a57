"""Report stages after the evidence, the action plan, and the closure of a review.

Report steps are append-only facts: each form a coordinator or chair submits with `/dhr stage`
adds one row. A "revise and resubmit" from the QA panel starts a new round, whose drafts and
sign-offs are recorded again; earlier rounds stay as history.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
from storage.types import ID, UTCDateTime


class ReportStep(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    step: str = Field(max_length=32)            # bot.workflow.report.report.STEPS key
    round: int = 1                              # 1 + the QA panel's "revise and resubmit" outcomes before it
    on_date: Optional[date] = None              # the date the step names (sign-off, letter, publication...)
    outcome: Optional[str] = Field(default=None, max_length=32)
    place: Optional[str] = Field(default=None, max_length=200)   # where the report was published
    flags: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: Optional[str] = Field(default=None, sa_type=EncryptedText)  # feedback, reasons, findings
    agreed_on: Optional[date] = None            # the day the Home Office agreed (summary only, not published)
    revisit_on: Optional[date] = None           # a deferred publication is looked at again on this day
    recorded_by: str = Field(max_length=ID)
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class Recommendation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_recommendation_review_number"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    number: int
    text: str = Field(sa_type=EncryptedText)
    scope: str = Field(max_length=16)           # local | regional | national
    source: str = Field(max_length=16)          # overview | imr
    source_agency_id: Optional[int] = Field(default=None, foreign_key="agency.id")
    national_body: Optional[str] = Field(default=None, max_length=200)
    # National recommendations: drafted -> submitted with the report (the review's submission) ->
    # sent to the department -> its response recorded. Nothing of this is asked when it is drafted.
    national_sent_on: Optional[date] = None
    national_response_on: Optional[date] = None
    national_response: Optional[str] = Field(default=None, sa_type=EncryptedText)
    created_by: str = Field(max_length=ID)
    created_at: datetime = Field(sa_type=UTCDateTime)


class PlanAction(SQLModel, table=True):
    """One SMART action under a recommendation. RAG is derived, never stored."""

    __table_args__ = (
        UniqueConstraint("recommendation_id", "number", name="uq_planaction_recommendation_number"),
        # The reminder sweep asks for open actions due by a date; completed ones pile up as history.
        Index("ix_planaction_open_target", "target_on", sqlite_where=text("status = 'open'"),
              postgresql_where=text("status = 'open'")),
        # actions awaiting verification (the verification reminders), few among many verified ones
        Index("ix_planaction_completed", "review_id", sqlite_where=text("status = 'completed'"),
              postgresql_where=text("status = 'completed'")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True)
    number: int
    action: str = Field(sa_type=EncryptedText)
    lead_agency_id: int = Field(foreign_key="agency.id")
    owner_user: str = Field(max_length=ID, index=True)
    outcome_measure: str = Field(sa_type=EncryptedText)
    target_on: date
    milestones: Optional[str] = Field(default=None, sa_type=EncryptedText)
    status: str = Field(default="open", max_length=16)   # open | completed (awaiting verification) | verified
    completed_on: Optional[date] = None
    completion_evidence: Optional[str] = Field(default=None, sa_type=EncryptedText)
    completed_by: Optional[str] = Field(default=None, max_length=ID)
    verified_by: Optional[str] = Field(default=None, max_length=ID)
    verified_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_update_on: Optional[date] = None
    # Answered by a strategic action of the CSP (storage/learning.py) instead of a duplicate: verified with it.
    strategic_action_id: Optional[int] = Field(default=None, foreign_key="strategicaction.id", index=True)
    created_by: str = Field(max_length=ID)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ActionUpdate(SQLModel, table=True):
    """Progress updates, completions, verifications and returns of one action (append-only)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="planaction.id", index=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    kind: str = Field(max_length=16)            # progress | completed | verified | returned
    text: Optional[str] = Field(default=None, sa_type=EncryptedText)
    by: str = Field(max_length=ID)
    at: datetime = Field(sa_type=UTCDateTime)


class ReviewClosure(SQLModel, table=True):
    """A concluded review's closing steps on Slack, each stored as it completes (resumable)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", unique=True)
    concluded_on: date
    retain_until: date
    summary_posted: bool = False
    renamed_to: Optional[str] = Field(default=None, max_length=80)
    archived: bool = False
    concluded_by: str = Field(max_length=ID)
    concluded_at: datetime = Field(sa_type=UTCDateTime)
    # Set once the retention period is over and a coordinator or CSP admin confirmed the deletion:
    # from then on only the audit skeleton (reference, dates, stage history) is kept.
    content_deleted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
    content_deleted_by: Optional[str] = Field(default=None, max_length=ID)


class ReportCheck(SQLModel, table=True):
    """One check of an uploaded draft (overview report, executive summary, one-minute guide): counts and the
    file's SHA-256, never the file or what was found in it. Submission to the Home Office waits for the latest
    check of the first two to pass, or a recorded reason to go anyway (the submit step's note); the guide is
    approved by the chair once its latest upload passed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    kind: str = Field(max_length=32)            # report_check.OVERVIEW | SUMMARY | GUIDE
    passed: bool
    terms: int = 0                              # places holding a registered term
    missing: int = 0                            # required sections missing
    warnings: int = 0                           # what looks like a date of birth or a full address
    sha256: str = Field(max_length=64)
    checked_by: str = Field(max_length=ID)
    checked_at: datetime = Field(sa_type=UTCDateTime)
    # the one-minute guide only: the chair approved this (passing) upload for sharing
    approved_by: Optional[str] = Field(default=None, max_length=ID)
    approved_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime, nullable=True)
