"""The drafts' templates and their check: `report template` sends the overview report, executive summary and
action plan templates to the person's DM; a .docx named for the overview report or the executive summary,
sent where files reach the bot, is checked and the answer (where a term is, never the term) goes to the
uploader only, with the timescales paragraph from the review's record. Any other file goes on to the
evidence uploads (chronologies, IMRs)."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from bot.workflow.clock.deadlines import review_deadlines, timeline
from bot.workflow.clock.holds import ACTIVITIES
from bot.workflow.clock.timescales import DEADLINE_LABELS, OVERVIEW_REPORT
from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor, authorize
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Text, join, text
from bot.workflow.evidence import uploads_use_cases as uploads
from bot.workflow.evidence.chronology import NO_REDACTIONS
from bot.workflow.evidence.terms import latest_agreed
from bot.workflow.intake.opening import decision_of
from bot.workflow.report import report_check, report_checks
from bot.workflow.report.report import latest_steps
from bot.workflow.report.report_check import GUIDE, KIND_LABELS
from bot.workflow.report.report_checks import day as _day
from storage.models import Review
from storage.report import ReportStep
from storage.timeline import ActivityHold

DirectSpace = Callable[[PersonRef], SpaceRef]


@dataclass(frozen=True)
class Template:
    """One template document: its file name's end, what it is, and its bytes for a reference."""

    suffix: str
    title: str
    build: Callable[[str], bytes]


def templates_by_command(session: Session, space_id: str, actor: Actor, *, templates: list[Template],
                         dm_space: DirectSpace) -> Outcome:
    """For the coordinator and chair, who write or commission the report."""
    review = kernel.review_in_space(session, space_id)
    authorize(session, review, actor, Operation.MOVE_STAGE)
    sent = out.NOTHING
    for template in templates:
        sent = sent + out.upload(dm_space(PersonRef(actor.user_id)), f"{review.reference}-{template.suffix}",
                                 template.build(review.reference), f"{review.reference} {template.title}")
    return sent + out.reply(text(
        f"I have sent you the overview report, executive summary and action plan templates for {review.reference} "
        "in our private chat. When a draft is ready, share the .docx with me as you share the review's files (",
        Command("help"), " says where), with \u201coverview report\u201d or \u201cexecutive summary\u201d in its "
        "name: I check it for the review's registered names (in the text, headers, footers, comments and the "
        "document's properties), every section of the guidance, and dates of birth or addresses, and offer the "
        "timescales paragraph. Submission to the Home Office (", Command("stage"), ") waits for both to pass, or a "
        "reason to submit anyway."))


def submit(session: Session, shared: uploads.Shared, actor: Actor, content: bytes, *, now: datetime, today: date,
           redaction=NO_REDACTIONS, error_report, dm_space: DirectSpace) -> Outcome:
    """A draft report is checked here; anything else is an evidence upload."""
    kind = report_check.report_kind(shared.name) if shared.name.lower().endswith(".docx") else None
    if kind is None:
        return uploads.submit(session, shared, actor, content, now=now, today=today, redaction=redaction,
                              error_report=error_report, dm_space=dm_space)
    review = uploads.review_of(session, shared, actor)
    result = report_checks.check_upload(session, review, actor, kind, content, now, redaction[1])
    if kind == GUIDE:
        return out.reply(guide_answer(review, result)) + out.refresh(review.id)
    paragraph = timescales_paragraph(session, review, today)
    return out.reply(answer(review, result, report_checks.failing(session, review.id), paragraph)) + out.refresh(
        review.id)


def guide_answer(review: Review, result: report_checks.Result) -> Text:
    """The guide is checked like the drafts; one that passes waits for the chair's approval."""
    checked = result.checked
    if checked.passed:
        return text(Bold(review.reference), ": the one-minute guide passed its check: every heading, and no term "
                    "on the review's redaction list. ", Command("guide approve"), " in the review's space approves "
                    "it for sharing.")
    return join("\n\n", [text(Bold(review.reference), ": the one-minute guide does not pass its check, so it can't "
                                "be approved or shared yet. I have recorded the check, not the file."),
                          *_problems(checked)])


def _problems(checked) -> list[Text]:
    lines = []
    if checked.terms:
        lines.append(text(Bold("A term on the review's redaction list"), " (a real name, date of birth or address) "
                          "is in " + "; ".join(checked.terms) + ". Use the pseudonyms there (Word's File > Info > "
                          "Inspect Document removes the document's properties and comments), delete the file you "
                          "shared, and share the corrected one."))
    if checked.missing:
        lines.append(text(Bold("Sections missing"), ":\n" + "\n".join(f"• {m}" for m in checked.missing)))
    if checked.warnings:
        lines.append(text(Bold("To look at"), " (this does not stop it passing): "
                          + "; ".join(checked.warnings) + ". A published report names no date of birth or address."))
    return lines


def answer(review: Review, result: report_checks.Result, failing: list[str], timescales: str) -> Text:
    """Where each problem is, never what was found; then the timescales paragraph to paste."""
    checked, label = result.checked, KIND_LABELS[result.kind]
    lines: list = []
    if checked.passed:
        others = [x for x in failing if x != label]
        lines.append(text(Bold(review.reference), f": the {label} passed the check: every section of the guidance, "
                          "and no term on the review's redaction list. " + (
                              f"The {' and the '.join(others)} still needs a passing check before submission."
                              if others else "Both drafts have passed: the report can be submitted to the Home "
                                             "Office.")))
    else:
        lines.append(text(Bold(review.reference), f": the {label} does not pass the check yet, so it can't go to the "
                          "Home Office as it is. I have recorded the check, not the file."))
    lines += _problems(checked)
    lines.append(text(Bold("Timescales"), ", from the review's record, to paste under that heading:\n", timescales))
    return join("\n\n", lines)


# ---------------------------------------------------------------- the timescales paragraph

def timescales_paragraph(session: Session, review: Review, today: date) -> str:
    """The overview report's timescales paragraph, from the review's own record: dates only (never a hold's
    reason or event, which are narrative)."""
    made = decision_of(session, review)
    said = [f"The Community Safety Partnership was notified of the death on {_day(review.notified_on)}."]
    if made:
        held = "to hold a Domestic Homicide Review" if made.outcome != "no_review" else "not to hold a review"
        said.append(f"The decision {held} was made on {_day(made.decided_on)}, and the Home Office was told on "
                    f"{_day(made.home_office_told_on)}.")
    terms = latest_agreed(session, review.id)
    if terms:
        said.append(f"The terms of reference were agreed on {_day(terms.agreed_on)}.")
    tl = timeline(session, review.id)
    for held in session.exec(select(ActivityHold).where(ActivityHold.review_id == review.id)
                             .order_by(ActivityHold.agreed_on, ActivityHold.id)):
        until = f"until {_day(held.lifted_on)}" if held.lifted_on else "and it still waits"
        said.append(f"{ACTIVITIES.get(held.activity, 'An activity')} waited on a parallel process, as "
                    f"{held.agreed_by} agreed on {_day(held.agreed_on)}, {until}.")
    for ext in tl.extensions:
        label = DEADLINE_LABELS.get(ext.deadline, ext.deadline).lower()
        said.append(f"A new date of {_day(ext.new_due)} was agreed for the {label} ({ext.agreed_by}, "
                    f"{_day(ext.agreed_on)}).")
    steps = latest_steps(session, review.id, this_round=False)
    said += _sign_offs(steps)
    if "submit" in steps and steps["submit"].on_date:
        said.append(f"The report was submitted to the Home Office on {_day(steps['submit'].on_date)}.")
    else:
        due = next((d.due for d in review_deadlines(session, review, today, made=made, tl=tl)
                    if d.key == OVERVIEW_REPORT), None)
        if due:
            said.append(f"The report is due to be submitted to the Home Office by {_day(due)}.")
    return " ".join(said)


def _sign_offs(steps: dict[str, ReportStep]) -> list[str]:
    panel, csp = steps.get("panel_sign_off"), steps.get("csp_sign_off")
    if panel and csp:
        return [f"The panel signed the report off on {_day(panel.on_date)}, and the CSP on {_day(csp.on_date)}."]
    if panel:
        return [f"The panel signed the report off on {_day(panel.on_date)}."]
    return []
