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
    SetupFailed,
    SpaceClosing,
    SummaryCard,
    TermsPosted,
    TermsToConfirm,
    WeeklyStatus,
)
from bot.workflow.core.text import Text
from bot.workflow.report.action_plan_use_cases import PlanListing
from messages import tree
from messages.evidence import evidence
from messages.panel import panel
from messages.reminders import reminders
from messages.report import closing, plan
from messages.slack import render as slack
from messages.views import cards

RENDERERS = {
    SummaryCard: cards.summary_card, ChannelReady: cards.channel_ready, DecisionRecorded: cards.decision_recorded,
    SetupFailed: cards.setup_failed, CoronerLiaison: cards.coroner_liaison,
    Invitation: panel.invitation, InvitationAnswered: panel.invitation_answered, PanelChanged: panel.panel_changed,
    TermsToConfirm: evidence.terms_to_confirm, TermsPosted: evidence.terms_posted,
    EvidenceRequest: evidence.evidence_request, EvidenceNote: evidence.evidence_note,
    SpaceClosing: lambda n: slack.message(closing.space_closing(n)),
    ClosingSummary: lambda n: slack.message(closing.closing_summary(n)),
    ActionAssigned: lambda n: slack.message(plan.action_assigned(n)),
    ActionToVerify: lambda n: slack.message(plan.action_to_verify(n)),
    PlanListing: lambda n: slack.body(plan.plan_listing(n)),
    ReminderDigest: reminders.digest, WeeklyStatus: reminders.weekly_status,
    ClockChanged: lambda n: slack.message(reminders.clock_changed(n)),
}


def render_notice(notice) -> dict:
    if isinstance(notice, (Text, tree.Message)):      # already neutral: rendered as it is
        return slack.body(notice)
    return RENDERERS[type(notice)](notice)
