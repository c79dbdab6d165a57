"""Individual Management Reviews: the DOCX check, the author's declarations, the chair's decision.

Authors write the IMR in Word (a form's 3,000-character inputs don't suit a 20-page report). The bot
checks an upload has every section of the Home Office IMR, an independence statement and a senior
manager sign-off, and says precisely what is missing. Each upload is a version, kept encrypted.
"""
import base64
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from bot.workflow.core import fields
from bot.workflow.core.errors import NotFound, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec
from bot.workflow.core.form_spec import Kind as FieldKind
from bot.workflow.core.kernel import Actor, audit, authorize
from bot.workflow.core.permissions import Operation
from bot.workflow.core.zipsafe import UnsafeZip, check_zip
from bot.workflow.evidence import evidence_items
from bot.workflow.evidence.chronology import _mark_submitted, agencies_of, submitter
from bot.workflow.evidence.chronology_rows import FileRefused, parse_date
from bot.workflow.evidence.evidence_items import Kind, Status
from storage.chronology import ImrVersion
from storage.models import Review

MAX_DOCX_BYTES = 10 * 1024 * 1024

# (heading, phrases that identify it, guidance for the template). Order as in the Home Office IMR.
SECTIONS = (
    ("Introduction and independence statement", ("introduction",),
     "Who wrote this IMR, their role, and the statement of independence below."),
    ("Terms of reference and lines of enquiry", ("terms of reference",),
     "The review's terms of reference and the key lines of enquiry this agency was asked to address."),
    ("Method", ("method",), "Records examined, staff interviewed, the period covered."),
    ("Summary of contact", ("summary of contact",),
     "The agency's contact with the victim, the perpetrator and their children, in date order."),
    ("Analysis", ("analysis",), "Analysis of the agency's involvement under the headings below."),
    ("Policy compliance", ("policy compliance",), "Were policies and procedures followed?"),
    ("Risk assessment", ("risk assessment",), "Were risks identified, assessed and acted on (e.g. DASH, MARAC)?"),
    ("Information sharing", ("information sharing",), "Was information shared with the right agencies in time?"),
    ("Equality and diversity", ("equality and diversity", "equality & diversity"),
     "Protected characteristics, barriers to seeking help, and how the agency responded."),
    ("Good practice", ("good practice",), "What went well."),
    ("Lessons learned", ("lessons learned", "lessons learnt"), "What the agency has learned."),
    ("Recommendations", ("recommendation",), "Single-agency recommendations."),
    ("Single-agency action plan", ("action plan",), "Each recommendation's action, owner and target date."),
    ("Senior manager sign-off", ("sign-off", "sign off", "signoff"),
     "A senior manager of the agency confirms the IMR is complete and accurate."),
)
INDEPENDENCE_TEXT = ("I confirm that I have not been involved with the victim, the perpetrator or their family, "
                     "and that I am not the line manager of any member of staff involved.")
_PLACEHOLDER = re.compile(r"\[[^\]]{2,}\]")


@dataclass(frozen=True)
class DocxCheck:
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def is_heading(paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.startswith("Heading") or style == "Title":
        return True
    text = paragraph.text.strip()
    runs = [r for r in paragraph.runs if r.text.strip()]
    return 0 < len(text) <= 80 and bool(runs) and all(r.bold for r in runs)   # a bold line used as a heading


def check_docx_package(content: bytes, what: str) -> None:
    """The size and ZIP checks every .docx passes before any parser sees it (`what`: "an IMR", "a report").
    Raises FileRefused."""
    if len(content) > MAX_DOCX_BYTES:
        raise FileRefused(f"This document is {len(content) / 1024 / 1024:.1f} MB; {what} may be at most "
                          f"{MAX_DOCX_BYTES // 1024 // 1024} MB. Compress its images and upload it again.")
    try:
        check_zip(content, required=("[Content_Types].xml", "word/document.xml"))
    except UnsafeZip as err:
        raise FileRefused(f"This is not a Word document (.docx) I can read: {err}. Save it as .docx (Word's "
                          "File > Save As, Word Document) and upload it again; I have not kept it.") from None


def open_document(content: bytes, what: str):
    """The checked .docx, parsed by python-docx. Raises FileRefused."""
    check_docx_package(content, what)
    import docx  # python-docx, only when a document arrives
    try:
        return docx.Document(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - a damaged package can fail in many ways
        raise FileRefused("This Word document can't be read. Save it again as .docx and upload it.") from None


def read_sections(content: bytes) -> list[tuple[str, list[str]]]:
    """[(heading, [paragraph texts under it])] after the ZIP checks. Raises FileRefused."""
    document = open_document(content, "an IMR")
    sections: list[tuple[str, list[str]]] = [("", [])]
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        if is_heading(paragraph):
            sections.append((text, []))
        else:
            sections[-1][1].append(text)
    for table in document.tables:   # action plans are usually tables: their text counts for the last section
        cells = [c.text.strip() for row in table.rows for c in row.cells if c.text.strip()]
        sections[-1][1].extend(cells[:200])
    return sections


def check_docx(content: bytes, redacted=lambda _text: False) -> DocxCheck:
    sections = read_sections(content)
    if any(redacted(text) for heading, body in sections for text in [heading, *body]):
        raise FileRefused("This IMR contains a term on the review's redaction list (a real name, date of birth or "
                          "address). Use the pseudonyms throughout and upload it again; I have not kept it.")
    found: dict[str, list[str]] = {}
    for heading, body in sections:
        key = _norm(heading)
        for label, phrases, _ in SECTIONS:
            if label not in found and any(p in key for p in phrases):
                found[label] = body
                break
    missing = [f"the section “{label}”" for label, _, _ in SECTIONS if label not in found]
    empty = [label for label, body in found.items() if label != "Analysis"
             and not any(t for t in body if not _PLACEHOLDER.fullmatch(t))]
    missing += [f"text under “{label}” (it is empty or still the template's guidance)" for label in empty]
    intro = " ".join(found.get(SECTIONS[0][0], []))
    if SECTIONS[0][0] in found:
        missing += _independence_gaps(_norm(intro))
    sign_off = found.get(SECTIONS[-1][0])
    if sign_off is not None:
        missing += _sign_off_gaps(sign_off)
    return DocxCheck(missing)


def _independence_gaps(intro: str) -> list[str]:
    gaps = []
    if not re.search(r"not (been )?involved|no (prior )?involvement", intro):
        gaps.append("an independence statement that the author was not involved with the victim, the "
                    "perpetrator or their family")
    if "line manag" not in intro:
        gaps.append("a statement that the author is not the line manager of staff involved")
    if _PLACEHOLDER.search(intro):
        gaps.append("the author's details in the independence statement (a [placeholder] is still there)")
    return gaps


def _sign_off_gaps(lines: list[str]) -> list[str]:
    values = {}
    for line in lines:
        label, sep, value = line.partition(":")
        if sep:
            values[_norm(label)] = value.strip()
    gaps = []
    name = values.get("name") or values.get("signed") or values.get("senior manager")
    if not name or _PLACEHOLDER.search(name):
        gaps.append("the senior manager's name in the sign-off (“Name: …”)")
    when = values.get("date", "")
    if not when or parse_date(when) is None or parse_date(when).precision != "day":
        gaps.append("the date of the senior manager's sign-off (“Date: 14/03/2026”)")
    return gaps


# ---------------------------------------------------------------- versions

def _agency_for_imr(session: Session, review: Review, actor: Actor) -> int:
    who = submitter(session, review, actor, Operation.SUBMIT_IMR)
    if len(who.own_agencies) != 1:
        raise WorkflowError("Upload an IMR as the agency's IMR author or agency lead: I can't tell which agency "
                            "this IMR is for." if not who.own_agencies else
                            "You are recorded with several agencies on this review; ask the coordinator.")
    return next(iter(who.own_agencies))


def stage_imr(session: Session, review: Review, actor: Actor, content: bytes, now: datetime,
              redacted=lambda _text: False) -> tuple[ImrVersion | None, DocxCheck]:
    """Checks the document; a complete one becomes a draft version awaiting the author's declarations."""
    agency_id = _agency_for_imr(session, review, actor)
    result = check_docx(content, redacted)
    if not result.complete:
        audit(session, actor.user_id, "imr.upload_incomplete", now, review.id, agency_id=agency_id,
              missing=len(result.missing))
        return None, result
    last = session.exec(select(func.max(ImrVersion.version)).where(
        ImrVersion.review_id == review.id, ImrVersion.agency_id == agency_id)).one() or 0
    row = ImrVersion(review_id=review.id, agency_id=agency_id, version=last + 1, status="draft",
                     sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                     document=base64.b64encode(content).decode(), uploaded_by=actor.user_id, uploaded_at=now)
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "imr.uploaded", now, review.id, agency_id=agency_id, version=row.version,
          sha256=row.sha256)
    return row, result


def _version(session: Session, version_id: int) -> tuple[ImrVersion, Review]:
    row = session.get(ImrVersion, version_id)
    if row is None:
        raise NotFound("That IMR version no longer exists.")
    return row, session.get(Review, row.review_id)


def version_for_declarations(session: Session, version_id: int, actor: Actor) -> tuple[ImrVersion, Review, str]:
    row, review = _version(session, version_id)
    submitter(session, review, actor, Operation.SUBMIT_IMR, agency_id=row.agency_id)
    if row.status != "draft":
        raise WorkflowError(f"Version {row.version} of this IMR was already submitted.")
    later = session.exec(select(ImrVersion).where(
        ImrVersion.review_id == row.review_id, ImrVersion.agency_id == row.agency_id,
        ImrVersion.version > row.version, ImrVersion.status != "draft").order_by(ImrVersion.version.desc())).first()
    if later is not None:   # an old draft's button, after a newer version went in
        raise WorkflowError(f"Version {later.version} of this IMR is already {later.status}; version "
                            f"{row.version} can no longer be submitted.")
    return row, review, agencies_of(session, review).get(row.agency_id, "")


class DeclarationsForm(FormSpec):
    """The author's declarations when submitting a checked IMR version."""

    declarations = Field("Declarations", FieldKind.CHECKBOX, options={
        "not_involved": "I was not involved with the victim, the perpetrator or their family",
        "not_line_manager": "I am not the line manager of any staff involved"})
    senior_manager = Field("Senior manager who signed it off", max_length=200,
                           hint="Name and role, e.g. Head of Safeguarding.")
    feedback_held = Field("Staff feedback session held before inclusion?", FieldKind.RADIO,
                          options={"yes": "Yes", "no": "No"})
    feedback_on = Field("Date of the feedback session", FieldKind.DATE, required=False)


class ReturnForm(FormSpec):
    comments = Field("Comments for the author", FieldKind.MULTILINE, max_length=3000)


def submit(session: Session, version_id: int, actor: Actor, raw: dict, now: datetime, today: date) -> ImrVersion:
    row, review, _ = version_for_declarations(session, version_id, actor)
    form, errors = DeclarationsForm, {}
    ticked = set(form.declarations.of(raw) or [])
    if ticked != {"not_involved", "not_line_manager"}:
        errors[form.declarations.key] = ("Both declarations are needed. If either is untrue, the agency must "
                                         "appoint another author.")
    manager, err = fields.text(form.senior_manager.of(raw), label="senior manager's name and role", max_len=200)
    if err:
        errors[form.senior_manager.key] = err
    held = form.feedback_held.of(raw)
    if held not in ("yes", "no"):
        errors[form.feedback_held.key] = "Say whether the staff feedback session was held."
    held_on, err = fields.iso_date(form.feedback_on.of(raw), label="date of the feedback session",
                                   required=held == "yes")
    if err:
        errors[form.feedback_on.key] = err
    elif held_on and held_on > today:
        errors[form.feedback_on.key] = "The feedback session's date can't be in the future."
    if errors:
        raise form.invalid(errors)
    moved = session.execute(update(ImrVersion).where(ImrVersion.id == row.id, ImrVersion.status == "draft").values(
        status="submitted", not_involved=True, not_line_manager=True, feedback_held=held == "yes",
        feedback_on=held_on if held == "yes" else None, submitted_by=actor.user_id, submitted_at=now)).rowcount
    if moved != 1:
        raise WorkflowError(f"Version {row.version} of this IMR was already submitted.")
    session.refresh(row)
    row.senior_manager = manager
    session.add(row)
    audit(session, actor.user_id, "imr.submitted", now, review.id, agency_id=row.agency_id, version=row.version)
    _mark_submitted(session, review.id, {row.agency_id}, actor.user_id, now, Kind.IMR)
    return row


def for_decision(session: Session, version_id: int, actor: Actor) -> tuple[ImrVersion, Review, str]:
    row, review = _version(session, version_id)
    authorize(session, review, actor, Operation.REVIEW_IMR)
    if row.status != "submitted":
        raise WorkflowError(f"Version {row.version} of this IMR is {row.status}, so it can't be decided again.")
    return row, review, agencies_of(session, review).get(row.agency_id, "")


def decide(session: Session, version_id: int, actor: Actor, accept: bool, comments: str | None,
           now: datetime) -> tuple[ImrVersion, Review, str]:
    row, review, agency = for_decision(session, version_id, actor)
    comments = (comments or "").strip() or None
    if not accept and not comments:
        raise ReturnForm.invalid({ReturnForm.comments.key: "Say what the author needs to change."})
    if comments and len(comments) > 3000:
        raise ReturnForm.invalid({ReturnForm.comments.key: "Keep the comments to 3,000 characters."})
    status = "accepted" if accept else "returned"
    moved = session.execute(update(ImrVersion).where(ImrVersion.id == row.id, ImrVersion.status == "submitted")
                            .values(status=status, decided_by=actor.user_id, decided_at=now)).rowcount
    if moved != 1:
        raise WorkflowError("Someone decided on this IMR a moment ago.")
    session.refresh(row)
    row.comments = comments
    session.add(row)
    cell = evidence_items.find(session, review.id, row.agency_id, Kind.IMR)
    target = Status.ACCEPTED if accept else Status.RETURNED
    if cell is None or target in evidence_items.NEXT[Status(cell.status)]:
        if cell is None:
            evidence_items.move(session, review.id, row.agency_id, Kind.IMR, Status.SUBMITTED, actor.user_id, now)
        evidence_items.move(session, review.id, row.agency_id, Kind.IMR, target, actor.user_id, now)
    audit(session, actor.user_id, f"imr.{status}", now, review.id, agency_id=row.agency_id, version=row.version)
    return row, review, agency


def versions(session: Session, review_id: int, agency_id: int) -> list[ImrVersion]:
    return list(session.exec(select(ImrVersion).where(ImrVersion.review_id == review_id,
                                                      ImrVersion.agency_id == agency_id)
                             .order_by(ImrVersion.version)))


def document_bytes(row: ImrVersion) -> bytes:
    return base64.b64decode(row.document)
