"""The chronology's forms and messages. Messages name row numbers and columns, never cell content."""
from collections.abc import Callable

from bot.workflow.core.text import Bold, Command, Icon, SpaceWord, Text, join, text
from bot.workflow.evidence.chronology import CorrectionForm, EntryForm, Imported
from bot.workflow.evidence.chronology_rows import FileCheck
from bot.workflow.evidence.chronology_use_cases import EntryFormData, period_text
from bot.workflow.evidence.file_notices import EntrySaved, UploadChecked
from bot.workflow.evidence.uploads_use_cases import LISTED_ERRORS
from messages import tree
from messages.core.exports import csv_bytes
from messages.slack.ids import EvidenceId


def entry_form(data: EntryFormData) -> tree.Form:
    """The combined chronology's columns as a form; for a correction, filled with the entry's values
    (those holding a term on the redaction list left empty) and asking why."""
    f, agencies = EntryForm, {str(i): n for i, n in list(data.agencies.items())[:100]}
    correcting = data.entry_id is not None
    blocks: list = [tree.Paragraph(text(Bold(data.reference), ": one entry of the chronology. ",
                                        period_text(data.period), " Pseudonyms only."))]
    if data.blanked:
        blocks.append(tree.Paragraph(text(Icon("warning"), " Some fields held a term on the redaction list (a real "
                                          "name, date of birth or address), so they are empty: type them again "
                                          "using pseudonyms.")))
    initial = data.initial
    blocks += [f.date.but(initial=initial.get(f.date.key)), f.time.but(initial=initial.get(f.time.key))]
    blocks.append(f.agency.but(options=agencies, initial=str(data.agency_id) if data.agency_id else None)
                  if len(agencies) > 1 else
                  tree.Paragraph(text(Bold(f.agency.label), ": ", next(iter(agencies.values()), ""))))
    blocks += [field.but(initial=initial.get(field.key)) for field in
               (f.source, f.subject, f.event, f.action, f.comment, f.outside_reason)]
    metadata = {"review_id": data.review_id, "agency": next(iter(agencies), None) if len(agencies) == 1 else None}
    if correcting:
        metadata["entry_id"] = data.entry_id
        return tree.Form(EvidenceId.CHRONOLOGY_CORRECT, "Correct entry", blocks + [CorrectionForm.change_reason],
                         submit="Save", metadata=metadata)
    return tree.Form(EvidenceId.CHRONOLOGY_ENTRY, "Chronology entry", blocks, submit="Add", metadata=metadata)


def expired() -> tree.Form:
    return tree.notice("Chronology entry", text("This form is out of date. Run ", Command("chronology add"),
                                                " again in the review channel."))


def entry_saved(n: EntrySaved) -> tree.Message:
    what = "added" if n.version == 1 else f"corrected (version {n.version}; earlier versions are kept)"
    return tree.Message([
        tree.Paragraph(text(Icon("white_check_mark"), f" Chronology entry #{n.entry_id} on ", Bold(n.reference),
                            f" {what}.")),
        tree.Actions([tree.Button("Correct this entry", EvidenceId.OPEN_CORRECT, str(n.entry_id))]),
    ], f"Chronology entry #{n.entry_id} {what}")


def upload_report(n: UploadChecked) -> tree.Message:
    """What the check found, the first errors listed; the Import button only when rows are valid."""
    check, valid = n.check, len(n.check.rows)
    blocks: list = [tree.Paragraph(text(Bold(n.reference), f": I checked your chronology file: {check.data_rows} "
                                        "row(s), ", Bold(f"{valid} valid"), f", {check.bad_rows} with errors. "
                                        "Nothing is imported yet."))]
    lines = [text(f"• Row {e.row}, {e.column}: ", e.message) for e in check.errors[:LISTED_ERRORS]]
    more = len(check.errors) - LISTED_ERRORS
    if more > 0:
        lines.append(text(f"…and {more} more error(s)" + (": the full report is in the file I sent you in this DM."
                                                      if n.full_report_sent else ".")))
    if lines:
        blocks.append(tree.Paragraph(join("\n", lines)))
    if check.out_of_order:
        rows = ", ".join(str(r) for r in check.out_of_order[:15]) + ("…" if len(check.out_of_order) > 15 else "")
        blocks.append(tree.Context(text(Icon("information_source"), f" Row(s) {rows} are dated earlier than the row "
                                        "above. That is fine: the combined chronology is sorted by date.")))
    hint = "Fix the file and upload it again" + (", or import the valid rows now." if valid else ".")
    blocks.append(tree.Context(text(hint + " A new upload replaces this one.")))
    if n.upload_id and valid:
        blocks.append(tree.Actions([tree.Button(f"Import {valid} valid row{'s' if valid != 1 else ''}",
                                                EvidenceId.IMPORT_ROWS, str(n.upload_id), style="primary")]))
    return tree.Message(blocks, f"{n.reference}: chronology file checked, {valid} valid row(s)")


def error_report_csv(check: FileCheck, plain: Callable[[str | Text], str]) -> bytes:
    """`plain` writes a problem as the platform shows plain text (on Slack a command hint as `/dhr …`)."""
    return csv_bytes(("Row", "Column", "Problem"), [(e.row, e.column, plain(e.message)) for e in check.errors])


def imported(n: Imported) -> Text:
    ids = f"#{n.first_id}–#{n.last_id}" if n.last_id != n.first_id else f"#{n.first_id}"
    return text(Icon("white_check_mark"), f" Imported {n.count} chronology entr{'ies' if n.count != 1 else 'y'} into "
                f"{n.reference} ({ids}). To correct one: ", Command("chronology correct <number>"), " in the review ",
                SpaceWord(), ".")
