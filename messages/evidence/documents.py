"""Documents the bot hands out: the chronology template (XLSX and CSV) and the IMR template (DOCX)."""
import io

from bot.workflow.evidence.chronology_rows import COLUMNS, TEMPLATE_COLUMNS
from bot.workflow.evidence.imr import INDEPENDENCE_TEXT, SECTIONS
from messages.core.exports import csv_bytes, xlsx_bytes

EXAMPLE_ROW = ("2025-03-14", "14:30", "(your agency)", "Case notes", "Adult A",
               "Home visit", "Referred to MARAC", "Risk not reassessed after the visit", "")
SUBSECTIONS = {"Policy compliance", "Risk assessment", "Information sharing", "Equality and diversity"}


def chronology_template_xlsx() -> bytes:
    return xlsx_bytes(TEMPLATE_COLUMNS, [EXAMPLE_ROW], "Chronology")


def chronology_template_csv() -> bytes:
    return csv_bytes(TEMPLATE_COLUMNS, [EXAMPLE_ROW])


def imr_template(reference: str, agency: str) -> bytes:
    """Every section of the Home Office IMR, with guidance in [brackets] for the author to replace."""
    import docx  # python-docx

    document = docx.Document()
    document.add_heading("Individual Management Review (IMR)", level=0)
    document.add_paragraph(f"Review: {reference}")
    document.add_paragraph(f"Agency: {agency}")
    document.add_paragraph("Refer to the victim, the perpetrator and everyone else by the review's pseudonyms only.")
    for label, _phrases, guidance in SECTIONS:
        document.add_heading(label, level=2 if label in SUBSECTIONS else 1)
        if label == SECTIONS[0][0]:
            document.add_paragraph("Author: [name, role and agency]")
            document.add_paragraph(INDEPENDENCE_TEXT)
        if label == SECTIONS[-1][0]:
            for line in ("Name: [senior manager's name]", "Role: [role]", "Date: [dd/mm/yyyy]"):
                document.add_paragraph(line)
            continue
        document.add_paragraph(f"[{guidance}]")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The files a chronology goes out as, by extension: the combined export (rows in the standard columns) and
# the empty template. The same on every platform.
CHRONOLOGY_EXPORTERS = {"xlsx": lambda rows: xlsx_bytes(COLUMNS, rows, "Chronology"),
                        "csv": lambda rows: csv_bytes(COLUMNS, rows)}
CHRONOLOGY_TEMPLATES = {"xlsx": chronology_template_xlsx, "csv": chronology_template_csv}
