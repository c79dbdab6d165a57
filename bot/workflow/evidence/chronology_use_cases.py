"""The chronology's use cases: the entry form (by command, by request button, for a correction), saving
an entry, the template, the help, the combined export and importing a checked upload. Each checks,
records, and returns what should happen (an Outcome); the handler delivers it."""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, SpaceLink, Text, text
from bot.workflow.evidence import chronology
from bot.workflow.evidence.chronology import NO_REDACTIONS, EntryForm
from bot.workflow.evidence.chronology_rows import FuzzyDate
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.evidence.file_notices import EntrySaved
from storage.chronology import ChronologyEntry
from storage.models import Review

Exporter = Callable[[list[list[str]]], bytes]       # the combined rows -> the file's bytes
Template = Callable[[str], bytes]                   # "xlsx" | "csv" -> the template's bytes
DirectSpace = Callable[[PersonRef], SpaceRef]        # the DM space with a person, where files go to them
Redaction = tuple[int, Callable[[str], bool]]        # (the list's newest id, text -> holds a term)
_NONE: Mapping[str, str | None] = MappingProxyType({})


@dataclass(frozen=True)
class EntryFormData:
    """What the entry form shows; for a correction, the entry's values by field key (a value that
    holds a term on the redaction list is left out and `blanked` says so)."""

    review_id: int
    reference: str
    agencies: dict[int, str]
    period: tuple[date, date] | None
    entry_id: int | None = None
    agency_id: int | None = None
    initial: Mapping[str, str | None] = field(default_factory=lambda: _NONE)
    blanked: bool = False


def me(actor: Actor) -> PersonRef:
    return PersonRef(actor.user_id)


def period_text(period: tuple[date, date] | None) -> str:
    if period is None:
        return "No scoping period is agreed yet."
    return f"Scoping period: {period[0]:%d %b %Y} to {period[1]:%d %b %Y}."


# ---------------------------------------------------------------- the entry form

def entry_form(session: Session, space_id: str, actor: Actor) -> EntryFormData:
    return _entry_form(session, kernel.review_in_space(session, space_id), actor, None)


def entry_form_for_request(session: Session, item_id: int, actor: Actor) -> EntryFormData:
    """For the agency of the request a button names (request DM, Home): that agency only."""
    review, item = chronology.evidence_item_for(session, item_id, actor, Kind.CHRONOLOGY)
    return _entry_form(session, review, actor, item.agency_id)


def _entry_form(session: Session, review: Review, actor: Actor, agency_id: int | None) -> EntryFormData:
    who = chronology.submitter(session, review, actor, agency_id=agency_id)
    return EntryFormData(review.id, review.reference, chronology.form_agencies(session, review, who, agency_id),
                         chronology.scoping_period(session, review.id))


def correction_form(session: Session, space_id: str, actor: Actor, entry_id: int | None, *, in_dm: bool,
                    redacted: Callable[[str], bool]) -> EntryFormData:
    """From the review's space, or (in a DM, from the entry's own button) the review the entry names,
    checked again against the person's rights."""
    if entry_id is None:
        raise WorkflowError(text("Say which entry: ", Command("chronology correct 12"),
                                 " (the number from its confirmation)."))
    review = (chronology.review_of_entry(session, entry_id) if in_dm
              else kernel.review_in_space(session, space_id))
    entry = chronology.entry_for_correction(session, review, actor, entry_id)
    who = chronology.submitter(session, review, actor, agency_id=entry.agency_id)
    initial, blanked = _initial(entry, redacted)
    return EntryFormData(review.id, review.reference, chronology.form_agencies(session, review, who),
                         chronology.scoping_period(session, review.id), entry_id, entry.agency_id, initial, blanked)


def _initial(entry: ChronologyEntry, redacted: Callable[[str], bool]) -> tuple[dict[str, str | None], bool]:
    """The entry's values to fill the form with; one holding a registered term is never sent back."""
    f = EntryForm
    values: dict[str, str | None] = {f.date.key: FuzzyDate(entry.date_start, entry.date_precision).show().split(" ")[0]}
    blanked = False
    for key in (f.time.key, f.source.key, f.subject.key, f.event.key, f.action.key, f.comment.key,
                f.outside_reason.key):
        value = getattr(entry, key, None)
        if value and redacted(str(value)):
            blanked, value = True, None
        values[key] = str(value)[:3000] if value else None
    return values, blanked


# ---------------------------------------------------------------- saving an entry

def add_entry(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime,
              redaction: Redaction = NO_REDACTIONS) -> Outcome:
    review = kernel.get_review(session, review_id)
    return _saved(review, chronology.add_entry(session, review, actor, raw, now, redaction), actor)


def correct_entry(session: Session, review_id: int, entry_id: int, actor: Actor, raw: dict, *, now: datetime,
                  redaction: Redaction = NO_REDACTIONS) -> Outcome:
    review = kernel.get_review(session, review_id)
    return _saved(review, chronology.correct_entry(session, review, actor, entry_id, raw, now, redaction), actor)


def _saved(review: Review, entry: ChronologyEntry, actor: Actor) -> Outcome:
    """Confirmed to the person in a DM, with the button to correct the entry."""
    return out.dm(me(actor), EntrySaved(review.reference, entry.id, entry.version))


# ---------------------------------------------------------------- template, help, export, import

def template(actor: Actor, *, template: Template, dm_space: DirectSpace) -> Outcome:
    dm = dm_space(me(actor))
    return (out.upload(dm, "chronology-template.xlsx", template("xlsx"), "Chronology template (XLSX)")
            + out.upload(dm, "chronology-template.csv", template("csv"), "Chronology template (CSV)")
            + out.reply("I have sent you the chronology template (XLSX and CSV) in our private chat."))


def help_text(session: Session, space_id: str, actor: Actor) -> Outcome:
    review = kernel.review_in_space(session, space_id)
    chronology.submitter(session, review, actor)
    return out.reply(how_to_add(review.reference, chronology.scoping_period(session, review.id)))


def how_to_add(reference: str, period: tuple[date, date] | None) -> Text:
    return text(Bold(reference), ": add entries with ", Command("chronology add"), ", or upload a CSV or XLSX in "
                "the standard columns in our private chat (", Command("chronology template"), " sends the template). ",
                period_text(period))


def export(session: Session, space_id: str, actor: Actor, *, today: date, now: datetime,
           first_redacted: Callable, exporters: Mapping[str, Exporter]) -> Outcome:
    """The combined chronology in the review's space, one file per format; nothing leaves with a
    registered term (`first_redacted(rows, marks)` -> the first row holding one)."""
    review = kernel.review_in_space(session, space_id)
    rows = chronology.export_rows(session, review, actor, now, first_redacted)
    space = SpaceRef(review.space_id or space_id)
    titles = {"csv": f"{review.reference} combined chronology (CSV)"}
    files = [out.upload(space, chronology.export_filename(review, today, ext), make(rows),
                        titles.get(ext, f"{review.reference} combined chronology")) for ext, make in exporters.items()]
    return sum(files, out.NOTHING) + out.reply(text(f"The combined chronology ({len(rows)} entries) is in ",
                                                    SpaceLink(space), "."))


def import_rows(session: Session, upload_id: int, actor: Actor, *, now: datetime) -> Outcome:
    """Said in place of the check's message, whose Import button was pressed."""
    return out.reply(chronology.import_upload(session, upload_id, actor, now), replace_source=True)
