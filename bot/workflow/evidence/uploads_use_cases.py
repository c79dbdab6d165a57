"""Files people share with the bot: chronologies (CSV/XLSX) and IMRs (DOCX). What the bot says goes only
to the uploader (privately in the review's space, or in their DM with the bot), never to the space.

The platform fetches the file and tries to delete a flagged one; these use cases decide whether a file
is ours to read, who hears about a registered term in it, and what the check of a file says.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.errors import NotFound
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, text
from bot.workflow.evidence import chronology, imr, shared_files
from bot.workflow.evidence.chronology import NO_REDACTIONS
from bot.workflow.evidence.chronology_rows import FileCheck, FileRefused, file_kind
from bot.workflow.evidence.file_notices import ImrReady, TermInFile, TermInFileShared, UploadChecked
from storage.models import Review

LISTED_ERRORS = 20      # row errors listed in the reply; beyond that the full report goes as a file
NOT_OURS = ("I read chronologies as CSV or XLSX files, and IMRs and draft reports (the overview report, the "
            "executive summary, the one-minute guide) as Word (.docx) files. This file is none of these, so I have "
            "not kept it.")
ErrorReport = Callable[[FileCheck], bytes]
DirectSpace = Callable[[PersonRef], SpaceRef]


@dataclass(frozen=True)
class Shared:
    """A file someone shared where the bot can see it: in a space, or in their DM with the bot.
    `review_id`: the review the uploader chose for it, where files reach the bot only in a DM (Teams)."""

    file_id: str
    name: str
    space_id: str
    in_dm: bool
    review_id: int | None = None


def _review(session: Session, shared: Shared, actor: Actor) -> Review | None:
    if shared.review_id is not None:
        return kernel.get_review(session, shared.review_id)
    return chronology.review_for_upload(session, shared.space_id, actor, in_dm=shared.in_dm)


def review_of(session: Session, shared: Shared, actor: Actor) -> Review:
    """The review a file is for (the caller checked is_ours first)."""
    review = _review(session, shared, actor)
    if review is None:
        raise NotFound("That review no longer exists.")
    return review


def reviews_for(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, reference) of the live reviews the person is on, for them to say which a file is for where files
    reach the bot only in a DM (every role: the file's own check then says whether they may submit it)."""
    return chronology.reviews_of_member(session, actor)


def is_ours(session: Session, shared: Shared, actor: Actor) -> bool:
    """A review's space, or a DM from someone who submits evidence; else the bot stays silent."""
    return _review(session, shared, actor) is not None


@dataclass(frozen=True)
class Screened:
    """A shared file's bytes (b"" for a kind the bot does not read) and where a registered term is in it.
    `failure`: the file could not be fetched; a term in its name is flagged all the same."""

    content: bytes
    found: shared_files.TermFound
    failure: Exception | None = None


def screen(name: str, fetch: Callable[[], bytes], redacted: Callable[[str], bool]) -> Screened:
    """Whoever shared it, since everyone in the space can open it: its name, then its content."""
    found = shared_files.check_name(name, redacted)
    try:
        content = fetch() if shared_files.readable(name) else b""
    except Exception as err:  # noqa: BLE001 - raised again by the caller once the name is flagged
        return Screened(b"", found, err)
    return Screened(content, shared_files.check_content(found, name, content, redacted) if content else found)


def flag(session: Session, shared: Shared, actor: Actor, found: shared_files.TermFound, *, deleted: bool,
         now: datetime) -> Outcome:
    """The uploader and the review's coordinators hear where the term is (never the term)."""
    review = _review(session, shared, actor)
    flagged = shared_files.record(session, review, actor, shared.file_id, found, deleted, now)
    where = found.where()
    told = [out.dm(PersonRef(user), TermInFileShared(flagged.reference, actor.user_id,
                                                     None if shared.in_dm else shared.space_id, where, deleted))
            for user in flagged.coordinators]
    return out.reply(TermInFile(flagged.reference, where, deleted, shared.in_dm, bool(flagged.coordinators))) + sum(
        told, out.NOTHING)


def submit(session: Session, shared: Shared, actor: Actor, content: bytes, *, now: datetime, today: date,
           redaction=NO_REDACTIONS, error_report: ErrorReport, dm_space: DirectSpace) -> Outcome:
    """A chronology is checked row by row and kept until imported; an IMR is checked for every section.
    Other files: refused in a DM, and in a space the panel's own business."""
    kind = file_kind(shared.name)
    if kind is None:
        if shared.in_dm:
            raise FileRefused(NOT_OURS)
        return out.NOTHING
    review = _review(session, shared, actor)
    chronology.submitter(session, review, actor, Operation.SUBMIT_IMR if kind == "docx" else
                         Operation.SUBMIT_AGENCY_EVIDENCE)
    if kind == "docx":
        return _imr(session, review, actor, content, now, redaction)
    return _chronology(session, review, shared, actor, content, now, today, redaction, error_report, dm_space)


def _chronology(session, review, shared, actor, content, now, today, redaction, error_report, dm_space) -> Outcome:
    """Beyond LISTED_ERRORS errors, the full report goes to the uploader's DM as a CSV."""
    staged = chronology.stage_upload(session, review, actor, shared.file_id, shared.name, content, now, redaction)
    full_report = len(staged.check.errors) > LISTED_ERRORS
    report = out.NOTHING
    if full_report:
        report = out.upload(dm_space(PersonRef(actor.user_id)),
                            f"{staged.reference}-chronology-errors-{today.isoformat()}.csv",
                            error_report(staged.check), f"{staged.reference}: rows to fix")
    return report + out.reply(UploadChecked(staged.reference, staged.check, staged.upload_id, full_report))


def _imr(session: Session, review: Review, actor: Actor, content: bytes, now: datetime, redaction) -> Outcome:
    row, result = imr.stage_imr(session, review, actor, content, now, redaction[1])
    if row is None:
        listed = "\n".join(f"• {m}" for m in result.missing[:25])
        return out.reply(text(Bold(review.reference), ": this IMR is not complete yet, so I have not stored it. "
                              f"It needs:\n{listed}\nAdd what is missing and upload the document again."))
    return out.reply(ImrReady(review.reference, row.id, row.version))
