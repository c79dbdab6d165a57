"""The overview report's templates: three Word documents, as the Home Office receives them (the overview
report, the executive summary and the action plan are separate documents, each checked on its own).
Each heading of the guidance carries one line of guidance in [brackets] for the author to replace."""
import io

from bot.workflow.report.guide import GuideDraft
from bot.workflow.report.report_check import GUIDE_SECTIONS, OVERVIEW_SECTIONS, SUMMARY_SECTIONS
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


WHAT_IS_A_DHR = ("A Domestic Homicide Review looks at the circumstances in which a person aged 16 or over died "
                 "through violence, abuse or neglect by someone they were related to, in a relationship with or "
                 "living with (section 9 of the Domestic Violence, Crime and Victims Act 2004). It asks what "
                 "agencies can learn, so that practice changes; it does not apportion blame.")


def one_minute_guide(draft: GuideDraft) -> bytes:
    """The Wakefield format on one page: each heading with what the review recorded, or [what to write]."""
    import docx  # python-docx

    document = docx.Document()
    document.add_heading(f"One-minute guide: {draft.reference}", level=0)
    document.add_paragraph("Draft for the chair to edit. " + PSEUDONYMS_ONLY + " Send it back to the bot with "
                           "\u201cone-minute guide\u201d in its name: it is checked, then you approve it.")
    sections = {label: guidance for label, _pattern, guidance in GUIDE_SECTIONS}
    others = f" and {draft.perpetrator}" if draft.perpetrator else ""
    body = {
        "What is a Domestic Homicide Review?": [WHAT_IS_A_DHR],
        "The circumstances": [f"This review looked at the death of {draft.victim}, and at what agencies knew of "
                              f"{draft.victim}{others} before it.",
                              "[A second line: the circumstances, anonymised: no dates, places or real names.]"],
        "Key learning points": draft.themes or ["[The key learning points: the review's themes and lessons.]"],
        "What practitioners should do differently": draft.recommendations or [
            f"[{sections['What practitioners should do differently']}]"],
        "Where to read more": [f"The published report: {draft.published_where}." if draft.published_where
                               else "[Where the published report is.]",
                               "[Local domestic abuse services and how to refer.]"],
    }
    for label in sections:
        document.add_heading(label, level=1)
        for line in body[label]:
            document.add_paragraph(line, style="List Bullet" if label in ("Key learning points",
                                   "What practitioners should do differently") and not line.startswith("[")
                                   else None)
    return _saved(document)
