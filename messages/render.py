"""Which builder turns each workflow notice into the neutral tree, and the notice as Slack shows it:
one table, built here from explicit imports (no module fills it as a side effect of being imported).
Teams renders the same neutral value (messages/teams)."""
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
from bot.workflow.report.learning import ThemesView
from bot.workflow.report.learning_use_cases import StrategicListing
from bot.workflow.report.retention import ContentDeleted
from bot.workflow.views.audit_use_cases import AuditListing
from bot.workflow.views.status_use_cases import MyReviews
from messages import tree
from messages.evidence import chronology as chronology_msgs
from messages.evidence import evidence, shared_files
from messages.evidence import imr as imr_msgs
from messages.panel import panel
from messages.reminders import reminders
from messages.report import closing, learning, plan
from messages.report import retention as retention_msgs
from messages.slack import render as slack
from messages.views import audit, cards, reviews

# Every workflow notice -> its builder of the neutral tree or text (messages/tree.py, core/text.py).
NEUTRAL = {
    SummaryCard: cards.summary_card, SpaceReady: cards.channel_ready, DecisionRecorded: cards.decision_recorded,
    SetupFailed: cards.setup_failed, CoronerLiaison: cards.coroner_liaison,
    Invitation: panel.invitation, PanelChanged: panel.panel_changed, InvitationAnswered: panel.invitation_answered,
    AgenciesChanged: panel.agencies_saved,
    TermsToConfirm: evidence.terms_to_confirm, TermsPosted: evidence.terms_posted,
    EvidenceRequest: evidence.evidence_request, GridData: evidence.grid_message,
    SpaceClosing: closing.space_closing, ClosingSummary: closing.closing_summary,
    ActionAssigned: plan.action_assigned, ActionToVerify: plan.action_to_verify, PlanListing: plan.plan_listing,
    EntrySaved: chronology_msgs.entry_saved, Imported: chronology_msgs.imported,
    UploadChecked: chronology_msgs.upload_report,
    TermInFile: shared_files.to_uploader, TermInFileShared: shared_files.to_coordinator,
    ImrReady: imr_msgs.imr_ready, ImrSubmitted: imr_msgs.imr_submitted, ImrReturned: imr_msgs.imr_returned,
    ReminderDigest: reminders.digest, WeeklyStatus: reminders.weekly_status, ClockChanged: reminders.clock_changed,
    ThemesView: learning.themes_view, StrategicListing: learning.strategic_listing,
    MyReviews: reviews.my_reviews, ContentDeleted: retention_msgs.content_deleted, AuditListing: audit.audit_listing,
}
# Where Slack needs more than the rendered notice: an answered invitation's buttons are taken off the
# message it replaces (chat.update keeps a message's blocks unless told otherwise).
SLACK_EXTRA = {InvitationAnswered: {"blocks": []}}


def neutral(notice):
    """The notice as the neutral tree or text, for any platform's renderer."""
    if isinstance(notice, (Text, tree.Message, tree.HomeView)):
        return notice
    return NEUTRAL[type(notice)](notice)


def render_notice(notice) -> dict:
    """A notice as chat.postMessage / chat.update / respond() arguments."""
    return {**slack.body(neutral(notice)), **SLACK_EXTRA.get(type(notice), {})}
