"""The evidence grid's cells: one status per agency and item, moved only along allowed steps.

Evidence requests create cells; chronology, IMR and scoping submissions move them; the card,
the evidence grid, Home and the reminder sweep read them. Every change is audited.
"""
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session, select

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.fields import sentence_start
from bot.workflow.core.kernel import audit
from storage.evidence import EvidenceItem
from storage.panel import Agency


class Kind(StrEnum):
    SCOPING = "scoping"
    CHRONOLOGY = "chronology"
    IMR = "imr"
    SHORT_REPORT = "short_report"

    @property
    def label(self) -> str:
        return {"scoping": "Scoping answer", "chronology": "Chronology", "imr": "IMR",
                "short_report": "Short report"}[self.value]

    @property
    def phrase(self) -> str:
        """The label inside a sentence: "chronology", but "IMR" keeps its capitals."""
        return sentence_start(self.label)


class Status(StrEnum):
    REQUESTED = "requested"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    NOT_REQUIRED = "not_required"


OPEN = frozenset({Status.REQUESTED, Status.RETURNED})   # the agency still owes it
# Where each status may go next. A submission can be made again while it awaits review
# (a corrected file); an accepted or not-required item can be asked for again.
NEXT = {
    Status.REQUESTED: {Status.SUBMITTED, Status.NOT_REQUIRED},
    Status.SUBMITTED: {Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED, Status.NOT_REQUIRED},
    Status.RETURNED: {Status.SUBMITTED, Status.NOT_REQUIRED},
    Status.ACCEPTED: {Status.REQUESTED, Status.RETURNED},
    Status.NOT_REQUIRED: {Status.REQUESTED},
}
LABELS = {"requested": "Requested", "overdue": "Overdue", "submitted": "Submitted", "returned": "Returned",
          "accepted": "Accepted", "not_required": "Not required"}


def shown_status(item: EvidenceItem, today: date) -> str:
    """The status users see: an open item past its due date is "overdue"."""
    if item.status in OPEN and item.due_on is not None and item.due_on < today:
        return "overdue"
    return item.status


def find(session: Session, review_id: int, agency_id: int, kind: Kind | str) -> EvidenceItem | None:
    return session.exec(select(EvidenceItem).where(
        EvidenceItem.review_id == review_id, EvidenceItem.agency_id == agency_id,
        EvidenceItem.kind == Kind(kind).value)).first()


def request(session: Session, review_id: int, agency_id: int, kind: Kind | str, due_on: date,
            actor: str, now: datetime) -> EvidenceItem:
    """Asks an agency for an item (again, if it was accepted or not required: a new due date)."""
    item = find(session, review_id, agency_id, kind)
    if item is None:
        item = EvidenceItem(review_id=review_id, agency_id=agency_id, kind=Kind(kind).value,
                            status=Status.REQUESTED, updated_by=actor, updated_at=now)
    elif item.status not in OPEN:
        _check_step(item, Status.REQUESTED)
    item.status, item.due_on = Status.REQUESTED.value, due_on
    item.requested_by, item.requested_at, item.updated_by, item.updated_at = actor, now, actor, now
    session.add(item)
    audit(session, actor, "evidence.requested", now, review_id, agency_id=agency_id, kind=item.kind,
          due_on=due_on.isoformat())
    return item


def move(session: Session, review_id: int, agency_id: int, kind: Kind | str, status: Status | str,
         actor: str, now: datetime) -> EvidenceItem:
    """Moves a cell (a submission, the chair's acceptance or return, "no contact"). A submission
    nobody asked for still counts: the cell is created."""
    status = Status(status)
    item = find(session, review_id, agency_id, kind)
    if item is None:
        if status is not Status.SUBMITTED and status is not Status.NOT_REQUIRED:
            raise WorkflowError(f"Nothing has been requested from this agency for its {Kind(kind).phrase}.")
        item = EvidenceItem(review_id=review_id, agency_id=agency_id, kind=Kind(kind).value, status=status.value,
                            updated_by=actor, updated_at=now)
    else:
        _check_step(item, status)
        item.status, item.updated_by, item.updated_at = status.value, actor, now
    session.add(item)
    audit(session, actor, f"evidence.{status.value}", now, review_id, agency_id=agency_id, kind=item.kind)
    return item


def _check_step(item: EvidenceItem, status: Status) -> None:
    if status not in NEXT[Status(item.status)]:
        raise WorkflowError(f"This {Kind(item.kind).phrase} is {LABELS[item.status].lower()}, "
                            f"so it can't be marked {LABELS[status.value].lower()}.")


@dataclass(frozen=True)
class GridRow:
    agency: str
    cells: dict[str, str]   # kind -> shown status ("" when nothing was asked)


def grid(session: Session, review_id: int, today: date) -> list[GridRow]:
    """Agency x item, for the card, the evidence grid and exports; agencies by name."""
    rows = session.exec(select(EvidenceItem, Agency.name).join(Agency, Agency.id == EvidenceItem.agency_id)
                        .where(EvidenceItem.review_id == review_id)).all()
    by_agency: dict[str, dict[str, str]] = {}
    for item, name in rows:
        by_agency.setdefault(name, {k.value: "" for k in Kind})[item.kind] = shown_status(item, today)
    return [GridRow(name, cells) for name, cells in sorted(by_agency.items())]
