"""The quarterly board report as DOCX: for each figure its chart and a table of the same numbers, and the
national comparison with its source. Aggregates only (agency names, stage labels, counts)."""
import io
from collections.abc import Callable

from docx import Document
from docx.shared import Inches, Pt

from bot.workflow.views.board_figures import NATIONAL_SOURCE, NATIONAL_WITHIN_6, NATIONAL_WITHIN_12, BoardFigures
from messages.core.exports import safe_cell
from messages.views.board_charts import CHARTS, RAG_NAMES


def _d(d) -> str:
    return f"{d.day} {d:%B %Y}"


def _share(part: int, whole: int, share: int | None) -> str:
    return "n/a" if share is None else f"{part} of {whole} ({share}%)"


def national_sentence(f: BoardFigures) -> str:
    """How the CSP compares with the national figures, in one sentence."""
    due6 = sum(y.submission_due_6 for y in f.years)
    met6 = sum(y.submitted_in_6 for y in f.years)
    due12 = sum(y.submission_due_12 for y in f.years)
    met12 = sum(y.submitted_in_12 for y in f.years)
    ours = []
    if due6:
        ours.append(f"{met6} of {due6} reviews ({round(100 * met6 / due6)}%) were submitted within six months of "
                    "the decision")
    if due12:
        ours.append(f"{met12} of {due12} ({round(100 * met12 / due12)}%) within twelve")
    said = ("Across all years, " + ", and ".join(ours) + ". ") if ours else \
        "No review has yet reached six months after its decision. "
    return (said + f"Nationally, {NATIONAL_WITHIN_6}% of reviews finished within six months and "
            f"{NATIONAL_WITHIN_12}% within twelve (source: {NATIONAL_SOURCE}).")


def tables(f: BoardFigures) -> list[tuple[list[str], list[list[str]]]]:
    """Each chart's figures as (header, rows), in CHARTS' order."""
    return [
        (["Year notified", "Reviews", "Decided within one month", "Submitted within six months",
          "Submitted within twelve months"],
         [[str(y.year), str(y.notified), _share(y.decided_in_month, y.decision_due, y.decided_share),
           _share(y.submitted_in_6, y.submission_due_6, y.within_6_share),
           _share(y.submitted_in_12, y.submission_due_12, y.within_12_share)] for y in f.years]),
        (["Stage", "Completed stays", "Median days", "Mean days"],
         [[s.label, str(s.stays), f"{s.median_days:g}", f"{s.mean_days:g}"] for s in f.stage_times]),
        (["Stage", "Reviews open"], [[label, str(n)] for label, n in f.open_by_stage]),
        (["RAG status", "Actions"], [[RAG_NAMES[k], str(n)] for k, n in f.actions_by_rag.items()]),
        (["Agency", "Evidence items overdue"], [[name, str(n)] for name, n in f.overdue_by_agency]),
    ]


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, header):
        cell.text = name
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for row in rows or [["None"] + [""] * (len(header) - 1)]:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = safe_cell(value)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)


def docx_bytes(f: BoardFigures, csp_name: str, charts: Callable[[BoardFigures], list[bytes]] | None = None) -> bytes:
    images = charts(f) if charts else [render(f) for _, render in CHARTS]
    doc = Document()
    doc.add_heading(safe_cell(f"{csp_name}: domestic homicide reviews, board report {f.quarter.label}"), level=0)
    doc.add_paragraph(
        f"{f.quarter.months}. Timeliness counts what was recorded by {_d(f.as_at)}; the open reviews, actions "
        f"and evidence are as they stood on {_d(f.today)}, when this report was produced. {f.reviews} reviews "
        "notified in all. Figures only: no review is named.")
    doc.add_paragraph(national_sentence(f))
    for (heading, _), image, (header, rows) in zip(CHARTS, images, tables(f)):
        doc.add_heading(heading, level=1)
        picture = doc.add_picture(io.BytesIO(image), width=Inches(6.3))
        # Alternative text for screen readers: what the chart shows; its numbers are in the table below it.
        picture._inline.docPr.set("descr", f"Bar chart: {heading.lower()}. The table below gives the same figures.")
        picture._inline.docPr.set("title", heading)
        _table(doc, header, rows)
    doc.add_paragraph(
        "How to read it: a review counts towards a share once its deadline has passed or it met it (one calendar "
        "month from notification to decision; six and twelve months from the decision to submission to the Home "
        "Office). Time in each stage counts completed stays only. RAG: red is past its target date, amber is due "
        "within ten working days with no update in twenty.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
