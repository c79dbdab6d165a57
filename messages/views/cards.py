"""Messages posted to channels and DMs, rendered from workflow notices."""
from bot.workflow.core.notices import CoronerLiaison, DecisionRecorded, SetupFailed, SpaceReady, SummaryCard
from bot.workflow.report.report import steps_for
from messages.core.text import escape, render
from messages.evidence.evidence import card_section
from messages.intake import setup as setup_texts
from messages.slack import blocks as bk
from messages.slack import render as slack
from messages.slack.ids import ActionId, PlanActionId

UNDELIVERABLE_REASONS = {
    "user_disabled": "their Slack account is deactivated",
    "account_inactive": "their Slack account is deactivated",
    "user_not_found": "their Slack account no longer exists",
    "cannot_dm_bot": "it is a bot's account",
    "messages_tab_disabled": "direct messages to the bot are turned off",
    "is_archived": "the channel is archived",
    "channel_not_found": "the channel no longer exists or the bot was removed from it",
    "not_in_channel": "the bot is no longer in the channel",
    "redaction_blocked": "it contained a term on the review's redaction list",
    "ratelimited": "Slack kept asking the bot to slow down",
    "connection_failed": "Slack could not be reached",
}
STATUS_ICONS = {"due": ":calendar:", "overdue": ":red_circle:", "met": ":white_check_mark:",
                "met_late": ":large_orange_circle:", "not_applicable": ":white_circle:"}


def summary_card(card: SummaryCard) -> dict:
    facts = [("Stage", card.stage_label), ("Notified", card.notified_on),
             ("Victim (pseudonym)", escape(card.victim_pseudonym)),
             (f"{'Alleged perpetrator' if card.suspected_suicide else 'Perpetrator'} (pseudonym)",
              escape(card.perpetrator_pseudonym or "not yet agreed")),
             ("Timescales", card.preset_label)]
    blocks = [bk.header(f"{card.reference}: review summary"), bk.fields_section(facts)]
    if card.deadlines:
        blocks.append(bk.section(render("card_deadlines.md.j2", deadlines=card.deadlines, icons=STATUS_ICONS)))
    if card.decision_lines:
        blocks.append(bk.section("*Decision*\n" + "\n".join(f"• {escape(x)}" for x in card.decision_lines)))
    if card.suicide_lines:
        blocks.append(bk.section("\n".join(f":information_source: {escape(x)}" for x in card.suicide_lines)))
    blocks.append(bk.section(f"*What happens next*\n{slack.mrkdwn(card.next_step)}"
                             + (f"\n:hourglass: {slack.mrkdwn(card.awaiting)}" if card.awaiting else "")))
    if card.panel:
        blocks.append(bk.section(_panel_text(card.panel)))
    if card.unreachable:
        blocks.append(bk.section("\n".join(f":warning: Reminders could not reach <@{user}>: {unreachable_reason(code)}."
                                           for user, code in card.unreachable[:10])))
    if card.terms_line or card.evidence_lines or card.family_warning or card.family_steps or card.family_due:
        blocks.append(card_section(card))
    buttons = [bk.button("Manage panel", ActionId.OPEN_PANEL, str(card.review_id))]
    if card.stage == "notified":
        buttons.insert(0, bk.button("Record decision", ActionId.OPEN_DECIDE, str(card.review_id)))
    buttons[:0] = _stage_buttons(card)
    blocks.append(bk.actions(*buttons))
    blocks.append(bk.context("Pinned summary: the bot keeps it up to date. `/dhr status` shows it again."))
    return bk.message(blocks, f"{card.reference} summary: {card.stage_label}")


def unreachable_reason(code: str) -> str:
    if code.startswith("http_5") or code in ("internal_error", "fatal_error", "service_unavailable", "request_timeout"):
        return "Slack kept failing"
    return UNDELIVERABLE_REASONS.get(code, f"Slack refused it ({escape(code)})")


def _stage_buttons(card: SummaryCard) -> list:
    """The report's next step (drafting to monitoring), opened from the card."""
    steps = [s for s in steps_for(card.stage) if not s.also_at]   # a fact open over many stages isn't "next"
    label = steps[0].label if len(steps) == 1 else "Record the next step"
    return [bk.button(label, PlanActionId.OPEN_STAGE, str(card.review_id))] if steps else []


def _panel_text(panel) -> str:
    joined = [p for p in panel if not p.pending]
    pending = [p for p in panel if p.pending]
    lines = ["*Panel*"] + [f"• <@{p.user_id}>: {p.role_label}{f' ({escape(p.agency)})' if p.agency else ''}"
                           for p in joined[:40]]
    if pending:
        lines.append(":hourglass: Awaiting agreement to the confidentiality statement: "
                     + ", ".join(f"<@{p.user_id}>" for p in pending[:40]))
    return "\n".join(lines)


def channel_ready(notice: SpaceReady) -> dict:
    return {"text": render("channel_ready.md.j2", space_id=notice.space_id)}


def decision_recorded(notice: DecisionRecorded) -> dict:
    return {"text": render("decision_recorded.md.j2", actor=notice.actor, outcome_label=notice.outcome_label,
                           stage_label=notice.stage_label)}


def setup_failed(notice: SetupFailed) -> dict:
    text = render("setup_failed.md.j2", reason=setup_texts.failure_text(notice.kind, notice.code))
    return bk.message([bk.section(text), bk.actions(bk.button("Try again", ActionId.RETRY_SETUP,
                                                              str(notice.review_id), style="primary"))], text)


def coroner_liaison(notice: CoronerLiaison) -> dict:
    text = (f"*{escape(notice.reference)}*: decision recorded. Liaise with the coroner about the inquest and how "
            "it runs alongside the review (timing, disclosure). Details on the summary card in "
            f"<#{notice.space_id}>.")
    return {"text": text}
