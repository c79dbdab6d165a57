"""Messages posted to review spaces and DMs about a review as a whole: the summary card, set-up
and decision notices. Neutral trees and text; messages/slack/render.py (or the Teams renderer) draws them."""
from bot.workflow.core.notices import (
    CoronerLiaison,
    DeadlineLine,
    DecisionRecorded,
    PanelEntry,
    SetupFailed,
    SpaceReady,
    SummaryCard,
)
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Italic, Mention, SpaceLink, SpaceWord, Text, join, text
from bot.workflow.report.report import steps_for
from messages import tree
from messages.clock.timeline import TimelineActionId
from messages.evidence import evidence as evidence_msgs
from messages.intake import setup as setup_texts
from messages.slack.ids import ActionId, PlanActionId

UNDELIVERABLE_REASONS = {
    "user_disabled": "their account is deactivated",
    "account_inactive": "their account is deactivated",
    "user_not_found": "their account no longer exists",
    "cannot_dm_bot": "it is a bot's account",
    "messages_tab_disabled": "direct messages to the bot are turned off",
    "is_archived": "the review's space is archived",
    "channel_not_found": "the review's space no longer exists or the bot was removed from it",
    "not_in_channel": "the bot is no longer in the review's space",
    "BotNotInConversationRoster": "the bot is no longer in that chat",
    "ConversationBlockedByUser": "they have blocked the bot",
    "ForbiddenOperationException": "the app is not installed for them",
    "app_not_installed_for_user": "the app is not installed for them",
    "redaction_blocked": "it contained a term on the review's redaction list",
    "ratelimited": "the platform kept asking the bot to slow down",
    "Throttled": "the platform kept asking the bot to slow down",
    "connection_failed": "the platform could not be reached",
}
STATUS_ICONS = {"due": "calendar", "overdue": "red_circle", "met": "white_check_mark",
                "met_late": "large_orange_circle", "not_applicable": "white_circle"}
STATUS_WORDS = {"overdue": Bold("(overdue)"), "met": "(met)", "met_late": "(met late)"}
MAX_UNREACHABLE, MAX_PANEL = 10, 40


def summary_card(card: SummaryCard) -> tree.Message:
    perpetrator = f"{'Alleged perpetrator' if card.suspected_suicide else 'Perpetrator'} (pseudonym)"
    blocks: list[tree.Block] = [
        tree.Header(f"{card.reference}: review summary"),
        tree.Facts((("Stage", card.stage_label), ("Notified", card.notified_on),
                    ("Victim (pseudonym)", card.victim_pseudonym),
                    (perpetrator, card.perpetrator_pseudonym or "not yet agreed"), ("Timescales", card.preset_label)))]
    if card.deadlines:
        blocks.append(tree.Paragraph(_titled("Deadlines", [deadline_line(d, status_words=True)
                                                           for d in card.deadlines])))
    if card.decision_lines:
        blocks.append(tree.Paragraph(_titled("Decision", [text("• ", x) for x in card.decision_lines])))
    if card.suicide_lines:
        blocks.append(tree.Paragraph(join("\n", [text(Icon("information_source"), f" {x}")
                                                 for x in card.suicide_lines])))
    awaiting = [text(Icon("hourglass"), " ", card.awaiting)] if card.awaiting else []
    blocks.append(tree.Paragraph(_titled("What happens next", [card.next_step, *awaiting])))
    if card.holds:
        blocks.append(tree.Paragraph(_titled("On hold (the rest of the review goes on)", [
            *(text(Icon("double_vertical_bar"), f" {h}") for h in card.holds),
            text("Only these activities wait; ", Command("lift"), " records that a hold is over.")])))
    if card.panel:
        blocks.append(tree.Paragraph(_panel(card.panel)))
    if card.unreachable:
        blocks.append(tree.Paragraph(join("\n", [
            text(Icon("warning"), " Reminders could not reach ", Mention(PersonRef(user)),
                 f": {unreachable_reason(code)}.") for user, code in card.unreachable[:MAX_UNREACHABLE]])))
    if card.terms_line or card.evidence_lines or card.family_warning or card.family_steps or card.family_due:
        blocks.append(evidence_msgs.card_evidence(card))
    if card.report_check_line or card.submitted_anyway or card.guide_line:
        blocks.append(tree.Paragraph(_report_check(card)))
    if card.publication_line or card.copies:
        blocks.append(tree.Paragraph(_after_sign_off(card)))
    blocks.append(tree.Actions(_buttons(card)))
    blocks.append(tree.Context(text("The bot keeps this summary up to date. ", Command("status"),
                                    " shows it again.")))
    return tree.Message(blocks, f"{card.reference} summary: {card.stage_label}")


def deadline_line(d: DeadlineLine, *, status_words: bool = False) -> Text:
    """"📅 Decision: Tue 1 Dec 2026", with whether it was met (on the card) and why it moved."""
    said = STATUS_WORDS.get(d.status) if status_words else None
    return text(Icon(STATUS_ICONS[d.status]) if d.status in STATUS_ICONS else "", f" {d.label}: {d.due}",
                text(" ", said) if said else "", text(" ", Italic(f"({d.note})")) if d.note else "")


def unreachable_reason(code: str) -> str:
    if code.startswith("http_5") or code in ("internal_error", "fatal_error", "service_unavailable", "request_timeout"):
        return "the platform kept failing"
    return UNDELIVERABLE_REASONS.get(code, f"the platform refused it ({code})")


def _titled(title: str, lines: list) -> Text:
    return text(Bold(title), "\n", join("\n", lines))


def _buttons(card: SummaryCard) -> list[tree.Button]:
    review = str(card.review_id)
    decide = [tree.Button("Record decision", ActionId.OPEN_DECIDE, review)] if card.stage == "notified" else []
    lift = [tree.Button("Lift a hold", TimelineActionId.OPEN_LIFT, review)] if card.holds else []
    return [*_stage_buttons(card), *decide, tree.Button("Manage panel", ActionId.OPEN_PANEL, review), *lift]


def _stage_buttons(card: SummaryCard) -> list[tree.Button]:
    """The report's next step (drafting to monitoring), opened from the card."""
    # a fact open over many stages (a copy, a deferral, a national recommendation) isn't "next"
    steps = [s for s in steps_for(card.stage) if s.stage == card.stage and (s.transition or not s.also_at)]
    label = steps[0].label if len(steps) == 1 else "Record the next step"
    return [tree.Button(label, PlanActionId.OPEN_STAGE, str(card.review_id))] if steps else []


def _report_check(card: SummaryCard) -> Text:
    lines: list = [text(Icon("memo"), f" {card.report_check_line}")] if card.report_check_line else []
    if card.submitted_anyway:
        lines.append(text(Icon("warning"), " Submitted to the Home Office without a passing check: ",
                          card.submitted_anyway))
    if card.guide_line:
        lines.append(text(Icon("page_facing_up"), f" {card.guide_line}"))
    return join("\n", lines)


def _after_sign_off(card: SummaryCard) -> Text:
    """How the report is published, then each copy and notice: dated, with who recorded it, or still due."""
    lines: list = [text(Icon("page_facing_up"), f" {card.publication_line}")] if card.publication_line else []
    for line in card.copies:
        if line.done_on:
            on = f"{line.done_on:%a} {line.done_on.day} {line.done_on:%b %Y}"
            lines.append(text(Icon("white_check_mark"), f" {line.label}: {on}, recorded by ",
                              Mention(PersonRef(line.by))))
        else:
            how = "" if line.recorded_here else (" (its own step)" if line.key == "commissioner" else
                                                 text(" (", Command("family"), ")"))
            lines.append(text(Icon("hourglass" if line.reminded else "white_circle"), f" {line.label}: ",
                              "not recorded yet" if line.reminded else "only if asked", how))
    return _titled("Publication, copies and notices", lines)


def _panel(panel: list[PanelEntry]) -> Text:
    joined = [p for p in panel if not p.pending]
    pending = [p for p in panel if p.pending]
    lines = [text("• ", Mention(PersonRef(p.user_id)), f": {p.role_label}", f" ({p.agency})" if p.agency else "")
             for p in joined[:MAX_PANEL]]
    if pending:
        lines.append(text(Icon("hourglass"), " Awaiting agreement to the confidentiality statement: ",
                          join(", ", [Mention(PersonRef(p.user_id)) for p in pending[:MAX_PANEL]])))
    return _titled("Panel", lines)


def channel_ready(notice: SpaceReady) -> Text:
    return text("Your new review ", SpaceWord(), " is ready: ", SpaceLink(SpaceRef(notice.space_id)),
                ". The summary card with the next steps is there.")


def decision_recorded(notice: DecisionRecorded) -> Text:
    return text(Mention(PersonRef(notice.actor)), " recorded the decision: ", Bold(notice.outcome_label),
                ". The review is now at ", Bold(notice.stage_label), "; the summary card is up to date.")


def setup_failed(notice: SetupFailed) -> tree.Message:
    reason = setup_texts.failure_text(notice.kind, notice.code)
    said = text("The review ", SpaceWord(), " could not be set up. ", reason)
    return tree.Message([tree.Paragraph(said), tree.Actions([
        tree.Button("Try again", ActionId.RETRY_SETUP, str(notice.review_id), style="primary")])], said)


def coroner_liaison(notice: CoronerLiaison) -> Text:
    return text(Bold(notice.reference), ": decision recorded. Liaise with the coroner about the inquest and how it "
                "runs alongside the review (timing, disclosure). Details on the summary card in ",
                SpaceLink(SpaceRef(notice.space_id)), ".")
