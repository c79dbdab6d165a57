"""The App Home view: "My work" for everyone, the portfolio and timeliness for coordinators.
Paged ("Show more"), so it stays inside the Home tab's 100 blocks whatever the numbers."""
import json

from slack_sdk.models.blocks import SectionBlock

from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Mention, SpaceLink, text
from bot.workflow.views.home import HomeData
from messages.core.text import escape
from messages.report.plan import RAG_ICONS, action_about
from messages.slack import blocks as bk
from messages.slack import render as slack_render
from messages.slack.ids import PlanActionId, PlanCallbackId

MAX_BLOCKS = 100


def _d(d) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}" if d else "no due date"


def _pager(section: str, page) -> list:
    buttons = []
    if page.page > 0:
        buttons.append(bk.button("Previous", PlanActionId.HOME_PAGE_BACK, f"{section}:{page.page - 1}"))
    if page.more:
        buttons.append(bk.button(f"Show more ({page.total - (page.page + 1) * page.size} more)",
                                 PlanActionId.HOME_PAGE, f"{section}:{page.page + 1}"))
    return [bk.actions(*buttons, block_id=f"pager_{section}")] if buttons else []


def _with_button(text: str, label: str, action_id: str, value: str):
    return SectionBlock(text=bk.md(text), accessory=bk.button(label, action_id, value))


def home_view(data: HomeData, reviews_text: str, help_line: str) -> dict:
    blocks = [bk.header("DHR Bot"), bk.section(reviews_text), bk.header("My work")]
    blocks.append(bk.section(f"*Evidence requests to your agency* ({data.requests.total})"
                             if data.requests.total else "*Evidence requests to your agency*: none open."))
    for r in data.requests.items:
        link = f" in <#{r.space_id}>" if r.space_id else ""
        state = ":red_circle: overdue, " if r.status == "overdue" else ("returned, " if r.status == "returned" else "")
        blocks.append(_with_button(f"*{escape(r.reference)}*{link}: {r.what}, {state}due {_d(r.due_on)}",
                                   "Open", PlanActionId.HOME_REQUEST, str(r.item_id)))
    blocks += _pager("requests", data.requests)
    blocks.append(bk.section(f"*Actions you own* ({data.actions.total})" if data.actions.total
                             else "*Actions you own*: none open."))
    for a in data.actions.items:
        state = "completed, awaiting verification" if a.status == "completed" else f"target {_d(a.target_on)}"
        link = f" in <#{a.space_id}>" if a.space_id else ""
        about = data.action_details.get(a.action_id)
        blocks.append(bk.section(f"{RAG_ICONS[a.rag]} *{escape(a.reference)}*{link}: action {a.ref}, {state}"
                                 + (f"\n{slack_render.mrkdwn(action_about(about, limit=300))}" if about else "")))
        if a.status == "open":
            blocks.append(bk.actions(
                bk.button("Add a progress update", PlanActionId.ACTION_PROGRESS, str(a.action_id)),
                bk.button("Mark complete", PlanActionId.ACTION_COMPLETE, str(a.action_id), style="primary"),
                block_id=f"action_{a.action_id}"))
    blocks += _pager("actions", data.actions)
    if data.agreements.total:
        blocks.append(bk.section(f"*Confidentiality agreements awaiting you* ({data.agreements.total})"))
        for g in data.agreements.items:
            blocks.append(_with_button(f"*{escape(g.reference)}*: invited as {g.role_label.lower()} on "
                                       f"{_d(g.asked_on)}", "Read and answer", PlanActionId.HOME_AGREEMENT,
                                       str(g.agreement_id)))
        blocks += _pager("agreements", data.agreements)
    if data.portfolio is not None:
        blocks += [bk.divider(), bk.header(f"Reviews you coordinate ({data.portfolio.total})")]
        for p in data.portfolio.items:
            link = f" <#{p.space_id}>" if p.space_id else ""
            paused = " :double_vertical_bar: paused" if p.paused else ""
            nxt = f"next: {escape(p.next_deadline)}" if p.next_deadline else "no open deadline"
            blocks.append(bk.section(f"{RAG_ICONS[p.rag]} *{escape(p.reference)}*{link}: {p.stage_label}{paused}\n"
                                     f"{nxt} · {p.days_since_notification} days since notification"))
            stages = " · ".join(f"{label} {days}d" for label, days in p.stage_days[-8:])
            blocks.append(bk.context(f"Days in each stage: {stages} | one-month decision met: {p.decision_met}"
                                     f" | overview report deadline met: {p.overview_met}"))
        blocks += _pager("portfolio", data.portfolio)
    blocks += _verifications(data.verifications) + _terms_waiting(data.terms_waiting)
    blocks.append(bk.context(help_line))
    assert len(blocks) <= MAX_BLOCKS, len(blocks)
    return {"type": "home", "blocks": [b.to_dict() for b in blocks]}


def _verifications(page) -> list:
    if page is None or not page.total:
        return []
    blocks = [bk.section(f"*Verifications due* ({page.total}): actions marked complete, for you or the chair "
                         "to verify from the evidence")]
    for v in page.items:
        link = f" in <#{v.space_id}>" if v.space_id else ""
        done = f" on {_d(v.completed_on)}" if v.completed_on else ""
        blocks.append(bk.section(f"*{escape(v.reference)}*{link}: action {v.ref}, marked complete by <@{v.owner}>"
                                 f"{done}"))
        blocks.append(bk.actions(
            bk.button("Verify", PlanActionId.ACTION_VERIFY, str(v.action_id), style="primary"),
            bk.button("Send back", PlanActionId.ACTION_RETURN, str(v.action_id)), block_id=f"verify_{v.action_id}"))
    return blocks + _pager("verify", page)


def _terms_waiting(page) -> list:
    if page is None or not page.total:
        return []
    blocks = [bk.section(f"*Terms of reference awaiting confirmation* ({page.total})")]
    for t in page.items:
        link = f" in <#{t.space_id}>" if t.space_id else ""
        blocks.append(SectionBlock(
            block_id=f"terms_{t.confirmation_id}",
            text=bk.md(f"*{escape(t.reference)}*{link}: <@{t.user}> has not yet confirmed reading version "
                       f"{t.version} (asked {_d(t.asked_on)})"),
            accessory=bk.button("Remind", PlanActionId.HOME_REMIND_TERMS, str(t.confirmation_id))))
    return blocks + _pager("terms", page)


def agreement_form(agreement_id: int, reference: str, statement: str) -> dict:
    return bk.modal("Confidentiality", [
        bk.section(f"You have been invited to review *{escape(reference)}*."), bk.section(statement),
        bk.radio_input("answer", "Your answer", {"agree": "I agree", "decline": "I can't take part"}),
    ], callback_id=PlanCallbackId.HOME_AGREEMENT, submit="Answer", close="Cancel",
        private_metadata=json.dumps({"agreement_id": agreement_id}))


def request_elsewhere(line) -> str:
    """A request whose form opens only in the review's space (or one no longer open)."""
    if line is None:
        return "That request is no longer open for you."
    return slack_render.mrkdwn(text(Bold(line.reference), f": {line.what} from your agency. Submit it in ",
                                    SpaceLink(SpaceRef(line.space_id)), ", where the request's form is."))


def terms_reminded(user: str, version: int, reference: str) -> str:
    return slack_render.mrkdwn(text(Mention(PersonRef(user)), " was asked again, by DM, to confirm reading version "
                                    f"{version} of the terms of reference of {reference}."))
