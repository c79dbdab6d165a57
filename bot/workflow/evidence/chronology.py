"""The combined chronology: entries by form or upload, corrections with every version kept, the export.

Agency leads work on their own agency's entries only; the coordinator and chair on any agency's.
Every change is audited and moves the agency's chronology cell of the evidence grid to "submitted".
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.core.errors import NotFound, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec
from bot.workflow.core.form_spec import Kind as FieldKind
from bot.workflow.core.kernel import ACTIVE, Actor, audit, authorize
from bot.workflow.core.permissions import AGENCY_SCOPED_ROLES, PERMISSIONS, Operation, require
from bot.workflow.core.text import Command, SpaceWord, text
from bot.workflow.evidence import evidence_items, terms
from bot.workflow.evidence.chronology_rows import (
    COLUMNS,
    DATE_HINT,
    PRECISIONS,
    REASON_COLUMN,
    FileCheck,
    FuzzyDate,
    RowInput,
    ValidRow,
    check_file,
    validate_row,
)
from bot.workflow.evidence.evidence_items import Kind, Status
from bot.workflow.evidence.evidence_requests import item_for
from storage.chronology import NARRATIVE, ChronologyEntry, ChronologyEntryVersion, ChronologyUpload
from storage.evidence import EvidenceItem
from storage.models import Membership, Person, Review
from storage.panel import Agency


class EntryForm(FormSpec):
    """One entry of the combined chronology, in its columns. The agency is chosen only when the
    person may enter for more than one (`agency.but(options=...)`)."""

    date = Field(COLUMNS[0], max_length=20, hint=f"Approximate is fine: {DATE_HINT}.")
    time = Field(COLUMNS[1], required=False, max_length=8, placeholder="24-hour, e.g. 14:30")
    agency = Field(COLUMNS[2], FieldKind.SELECT)
    source = Field(COLUMNS[3], max_length=200, hint="The record the entry comes from, e.g. GP notes, custody record.")
    subject = Field(COLUMNS[4], required=False, max_length=60, hint="The pseudonym of the person the entry is about.")
    event = Field(COLUMNS[5], FieldKind.MULTILINE, max_length=3000)
    action = Field(COLUMNS[6], FieldKind.MULTILINE, required=False, max_length=3000)
    comment = Field(COLUMNS[7], FieldKind.MULTILINE, required=False, max_length=3000)
    outside_reason = Field(REASON_COLUMN, FieldKind.MULTILINE, required=False, max_length=500,
                           hint="Needed only when the date is outside the scoping period.")


class CorrectionForm(EntryForm):
    change_reason = Field("Reason for the correction", FieldKind.MULTILINE, max_length=500,
                          hint="Kept with the entry's history; the earlier version is not lost.")


def scoping_period(session: Session, review_id: int) -> tuple[date, date] | None:
    """The agreed scoping period from the latest terms of reference, or None while there are none."""
    current = terms.current_terms(session, review_id)
    start, end = getattr(current, "scope_from", None), getattr(current, "scope_to", None)
    return (start, end) if start and end else None


@dataclass(frozen=True)
class Submitter:
    """Who is entering evidence: their roles and the agencies they may act for (None: any agency)."""
    roles: frozenset
    own_agencies: dict[int, str]
    any_agency: bool

    def allowed(self, agencies: dict[int, str]) -> dict[int, str]:
        return dict(agencies) if self.any_agency else {i: n for i, n in agencies.items() if i in self.own_agencies}


def own_agencies(session: Session, review: Review, actor: Actor,
                 op: Operation = Operation.SUBMIT_AGENCY_EVIDENCE) -> dict[int, str]:
    """The agencies for which the person holds an agency-scoped role that grants `op` (an IMR author's
    agency counts for its IMR, not for its chronology)."""
    granting = [r.value for r in AGENCY_SCOPED_ROLES & PERMISSIONS[op]]
    rows = session.exec(
        select(Agency.id, Agency.name).join(Membership, Membership.agency_id == Agency.id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.review_id == review.id, Membership.status == ACTIVE,
               Membership.role.in_(granting),
               Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id))
    return {i: n for i, n in rows}


def submitter(session: Session, review: Review, actor: Actor, op: Operation = Operation.SUBMIT_AGENCY_EVIDENCE,
              agency_id: int | None = None) -> Submitter:
    """Refuses outsiders and members whose role may not do `op` (for `agency_id`, when given)."""
    roles = authorize(session, review, actor, Operation.VIEW_REVIEW)
    mine = own_agencies(session, review, actor, op)
    require(roles, op, actor_agencies=[str(i) for i in mine],
            item_agency=str(agency_id) if agency_id is not None else None)
    any_agency = bool(set(roles) & PERMISSIONS[op] - AGENCY_SCOPED_ROLES)   # e.g. the coordinator or chair
    if not any_agency and not mine:
        raise WorkflowError("You are not recorded with an agency on this review; ask the coordinator to set it.")
    return Submitter(frozenset(roles), mine, any_agency)


def form_agencies(session: Session, review: Review, who: Submitter, agency_id: int | None = None) -> dict[int, str]:
    """The agencies the entry form offers this person (just one, when opened from that agency's request)."""
    agencies = who.allowed(agencies_of(session, review))
    if agency_id is not None:
        agencies = {agency_id: agencies[agency_id]} if agency_id in agencies else {}
    if not agencies:
        raise WorkflowError(text("No agencies are set up yet: ask a CSP admin to add them with ",
                                 Command("agencies"), "."))
    return agencies


def agencies_of(session: Session, review: Review) -> dict[int, str]:
    return {a.id: a.name for a in session.exec(select(Agency).where(Agency.tenant_id == review.tenant_id)
                                                .order_by(Agency.name))}


def resolver(who: Submitter, agencies: dict[int, str]):
    by_name = {n.casefold(): i for i, n in agencies.items()}
    mine = who.allowed(agencies)

    def resolve(name: str | None):
        if not name:
            if len(mine) == 1:
                return next(iter(mine)), None
            return None, "Name the agency the entry is from."
        agency_id = by_name.get(name.strip().casefold())
        if agency_id is None:
            return None, text("Not an agency of this review: use the agency's name as listed by ", Command("agencies"),
                              ".")
        if agency_id not in mine:
            return None, "You can only submit your own agency's entries."
        return agency_id, None
    return resolve


# ---------------------------------------------------------------- one entry (form)

def _form_row(raw: dict, agencies: dict[int, str]) -> RowInput:
    """The form's answers as a row; the agency comes as its id (chosen, or the form's only one)."""
    f = EntryForm
    agency = f.agency.of(raw)
    chosen = str(agency or "")
    name = agencies.get(int(chosen)) if chosen.isascii() and chosen.isdigit() else (agency or None)
    return RowInput(date=f.date.of(raw), time=f.time.of(raw), agency=name, source=f.source.of(raw),
                    subject=f.subject.of(raw), event=f.event.of(raw), action=f.action.of(raw),
                    comment=f.comment.of(raw), outside_reason=f.outside_reason.of(raw))


NO_REDACTIONS = (0, lambda _text: False)


def _validated(session, review, who, raw, redacted) -> ValidRow:
    agencies = agencies_of(session, review)
    row, errors = validate_row(_form_row(raw, agencies), resolve_agency=resolver(who, agencies),
                               period=scoping_period(session, review.id), redacted=redacted)
    if errors:
        raise EntryForm.invalid(errors)
    return row


def add_entry(session: Session, review: Review, actor: Actor, raw: dict, now: datetime,
              redaction=NO_REDACTIONS) -> ChronologyEntry:
    """`redaction` = (mark, text -> bool): the redaction list the text is checked against, and its newest id."""
    who = submitter(session, review, actor)
    row = _validated(session, review, who, raw, redaction[1])
    entry = _new_entry(review.id, row, actor.user_id, now)
    entry.redaction_mark = redaction[0]
    session.add(entry)
    session.flush()
    session.add(_version(entry, row, actor.user_id, now, None))
    audit(session, actor.user_id, "chronology.entry_added", now, review.id, entry_id=entry.id,
          agency_id=row.agency_id)
    _mark_submitted(session, review.id, {row.agency_id}, actor.user_id, now)
    return entry


def entry_for_correction(session: Session, review: Review, actor: Actor, entry_id: int) -> ChronologyEntry:
    entry = session.get(ChronologyEntry, entry_id)
    if entry is None or entry.review_id != review.id:
        raise NotFound(f"There is no chronology entry #{entry_id} on {review.reference}.")
    submitter(session, review, actor, agency_id=entry.agency_id)
    return entry


def correct_entry(session: Session, review: Review, actor: Actor, entry_id: int, raw: dict,
                  now: datetime, redaction=NO_REDACTIONS) -> ChronologyEntry:
    """A new version; the old ones stay. The reason for the correction is required."""
    entry = entry_for_correction(session, review, actor, entry_id)
    who = submitter(session, review, actor, agency_id=entry.agency_id)
    reason = (CorrectionForm.change_reason.of(raw) or "").strip()
    if not reason or len(reason) > 500:
        raise CorrectionForm.invalid({CorrectionForm.change_reason.key:
                                      "Say briefly why the entry is corrected (up to 500 characters)."})
    row = _validated(session, review, who, raw, redaction[1])
    if row.agency_id != entry.agency_id and not who.any_agency:
        raise CorrectionForm.invalid({CorrectionForm.agency.key: "You can only submit your own agency's entries."})
    moved = session.execute(update(ChronologyEntry).where(ChronologyEntry.id == entry.id,
                                                       ChronologyEntry.version == entry.version)
                         .values(version=entry.version + 1)).rowcount
    if moved != 1:
        raise WorkflowError("Someone corrected this entry a moment ago; open it again to see their version.")
    session.refresh(entry)
    _apply(entry, row, actor.user_id, now)
    entry.redaction_mark = redaction[0]
    session.add(entry)
    session.add(_version(entry, row, actor.user_id, now, reason))
    audit(session, actor.user_id, "chronology.entry_corrected", now, review.id, entry_id=entry.id,
          version=entry.version)
    _mark_submitted(session, review.id, {row.agency_id}, actor.user_id, now)
    return entry


def versions(session: Session, entry_id: int) -> list[ChronologyEntryVersion]:
    return list(session.exec(select(ChronologyEntryVersion).where(ChronologyEntryVersion.entry_id == entry_id)
                             .order_by(ChronologyEntryVersion.version)))


def _new_entry(review_id: int, row: ValidRow, user: str, now: datetime, upload_id: int | None = None):
    entry = ChronologyEntry(review_id=review_id, agency_id=row.agency_id, date_start=row.when.start,
                            date_precision=row.when.precision, narrative="{}",
                            upload_id=upload_id, created_by=user, created_at=now, updated_by=user, updated_at=now)
    _apply(entry, row, user, now)
    return entry


def _apply(entry: ChronologyEntry, row: ValidRow, user: str, now: datetime) -> None:
    entry.agency_id, entry.date_start, entry.date_precision, entry.time = (
        row.agency_id, row.when.start, row.when.precision, row.time)
    entry.narrative = json.dumps({key: getattr(row, key) for key in NARRATIVE}, separators=(",", ":"))
    entry.updated_by, entry.updated_at = user, now


def _version(entry: ChronologyEntry, row: ValidRow, user: str, now: datetime, reason: str | None):
    return ChronologyEntryVersion(
        entry_id=entry.id, version=entry.version, date_start=row.when.start, date_precision=row.when.precision,
        time=row.time, agency_id=row.agency_id, change_reason=reason, recorded_by=user, recorded_at=now,
        **{k: getattr(row, k) for k in NARRATIVE})


def _mark_submitted(session: Session, review_id: int, agency_ids: set[int], user: str, now: datetime,
                    kind: Kind = Kind.CHRONOLOGY) -> None:
    """The agency's cell becomes "submitted" (created if nobody asked); an accepted one stays accepted."""
    for agency_id in sorted(agency_ids):
        cell = evidence_items.find(session, review_id, agency_id, kind)
        if cell is None:
            try:
                with session.begin_nested():   # two leads of one agency at once: one creates, both submit
                    evidence_items.move(session, review_id, agency_id, kind, Status.SUBMITTED, user, now)
                continue
            except IntegrityError:
                cell = evidence_items.find(session, review_id, agency_id, kind)
        if Status.SUBMITTED in evidence_items.NEXT[Status(cell.status)]:
            evidence_items.move(session, review_id, agency_id, kind, Status.SUBMITTED, user, now)


# ---------------------------------------------------------------- uploads

@dataclass(frozen=True)
class Staged:
    upload_id: int | None
    check: FileCheck
    review_id: int
    reference: str


def stage_upload(session: Session, review: Review, actor: Actor, file_id: str, name: str, content: bytes,
                 now: datetime, redaction=NO_REDACTIONS) -> Staged:
    """Checks every row; keeps the valid ones (encrypted) until the uploader presses Import."""
    who = submitter(session, review, actor)
    agencies = agencies_of(session, review)
    check = check_file(name, content, resolve_agency=resolver(who, agencies),
                       period=scoping_period(session, review.id), redacted=redaction[1])
    upload_id = None
    for old in session.exec(select(ChronologyUpload).where(
            ChronologyUpload.review_id == review.id, ChronologyUpload.uploaded_by == actor.user_id,
            ChronologyUpload.status == "pending")):
        old.status, old.decided_at = "superseded", now   # a corrected file replaces the last one
        session.add(old)
    if check.rows:
        upload = ChronologyUpload(
            review_id=review.id, agency_id=next(iter(who.own_agencies), None) if not who.any_agency else None,
            uploaded_by=actor.user_id, file_id=file_id[:32], sha256=hashlib.sha256(content).hexdigest(),
            valid_rows=len(check.rows), error_rows=check.bad_rows, created_at=now, redaction_mark=redaction[0],
            rows_json=json.dumps([r.to_json() for _, r in check.rows], separators=(",", ":")))
        session.add(upload)
        session.flush()
        upload_id = upload.id
    audit(session, actor.user_id, "chronology.upload_checked", now, review.id, upload_id=upload_id,
          valid_rows=len(check.rows), error_rows=check.bad_rows)
    return Staged(upload_id, check, review.id, review.reference)


@dataclass(frozen=True)
class Imported:
    reference: str
    space_id: str | None
    count: int
    first_id: int
    last_id: int


def import_upload(session: Session, upload_id: int, actor: Actor, now: datetime) -> Imported:
    upload = session.get(ChronologyUpload, upload_id)
    if upload is None:
        raise NotFound("That upload no longer exists; upload the file again.")
    review = session.get(Review, upload.review_id)
    who = submitter(session, review, actor)
    if upload.uploaded_by != actor.user_id:
        raise WorkflowError("Only the person who uploaded a file can import it.")
    if upload.status != "pending":
        raise WorkflowError("This file was already imported." if upload.status == "imported" else
                            "A newer file replaced this one; import that one instead.")
    rows = [ValidRow.from_json(d) for d in json.loads(upload.rows_json)]
    allowed = who.allowed(agencies_of(session, review))
    if any(r.agency_id not in allowed for r in rows):
        raise WorkflowError("Your role on this review changed since the upload; upload the file again.")
    claimed = session.execute(update(ChronologyUpload).where(ChronologyUpload.id == upload.id,
                                                          ChronologyUpload.status == "pending")
                           .values(status="imported", decided_at=now)).rowcount
    if claimed != 1:   # a double click, or two windows: only one import happens
        raise WorkflowError("This file was already imported.")
    entries = [_new_entry(review.id, r, actor.user_id, now, upload.id) for r in rows]
    for entry in entries:
        entry.redaction_mark = upload.redaction_mark
    session.add_all(entries)
    session.flush()
    session.add_all([_version(e, r, actor.user_id, now, None) for e, r in zip(entries, rows)])
    audit(session, actor.user_id, "chronology.upload_imported", now, review.id, upload_id=upload.id,
          entries=len(entries))
    _mark_submitted(session, review.id, {r.agency_id for r in rows}, actor.user_id, now)
    return Imported(review.reference, review.space_id, len(entries), entries[0].id, entries[-1].id)


# ---------------------------------------------------------------- export

EXPORT_COLUMNS = COLUMNS


@dataclass(frozen=True)
class ExportEntry:
    id: int
    agency_id: int
    date_start: date
    date_precision: str
    time: str | None
    redaction_mark: int
    source: str
    subject: str | None = None
    event: str = ""
    action: str | None = None
    comment: str | None = None
    outside_reason: str | None = None
_ORDER = {p: i for i, p in enumerate(PRECISIONS)}


def merged(entries, agency_names: dict[int, str]) -> list:
    """All agencies' entries in one date order; an approximate date sits at the start of its period."""
    def key(e):
        return (e.date_start, _ORDER.get(e.date_precision, 9), e.time or "", agency_names.get(e.agency_id, ""), e.id)
    return sorted(entries, key=key)


def merged_rows(entries, agency_names: dict[int, str]) -> list[list[str]]:
    """The export's cells: merged, with approximate dates marked ("2025-03 (month)")."""
    out = []
    for e in merged(entries, agency_names):
        comment = e.comment or ""
        if e.outside_reason:
            comment = (comment + "\n" if comment else "") + f"[Outside the scoping period: {e.outside_reason}]"
        out.append([FuzzyDate(e.date_start, e.date_precision).show(), e.time or "",
                    agency_names.get(e.agency_id, ""), e.source, e.subject or "", e.event, e.action or "", comment])
    return out


def export_rows(session: Session, review: Review, actor: Actor, now: datetime,
                first_redacted=lambda rows, marks: None) -> list[list[str]]:
    """The merged rows, once none carries a term on the redaction list: `first_redacted(rows, marks)` -> index
    checks each row against the terms newer than the one its text was checked against when entered."""
    authorize(session, review, actor, Operation.EXPORT_CHRONOLOGY)
    E = ChronologyEntry
    stored = session.exec(select(E.id, E.agency_id, E.date_start, E.date_precision, E.time, E.narrative,
                                 E.redaction_mark).where(E.review_id == review.id))
    names = agencies_of(session, review)
    entries = merged([ExportEntry(*r[:5], r[6], **json.loads(r[5])) for r in stored],  # type: ignore[call-arg]
                     names)
    rows = merged_rows(entries, names)
    hit = first_redacted(rows, [e.redaction_mark for e in entries])
    if hit is not None:
        raise WorkflowError(f"Not exported: the {rows[hit][2]} entry dated {rows[hit][0]} contains a term on the "
                            "review's redaction list (a real name, date of birth or address). Correct it to use "
                            "the pseudonym, then export again.")
    audit(session, actor.user_id, "chronology.exported", now, review.id, entries=len(rows))
    return rows


def export_filename(review: Review, today: date, ext: str) -> str:
    """Reference and date only: never a person's name."""
    return f"{review.reference}-chronology-{today.isoformat()}.{ext}"


def evidence_item_for(session: Session, item_id: int, actor: Actor, kind: Kind) -> tuple[Review, EvidenceItem]:
    """The request cell behind an agency lead's button, once the clicker's right to that agency is checked."""
    op = Operation.SUBMIT_IMR if kind is Kind.IMR else Operation.SUBMIT_AGENCY_EVIDENCE
    found = item_for(session, item_id, actor, op, kind)
    return found.review, found.item


# ---------------------------------------------------------------- where a shared file belongs

def review_for_upload(session: Session, space_id: str, actor: Actor, *, in_dm: bool) -> Review | None:
    """The review a shared file is for: the review's space it was shared in, or (in the bot's DM) the one
    review on which the person submits evidence. None: not ours to read (stay silent)."""
    review = session.exec(select(Review).where(Review.space_id == space_id)).first()
    if review is not None:
        return review
    if not in_dm:
        return None
    mine = list({r.id: r for r in session.exec(
        select(Review).join(Membership, Membership.review_id == Review.id)
        .join(Person, Person.id == Membership.person_id)
        .where(Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id,
               Membership.status == ACTIVE, Review.tenant_id == actor.tenant_id,
               Membership.role.in_([r.value for r in AGENCY_SCOPED_ROLES])))}.values())
    if not mine:
        raise WorkflowError(text("In a DM I read chronologies and IMRs only from agency leads and IMR authors of "
                                 "a review, so I have not read or kept this file. (Coordinators and chairs: share it "
                                 "in the review ", SpaceWord(), "; draft reports and the one-minute guide are checked "
                                 "there.)"))
    if len(mine) > 1:
        raise WorkflowError(text("You submit evidence on several reviews, so I can't tell which this file is for. "
                                 "Share it in that review's ", SpaceWord(), " instead; I have not kept it."))
    return mine[0]


def reviews_of_member(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, reference) of every review the person is an active member of, oldest first."""
    rows = session.exec(
        select(Review.id, Review.reference).join(Membership, Membership.review_id == Review.id)
        .join(Person, Person.id == Membership.person_id)
        .where(Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id,
               Membership.status == ACTIVE, Review.tenant_id == actor.tenant_id).order_by(Review.id))
    return list({review_id: reference for review_id, reference in rows}.items())


def review_of_entry(session: Session, entry_id: int) -> Review:
    entry = session.get(ChronologyEntry, entry_id)
    if entry is None:
        raise NotFound(f"There is no chronology entry #{entry_id}.")
    return session.get(Review, entry.review_id)
