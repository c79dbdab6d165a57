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
from bot.workflow.core.text import Text
from bot.workflow.report.action_plan_use_cases import PlanListing
from bot.workflow.report.retention import ContentDeleted
from bot.workflow.views.audit_use_cases import AuditListing
from bot.workflow.views.status_use_cases import MyReviews
from messages import tree
from messages.core import replies
from messages.evidence import evidence
from messages.panel import panel
from messages.reminders import reminders
from messages.report import plan
from messages.report import retention as retention_msgs
from messages.slack import render as slack
from messages.views import audit, cards

RENDERERS = {
    SummaryCard: cards.summary_card, ChannelReady: cards.channel_ready, DecisionRecorded: cards.decision_recorded,
    SetupFailed: cards.setup_failed, CoronerLiaison: cards.coroner_liaison,
    Invitation: panel.invitation, InvitationAnswered: panel.invitation_answered, PanelChanged: panel.panel_changed,
    TermsToConfirm: evidence.terms_to_confirm, TermsPosted: evidence.terms_posted,
    EvidenceRequest: evidence.evidence_request, EvidenceNote: evidence.evidence_note,
    SpaceClosing: plan.space_closing, ReportNotice: plan.report_notice, ClosingSummary: plan.closing_summary,
    ActionAssigned: lambda n: slack.message(plan.action_assigned(n)),
    ActionToVerify: lambda n: slack.message(plan.action_to_verify(n)),
    PlanListing: lambda n: slack.body(plan.plan_listing(n)),
    ReminderDigest: reminders.digest, WeeklyStatus: reminders.weekly_status, ClockChanged: reminders.clock_changed,
    MyReviews: lambda n: {"text": replies.reviews_text(n)}, ContentDeleted: retention_msgs.content_deleted,
    AuditListing: audit.audit_listing,
}


def render_notice(notice) -> dict:
    if isinstance(notice, (Text, tree.Message)):      # already neutral: rendered as it is
        return slack.body(notice)
    return RENDERERS[type(notice)](notice)
