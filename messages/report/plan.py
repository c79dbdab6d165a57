"""Report stage forms, and the action plan's forms and messages."""
import json

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
from messages.core.text import escape
from messages.slack import blocks as bk
from messages.slack.ids import PlanActionId, PlanCallbackId

RAG_ICON_NAMES = {"red": "red_circle", "amber": "large_orange_circle", "green": "large_green_circle",
                  "complete": "white_check_mark"}
RAG_ICONS = {rag: f":{name}:" for rag, name in RAG_ICON_NAMES.items()}    # Home (not yet a neutral tree)


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

def recommendation_form(data: PlanFormData) -> tree.Form:
    f = plan.RecommendationForm
    agency = [f.source_agency.but(options={str(i): n for i, n in data.agencies})] if data.agencies else []
    return tree.Form(PlanCallbackId.RECOMMEND, "Add recommendation", [
        tree.Paragraph(text(Bold(data.reference), ": add a recommendation to the action plan.")),
        f.text, f.scope, f.source, *agency, f.national_body, f.national_sent_on,
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
    return text(Bold(f"Action {about.ref}"), f": {bk.clip(about.action, limit)}\n",
                Bold(f"Recommendation {about.ref.split('.')[0]}"), f": {bk.clip(about.recommendation, limit)}\n",
                Bold("Measurable outcome"), f": {bk.clip(about.outcome, limit)}")


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
            lines.append(text(Bold(f"{number}."), f" {bk.clip(r.recommendation, 200)} ",
                              Italic(f"({r.scope}{'' if r.action_id else '; no actions yet'})")))
        if r.action_id:
            lines.append(text("    ", Icon(RAG_ICON_NAMES[r.rag]), f" {r.ref} {bk.clip(r.action, 150)}: ",
                              Mention(PersonRef(r.owner)), f", target {r.target_on:%d %b %Y}, {r.status}"))
    if listing.exported_to:
        lines.append(text(Italic(text("The plan is exported to ", SpaceLink(listing.exported_to),
                                      " as XLSX and DOCX."))))
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
