"""Chronology and IMR forms and messages. Messages name row numbers and columns, never cell content."""
from bot.workflow.core.text import Bold, Command, Icon, text
from bot.workflow.evidence.chronology import CorrectionForm, EntryForm, Imported
from bot.workflow.evidence.chronology_rows import FileCheck
from bot.workflow.evidence.chronology_use_cases import EntryFormData, period_text
from bot.workflow.evidence.file_notices import EntrySaved
from messages import tree
from messages.core.exports import csv_bytes
from messages.core.text import escape
from messages.slack import blocks as bk
from messages.slack.ids import EvidenceId

LISTED_ERRORS = 20


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


def upload_report(reference: str, check: FileCheck, upload_id: int | None, full_report_sent: bool) -> dict:
    """What the checker found, within Slack's limits; the Import button only when rows are valid."""
    valid = len(check.rows)
    head = (f"*{reference}*: I checked your chronology file: {check.data_rows} row(s), "
            f"*{valid} valid*, {check.bad_rows} with errors. Nothing is imported yet.")
    lines = [f"• Row {e.row}, {e.column}: {e.message}" for e in check.errors[:LISTED_ERRORS]]
    more = len(check.errors) - LISTED_ERRORS
    if more > 0:
        lines.append(f"…and {more} more error(s)" + (": the full report is in the file I sent you in this DM."
                                                      if full_report_sent else "."))
    blocks = [bk.section(head)]
    if lines:
        blocks.append(bk.section("\n".join(lines)))
    if check.out_of_order:
        rows = ", ".join(str(n) for n in check.out_of_order[:15]) + ("…" if len(check.out_of_order) > 15 else "")
        blocks.append(bk.context(f":information_source: Row(s) {rows} are dated earlier than the row above. That is "
                                 "fine: the combined chronology is sorted by date."))
    hint = "Fix the file and upload it again" + (", or import the valid rows now." if valid else ".")
    blocks.append(bk.context(hint + " A new upload replaces this one."))
    if upload_id and valid:
        blocks.append(bk.actions(bk.button(f"Import {valid} valid row{'s' if valid != 1 else ''}",
                                           EvidenceId.IMPORT_ROWS, str(upload_id), style="primary")))
    return bk.message(blocks, f"{reference}: chronology file checked, {valid} valid row(s)")


def error_report_csv(check: FileCheck) -> bytes:
    return csv_bytes(("Row", "Column", "Problem"), [(e.row, e.column, e.message) for e in check.errors])


def imported(n: Imported) -> dict:
    """"<number>" is written escaped: inside the command hint it is not a link."""
    return {"text": f":white_check_mark: Imported {n.count} chronology entr{'ies' if n.count != 1 else 'y'} into "
                    f"{escape(n.reference)} " + (f"(#{n.first_id}–#{n.last_id})" if n.last_id != n.first_id
                                                 else f"(#{n.first_id})")
                    + ". To correct one: `/dhr chronology correct &lt;number&gt;` in the review channel."}


# ---------------------------------------------------------------- IMR

def imr_incomplete(reference: str, missing: list[str]) -> str:
    listed = "\n".join(f"• {m}" for m in missing[:25])
    return bk.clip(f"*{reference}*: this IMR is not complete yet, so I have not stored it. It needs:\n{listed}\n"
                   "Add what is missing and upload the document again.", 3000)


def imr_ready(reference: str, version_id: int, version: int) -> dict:
    return bk.message([
        bk.section(f":page_facing_up: *{reference}*: IMR version {version} has every section. Complete the "
                   "declarations to submit it to the chair."),
        bk.actions(bk.button("Declarations and submit", EvidenceId.OPEN_DECLARE, str(version_id), style="primary")),
    ], f"{reference}: IMR version {version} checked")
