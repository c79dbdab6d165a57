"""The check of the draft overview report and executive summary, as recorded: who checked which file
(its SHA-256) when, and whether it passed, in counts only; what the submit step's guard and the summary
card read. (report_check_use_cases.py has the timescales paragraph.)"""
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from bot.workflow.core.errors import PermissionDenied
from bot.workflow.core.kernel import Actor, audit, authorize, roles_of
from bot.workflow.core.permissions import Operation, may
from bot.workflow.report import report_check
from bot.workflow.report.report_check import KIND_LABELS, OVERVIEW, SUMMARY, Checked
from storage.models import Review
from storage.report import ReportCheck

CHECKED_KINDS = (OVERVIEW, SUMMARY)


@dataclass(frozen=True)
class Result:
    kind: str
    checked: Checked
    row: ReportCheck


def check_upload(session: Session, review: Review, actor: Actor, kind: str, content: bytes, now: datetime,
                 redacted: Callable[[str], bool]) -> Result:
    """The coordinator or chair (who run the report) check a draft; a file that is not a .docx the bot can
    read is refused before anything is recorded."""
    roles = roles_of(session, review, actor)
    if roles and not may(roles, Operation.MOVE_STAGE):
        raise PermissionDenied(f"Only the review's coordinator or chair can have the {KIND_LABELS[kind]} checked, "
                               "so I have not checked or kept it. (Name an IMR without \u201coverview report\u201d "
                               "or \u201cexecutive summary\u201d.)")
    authorize(session, review, actor, Operation.MOVE_STAGE)
    checked = report_check.check(content, kind, redacted)
    row = ReportCheck(review_id=review.id, kind=kind, passed=checked.passed, terms=len(checked.terms),
                      missing=len(checked.missing), warnings=len(checked.warnings),
                      sha256=hashlib.sha256(content).hexdigest(), checked_by=actor.user_id, checked_at=now)
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "report.checked", now, review.id, kind=kind, passed=checked.passed,
          terms=row.terms, missing=row.missing, warnings=row.warnings, sha256=row.sha256)
    return Result(kind, checked, row)


def latest(session: Session, review_id: int) -> dict[str, ReportCheck]:
    """The latest check of each kind: a later upload replaces an earlier pass or failure."""
    rows = session.exec(select(ReportCheck).where(ReportCheck.review_id == review_id).order_by(ReportCheck.id))
    return {row.kind: row for row in rows}


def failing(session: Session, review_id: int, since: datetime | None = None) -> list[str]:
    """What has no passing latest check (since the QA panel asked for a revision, if it did):
    ["overview report", ...] (the submit step's guard)."""
    checks = latest(session, review_id)
    return [KIND_LABELS[k] for k in CHECKED_KINDS
            if k not in checks or not checks[k].passed or (since is not None and checks[k].checked_at <= since)]


def card_line(session: Session, review_id: int) -> str | None:
    """"Report check: overview report passed (Tue 1 Dec 2026); executive summary: 2 findings (...)"."""
    checks = latest(session, review_id)
    if not any(kind in checks for kind in CHECKED_KINDS):
        return None
    parts = []
    for kind in CHECKED_KINDS:
        row = checks.get(kind)
        if row is None:
            parts.append(f"{KIND_LABELS[kind]} not checked yet")
            continue
        found = row.terms + row.missing
        said = "passed" if row.passed else f"{found} finding{'s' if found != 1 else ''} to fix"
        warned = f", {row.warnings} warning{'s' if row.warnings != 1 else ''}" if row.warnings else ""
        parts.append(f"{KIND_LABELS[kind]} {said}{warned} ({day(row.checked_at.date())})")
    return "Report check: " + "; ".join(parts) + "."


def day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"
