"""Lessons and theme tags, the CSP view of themes, the strategic leads and the Strategic Action Plan:
forms and what each person is shown (only to them)."""
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Command, Icon, Italic, Mention, Text, join, text
from bot.workflow.report import learning, strategic
from bot.workflow.report import themes as learned
from bot.workflow.report.action_plan import RAG_LABELS, LinkForm
from bot.workflow.report.action_plan_use_cases import PlanFormData
from bot.workflow.report.learning_use_cases import (
    StrategicEditData,
    StrategicFormData,
    StrategicListing,
    StrategicOwnerData,
)
from messages import tree
from messages.core import exports
from messages.core.exports import safe_cell
from messages.report.plan import RAG_ICON_NAMES, _clip
from messages.slack.ids import LearningCallbackId

SHOWN_PER_THEME = 8      # texts under each theme in the message; the counts say how many there are
MAX_BLOCKS = 50          # in one message (Slack's limit)
OPTION_MAX = 75          # a choice's text (Slack's limit)


def theme_field(field, themes: dict[str, str], chosen: list[str] | None = None):
    """The themes multi-select, with the configured themes as options (none configured: not shown)."""
    return [field.but(options=themes, initial=chosen or None)] if themes else []


# ---------------------------------------------------------------- a review's lessons and tags

def lesson_form(data: PlanFormData) -> tree.Form:
    f = learned.LessonForm
    return tree.Form(LearningCallbackId.LESSON, "Add key lesson", [
        tree.Paragraph(text(Bold(data.reference), ": a key lesson of the review, anonymised. Its themes are read "
                            "across reviews by the CSP.")),
        f.text, *theme_field(f.themes, dict(data.themes)),
    ], submit="Add", metadata={"review_id": data.review_id})


def _option(label: str) -> str:
    """A choice within Slack's 75 characters, cut with an ellipsis so it reads as cut, not as the whole text."""
    return label if len(label) <= OPTION_MAX else label[:OPTION_MAX - 1] + "\u2026"


def tags_form(data: PlanFormData) -> tree.Form:
    f = learned.TagsForm
    items = {f"r{i}": _option(f"Recommendation {n}: {words}") for i, n, words in data.recommendations}
    items |= {f"l{i}": _option(f"Lesson {n}: {words}") for i, n, words in data.lessons}
    if not items:
        body: list = [tree.Context(text("Nothing to tag yet: add a recommendation with ", Command("recommend"),
                                        " or a lesson with ", Command("lesson"), "."))]
    else:
        body = [f.item.but(options=dict(list(items.items())[:100])), *theme_field(f.themes, dict(data.themes))]
    return tree.Form(LearningCallbackId.TAGS, "Themes", [
        tree.Paragraph(text(Bold(data.reference), ": choose a recommendation or lesson and its themes.")), *body,
    ], submit="Save" if items else None, metadata={"review_id": data.review_id})


def link_form(data: PlanFormData) -> tree.Form:
    f = LinkForm
    recs = {str(i): _option(f"{n}. {words}") for i, n, words in data.recommendations[:100]}
    choices = {str(i): _option(label) for i, label in data.strategic}
    ready = bool(recs and choices)
    missing = [] if recs else [
        tree.Context(text("No recommendations yet: add one first with ", Command("recommend"), "."))]
    if not choices:
        missing.append(tree.Context(text("The CSP has no strategic action open: CSP admins and strategic leads "
                                         "add them with ", Command("strategic add"), ".")))
    # A form that can't be submitted asks for nothing: it says only what is missing.
    body = [f.recommendation.but(options=recs), f.strategic.but(options=choices)] if ready else missing
    return tree.Form(LearningCallbackId.LINK, "Link strategic action", [
        tree.Paragraph(text(Bold(data.reference), ": an action answered by one of the CSP's strategic actions, "
                            "instead of a duplicate. It takes that action's owner, outcome and target, and is "
                            "verified when the strategic action is.")), *body,
    ], submit="Link" if ready else None, metadata={"review_id": data.review_id})


# ---------------------------------------------------------------- the CSP view

def themes_view(view: learning.ThemesView) -> Text | tree.Message:
    """A block per theme (a message's text is cut at 3,000 characters; a block's is too, and a theme's
    eight texts fit), at most MAX_BLOCKS - 1 themes."""
    if not view.themes:
        return text("No recommendation or lesson has been tagged with a theme yet. The coordinator or chair tags "
                    "them with ", Command("recommend"), ", ", Command("lesson"), " and ", Command("themes tag"),
                    " in the review's space.")
    head = text(Bold("Themes across reviews"), f" ({view.reviews} review{'s' if view.reviews != 1 else ''} tagged; "
                "anonymised texts only)")
    blocks = [tree.Paragraph(head)] + [tree.Paragraph(_theme(t)) for t in view.themes[:MAX_BLOCKS - 1]]
    return tree.Message(blocks, text("Themes across reviews"))


def _theme(t: learning.ThemeSummary) -> Text:
    lines = [text(Bold(t.label), f": {len(t.reviews)} review{'s' if len(t.reviews) != 1 else ''}, "
                  f"{len(t.recommendations)} recommendation{'s' if len(t.recommendations) != 1 else ''}, "
                  f"{len(t.lessons)} lesson{'s' if len(t.lessons) != 1 else ''}")]
    lines += [_item(item) for item in (t.recommendations + t.lessons)[:SHOWN_PER_THEME]]
    hidden = len(t.recommendations) + len(t.lessons) - SHOWN_PER_THEME
    if hidden > 0:
        lines.append(text("    ", Italic(f"and {hidden} more")))
    return join("\n", lines)


def _item(item: learning.LearningItem) -> Text:
    label = f"{item.reference} {'rec' if item.kind == 'recommendation' else 'lesson'} {item.number}"
    agencies = f"Agencies: {', '.join(item.agencies)}. " if item.agencies else ""
    actions = f"Actions done: {item.done} of {item.total}." if item.kind == "recommendation" else ""
    extra = f"{agencies}{actions}".strip()
    return text("\u2022 ", Bold(label), f": {_clip(item.text, 180)}", *((" ", Italic(extra)) if extra else ()))


# ---------------------------------------------------------------- strategic leads

def leads_form(current: list[str]) -> tree.Form:
    return tree.Form(LearningCallbackId.LEADS, "Strategic leads", [
        tree.Paragraph("Strategic leads see the themes across reviews (anonymised) and run the CSP's Strategic "
                       "Action Plan, as CSP admins do."),
        learning.LeadsForm.leads.but(initial=current or None),
    ], submit="Save")


# ---------------------------------------------------------------- the Strategic Action Plan

def strategic_form(data: StrategicFormData) -> tree.Form:
    return tree.Form(LearningCallbackId.STRATEGIC, "Add strategic action", [
        tree.Paragraph("A SMART action of the CSP's Strategic Action Plan (specific, measurable, achievable, "
                       "realistic, timed), answering recommendations of one or more reviews."),
        *_strategic_fields(data, {}),
    ], submit="Add")


def _strategic_fields(data: StrategicFormData, now: dict) -> list:
    """The add form's fields; `now` (the action's values by field key) prefills them for the edit form."""
    f = strategic.StrategicForm
    recs = {str(c.recommendation_id): c.label for c in data.citable}

    def field(spec, **more):
        return spec.but(**more, **({"initial": now[spec.key]} if now.get(spec.key) else {}))
    return [
        field(f.recommendations, options=recs) if recs else tree.Context("No review has recommendations yet."),
        field(f.action),
        field(f.lead_agency, options=data.agencies) if data.agencies else
        tree.Context(text("No agencies are set up yet: a CSP admin adds them with ", Command("agencies"), ".")),
        field(f.owner), field(f.outcome_measure), field(f.target_on), field(f.milestones),
    ]


def strategic_edit_form(data: StrategicEditData) -> tree.Form:
    return tree.Form(LearningCallbackId.STRATEGIC_EDIT, "Edit strategic action", [
        tree.Paragraph(text(Bold(f"Strategic action {data.ref}"), ": change what it says; the same SMART checks "
                            "apply. Its owner is told if the owner or the target date changes, and the review "
                            "actions it answers follow.")),
        *_strategic_fields(data.form, data.current),
    ], submit="Save", metadata={"action_id": data.action_id})


def strategic_progress_form(data: StrategicOwnerData) -> tree.Form:
    return tree.Form(LearningCallbackId.STRATEGIC_PROGRESS, "Progress update", [
        tree.Paragraph(text(Bold(f"Strategic action {data.ref}"), f": {_clip(data.action, 600)}")),
        strategic.StrategicProgressForm.update,
    ], submit="Add update", metadata={"action_id": data.action_id})


def strategic_complete_form(data: StrategicOwnerData, today_iso: str) -> tree.Form:
    f = strategic.StrategicCompleteForm
    return tree.Form(LearningCallbackId.STRATEGIC_COMPLETE, "Mark complete", [
        tree.Paragraph(text(Bold(f"Strategic action {data.ref}"), f": {_clip(data.action, 600)}")),
        f.completed_on.but(initial=today_iso), f.evidence,
    ], submit="Mark complete", metadata={"action_id": data.action_id})


def strategic_return_form(data: StrategicOwnerData) -> tree.Form:
    return tree.Form(LearningCallbackId.STRATEGIC_RETURN, "Send back", [
        tree.Paragraph(text(Bold(f"Strategic action {data.ref}"), f": {_clip(data.action, 600)}")),
        tree.Paragraph("The owner sees your reason and completes it again."),
        strategic.StrategicReturnForm.reason,
    ], submit="Send back", metadata={"action_id": data.action_id})


def strategic_listing(listing: StrategicListing) -> Text | tree.Message:
    """A block per action (each under a block's 3,000 characters), the first MAX_BLOCKS - 2."""
    if not listing.rows:
        return text("The Strategic Action Plan has no actions yet: add one with ", Command("strategic add"), ".")
    shown = listing.rows[:MAX_BLOCKS - 2]
    more = f" ({len(listing.rows) - len(shown)} more in the export)" if len(listing.rows) > len(shown) else ""
    blocks = [tree.Paragraph(text(Bold("Strategic Action Plan"), more))]
    blocks += [tree.Paragraph(text(Icon(RAG_ICON_NAMES[r.rag]), " ", Bold(r.ref), f" {_clip(r.action, 300)}: ",
                                   Mention(PersonRef(r.owner)), f" ({r.owner_agency}), target {r.target_on:%d %b %Y}, "
                                   f"{r.status}. Answers {_clip(r.answers, 600) or 'no recommendation still held'}."))
               for r in shown]
    blocks.append(tree.Context(text("Change an open one with ", Command("strategic edit N"), "; export the plan for "
                                    "the board with ", Command("strategic export"), ".")))
    return tree.Message(blocks, text("Strategic Action Plan"))


COLUMNS = ["Ref", "Strategic action", "Answers (review recommendations)", "Owner agency", "Owner",
           "Outcome measure", "Key milestones", "Target date", "RAG status", "Status", "Latest progress",
           "Date of completion and evidence"]


def _cells(r: strategic.StrategicRow) -> list[str]:
    return [r.ref, r.action, r.answers, r.owner_agency, r.owner, r.outcome_measure, r.milestones,
            r.target_on.strftime("%d %b %Y"), RAG_LABELS.get(r.rag, ""), r.status, r.latest_update, r.completion]


def xlsx_bytes(rows: list[strategic.StrategicRow]) -> bytes:
    return exports.xlsx_bytes(COLUMNS, [_cells(r) for r in rows], "Strategic Action Plan")


def docx_bytes(rows: list[strategic.StrategicRow]) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading("Strategic Action Plan", level=1)
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS):
        cell.text = name
    for r in rows:
        for cell, value in zip(table.add_row().cells, _cells(r)):
            cell.text = safe_cell(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


EXPORTERS = {"xlsx": xlsx_bytes, "docx": docx_bytes}
