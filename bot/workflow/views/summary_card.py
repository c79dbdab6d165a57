"""The pinned summary card of a review: stage, deadlines, decision, panel, evidence."""
from datetime import date

from sqlmodel import Session

from bot.workflow.clock.deadlines import review_deadlines, timeline
from bot.workflow.clock.holds import open_holds
from bot.workflow.clock.timeline import deadline_line
from bot.workflow.clock.timescales import get_preset
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import naming
from bot.workflow.core.kernel import show_date
from bot.workflow.core.notices import PanelEntry, SummaryCard
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.stages import Stage, next_step_text, stage_label
from bot.workflow.core.text import Mention, Text, text
from bot.workflow.intake import decision as decision_rules
from bot.workflow.intake import suicide
from bot.workflow.intake.opening import decision_of
from bot.workflow.panel.panel import INVITED, panel_lines
from bot.workflow.reminders.unreachable import unreachable_in_review
from bot.workflow.report import copies, guide, report, report_checks
from bot.workflow.views.evidence_card import card_parts
from storage.models import Decision, Review


def summary_card(session: Session, review: Review, today: date, calendar: WorkingCalendar) -> SummaryCard:
    made = decision_of(session, review)
    preset = get_preset(review.preset)
    tl = timeline(session, review.id, reasons=True)
    deadlines = review_deadlines(session, review, today, made=made, tl=tl)
    stage = Stage(review.stage)
    held = open_holds(session, review.id, reasons=True)
    return SummaryCard(
        review_id=review.id, reference=review.reference, stage=stage.value,
        stage_label=stage_label(stage), next_step=next_step_text(stage),
        victim_pseudonym=review.victim_pseudonym, perpetrator_pseudonym=review.perpetrator_pseudonym,
        notified_on=show_date(review.notified_on), preset_label=preset.label,
        deadlines=[deadline_line(d, calendar, tl, held) for d in deadlines],
        decision_lines=_decision_lines(made),
        awaiting=text("The Home Office's reply to the decision not to hold a review is awaited.")
        if stage == Stage.NOT_COMMISSIONED else None,
        holds=[f"{h.describe()}: {h.reason}" for h in held],
        panel=_panel_entries(session, review),
        unreachable=unreachable_in_review(session, review.id),
        suspected_suicide=review.suspected_suicide, suicide_lines=suicide.card_lines(review, made is not None),
        publication_line=_publication_line(session, review),
        copies=copies.checklist(session, review),
        report_check_line=report_checks.card_line(session, review.id),
        submitted_anyway=_submitted_anyway(session, review),
        guide_line=guide.card_line(session, review.id),
        **_evidence_parts(session, review, today),
    )


def _publication_line(session: Session, review: Review) -> str | None:
    row = report.publication_of(report.latest_steps(session, review.id))
    return report.recorded_summary(row) if row else None


def _submitted_anyway(session: Session, review: Review) -> str | None:
    row = report.latest_steps(session, review.id, this_round=False).get("submit")
    return row.note if row and "without_check" in (row.flags or []) else None


def _evidence_parts(session: Session, review: Review, today: date) -> dict:
    return card_parts(session, review, today)


def _panel_entries(session: Session, review: Review) -> list[PanelEntry]:
    return [PanelEntry(p.user_id, p.role.label, p.agency, p.status == INVITED) for p in panel_lines(session, review)]


def _decision_lines(made: Decision | None) -> list[str | Text]:
    if not made:
        return []
    lines: list[str | Text] = [f"{decision_rules.OUTCOMES[made.outcome]} (decided {show_date(made.decided_on)})",
             f"Home Office told {show_date(made.home_office_told_on)}"]
    if made.outcome == "no_review" and made.home_office_reply == "review_directed":
        lines.append(f"The Home Office directed a review (received {show_date(made.home_office_reply_on)}); "
                     "its timescales run from that date")
    lines += _record_lines(made)
    if made.lscp_told_on:
        lines.append(f"Safeguarding children partnership told {show_date(made.lscp_told_on)}")
    if made.parallel_processes:
        lines.append("Parallel processes: " + ", ".join(
            decision_rules.PARALLEL_PROCESSES[p] for p in made.parallel_processes))
    return lines


def _record_lines(made: Decision) -> list[str | Text]:
    """Who decided, records secured, the criteria, and where the review belongs (decisions recorded
    before these were asked have none of them)."""
    lines: list[str | Text] = []
    if made.decided_by:
        lines.append(text("Decided by ", Mention(PersonRef(made.decided_by)), " (CSP chair)"))
    if made.records_secured_on:
        lines.append(f"Agencies told to secure their records {show_date(made.records_secured_on)}")
    if made.decided_by:     # the criteria were asked with who decided
        criteria = naming.current().criteria
        unmet = [label.lower() for key, label in criteria.items() if key not in made.criteria]
        lines.append(f"Statutory criteria considered met: {len(criteria) - len(unmet)} of {len(criteria)}"
                     + (f" (not met: {'; '.join(unmet)})" if unmet else ""))
    place = [x for x in (made.usual_residence and f"Victim's usual residence: {made.usual_residence}",
                         made.lead_csp and f"lead CSP: {made.lead_csp}") if x]
    if place:
        lines.append("; ".join(place))
    if made.joint_with:
        lead = "this CSP leads" if made.joint_lead == "this" else f"{made.joint_with} leads"
        lines.append(f"Joint review with {made.joint_with} ({lead})")
    return lines
