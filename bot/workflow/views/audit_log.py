"""Reading the append-only audit log of a review: each entry in words, with its item."""
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from bot.workflow.core.kernel import Actor, authorize
from bot.workflow.core.permissions import Operation
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Mention, Text, text
from bot.workflow.views.audit_words import describe, names_for
from storage.models import AuditEntry, Review

COLUMNS = ("When (UTC)", "Who", "Event", "What happened", "Details")


@dataclass(frozen=True)
class Line:
    at: datetime
    actor: str
    words: str


def latest(session: Session, review: Review, actor: Actor, person: Callable[[str], str] = str,
           limit: int = 20) -> list[Line]:
    """The latest entries, oldest first, each said in words; `person` shows a person in them."""
    authorize(session, review, actor, Operation.VIEW_AUDIT)
    rows = list(reversed(session.exec(select(AuditEntry).where(AuditEntry.review_id == review.id)
                                      .order_by(AuditEntry.id.desc()).limit(limit)).all()))
    names = names_for(session, rows, person)
    return [Line(e.at, e.actor, describe(e.action, e.detail, names)) for e in rows]


def export_rows(session: Session, review: Review, actor: Actor) -> list[tuple[str, str, str, str, str]]:
    authorize(session, review, actor, Operation.EXPORT_AUDIT)
    rows = list(session.exec(select(AuditEntry).where(AuditEntry.review_id == review.id).order_by(AuditEntry.id)))
    names = names_for(session, rows)
    return [(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action, describe(e.action, e.detail, names),
             "; ".join(f"{k}={v}" for k, v in sorted(e.detail.items()))) for e in rows]


def export_filename(review: Review, today) -> str:
    """Reference and date only: file names show up in the platform's search and notifications."""
    return f"{review.reference.lower()}-audit-{today.isoformat()}.csv"


@dataclass(frozen=True)
class RichLine:
    at: datetime
    actor: str          # a person's id, or the name of one of the bot's own jobs
    words: Text         # the people in it as mentions


_MARK = "\x00"      # stands for a person until the words are split (agency names are typed by people)


def latest_text(session: Session, review: Review, actor: Actor, limit: int = 20) -> list[RichLine]:
    lines = latest(session, review, actor, person=lambda user: f"{_MARK}{user}{_MARK}", limit=limit)
    return [RichLine(x.at, x.actor, _mentions(x.words)) for x in lines]


def _mentions(words: str) -> Text:
    pieces = re.split(f"{_MARK}([^{_MARK}]+){_MARK}", words)
    return text(*(Mention(PersonRef(p)) if i % 2 else p for i, p in enumerate(pieces)))
