"""Report stage forms, the action plan's forms and messages, and the closing summary."""
import json

from slack_sdk.models.blocks import InputBlock, UserSelectElement

from bot.workflow.core.notices import (
    ActionAssigned,
    ActionDetails,
    ActionToVerify,
    ClosingSummary,
    ReportNotice,
    SpaceClosing,
)
from bot.workflow.report import action_plan as plan
from bot.workflow.report import report
from messages.core.text import escape
from messages.slack import blocks as bk
from messages.slack.ids import PlanActionId, PlanCallbackId

RAG_ICONS = {"red": ":red_circle:", "amber": ":large_orange_circle:", "green": ":large_green_circle:",
             "complete": ":white_check_mark:"}


def _meta(**values) -> str:
    return json.dumps(values)


# ---------------------------------------------------------------- /dhr stage

def stage_chooser(review_id: int, reference: str, stage_label: str, next_step: str, recorded: list[str],
                  steps: list[report.Step], feedback: str | None, paused: bool) -> dict:
    blocks = [bk.section(f"*{reference}*: stage \u201c{stage_label}\u201d\n{next_step}")]
    if recorded:
        blocks.append(bk.section("*Recorded in this round*\n" + "\n".join(f"• {escape(x)}" for x in recorded[-15:])))
    if feedback:
        blocks.append(bk.section(f"*Latest QA panel feedback*\n{escape(feedback)}"))
    if paused:
        blocks.append(bk.section(":double_vertical_bar: The review is paused: stage moves wait until "
                                 "`/dhr resume`."))
    elif steps:     # one block per step, each button its own action id (sign-off has three)
        blocks += [bk.actions(bk.button(s.label, f"{PlanActionId.STAGE_STEP}.{s.key}", f"{review_id}:{s.key}"),
                              block_id=f"step_{s.key}") for s in steps]
    else:
        blocks.append(bk.context("Nothing to record with `/dhr stage` at this stage."))
    if steps and steps[0].stage.value == "monitoring":
        blocks.append(bk.context("Once every action is completed and verified and the audit is recorded, "
                                 "`/dhr conclude` closes the review."))
    return bk.modal("Review stage", blocks, callback_id=PlanCallbackId.STAGE_CHOOSER,
                    private_metadata=_meta(review_id=review_id))


def step_form(review_id: int, reference: str, step: report.Step, today_iso: str) -> dict:
    d = lambda name, label, **kw: bk.date_input(name, label, initial=today_iso, **kw)  # noqa: E731
    t = lambda name, label, **kw: bk.text_input(name, label, max_length=report.NOTE_MAX, multiline=True, **kw)  # noqa: E731
    fields = {
        "home_office_reply": [bk.radio_input("reply", "The Home Office's reply", report.HO_REPLIES),
                              d("reply_on", "Date the CSP received the reply",
                                hint="A directed review's timescales run from this date."),
                                t("note", "Notes", optional=True)],
        "start_drafting": [bk.section("Every evidence request must be received or withdrawn first.")],
        "send_for_sign_off": [
            bk.checkbox_input("drafted", "Drafts ready", report.DRAFTS, optional=False,
                              hint="All three are needed to send the report for sign-off."),
            bk.date_input("family_shared_on", "Date the draft was shared with the family", optional=True,
                          hint="This date, or the reason below: one of the two is needed."),
            t("family_not_shown_reason", "Or: why the family did not see the draft", optional=True)],
        "panel_sign_off": [d("signed_on", "Date the panel signed the report off")],
        "csp_sign_off": [d("signed_on", "Date the CSP signed the report off",
                           hint="The CSP signs off after the panel.")],
        "submit": [d("submitted_on", "Date sent to the Home Office QA panel")],
        "qa_outcome": [bk.radio_input("outcome", "The QA panel's outcome", report.QA_OUTCOMES),
                       d("letter_on", "Date of the QA panel's letter"),
                       t("feedback", "The QA panel's feedback", optional=True,
                         hint="Required for \u201crevise and resubmit\u201d: the report goes back to drafting.")],
        "publish": [d("published_on", "Publication date"),
                    bk.text_input("published_where", "Where it was published", max_length=report.PLACE_MAX,
                                  placeholder="e.g. the CSP's website, with the executive summary"),
                    t("family_not_told_reason", "Only if the family was not told the date beforehand: why",
                      optional=True, hint="The family is told the date before publication: record that with "
                                          "/dhr family, Record a step.")],
        "dac_copy": [d("sent_on", "Date the copy went to the Domestic Abuse Commissioner",
                       hint="Due as soon as reasonably practicable after the CSP signs the report off.")],
        "start_monitoring": [bk.section("The CSP monitors the action plan from publication.")],
        "plan_audit": [d("audited_on", "Date of the audit"),
                       t("findings", "The audit's findings"),
                       bk.checkbox_input("no_recommendations", "No actions",
                                         {"no_recommendations": "The report made no recommendations"})],
    }[step.key]
    lead = f"*{reference}*: {report.sentence_start(step.label)}."
    moves = report.next_steps_text(step)
    blocks = [bk.section(lead + (f" {moves}" if moves else ""))] + fields
    return bk.modal(step.title, blocks, callback_id=PlanCallbackId.STAGE_STEP, submit="Record",
                    close="Cancel", private_metadata=_meta(review_id=review_id, step=step.key))


# ---------------------------------------------------------------- recommendations and actions

def recommendation_form(review_id: int, reference: str, agencies: list[tuple[int, str]]) -> dict:
    blocks = [
        bk.section(f"*{reference}*: add a recommendation to the action plan."),
        bk.text_input("text", "Recommendation", multiline=True, max_length=plan.TEXT_MAX),
        bk.radio_input("scope", "Scope", plan.SCOPES),
        bk.radio_input("source", "Source", plan.SOURCES),
    ]
    if agencies:
        blocks.append(bk.select_input("source_agency", "Agency whose IMR made it", {str(i): n for i, n in agencies},
                                      optional=True, hint="Only for a recommendation from an agency's IMR."))
    blocks += [
        bk.text_input("national_body", "National: body it was sent to", optional=True, max_length=200,
                      hint="Required for a national recommendation, e.g. the Department of Health and Social Care."),
        bk.date_input("national_sent_on", "National: date it was sent", optional=True),
    ]
    return bk.modal("Add recommendation", blocks, callback_id=PlanCallbackId.RECOMMEND, submit="Add",
                    close="Cancel", private_metadata=_meta(review_id=review_id))


def action_form(review_id: int, reference: str, recs: list[tuple[int, int, str]],
                agencies: list[tuple[int, str]]) -> dict:
    rec_choices = {str(i): f"{n}. {text}"[:75] for i, n, text in recs[:100]}
    blocks = [bk.section(f"*{reference}*: add a SMART action to one of its recommendations "
                         "(specific, measurable, achievable, realistic, timed).")]
    # Every SMART field is required in the form itself; only the milestones may wait.
    blocks.append(bk.select_input("recommendation", "Recommendation", rec_choices) if rec_choices else
                  bk.context("No recommendations yet: add one first with `/dhr recommend`."))
    blocks += [
        bk.text_input("action", "Action to take", multiline=True, max_length=plan.TEXT_MAX,
                      hint="Who does what, for whom."),
        bk.select_input("lead_agency", "Lead agency", {str(i): n for i, n in agencies})
        if agencies else bk.context("No agencies are set up yet: a CSP admin adds them with `/dhr agencies`."),
        InputBlock(block_id="owner", label=bk.plain("Owner (lead person)"), optional=False,
                   element=UserSelectElement(action_id="owner", placeholder=bk.plain("Choose a person"))),
        bk.text_input("outcome_measure", "Measurable outcome or evidence expected", multiline=True,
                      max_length=plan.TEXT_MAX),
        bk.date_input("target_on", "Target date"),
        bk.text_input("milestones", "Key milestones", multiline=True, max_length=plan.TEXT_MAX, optional=True),
    ]
    return bk.modal("Add action", blocks, callback_id=PlanCallbackId.ACTION, submit="Add", close="Cancel",
                    private_metadata=_meta(review_id=review_id))


def action_about(about: ActionDetails, limit: int = 600) -> str:
    """The action, its recommendation and measurable outcome, as the owner reads them before acting."""
    return (f"*Action {about.ref}*: {escape(bk.clip(about.action, limit))}\n"
            f"*Recommendation {about.ref.split('.')[0]}*: {escape(bk.clip(about.recommendation, limit))}\n"
            f"*Measurable outcome*: {escape(bk.clip(about.outcome, limit))}")


def progress_form(action_id: int, reference: str, about: ActionDetails) -> dict:
    return bk.modal("Progress update", [
        bk.section(action_about(about)),
        bk.section(f"*{reference}*, action {about.ref}: what has been done since the last update?"),
        bk.text_input("update", "Progress update", multiline=True, max_length=plan.TEXT_MAX),
    ], callback_id=PlanCallbackId.ACTION_PROGRESS, submit="Add update", close="Cancel",
        private_metadata=_meta(action_id=action_id))


def complete_form(action_id: int, reference: str, about: ActionDetails, today_iso: str) -> dict:
    return bk.modal("Mark complete", [
        bk.section(action_about(about)),
        bk.section(f"*{reference}*, action {about.ref}: the coordinator or chair verifies it from your evidence."),
        bk.date_input("completed_on", "Date completed", initial=today_iso),
        bk.text_input("evidence", "Evidence of completion", multiline=True, max_length=plan.TEXT_MAX,
                      hint="What shows the measurable outcome was met, and where the evidence is kept."),
    ], callback_id=PlanCallbackId.ACTION_COMPLETE, submit="Mark complete", close="Cancel",
        private_metadata=_meta(action_id=action_id))


def return_form(action_id: int, ref: str) -> dict:
    return bk.modal("Send back", [
        bk.section(f"Action {ref}: the owner sees your reason and completes it again."),
        bk.text_input("reason", "Why it is not complete yet", multiline=True, max_length=plan.TEXT_MAX),
    ], callback_id=PlanCallbackId.ACTION_RETURN, submit="Send back", close="Cancel",
        private_metadata=_meta(action_id=action_id))


def action_buttons(action_id: int):
    return bk.actions(bk.button("Add a progress update", PlanActionId.ACTION_PROGRESS, str(action_id)),
                      bk.button("Mark complete", PlanActionId.ACTION_COMPLETE, str(action_id), style="primary"))


def plan_text(rows: list[plan.PlanRow], reference: str, exported_to: str | None = None) -> str:
    """The plan as a member reads it (only to them): each recommendation, then its actions."""
    if not rows:
        return (f"*{reference}* has no recommendations yet. The coordinator or chair adds them with "
                "`/dhr recommend`, then `/dhr action`.")
    lines, shown = [f"*{reference} action plan*"], set()
    for r in rows[:60]:
        number = r.ref.split(".")[0]
        if number not in shown:
            shown.add(number)
            lines.append(f"*{number}.* {escape(bk.clip(r.recommendation, 200))} _({r.scope}"
                         f"{'' if r.action_id else '; no actions yet'})_")
        if r.action_id:
            lines.append(f"    {RAG_ICONS[r.rag]} {r.ref} {escape(bk.clip(r.action, 150))}: <@{r.owner}>, "
                         f"target {r.target_on:%d %b %Y}, {r.status}")
    if exported_to:
        lines.append(f"_The plan is exported to <#{exported_to}> as XLSX and DOCX._")
    return "\n".join(lines)


# ---------------------------------------------------------------- notices

def report_notice(n: ReportNotice) -> dict:
    return {"text": n.text}


def action_assigned(n: ActionAssigned) -> dict:
    link = f" in <#{n.space_id}>" if n.space_id else ""
    text = f"*{n.reference}*{link}: {n.text} Target date: {n.target_on}."
    about = [bk.section(action_about(n.details))] if n.details else []
    return bk.message([bk.section(text), *about, action_buttons(n.action_id)], f"{n.reference}: {n.text}")


def action_to_verify(n: ActionToVerify) -> dict:
    text = f"<@{n.owner}> marked action {n.ref} complete. The coordinator or chair verifies it or sends it back."
    return bk.message([bk.section(text), bk.actions(
        bk.button("Verify", PlanActionId.ACTION_VERIFY, str(n.action_id), style="primary"),
        bk.button("Send back", PlanActionId.ACTION_RETURN, str(n.action_id)))], text)


def closing_summary(n: ClosingSummary) -> dict:
    plan_lines = (f"{n.actions_verified} action{'s' if n.actions_verified != 1 else ''} completed and verified. "
                  if n.actions_verified or n.audit_on else "")
    plan_lines += f"Action plan audited {n.audit_on} by <@{n.audit_by}>." if n.audit_on else ""
    text = (f":checkered_flag: *{n.reference} is concluded* ({n.concluded_on}, by <@{n.by}>). {plan_lines}\n"
            f"Reminders for this review have stopped. The channel is renamed and archived; its records are kept "
            f"until {n.retain_until} (the CSP's retention period).")
    return bk.message([bk.section(text)], f"{n.reference} is concluded")


def space_closing(n: SpaceClosing) -> dict:
    text = (f":lock: <@{n.by}> concluded {n.reference}, so DHR Bot renamed this channel #{n.new_name} on their "
            "behalf and is archiving it now.")
    return bk.message([bk.section(text)], text)
