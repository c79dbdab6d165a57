"""Chronology and IMR forms and messages. Messages name row numbers and columns, never cell content."""
import json
from datetime import date

from bot.workflow.evidence.chronology_rows import COLUMNS, DATE_HINT, REASON_COLUMN, FileCheck, FuzzyDate
from messages.core.exports import csv_bytes
from messages.slack import blocks as bk
from messages.slack.ids import EvidenceId

LISTED_ERRORS = 20


def _period_text(period: tuple[date, date] | None) -> str:
    if period is None:
        return "No scoping period is agreed yet."
    return f"Scoping period: {period[0]:%d %b %Y} to {period[1]:%d %b %Y}."


def entry_form(review_id: int, reference: str, agencies: dict[int, str], period, *, entry=None,
               entry_id: int | None = None, redacted=lambda _text: False) -> dict:
    """The combined chronology columns as a modal; with `entry`, prefilled for a correction (a field holding a
    term on the redaction list is left empty, never sent back to Slack)."""
    blanked = []

    def initial(name):
        value = getattr(entry, name, None) if entry is not None else None
        if value and redacted(str(value)):
            blanked.append(name)
            return None
        return str(value)[:3000] if value else None
    date_initial = FuzzyDate(entry.date_start, entry.date_precision).show().split(" ")[0] if entry else None
    agency_choices = {str(i): n for i, n in list(agencies.items())[:100]}
    blocks = [
        bk.section(f"*{reference}*: one entry of the chronology. {_period_text(period)} Pseudonyms only."),
        bk.text_input("date", COLUMNS[0], initial=date_initial, max_length=20,
                      hint=f"Approximate is fine: {DATE_HINT}."),
        bk.text_input("time", COLUMNS[1], initial=initial("time"), optional=True, max_length=8,
                      placeholder="24-hour, e.g. 14:30"),
        bk.select_input("agency", COLUMNS[2], agency_choices) if len(agency_choices) > 1 else
        bk.section(f"*{COLUMNS[2]}*: {next(iter(agency_choices.values()), '')}"),
        bk.text_input("source", COLUMNS[3], initial=initial("source"), max_length=200,
                      hint="The record the entry comes from, e.g. GP notes, custody record."),
        bk.text_input("subject", COLUMNS[4], initial=initial("subject"), optional=True, max_length=60,
                      hint="The pseudonym of the person the entry is about."),
        bk.text_input("event", COLUMNS[5], initial=initial("event"), multiline=True, max_length=3000),
        bk.text_input("action", COLUMNS[6], initial=initial("action"), optional=True, multiline=True,
                      max_length=3000),
        bk.text_input("comment", COLUMNS[7], initial=initial("comment"), optional=True, multiline=True,
                      max_length=3000),
        bk.text_input("outside_reason", REASON_COLUMN, initial=initial("outside_reason"), optional=True,
                      multiline=True, max_length=500, hint="Needed only when the date is outside the scoping period."),
    ]
    if len(agency_choices) > 1 and entry is not None:
        blocks[3].element.initial_option = next((o for o in blocks[3].element.options
                                                 if o.value == str(entry.agency_id)), None)
    metadata = {"review_id": review_id,
                "agency": next(iter(agency_choices), None) if len(agency_choices) == 1 else None}
    if blanked:
        blocks.insert(1, bk.section(":warning: Some fields held a term on the redaction list (a real name, date of "
                                    "birth or address), so they are empty: type them again using pseudonyms."))
    if entry_id is not None:
        metadata["entry_id"] = entry_id
        blocks.append(bk.text_input("change_reason", "Reason for the correction", multiline=True, max_length=500,
                                    hint="Kept with the entry's history; the earlier version is not lost."))
        return bk.modal("Correct entry", blocks, callback_id=EvidenceId.CHRONOLOGY_CORRECT, submit="Save",
                        close="Cancel", private_metadata=json.dumps(metadata))
    return bk.modal("Chronology entry", blocks, callback_id=EvidenceId.CHRONOLOGY_ENTRY, submit="Add",
                    close="Cancel", private_metadata=json.dumps(metadata))


def entry_saved(reference: str, entry_id: int, version: int) -> dict:
    what = "added" if version == 1 else f"corrected (version {version}; earlier versions are kept)"
    return bk.message([
        bk.section(f":white_check_mark: Chronology entry #{entry_id} on *{reference}* {what}."),
        bk.actions(bk.button("Correct this entry", EvidenceId.OPEN_CORRECT, str(entry_id))),
    ], f"Chronology entry #{entry_id} {what}")


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


def imported(reference: str, count: int, first_id: int, last_id: int) -> str:
    return (f":white_check_mark: Imported {count} chronology entr{'ies' if count != 1 else 'y'} into {reference} "
            + (f"(#{first_id}–#{last_id})" if last_id != first_id else f"(#{first_id})")
            + ". To correct one: `/dhr chronology correct &lt;number&gt;` in the review channel.")


def chronology_help(reference: str, period) -> str:
    return (f"*{reference}*: add entries with `/dhr chronology add`, or upload a CSV or XLSX in the standard columns "
            f"here or in my DM (`/dhr chronology template` sends the template). {_period_text(period)}")


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
