"""Files the bot exports. Spreadsheet formulas are neutralised in every cell."""
import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell starting like a formula is prefixed with ' so Excel shows it as text (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def xlsx_bytes(header, rows, sheet_title: str = "Sheet1") -> bytes:
    """An XLSX in openpyxl's write-only mode (rows streamed, not held as cells); formulas neutralised too."""
    from openpyxl import Workbook  # only when a spreadsheet is made

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
