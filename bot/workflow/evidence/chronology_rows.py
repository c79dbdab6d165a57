"""Chronology rows without a database: the columns, approximate dates, and reading an agency's file.

A row is one event in an agency's chronology, in the combined chronology's columns. Dates may
be exact ("2025-03-14", "14/03/2025"), a month ("2025-03", "March 2025") or a year ("2025"); each is
stored as the first day of its period plus a precision, so entries sort with approximate dates at
the start of their period. Files are read row by row with hard limits, never all at once.
"""
from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.text import Command, Text, text
from bot.workflow.core.unicode_text import control_character
from bot.workflow.core.zipsafe import UnsafeZip, check_zip

COLUMNS = ("Date", "Time", "Agency", "Source of information", "Subject", "Event / contact",
           "Action taken / outcome", "Comment / analysis")
REASON_COLUMN = "Reason if outside the scoping period"
TEMPLATE_COLUMNS = COLUMNS + (REASON_COLUMN,)
KEYS = ("date", "time", "agency", "source", "subject", "event", "action", "comment", "outside_reason")
_ALIASES = {"subject (pseudonym)": "subject", "event/contact": "event", "event": "event",
            "action taken/outcome": "action", "comment/analysis": "comment",
            "reason outside scoping period": "outside_reason"}
MAX_ROWS = 20_000
MAX_FILE_BYTES = 10 * 1024 * 1024
LIMITS = {"source": 200, "subject": 60, "event": 3000, "action": 3000, "comment": 3000, "outside_reason": 500,
          "agency": 75}
LABELS = dict(zip(KEYS, TEMPLATE_COLUMNS))

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (YEAR, MONTH, DAY)   # sort order on the same start date: the widest period first
DATE_HINT = "use a date like 2025-03-14 or 14/03/2025, a month like 2025-03 or March 2025, or a year like 2025"
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_APPROX = re.compile(r"^(?:c\.?|circa|approx\.?|about)\s+", re.I)


class FileRefused(WorkflowError):
    """The file as a whole can't be read (wrong type, columns, size). `.message` says what to do."""


@dataclass(frozen=True)
class FuzzyDate:
    start: date
    precision: str   # day | month | year

    @property
    def end(self) -> date:
        if self.precision == DAY:
            return self.start
        if self.precision == MONTH:
            return self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])
        return self.start.replace(month=12, day=31)

    def show(self) -> str:
        if self.precision == DAY:
            return self.start.isoformat()
        if self.precision == MONTH:
            return f"{self.start:%Y-%m} (month)"
        return f"{self.start:%Y} (year)"

    def outside(self, period: tuple[date, date] | None) -> bool:
        """Wholly before or after the scoping period (a month that overlaps it is inside)."""
        return period is not None and (self.end < period[0] or self.start > period[1])


def parse_date(raw) -> FuzzyDate | None:
    """A cell or form value as a date with its precision, or None when it can't be read."""
    if isinstance(raw, datetime):
        return FuzzyDate(raw.date(), DAY)
    if isinstance(raw, date):
        return FuzzyDate(raw, DAY)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = str(int(raw))
    if not isinstance(raw, str):
        return None
    text = _APPROX.sub("", raw.strip())
    try:
        return _parse_text(text)
    except ValueError:
        return None


def _parse_text(text: str) -> FuzzyDate | None:
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?", text):
        return FuzzyDate(date(int(m[1]), int(m[2]), int(m[3])), DAY)
    if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):    # UK order: day first
        return FuzzyDate(date(int(m[3]), int(m[2]), int(m[1])), DAY)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return FuzzyDate(date(int(m[1]), int(m[2]), 1), MONTH)
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        return FuzzyDate(date(int(m[2]), int(m[1]), 1), MONTH)
    if m := re.fullmatch(r"(\d{4})", text):
        return FuzzyDate(date(int(m[1]), 1, 1), YEAR) if 1900 <= int(m[1]) <= 2100 else None
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", text):
        month = _MONTHS.get(m[2].lower())
        return FuzzyDate(date(int(m[3]), month, int(m[1])), DAY) if month else None
    if m := re.fullmatch(r"([A-Za-z]+)\.?,?\s+(\d{4})", text):
        month = _MONTHS.get(m[1].lower())
        return FuzzyDate(date(int(m[2]), month, 1), MONTH) if month else None
    return None


def parse_time(raw) -> tuple[str | None, bool]:
    """("HH:MM" or None, ok). Empty is fine: the time is optional."""
    if raw is None or raw == "":
        return None, True
    if isinstance(raw, datetime):
        raw = raw.time()
    if isinstance(raw, time):
        return f"{raw:%H:%M}", True
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", str(raw).strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        return None, False
    return f"{int(m[1]):02d}:{m[2]}", True


# ---------------------------------------------------------------- one row

@dataclass
class RowInput:
    """One entry's values as typed (form) or read (file cell), before validation."""
    date: object = None
    time: object = None
    agency: object = None
    source: object = None
    subject: object = None
    event: object = None
    action: object = None
    comment: object = None
    outside_reason: object = None


@dataclass(frozen=True)
class ValidRow:
    when: FuzzyDate
    time: str | None
    agency_id: int
    source: str
    subject: str | None
    event: str
    action: str | None
    comment: str | None
    outside_reason: str | None

    def to_json(self) -> dict:
        return {"date": self.when.start.isoformat(), "precision": self.when.precision, "time": self.time,
                "agency_id": self.agency_id, "source": self.source, "subject": self.subject, "event": self.event,
                "action": self.action, "comment": self.comment, "outside_reason": self.outside_reason}

    @classmethod
    def from_json(cls, d: dict) -> "ValidRow":
        return cls(FuzzyDate(date.fromisoformat(d["date"]), d["precision"]), d["time"], d["agency_id"], d["source"],
                   d["subject"], d["event"], d["action"], d["comment"], d["outside_reason"])


AgencyResolver = Callable[[str | None], "tuple[int | None, str | Text | None]"]
TEMPLATE = Command("chronology template")


def cell_text(raw) -> str | None:
    """A cell as text: formulas stay text ("=SUM(A1)" is stored as typed, neutralised on export)."""
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = str(raw).replace("\r\n", "\n").strip()
    return value or None


def validate_row(raw: RowInput, *, resolve_agency: AgencyResolver, period: tuple[date, date] | None,
                 redacted: Callable[[str], bool] = lambda _t: False) -> tuple[ValidRow | None, dict[str, str | Text]]:
    """The row, or {field: message}. Messages never repeat the cell's content."""
    errors: dict[str, str | Text] = {}
    when = parse_date(raw.date)
    if raw.date in (None, ""):
        errors["date"] = "Enter the date (a month or a year is fine if that is all the record says)."
    elif when is None:
        errors["date"] = f"Not a date I can read: {DATE_HINT}."
    hhmm, ok = parse_time(raw.time)
    if not ok:
        errors["time"] = "Not a time I can read: use 24-hour time like 14:30, or leave it empty."
    texts = {k: cell_text(getattr(raw, k)) for k in ("agency", "source", "subject", "event", "action", "comment",
                                                      "outside_reason")}
    for key, value in texts.items():
        if value and len(value) > LIMITS[key]:
            errors[key] = f"Keep {LABELS[key]} to {LIMITS[key]} characters (it has {len(value)})."
        elif value and control_character(value, multiline=True):
            errors[key] = "Contains a control character (such as a NUL byte) that can't be saved: remove it."
        elif value and redacted(value):
            errors[key] = "Contains a term on the review's redaction list: use the pseudonym or leave it out."
    if not texts["source"]:
        errors["source"] = "Enter the source of information (the record the entry comes from)."
    if not texts["event"]:
        errors["event"] = "Describe the event or contact."
    agency_id, agency_error = resolve_agency(texts["agency"])
    if agency_error and "agency" not in errors:
        errors["agency"] = agency_error
    if when is not None and when.outside(period) and not texts["outside_reason"] and "date" not in errors:
        errors["outside_reason"] = (f"The date is outside the scoping period ({period[0].isoformat()} to "
                                    f"{period[1].isoformat()}): give a reason for including it.")
    if errors:
        return None, errors
    return ValidRow(when, hhmm, agency_id, texts["source"], texts["subject"], texts["event"], texts["action"],
                    texts["comment"], texts["outside_reason"]), {}


# ---------------------------------------------------------------- a whole file

@dataclass
class RowError:
    row: int          # the spreadsheet's row number (the header is row 1)
    column: str
    message: str | Text


@dataclass
class FileCheck:
    rows: list[tuple[int, ValidRow]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    out_of_order: list[int] = field(default_factory=list)
    data_rows: int = 0

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def file_kind(name: str) -> str | None:
    lower = (name or "").lower()
    for ext in ("csv", "xlsx", "docx"):
        if lower.endswith("." + ext):
            return ext
    return None


def check_file(name: str, content: bytes, *, resolve_agency: AgencyResolver, period: tuple[date, date] | None,
               redacted: Callable[[str], bool] = lambda _t: False) -> FileCheck:
    """Reads and validates every row. Raises FileRefused when the file as a whole can't be used."""
    if len(content) > MAX_FILE_BYTES:
        raise FileRefused(_too_big(len(content)))
    kind = file_kind(name)
    rows = _xlsx_rows(content) if kind == "xlsx" else _csv_rows(content) if kind == "csv" else None
    if rows is None:
        raise FileRefused(text("I can read chronologies as CSV or XLSX files only. Download the template with ",
                               TEMPLATE, ", fill it in and upload it again."))
    columns = _header(rows)
    check = FileCheck()
    previous: date | None = None
    for number, values in rows:
        if not any(cell_text(v) for v in values):
            continue
        check.data_rows += 1
        if check.data_rows > MAX_ROWS:
            raise FileRefused(f"This file has more than {MAX_ROWS:,} rows, the most one upload may hold. Split it "
                              "into several files and upload each; nothing was imported.")
        raw = RowInput(**{key: (values[i] if i < len(values) else None) for key, i in columns.items()})
        row, errors = validate_row(raw, resolve_agency=resolve_agency, period=period, redacted=redacted)
        for key, message in errors.items():
            check.errors.append(RowError(number, LABELS[key], message))
        if row is not None:
            if previous is not None and row.when.start < previous:
                check.out_of_order.append(number)
            previous = row.when.start
            check.rows.append((number, row))
    if check.data_rows == 0:
        raise FileRefused("The file has the right columns but no entries under them.")
    return check


def table_rows(kind: str, content: bytes) -> Iterator[tuple[int, list]]:
    """(row number, cells) of a CSV or XLSX file, whatever its columns. Raises FileRefused."""
    return _xlsx_rows(content) if kind == "xlsx" else _csv_rows(content)


def _too_big(size: int) -> str:
    return (f"This file is {size / 1024 / 1024:.1f} MB; one upload may be at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into several files; nothing was imported.")


def _norm(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


_BY_NAME = {_norm(c): k for c, k in zip(TEMPLATE_COLUMNS, KEYS)}
_BY_NAME.update({_norm(a): k for a, k in _ALIASES.items()})


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header(rows: Iterator[tuple[int, list]]) -> dict[str, int]:
    """{key: column index} from the first non-empty row; every standard column must be there, nothing else."""
    for _number, values in rows:
        if any(cell_text(v) for v in values):
            break
    else:
        raise FileRefused(text("The file is empty. Use the template from ", TEMPLATE, "."))
    found: dict[str, int] = {}
    unknown = []
    for i, value in enumerate(values):
        name = _norm(value)
        if not name:
            continue
        key = _BY_NAME.get(name)
        if key is None or key in found:
            unknown.append(_column_letter(i))  # named by position: a header is never quoted back
        else:
            found[key] = i
    missing = [LABELS[k] for k in KEYS[:8] if k not in found]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"“{m}”" for m in missing))
        if unknown:
            parts.append(("column " if len(unknown) == 1 else "columns ") + ", ".join(unknown[:8]) + " not standard")
        raise FileRefused(text("The first row must name the standard chronology columns (" + "; ".join(parts) +
                               "). The columns are: " + " | ".join(COLUMNS) + f" (and optionally “{REASON_COLUMN}”). "
                               "Nothing was imported; ", TEMPLATE, " has them ready."))
    return found


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    if content.startswith(b"PK\x03\x04"):
        raise FileRefused("This file is named .csv but is a spreadsheet (XLSX/ZIP). Save it as CSV, or upload it "
                          "with the .xlsx name.")
    if b"\x00" in content[:65536]:
        raise FileRefused("This is not a CSV file (it holds binary data). Save the chronology as CSV or XLSX.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")   # Excel's "CSV" on Windows
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            for values in reader:
                yield reader.line_num, values
        except csv.Error:
            raise FileRefused("This CSV can't be read (a quote is not closed or a cell is far too long). "
                              "Save it again from your spreadsheet as CSV.") from None
    return _numbered(rows())


def _numbered(rows):
    """CSV line numbers count lines inside quoted cells; users count rows."""
    for number, (_line, values) in enumerate(rows, start=1):
        yield number, values


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        check_zip(content)
    except UnsafeZip as err:
        raise FileRefused(f"This is not a readable XLSX file: {err}.") from None
    from openpyxl import load_workbook  # only when a spreadsheet arrives
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise FileRefused("This is not a readable XLSX file. Save it again from your spreadsheet as .xlsx "
                          "(or as CSV).") from None

    def rows():
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except FileRefused:
            raise
        except Exception:  # noqa: BLE001
            raise FileRefused("Part of this XLSX file can't be read. Save it again from your spreadsheet.") from None
        finally:
            book.close()
    return rows()
