"""The action plan in the Home Office template's columns, as XLSX and DOCX.

Every cell goes through exports.safe_cell, so text starting with = + - @ is never a formula.
"""
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from bot.workflow.report.action_plan import RAG_LABELS, PlanRow
from messages.core import exports
from messages.core.exports import safe_cell

COLUMNS = ["Recommendation", "Scope (local / regional / national)", "Action to take", "Lead agency",
           "Key milestones achieved in enacting recommendation", "Target date", "Date of completion and outcome",
           "Owner", "RAG status", "Evidence of completion", "Verified by / when"]


def row_cells(r: PlanRow) -> list[str]:
    rec = f"{r.ref.split('.')[0]}. {r.recommendation}" + (f" ({r.source})" if r.source else "") + \
        (f". {r.national}" if r.national else "")
    return [rec, r.scope, f"{r.ref} {r.action}" if r.action_id else "", r.lead_agency, r.milestones,
            r.target_on.strftime("%d %b %Y") if r.target_on else "", r.completion, r.owner,
            RAG_LABELS.get(r.rag, "") if r.action_id else "", r.evidence, r.verified]


def xlsx_bytes(reference: str, rows: list[PlanRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws.append([safe_cell(c) for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([safe_cell(c) for c in row_cells(r)])
    for row in ws.iter_rows():
        for cell in row:
            cell.data_type = "s"           # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJK", (40, 14, 40, 20, 30, 12, 30, 14, 16, 30, 18)):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx_bytes(reference: str, rows: list[PlanRow]) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading(safe_cell(f"{reference}: action plan"), level=1)
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for r in rows:
        for cell, value in zip(table.add_row().cells, row_cells(r)):
            cell.text = safe_cell(value)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


EXPORTERS = {"xlsx": xlsx_bytes, "docx": docx_bytes}     # the plan's files, the same on every platform
# The national recommendations, for the Commissioner's oversight work.
NATIONAL_EXPORTERS = {"csv": exports.csv_bytes,
                      "xlsx": lambda header, rows: exports.xlsx_bytes(header, rows, "National recommendations")}
