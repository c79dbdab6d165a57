"""The overview report's templates: three Word documents, as the Home Office receives them (the overview
report, the executive summary and the action plan are separate documents, each checked on its own).
Each heading of the guidance carries one line of guidance in [brackets] for the author to replace."""
import io

from bot.workflow.report.report_check import OVERVIEW_SECTIONS, SUMMARY_SECTIONS
from bot.workflow.report.report_check_use_cases import Template
from messages.report.plan_export import COLUMNS

PSEUDONYMS_ONLY = "Refer to the victim, the perpetrator and everyone else by the review's pseudonyms only."


def _document(title: str, reference: str, sections) -> bytes:
    import docx  # python-docx

    document = docx.Document()
    document.add_heading(title, level=0)
    document.add_paragraph(f"Review: {reference}")
    document.add_paragraph(PSEUDONYMS_ONLY)
    for number, (label, _pattern, guidance) in enumerate(sections, start=1):
        document.add_heading(f"{number}. {label}", level=1)
        document.add_paragraph(f"[{guidance}]")
    return _saved(document)


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def overview_template(reference: str) -> bytes:
    return _document("Overview report", reference, OVERVIEW_SECTIONS)


def summary_template(reference: str) -> bytes:
    return _document("Executive summary", reference, SUMMARY_SECTIONS)


def action_plan_template(reference: str) -> bytes:
    """The Home Office's action plan columns, one example row to replace."""
    import docx  # python-docx

    document = docx.Document()
    document.add_heading("Action plan", level=0)
    document.add_paragraph(f"Review: {reference}")
    document.add_paragraph("One row per action; each recommendation of the overview report has at least one. "
                           "The bot's /dhr actions exports the recorded plan in these columns.")
    table = document.add_table(rows=2, cols=len(COLUMNS))
    for cell, name in zip(table.rows[0].cells, COLUMNS):
        cell.text = name
    table.rows[1].cells[0].text = "[1. The recommendation, as in the overview report]"
    return _saved(document)


# What `report template` sends, in this order.
TEMPLATES = [Template("overview-report.docx", "overview report template", overview_template),
             Template("executive-summary.docx", "executive summary template", summary_template),
             Template("action-plan.docx", "action plan template", action_plan_template)]
