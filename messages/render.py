"""Which renderer turns each workflow notice into a Slack message: one table, built here from
explicit imports (no module fills it as a side effect of being imported)."""
from bot.workflow.core.notices import (
    ActionAssigned,
    ActionToVerify,
    ChannelReady,
    ClockChanged,
    ClosingSummary,
    CoronerLiaison,
    DecisionRecorded,
    EvidenceNote,
    EvidenceRequest,
    Invitation,
    InvitationAnswered,
    PanelChanged,
    ReminderDigest,
    ReportNotice,
    SetupFailed,
    SpaceClosing,
    SummaryCard,
    TermsPosted,
    TermsToConfirm,
    WeeklyStatus,
)
from messages.evidence import evidence
from messages.panel import panel
from messages.reminders import reminders
from messages.report import plan
from messages.views import cards

RENDERERS = {
    SummaryCard: cards.summary_card, ChannelReady: cards.channel_ready, DecisionRecorded: cards.decision_recorded,
    SetupFailed: cards.setup_failed, CoronerLiaison: cards.coroner_liaison,
    Invitation: panel.invitation, InvitationAnswered: panel.invitation_answered, PanelChanged: panel.panel_changed,
    TermsToConfirm: evidence.terms_to_confirm, TermsPosted: evidence.terms_posted,
    EvidenceRequest: evidence.evidence_request, EvidenceNote: evidence.evidence_note,
    SpaceClosing: plan.space_closing, ReportNotice: plan.report_notice, ActionAssigned: plan.action_assigned,
    ActionToVerify: plan.action_to_verify, ClosingSummary: plan.closing_summary,
    ReminderDigest: reminders.digest, WeeklyStatus: reminders.weekly_status, ClockChanged: reminders.clock_changed,
}


def render_notice(notice) -> dict:
    return RENDERERS[type(notice)](notice)
