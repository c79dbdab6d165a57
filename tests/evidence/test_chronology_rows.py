"""Chronology rows without Slack or a database: approximate dates, the scoping period, file checks."""
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from bot.workflow.core.zipsafe import UnsafeZip, check_zip
from bot.workflow.evidence.chronology_rows import (
    COLUMNS,
    MAX_ROWS,
    FileRefused,
    FuzzyDate,
    RowInput,
    check_file,
    parse_date,
    parse_time,
    validate_row,
)


def police(name):
    return (7, None) if name in (None, "Police") else (None, "You can only submit your own agency's entries.")


@pytest.mark.parametrize("raw, start, precision", [
    ("2025-03-14", "2025-03-14", "day"), ("14/03/2025", "2025-03-14", "day"), ("14 March 2025", "2025-03-14", "day"),
    ("2025-03", "2025-03-01", "month"), ("March 2025", "2025-03-01", "month"), ("Sept 2025", "2025-09-01", "month"),
    ("03/2025", "2025-03-01", "month"), ("2025", "2025-01-01", "year"), ("c. 2019", "2019-01-01", "year"),
    (2025, "2025-01-01", "year"), (date(2025, 3, 14), "2025-03-14", "day"),
])
def test_dates_may_be_exact_a_month_or_a_year(raw, start, precision):
    assert parse_date(raw) == FuzzyDate(date.fromisoformat(start), precision)


@pytest.mark.parametrize("raw", ["31/02/2025", "spring 2025", "03/04/25", "2025-13", "Smarch 2025", "", None, "1066"])
def test_unreadable_dates_are_none(raw):
    assert parse_date(raw) is None


def test_approximate_dates_show_their_precision_and_overlap_the_period():
    period = (date(2025, 3, 10), date(2025, 12, 31))
    assert FuzzyDate(date(2025, 3, 1), "month").show() == "2025-03 (month)"
    assert not FuzzyDate(date(2025, 3, 1), "month").outside(period)   # March overlaps the period
    assert FuzzyDate(date(2025, 2, 1), "month").outside(period)
    assert not FuzzyDate(date(2024, 1, 1), "year").outside(None)


def test_times_are_24_hour():
    assert parse_time("9:05") == ("09:05", True) and parse_time("") == (None, True)
    assert parse_time("25:00") == (None, False) and parse_time("noon") == (None, False)


def test_a_date_outside_the_scoping_period_needs_a_reason():
    period = (date(2025, 1, 1), date(2025, 12, 31))
    row = RowInput(date="2024-06-01", source="GP notes", event="Consultation")
    _, errors = validate_row(row, resolve_agency=police, period=period)
    assert "outside the scoping period (2025-01-01 to 2025-12-31)" in errors["outside_reason"]
    row.outside_reason = "Earlier injury relevant to the pattern of abuse"
    valid, errors = validate_row(row, resolve_agency=police, period=period)
    assert not errors and valid.outside_reason.startswith("Earlier injury")


def test_errors_never_repeat_the_cell_and_redacted_terms_are_refused():
    row = RowInput(date="Jane Doe", source="GP notes", event="Seen by Jane Doe")
    _, errors = validate_row(row, resolve_agency=police, period=None, redacted=lambda t: "Jane Doe" in t)
    assert "redaction list" in errors["event"] and all("Jane" not in m for m in errors.values())


def test_control_characters_in_a_row_are_refused_but_new_lines_are_kept():
    row = RowInput(date="2024-06-01", agency="Police", source="GP\x00 notes", event="Seen\nat home\tagain")
    _, errors = validate_row(row, resolve_agency=police, period=None)
    assert list(errors) == ["source"] and "control character" in errors["source"]


def csv_bytes(rows, header=COLUMNS):
    return ("\n".join(",".join(r) for r in [list(header)] + rows) + "\n").encode()


def test_a_csv_is_checked_row_by_row_with_spreadsheet_row_numbers():
    content = csv_bytes([["2025-02-01", "", "", "Log", "", "a", "", ""], ["", "", "", "", "", "", "", ""],
                         ["2025-01-01", "", "", "Log", "", "b", "", ""], ["bad", "", "Health", "", "", "c", "", ""]])
    check = check_file("x.csv", content, resolve_agency=police, period=None)
    assert len(check.rows) == 2 and check.out_of_order == [4] and check.data_rows == 3
    assert sorted((e.row, e.column) for e in check.errors) == [
        (5, "Agency"), (5, "Date"), (5, "Source of information")]


def test_headers_are_matched_loosely_but_must_all_be_there():
    header = ["date", "TIME", "Agency", "Source  of information", "Subject (pseudonym)", "Event / contact",
              "Action taken / outcome", "Comment / analysis"]
    assert check_file("x.csv", csv_bytes([["2025", "", "", "Log", "", "a", "", ""]], header),
                      resolve_agency=police, period=None).rows
    with pytest.raises(FileRefused, match="missing “Time”.*column H not standard") as refused:
        check_file("x.csv", csv_bytes([], ["Date", "Agency", "Source of information", "Subject", "Event / contact",
                                           "Action taken / outcome", "Comment / analysis", "Notes"]),
                   resolve_agency=police, period=None)
    assert "Notes" not in str(refused.value)  # a header is named by its column, never quoted back


def test_row_limit_stops_reading_early():
    content = csv_bytes([["2025", "", "", "Log", "", "a", "", ""]] * (MAX_ROWS + 5))
    with pytest.raises(FileRefused, match="more than 20,000 rows"):
        check_file("x.csv", content, resolve_agency=police, period=None)


def test_semicolon_csv_and_windows_encoding_are_read():
    content = "Date;Time;Agency;Source of information;Subject;Event / contact;Action taken / outcome;" \
              "Comment / analysis\n2025;;;Café log;;a;;\n".encode("cp1252")
    check = check_file("x.csv", content, resolve_agency=police, period=None)
    assert check.rows[0][1].source == "Café log"


def test_xlsx_formula_cells_are_kept_as_text():
    book = Workbook()
    book.active.append(list(COLUMNS))
    book.active.append(["2025-01-05", None, None, "Log", None, "=SUM(A1:A2)", "+44 1234", "-"])
    out = io.BytesIO()
    book.save(out)
    row = check_file("x.xlsx", out.getvalue(), resolve_agency=police, period=None).rows[0][1]
    assert (row.event, row.action) == ("=SUM(A1:A2)", "+44 1234")


def zip_of(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_zip_checks_refuse_bombs_and_non_office_zips_before_parsing():
    check_zip(zip_of({"[Content_Types].xml": "<Types/>"}))
    with pytest.raises(UnsafeZip, match="ZIP bomb"):
        check_zip(zip_of({"[Content_Types].xml": "x", "a.xml": b"\0" * (2 * 1024 * 1024)}))
    with pytest.raises(UnsafeZip, match="not an Office document"):
        check_zip(zip_of({"readme.txt": "hello"}))
    with pytest.raises(UnsafeZip, match="not an Office file"):
        check_zip(b"%PDF-1.7")
    many = {"[Content_Types].xml": "x", **{f"p{i}.xml": "" for i in range(2001)}}
    with pytest.raises(UnsafeZip, match="parts"):
        check_zip(zip_of(many))
