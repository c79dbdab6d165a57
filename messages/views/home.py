"""The Home view: "My work" for everyone, the portfolio and timeliness for coordinators. Paged ("Show
more"), so it stays inside the platforms' size limits whatever the numbers."""
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Mention, SpaceLink, Text, join, text
from bot.workflow.report.strategic_home import StrategicHome
from bot.workflow.views.board_figures import NATIONAL_WITHIN_6, NATIONAL_WITHIN_12, YearLine
from bot.workflow.views.home import HomeData, Page
from messages import tree
from messages.report.plan import RAG_ICON_NAMES, _clip, action_about
from messages.slack.ids import LearningActionId, PlanActionId, PlanCallbackId

MAX_BLOCKS = 100


class AgreementForm(FormSpec):
    answer = Field("Your answer", Kind.RADIO, options={"agree": "I agree", "decline": "I can't take part"})


def _d(d) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}" if d else "no due date"


def _in(space_id: str | None, word: str = " in ") -> Text:
    return text(word, SpaceLink(SpaceRef(space_id))) if space_id else text()


def _heading(title: str, total: int, none: str | None = None) -> tree.Paragraph:
    """"Actions you own (3)", or what an empty list says."""
    return tree.Paragraph(text(Bold(title), f" ({total})" if total or none is None else f": {none}"))


def _pager(section: str, page: Page) -> list[tree.Block]:
    buttons = []
    if page.page > 0:
        buttons.append(tree.Button("Previous", PlanActionId.HOME_PAGE_BACK, f"{section}:{page.page - 1}"))
    if page.more:
        buttons.append(tree.Button(f"Show more ({page.total - (page.page + 1) * page.size} more)",
                                   PlanActionId.HOME_PAGE, f"{section}:{page.page + 1}"))
    return [tree.Actions(buttons, id=f"pager_{section}")] if buttons else []


def home_view(data: HomeData, reviews: Text, board: list[YearLine] | None = None) -> tree.HomeView:
    """`reviews`: the person's reviews (messages/views/reviews.py), at the top. `board`: for a CSP admin or
    coordinator, the CSP's timeliness of recent years (with the board report's button)."""
    blocks = [tree.Header("DHR Bot"), tree.Paragraph(reviews), tree.Header("My work"),
              *_requests(data.requests), *_actions(data), *_agreements(data.agreements), *_portfolio(data.portfolio),
              *_verifications(data.verifications), *_terms_waiting(data.terms_waiting), *_strategic(data.strategic),
              *_board(board),
              tree.Context(text(Bold("DHR Bot commands"), " (", Command("", quoted=False), ")"))]
    assert len(blocks) <= MAX_BLOCKS, len(blocks)
    return tree.HomeView(blocks)


def _requests(page: Page) -> list[tree.Block]:
    blocks: list[tree.Block] = [_heading("Evidence requests to your agency", page.total, "none open.")]
    for r in page.items:
        state = text(Icon("red_circle"), " overdue, ") if r.status == "overdue" else \
            text("returned, " if r.status == "returned" else "")
        blocks.append(tree.Paragraph(text(Bold(r.reference), _in(r.space_id), f": {r.what}, ", state,
                                          f"due {_d(r.due_on)}"),
                                     button=tree.Button("Open", PlanActionId.HOME_REQUEST, str(r.item_id))))
    return blocks + _pager("requests", page)


def _actions(data: HomeData) -> list[tree.Block]:
    blocks: list[tree.Block] = [_heading("Actions you own", data.actions.total, "none open.")]
    for a in data.actions.items:
        state = "completed, awaiting verification" if a.status == "completed" else f"target {_d(a.target_on)}"
        about = data.action_details.get(a.action_id)
        blocks.append(tree.Paragraph(text(Icon(RAG_ICON_NAMES[a.rag]), " ", Bold(a.reference), _in(a.space_id),
                                          f": action {a.ref}, {state}",
                                          text("\n", action_about(about, limit=300)) if about else "")))
        if a.status == "open":
            blocks.append(tree.Actions([
                tree.Button("Add a progress update", PlanActionId.ACTION_PROGRESS, str(a.action_id)),
                tree.Button("Mark complete", PlanActionId.ACTION_COMPLETE, str(a.action_id), style="primary")],
                id=f"action_{a.action_id}"))
    return blocks + _pager("actions", data.actions)


def _agreements(page: Page) -> list[tree.Block]:
    if not page.total:
        return []
    blocks: list[tree.Block] = [_heading("Confidentiality agreements awaiting you", page.total)]
    for g in page.items:
        blocks.append(tree.Paragraph(text(Bold(g.reference), f": invited as {g.role_label.lower()} on "
                                                             f"{_d(g.asked_on)}"),
                                     button=tree.Button("Read and answer", PlanActionId.HOME_AGREEMENT,
                                                        str(g.agreement_id))))
    return blocks + _pager("agreements", page)


def _portfolio(page: Page | None) -> list[tree.Block]:
    if page is None:
        return []
    blocks: list[tree.Block] = [tree.Divider(), tree.Header(f"Reviews you coordinate ({page.total})")]
    for p in page.items:
        held = text(" ", Icon("double_vertical_bar"), " on hold: " + ", ".join(p.held)) \
            if p.held else ""
        nxt = f"next: {p.next_deadline}" if p.next_deadline else "no open deadline"
        blocks.append(tree.Paragraph(text(Icon(RAG_ICON_NAMES[p.rag]), " ", Bold(p.reference), _in(p.space_id, " "),
                                          f": {p.stage_label}", held,
                                          f"\n{nxt} · {p.days_since_notification} days since notification")))
        stages = " · ".join(f"{label} {days}d" for label, days in p.stage_days[-8:])
        blocks.append(tree.Context(f"Days in each stage: {stages} | one-month decision met: {p.decision_met}"
                                   f" | overview report deadline met: {p.overview_met}"))
    return blocks + _pager("portfolio", page)


def _verifications(page: Page | None) -> list[tree.Block]:
    if page is None or not page.total:
        return []
    blocks: list[tree.Block] = [tree.Paragraph(text(
        Bold("Verifications due"), f" ({page.total}): actions marked complete, for you or the chair to verify from "
                                   "the evidence"))]
    for v in page.items:
        done = f" on {_d(v.completed_on)}" if v.completed_on else ""
        blocks.append(tree.Paragraph(text(Bold(v.reference), _in(v.space_id), f": action {v.ref}, marked complete by ",
                                          Mention(PersonRef(v.owner)), done)))
        blocks.append(tree.Actions([
            tree.Button("Verify", PlanActionId.ACTION_VERIFY, str(v.action_id), style="primary"),
            tree.Button("Send back", PlanActionId.ACTION_RETURN, str(v.action_id))], id=f"verify_{v.action_id}"))
    return blocks + _pager("verify", page)


def _terms_waiting(page: Page | None) -> list[tree.Block]:
    if page is None or not page.total:
        return []
    blocks: list[tree.Block] = [_heading("Terms of reference awaiting confirmation", page.total)]
    for t in page.items:
        blocks.append(tree.Paragraph(
            text(Bold(t.reference), _in(t.space_id), ": ", Mention(PersonRef(t.user)),
                 f" has not yet confirmed reading version {t.version} (asked {_d(t.asked_on)})"),
            id=f"terms_{t.confirmation_id}",
            button=tree.Button("Remind", PlanActionId.HOME_REMIND_TERMS, str(t.confirmation_id))))
    return blocks + _pager("terms", page)


def _strategic(plan: StrategicHome | None) -> list[tree.Block]:
    """At most SHOWN + 5 blocks: the person's own strategic actions (withheld texts already replaced),
    and for a CSP admin or strategic lead the plan's counts."""
    if plan is None:
        return []
    blocks: list[tree.Block] = [tree.Divider(), tree.Header("Strategic Action Plan")]
    if plan.mine_total:
        blocks.append(_heading("Strategic actions you own", plan.mine_total))
    for m in plan.mine:
        state = "completed, awaiting verification" if m.status == "completed" else f"target {_d(m.target_on)}"
        button = tree.Button("Add a progress update", LearningActionId.STRATEGIC_PROGRESS, str(m.action_id)) \
            if m.status == "open" else None
        blocks.append(tree.Paragraph(text(Icon(RAG_ICON_NAMES[m.rag]), " ", Bold(m.ref), f": {_clip(m.text, 150)} ",
                                          f"({state})"), id=f"strategic_{m.action_id}", button=button))
    hidden = plan.mine_total - len(plan.mine)
    if hidden > 0:
        blocks.append(tree.Context(text(f"and {hidden} more: ", Command("strategic list")) if plan.lead else
                                   text(f"and {hidden} more, with later targets: record progress on any with ",
                                        Command("strategic update N"), ".")))
    if plan.lead:
        c = plan.rag_counts
        blocks.append(tree.Paragraph(text(
            Bold("The CSP's plan"), ": open actions ", Icon(RAG_ICON_NAMES["red"]), f" {c['red']} red, ",
            Icon(RAG_ICON_NAMES["amber"]), f" {c['amber']} amber, ", Icon(RAG_ICON_NAMES["green"]),
            f" {c['green']} green; {plan.awaiting} awaiting verification (", Command("strategic list"), ").")))
    return blocks


def _share(part: int, whole: int, share: int | None) -> str:
    return "none due yet" if share is None else f"{part} of {whole} ({share}%)"


def _board(years: list[YearLine] | None) -> list[tree.Block]:
    """Figures only (no heavy query: one per view); the charts come with the board report, as a file."""
    if years is None:
        return []
    lines = [text(Bold(str(y.year)), ": decided within a month ",
                  _share(y.decided_in_month, y.decision_due, y.decided_share),
                  " · submitted within six months ", _share(y.submitted_in_6, y.submission_due_6, y.within_6_share),
                  " · within twelve ", _share(y.submitted_in_12, y.submission_due_12, y.within_12_share))
             for y in years] or [text("No reviews notified yet.")]
    return [tree.Divider(), tree.Header("CSP timeliness"),
            tree.Paragraph(join("\n", lines), button=tree.Button("Board report", PlanActionId.BOARD_REPORT, "board")),
            tree.Context(f"Nationally {NATIONAL_WITHIN_6}% of reviews finished within six months and "
                         f"{NATIONAL_WITHIN_12}% within twelve (BBC analysis of 495 reviews, June 2025). Board report: "
                         "this quarter's charts and tables as a Word file, sent to you privately.")]


def agreement_form(agreement_id: int, reference: str, statement: Text | str) -> tree.Form:
    return tree.Form(PlanCallbackId.HOME_AGREEMENT, "Confidentiality", [
        tree.Paragraph(text("You have been invited to review ", Bold(reference), ".")), tree.Paragraph(statement),
        AgreementForm.answer,
    ], submit="Answer", metadata={"agreement_id": agreement_id})


def request_elsewhere(line) -> Text:
    """A request whose form opens only in the review's space (or one no longer open)."""
    if line is None:
        return text("That request is no longer open for you.")
    return text(Bold(line.reference), f": {line.what} from your agency. Submit it in ",
                SpaceLink(SpaceRef(line.space_id)), ", where the request's form is.")


def terms_reminded(user: str, version: int, reference: str) -> Text:
    return text(Mention(PersonRef(user)), " was asked again, by DM, to confirm reading version "
                f"{version} of the terms of reference of {reference}.")
