"""Messages posted to channels and DMs, rendered from workflow notices."""
from bot.workflow.notices import ChannelReady, DecisionRecorded, SetupFailed, SummaryCard
from messages import blocks as bk
from messages.ids import ActionId
from messages.text import escape, render

STATUS_ICONS = {"due": ":calendar:", "overdue": ":red_circle:", "met": ":white_check_mark:",
                "met_late": ":large_orange_circle:", "not_applicable": ":white_circle:"}


def summary_card(card: SummaryCard) -> dict:
    facts = [("Stage", card.stage_label), ("Notified", card.notified_on),
             ("Victim (pseudonym)", escape(card.victim_pseudonym)),
             ("Perpetrator (pseudonym)", escape(card.perpetrator_pseudonym or "not yet agreed")),
             ("Timescales", card.preset_label)]
    blocks = [bk.header(f"{card.reference}: review summary"), bk.fields_section(facts)]
    if card.deadlines:
        blocks.append(bk.section(render("card_deadlines.md.j2", deadlines=card.deadlines, icons=STATUS_ICONS)))
    if card.decision_lines:
        blocks.append(bk.section("*Decision*\n" + "\n".join(f"• {escape(x)}" for x in card.decision_lines)))
    blocks.append(bk.section(f"*What happens next*\n{card.next_step}"
                             + (f"\n:hourglass: {card.awaiting}" if card.awaiting else "")))
    if card.stage == "notified":
        blocks.append(bk.actions(bk.button("Record decision", ActionId.OPEN_DECIDE, str(card.review_id))))
    blocks.append(bk.context("Pinned summary: the bot keeps it up to date. `/dhr status` shows it again."))
    return bk.message(blocks, f"{card.reference} summary: {card.stage_label}")


def channel_ready(notice: ChannelReady) -> dict:
    return {"text": render("channel_ready.md.j2", channel_id=notice.channel_id)}


def decision_recorded(notice: DecisionRecorded) -> dict:
    return {"text": render("decision_recorded.md.j2", actor=notice.actor, outcome_label=notice.outcome_label,
                           stage_label=notice.stage_label)}


def setup_failed(notice: SetupFailed) -> dict:
    text = render("setup_failed.md.j2", reason=notice.reason)
    return bk.message([bk.section(text), bk.actions(bk.button("Try again", ActionId.RETRY_SETUP,
                                                              str(notice.review_id), style="primary"))], text)


RENDERERS = {SummaryCard: summary_card, ChannelReady: channel_ready,
             DecisionRecorded: decision_recorded, SetupFailed: setup_failed}


def render_notice(notice) -> dict:
    return RENDERERS[type(notice)](notice)
