"""Report stage forms, and the action plan's forms and messages."""
from bot.workflow.core.form_spec import Field, Kind
from bot.workflow.core.notices import (
    ActionAssigned,
    ActionDetails,
    ActionToVerify,
)
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Italic, Mention, SpaceLink, Text, join, text
from bot.workflow.report import action_plan as plan
from bot.workflow.report import report
from bot.workflow.report.action_plan_use_cases import OwnerFormData, PlanFormData, PlanListing
from messages import tree
from messages.slack.ids import COMMAND, PlanActionId, PlanCallbackId

RAG_ICON_NAMES = {"red": "red_circle", "amber": "large_orange_circle", "green": "large_green_circle",
                  "complete": "white_check_mark"}


def _clip(words: str, limit: int) -> str:
    """What people wrote, cut with an ellipsis where a list has room for only so much."""
    return words if len(words) <= limit else words[: limit - 1] + "\u2026"


# ---------------------------------------------------------------- /dhr stage

CHOSEN_STEP = "step"      # the chooser's one field, as a choice


def stage_chooser(review_id: int, reference: str, stage_label: str, next_step: Text | str, recorded: list[str],
                  steps: list[report.Step], feedback: str | None, *, as_choice: bool = False,
                  held: list[str] | None = None) -> tree.Form:
    """What is recorded and the steps the actor may take: a button per step, or (`as_choice`: a dialog,
    whose own submit carries its form and review) one choice of the steps and a submit that opens it."""
    said = text(Bold(reference), f": stage \u201c{stage_label}\u201d\n", next_step)
    blocks: list[tree.Block] = [tree.Paragraph(said)]
    if recorded:
        blocks.append(tree.Paragraph(text(Bold("Recorded in this round"), "\n",
                                          join("\n", [f"• {x}" for x in recorded[-15:]]))))
    if feedback:
        blocks.append(tree.Paragraph(text(Bold("Latest QA panel feedback"), f"\n{feedback}")))
    if held:    # stage moves go on; only a held activity's own step refuses
        blocks.append(tree.Paragraph(text(Icon("double_vertical_bar"), " ", Bold("On hold"), "\n",
                                          join("\n", [f"• {h}" for h in held]))))
    if steps and as_choice:
        blocks.append(Field("Step to record", Kind.RADIO, options={s.key: s.label for s in steps}, key=CHOSEN_STEP,
                            initial=steps[0].key if len(steps) == 1 else None))
    elif steps:     # one block per step, each button its own action id (sign-off has three)
        blocks += [tree.Actions([tree.Button(s.label, f"{PlanActionId.STAGE_STEP}.{s.key}", f"{review_id}:{s.key}")],
                                id=f"step_{s.key}") for s in steps]
    else:
        blocks.append(tree.Context(text("Nothing to record with ", Command("stage"), " at this stage.")))
    if any(s.stage.value == "monitoring" for s in steps):
        blocks.append(tree.Context(text("Once every action is completed and verified and the audit is recorded, ",
                                        Command("conclude"), " closes the review.")))
    choosing = as_choice and bool(steps)
    return tree.Form(PlanCallbackId.STAGE_CHOOSER, "Review stage", blocks, close="Close",
                     submit="Open the step" if choosing else None, metadata={"review_id": review_id})


def _date(key: str, label: str, today_iso: str | None, **kw) -> Field:
    return Field(label, Kind.DATE, initial=today_iso, key=key, **kw)


def _note(key: str, label: str, **kw) -> Field:
    return Field(label, Kind.MULTILINE, max_length=report.NOTE_MAX, key=key, **kw)


def _step_fields(key: str, today: str, choices: dict[str, dict[str, str]]) -> list[tree.Block | Field]:
    """What each step asks: the keys are the ones report.record_step reads."""
    return {
        "home_office_reply": [Field("The Home Office's reply", Kind.RADIO, options=report.HO_REPLIES, key="reply"),
                              _date("reply_on", "Date the CSP received the reply", today,
                                    hint="A directed review's timescales run from this date."),
                              _note("note", "Notes", required=False)],
        "start_drafting": [tree.Paragraph("Every evidence request must be received or withdrawn first.")],
        "send_for_sign_off": [
            Field("Drafts ready", Kind.CHECKBOX, options=report.DRAFTS, key="drafted",
                  hint="All three are needed to send the report for sign-off."),
            _date("family_shared_on", "Date the draft was shared with the family", None, required=False,
                  hint="This date, or the reason below: one of the two is needed."),
            _note("family_not_shown_reason", "Or: why the family did not see the draft", required=False)],
        "panel_sign_off": [_date("signed_on", "Date the panel signed the report off", today)],
        "csp_sign_off": [_date("signed_on", "Date the CSP signed the report off", today,
                               hint="The CSP signs off after the panel.")],
        "submit": [_date("submitted_on", "Date sent to the Home Office QA panel", today),
                   _note("check_reason", "Reason to submit without a passing check", required=False,
                         hint="Only if the overview report or executive summary has not passed the bot's check: "
                              "send me each .docx first.")],
        "qa_outcome": [Field("The QA panel's outcome", Kind.RADIO, options=report.QA_OUTCOMES, key="outcome"),
                       _date("letter_on", "Date of the QA panel's letter", today),
                       _note("feedback", "The QA panel's feedback", required=False,
                             hint="Required for \u201crevise and resubmit\u201d: the report goes back to drafting.")],
        "publish": [*_published("full", today), _family_not_told()],
        "publish_summary_only": [
            tree.Paragraph("Only the executive summary is published, as agreed with the Home Office."),
            *_agreement("Why only the executive summary"), *_published("summary_only", today), _family_not_told()],
        "withhold": [tree.Paragraph("The report is not published, as agreed with the Home Office. The action plan is "
                                    "monitored as for a published report."),
                     *_agreement("Why it is not published")],
        "defer_publication": [
            tree.Paragraph("Publication waits, for example until a trial or inquest ends. The action plan can be "
                           "monitored meanwhile; the review concludes once the publication is recorded."),
            _note("reason", "Why publication is deferred"),
            Field("Date to revisit the publication", Kind.DATE, key="revisit_on",
                  hint="The coordinator and chair are reminded on this date.")],
        "dac_copy": [_date("sent_on", "Date the copy went to the Domestic Abuse Commissioner", today,
                           hint="Due as soon as reasonably practicable after the CSP signs the report off.")],
        "copy_sent": [Field("Copy or notice", Kind.SELECT, key="recipient",
                            options=choices.get("recipient") or {"none": "Nothing left to record"},
                            hint="The Domestic Abuse Commissioner's copy has its own step; the family's publication "
                                 f"date is recorded with {COMMAND} family."),
                      _date("sent_on", "Date it was sent", today)],
        "national_sent": [
            Field("National recommendation", Kind.SELECT, key="recommendation",
                  options=choices.get("recommendation") or {"none": "None to send"}),
            Field("Department it was sent to", max_length=200, key="body", required=False,
                  hint="If not named when it was drafted, e.g. the Department of Health and Social Care."),
            _date("sent_on", "Date it was sent", today)],
        "national_response": [
            Field("National recommendation", Kind.SELECT, key="recommendation",
                  options=choices.get("recommendation") or {"none": "None awaiting a response"}),
            _date("response_on", "Date of the response", today),
            _note("response", "The department's response")],
        "start_monitoring": [tree.Paragraph("The CSP monitors the action plan from publication, or meanwhile when "
                                            "publication is deferred.")],
        "plan_audit": [_date("audited_on", "Date of the audit", today),
                       _note("findings", "The audit's findings"),
                       Field("No actions", Kind.CHECKBOX, required=False, key="no_recommendations",
                             options={"no_recommendations": "The report made no recommendations"})],
    }[key]


def _published(route: str, today: str) -> list[Field]:
    items = {k: v for k, v in report.PUBLISHED_ITEMS.items() if route == "full" or k != "overview_report"}
    return [_date("published_on", "Publication date", today),
            Field("Where it was published", max_length=report.PLACE_MAX, key="published_where",
                  placeholder="e.g. the CSP's website"),
            Field("Published together", Kind.CHECKBOX, options=items, key="published",
                  hint="The Home Office's QA letter is published alongside the report.")]


def _agreement(reason_label: str) -> list[Field]:
    return [Field("Date the Home Office agreed", Kind.DATE, key="agreed_on"), _note("reason", reason_label)]


def _family_not_told() -> Field:
    return _note("family_not_told_reason", "Only if the family was not told the date beforehand: why",
                 required=False, hint="The family is told the date before publication: record that with "
                                      f"{COMMAND} family, Record a step.")


def step_form(review_id: int, reference: str, step: report.Step, today_iso: str,
              choices: dict[str, dict[str, str]] | None = None) -> tree.Form:
    """`choices`: options that depend on the review (report.step_choices), by field key."""
    moves = report.next_steps_text(step)
    lead = text(Bold(reference), f": {report.sentence_start(step.label)}.", f" {moves}" if moves else "")
    return tree.Form(PlanCallbackId.STAGE_STEP, step.title,
                     [tree.Paragraph(lead), *_step_fields(step.key, today_iso, choices or {})],
                     submit="Record", metadata={"review_id": review_id, "step": step.key})


# ---------------------------------------------------------------- recommendations and actions

def recommendation_form(data: PlanFormData) -> tree.Form:
    f = plan.RecommendationForm
    agency = [f.source_agency.but(options={str(i): n for i, n in data.agencies})] if data.agencies else []
    return tree.Form(PlanCallbackId.RECOMMEND, "Add recommendation", [
        tree.Paragraph(text(Bold(data.reference), ": add a recommendation to the action plan.")),
        f.text, f.scope, f.source, *agency, f.national_body,
        *([f.themes.but(options=dict(data.themes))] if data.themes else []),
    ], submit="Add", metadata={"review_id": data.review_id})


def action_form(data: PlanFormData) -> tree.Form:
    f = plan.ActionForm
    recs = {str(i): f"{n}. {words}"[:75] for i, n, words in data.recommendations[:100]}
    return tree.Form(PlanCallbackId.ACTION, "Add action", [
        tree.Paragraph(text(Bold(data.reference), ": add a SMART action to one of its recommendations "
                            "(specific, measurable, achievable, realistic, timed).")),
        f.recommendation.but(options=recs) if recs else
        tree.Context(text("No recommendations yet: add one first with ", Command("recommend"), ".")),
        f.action,
        f.lead_agency.but(options={str(i): n for i, n in data.agencies}) if data.agencies else
        tree.Context(text("No agencies are set up yet: a CSP admin adds them with ", Command("agencies"), ".")),
        f.owner, f.outcome_measure, f.target_on, f.milestones,
    ], submit="Add", metadata={"review_id": data.review_id})


def action_about(about: ActionDetails, limit: int = 600) -> Text:
    """The action, its recommendation and measurable outcome, as the owner reads them before acting."""
    return text(Bold(f"Action {about.ref}"), f": {_clip(about.action, limit)}\n",
                Bold(f"Recommendation {about.ref.split('.')[0]}"), f": {_clip(about.recommendation, limit)}\n",
                Bold("Measurable outcome"), f": {_clip(about.outcome, limit)}")


def progress_form(data: OwnerFormData) -> tree.Form:
    return tree.Form(PlanCallbackId.ACTION_PROGRESS, "Progress update", [
        tree.Paragraph(action_about(data.about)),
        tree.Paragraph(text(Bold(data.reference), f", action {data.about.ref}: what has been done since the last "
                                                  "update?")),
        plan.ProgressForm.update,
    ], submit="Add update", metadata={"action_id": data.action_id})


def complete_form(data: OwnerFormData, today_iso: str) -> tree.Form:
    f = plan.CompleteForm
    return tree.Form(PlanCallbackId.ACTION_COMPLETE, "Mark complete", [
        tree.Paragraph(action_about(data.about)),
        tree.Paragraph(text(Bold(data.reference), f", action {data.about.ref}: the coordinator or chair verifies it "
                                                  "from your evidence.")),
        f.completed_on.but(initial=today_iso), f.evidence,
    ], submit="Mark complete", metadata={"action_id": data.action_id})


def return_form(action_id: int, ref: str) -> tree.Form:
    return tree.Form(PlanCallbackId.ACTION_RETURN, "Send back", [
        tree.Paragraph(f"Action {ref}: the owner sees your reason and completes it again."),
        plan.ReturnForm.reason,
    ], submit="Send back", metadata={"action_id": action_id})


def action_buttons(action_id: int) -> tree.Actions:
    return tree.Actions([tree.Button("Add a progress update", PlanActionId.ACTION_PROGRESS, str(action_id)),
                         tree.Button("Mark complete", PlanActionId.ACTION_COMPLETE, str(action_id), style="primary")])


def plan_listing(listing: PlanListing) -> Text:
    """The plan as a member reads it (only to them): each recommendation, then its actions."""
    rows, reference = listing.rows, listing.reference
    if not rows:
        return text(Bold(reference), " has no recommendations yet. The coordinator or chair adds them with ",
                    Command("recommend"), ", then ", Command("action"), ".")
    lines, shown = [text(Bold(f"{reference} action plan"))], set()
    for r in rows[:60]:
        number = r.ref.split(".")[0]
        if number not in shown:
            shown.add(number)
            lines.append(text(Bold(f"{number}."), f" {_clip(r.recommendation, 200)} ",
                              Italic(f"({r.scope}{'' if r.action_id else '; no actions yet'})")))
            if r.national:      # a national recommendation's lifecycle: drafted, submitted, sent, answered
                lines.append(text("    ", Italic(r.national)))
        if r.action_id:
            lines.append(text("    ", Icon(RAG_ICON_NAMES[r.rag]), f" {r.ref} {_clip(r.action, 150)}: ",
                              Mention(PersonRef(r.owner)), f", target {r.target_on:%d %b %Y}, {r.status}"))
    if listing.exported_to:
        national = ", and its national recommendations as CSV and XLSX" if listing.national_exported else ""
        lines.append(text(Italic(text("The plan is exported to ", SpaceLink(listing.exported_to),
                                      f" as XLSX and DOCX{national}."))))
    return join("\n", lines)


# ---------------------------------------------------------------- notices

def action_assigned(n: ActionAssigned) -> tree.Message:
    where = [" in ", SpaceLink(SpaceRef(n.space_id))] if n.space_id else []
    said = text(Bold(n.reference), *where, f": {n.text} Target date: {n.target_on}.")
    about = [tree.Paragraph(action_about(n.details))] if n.details else []
    return tree.Message([tree.Paragraph(said), *about, action_buttons(n.action_id)], f"{n.reference}: {n.text}")


def action_to_verify(n: ActionToVerify) -> tree.Message:
    said = text(Mention(PersonRef(n.owner)), f" marked action {n.ref} complete. The coordinator or chair verifies it "
                                             "or sends it back.")
    return tree.Message([tree.Paragraph(said), tree.Actions([
        tree.Button("Verify", PlanActionId.ACTION_VERIFY, str(n.action_id), style="primary"),
        tree.Button("Send back", PlanActionId.ACTION_RETURN, str(n.action_id))])], said)
