"""Which renderer turns each workflow notice into a Slack message: one table, built here from
explicit imports (no module fills it as a side effect of being imported)."""
from bot.workflow.core.notices import (
    ActionAssigned,
    ActionToVerify,
    ClockChanged,
    ClosingSummary,
    CoronerLiaison,
    DecisionRecorded,
    EvidenceRequest,
    Invitation,
    InvitationAnswered,
    PanelChanged,
    ReminderDigest,
    SetupFailed,
    SpaceClosing,
    SpaceReady,
    SummaryCard,
    TermsPosted,
    TermsToConfirm,
    WeeklyStatus,
)
from bot.workflow.core.text import Text
from bot.workflow.evidence.chronology import Imported
from bot.workflow.evidence.evidence_use_cases import GridData
from bot.workflow.evidence.file_notices import (
    EntrySaved,
    ImrReady,
    ImrReturned,
    ImrSubmitted,
    TermInFile,
    TermInFileShared,
    UploadChecked,
)
from bot.workflow.panel.panel import AgenciesChanged
from bot.workflow.report.action_plan_use_cases import PlanListing
from bot.workflow.report.retention import ContentDeleted
from bot.workflow.views.audit_use_cases import AuditListing
from bot.workflow.views.status_use_cases import MyReviews
from messages import tree
from messages.evidence import chronology as chronology_msgs
from messages.evidence import evidence, shared_files
from messages.evidence import imr as imr_msgs
from messages.panel import panel
from messages.reminders import reminders
from messages.report import closing, plan
from messages.report import retention as retention_msgs
from messages.slack import render as slack
from messages.views import audit, cards, reviews

RENDERERS = {
    SummaryCard: lambda n: slack.message(cards.summary_card(n)),
    SpaceReady: lambda n: slack.body(cards.channel_ready(n)),
    DecisionRecorded: lambda n: slack.body(cards.decision_recorded(n)),
    SetupFailed: lambda n: slack.message(cards.setup_failed(n)),
    CoronerLiaison: lambda n: slack.body(cards.coroner_liaison(n)),
    Invitation: panel.invitation, PanelChanged: lambda n: slack.body(panel.panel_changed(n)),
    InvitationAnswered: lambda n: {**slack.body(panel.invitation_answered(n)), "blocks": []},   # the buttons go
    AgenciesChanged: lambda n: slack.body(panel.agencies_saved(n)),
    TermsToConfirm: lambda n: slack.message(evidence.terms_to_confirm(n)),
    TermsPosted: lambda n: slack.message(evidence.terms_posted(n)),
    EvidenceRequest: evidence.evidence_request, GridData: evidence.grid_message,
    SpaceClosing: lambda n: slack.message(closing.space_closing(n)),
    ClosingSummary: lambda n: slack.message(closing.closing_summary(n)),
    ActionAssigned: lambda n: slack.message(plan.action_assigned(n)),
    ActionToVerify: lambda n: slack.message(plan.action_to_verify(n)),
    PlanListing: lambda n: slack.body(plan.plan_listing(n)),
    EntrySaved: lambda n: slack.message(chronology_msgs.entry_saved(n)), Imported: chronology_msgs.imported,
    UploadChecked: lambda n: slack.message(chronology_msgs.upload_report(n)),
    TermInFile: lambda n: slack.message(shared_files.to_uploader(n)),
    TermInFileShared: lambda n: slack.message(shared_files.to_coordinator(n)),
    ImrReady: lambda n: slack.message(imr_msgs.imr_ready(n)),
    ImrSubmitted: lambda n: slack.message(imr_msgs.imr_submitted(n)), ImrReturned: imr_msgs.imr_returned,
    ReminderDigest: lambda n: slack.message(reminders.digest(n)),
    WeeklyStatus: lambda n: slack.message(reminders.weekly_status(n)),
    ClockChanged: lambda n: slack.message(reminders.clock_changed(n)),
    MyReviews: lambda n: slack.body(reviews.my_reviews(n)),
    ContentDeleted: lambda n: slack.message(retention_msgs.content_deleted(n)),
    AuditListing: lambda n: slack.message(audit.audit_listing(n)),
}


def render_notice(notice) -> dict:
    if isinstance(notice, (Text, tree.Message)):      # already neutral: rendered as it is
        return slack.body(notice)
    return RENDERERS[type(notice)](notice)
