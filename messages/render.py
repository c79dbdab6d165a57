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
from messages.core import replies
from messages.evidence import chronology as chronology_msgs
from messages.evidence import evidence, shared_files
from messages.evidence import imr as imr_msgs
from messages.panel import panel
from messages.reminders import reminders
from messages.report import closing, plan
from messages.report import retention as retention_msgs
from messages.slack import render as slack
from messages.views import audit, cards

RENDERERS = {
    SummaryCard: cards.summary_card, SpaceReady: cards.channel_ready, DecisionRecorded: cards.decision_recorded,
    SetupFailed: cards.setup_failed, CoronerLiaison: cards.coroner_liaison,
    Invitation: lambda n: slack.message(panel.invitation(n)),
    PanelChanged: lambda n: slack.body(panel.panel_changed(n)),
    InvitationAnswered: lambda n: {**slack.body(panel.invitation_answered(n)), "blocks": []},   # the buttons go
    AgenciesChanged: lambda n: slack.body(panel.agencies_saved(n)),
    TermsToConfirm: lambda n: slack.message(evidence.terms_to_confirm(n)),
    TermsPosted: lambda n: slack.message(evidence.terms_posted(n)),
    EvidenceRequest: lambda n: slack.message(evidence.evidence_request(n)),
    GridData: lambda n: slack.message(evidence.grid_message(n)),
    SpaceClosing: lambda n: slack.message(closing.space_closing(n)),
    ClosingSummary: lambda n: slack.message(closing.closing_summary(n)),
    ActionAssigned: lambda n: slack.message(plan.action_assigned(n)),
    ActionToVerify: lambda n: slack.message(plan.action_to_verify(n)),
    PlanListing: lambda n: slack.body(plan.plan_listing(n)),
    EntrySaved: lambda n: slack.message(chronology_msgs.entry_saved(n)),
    Imported: lambda n: slack.body(chronology_msgs.imported(n)),
    UploadChecked: lambda n: slack.message(chronology_msgs.upload_report(n)),
    TermInFile: lambda n: slack.message(shared_files.to_uploader(n)),
    TermInFileShared: lambda n: slack.message(shared_files.to_coordinator(n)),
    ImrReady: lambda n: slack.message(imr_msgs.imr_ready(n)),
    ImrSubmitted: lambda n: slack.message(imr_msgs.imr_submitted(n)),
    ImrReturned: lambda n: slack.message(imr_msgs.imr_returned(n)),
    ReminderDigest: reminders.digest, WeeklyStatus: reminders.weekly_status,
    ClockChanged: lambda n: slack.message(reminders.clock_changed(n)),
    MyReviews: lambda n: {"text": replies.reviews_text(n)}, ContentDeleted: retention_msgs.content_deleted,
    AuditListing: audit.audit_listing,
}


# Notices whose builders return the neutral tree or text: any platform renders these.
NEUTRAL = {
    PanelChanged: panel.panel_changed, InvitationAnswered: panel.invitation_answered,
    AgenciesChanged: panel.agencies_saved, TermsToConfirm: evidence.terms_to_confirm,
    TermsPosted: evidence.terms_posted, SpaceClosing: closing.space_closing, ClosingSummary: closing.closing_summary,
    ActionAssigned: plan.action_assigned, ActionToVerify: plan.action_to_verify, PlanListing: plan.plan_listing,
    EntrySaved: chronology_msgs.entry_saved, UploadChecked: chronology_msgs.upload_report,
    TermInFile: shared_files.to_uploader, TermInFileShared: shared_files.to_coordinator,
    ImrReady: imr_msgs.imr_ready, ImrSubmitted: imr_msgs.imr_submitted, ClockChanged: reminders.clock_changed,
}


def neutral(notice):
    """The notice as the neutral tree or text, for any platform's renderer."""
    if isinstance(notice, (Text, tree.Message, tree.HomeView)):
        return notice
    builder = NEUTRAL.get(type(notice))
    if builder is None:
        raise TypeError(f"{type(notice).__name__} has no platform-neutral form yet")
    return builder(notice)


def render_notice(notice) -> dict:
    if isinstance(notice, (Text, tree.Message)):      # already neutral: rendered as it is
        return slack.body(notice)
    return RENDERERS[type(notice)](notice)
