"""Every Slack callback_id and action_id the bot uses, named once."""
from enum import StrEnum


class CallbackId(StrEnum):
    NEW_REVIEW = "dhr.new_review"
    DECIDE = "dhr.decide"
    SETUP_STATUS = "dhr.setup_status"
    NOTICE = "dhr.notice"
    PANEL = "dhr.panel"
    ADMINS = "dhr.admins"
    AGENCIES = "dhr.agencies"
    REDACTION = "dhr.redaction"


class ActionId(StrEnum):
    RETRY_SETUP = "dhr.retry_setup"
    OPEN_DECIDE = "dhr.open_decide"
    OPEN_CHANNEL = "dhr.open_channel"
    OPEN_PANEL = "dhr.open_panel"
    AGREE = "dhr.agree"
    DECLINE = "dhr.decline"
    EXPORT_AUDIT = "dhr.export_audit"


COMMAND = "/dhr"


# ---------------------------------------------------------------- evidence: ToR, requests, scoping, family

class EvidenceCallbackId(StrEnum):
    TERMS = "dhr.tor"
    REQUEST = "dhr.request"
    SCOPING = "dhr.scoping"
    FAMILY = "dhr.family"                    # the summary view with its buttons
    FAMILY_CONTACT = "dhr.family.contact"
    FAMILY_INTERVIEW = "dhr.family.interview"
    FAMILY_STEP = "dhr.family.step"          # an involvement step: ToR input, pseudonym, told the date...
    RESULT = "dhr.evidence.result"           # a view that only says what happened
    MARK = "dhr.evidence.mark"               # the coordinator records an item received, accepted or withdrawn
    SCOPING_REVISE = "dhr.scoping.revise"    # a deliberate, audited correction of a recorded answer


class EvidenceActionId(StrEnum):
    CONFIRM_TERMS = "dhr.tor.confirm"
    OPEN_SCOPING = "dhr.evidence.open_scoping"
    REVISE_SCOPING = "dhr.evidence.revise_scoping"
    OPEN_CHRONOLOGY = "dhr.evidence.open_chronology"   # handled by the chronology module (5b)
    OPEN_IMR = "dhr.evidence.open_imr"                 # handled by the IMR module (5b)
    FAMILY_ADD = "dhr.family.add"
    FAMILY_EDIT = "dhr.family.edit"
    FAMILY_INTERVIEW = "dhr.family.open_interview"
    FAMILY_STEP = "dhr.family.open_step"
# ---------------------------------------------------------------- report stages, action plan, App Home

class PlanCallbackId(StrEnum):
    STAGE_CHOOSER = "dhr.stage"
    STAGE_STEP = "dhr.stage_step"
    RECOMMEND = "dhr.recommend"
    ACTION = "dhr.action"
    ACTION_PROGRESS = "dhr.action_progress"
    ACTION_COMPLETE = "dhr.action_complete"
    ACTION_RETURN = "dhr.action_return"
    HOME_AGREEMENT = "dhr.home_agreement"


class LearningCallbackId(StrEnum):
    """Lessons and theme tags (in a review), the strategic leads and the Strategic Action Plan."""

    LESSON = "dhr.lesson"
    TAGS = "dhr.themes_tag"
    LEADS = "dhr.leads"
    STRATEGIC = "dhr.strategic"
    STRATEGIC_PROGRESS = "dhr.strategic_progress"
    STRATEGIC_COMPLETE = "dhr.strategic_complete"
    STRATEGIC_RETURN = "dhr.strategic_return"
    STRATEGIC_EDIT = "dhr.strategic_edit"
    LINK = "dhr.action_link"


class LearningActionId(StrEnum):
    """Buttons of the Strategic Action Plan (value: the strategic action's id)."""

    STRATEGIC_PROGRESS = "dhr.strategic.open_progress"      # the owner's Home / "My work"


class PlanActionId(StrEnum):
    OPEN_STAGE = "dhr.open_stage"            # card button: the next step's form (value: review id)
    STAGE_STEP = "dhr.stage_step"            # in the stage modal: value "review_id:step"
    ACTION_PROGRESS = "dhr.action_progress"  # DM / Home buttons: value action id
    ACTION_COMPLETE = "dhr.action_complete"
    ACTION_VERIFY = "dhr.action_verify"      # channel buttons for the coordinator or chair
    ACTION_RETURN = "dhr.action_return"
    HOME_PAGE = "dhr.home_page"              # "show more": value "section:page"
    HOME_PAGE_BACK = "dhr.home_page_back"    # "previous": value "section:page"
    HOME_REQUEST = "dhr.home_request"        # value evidence item id
    HOME_AGREEMENT = "dhr.home_agreement"    # value agreement id
    HOME_REMIND_TERMS = "dhr.home_remind_terms"  # coordinator's Home: value terms confirmation id
    BOARD_REPORT = "dhr.board_report"            # CSP admin's or coordinator's Home: this quarter's board report
# ---- chronology and IMR ----
class EvidenceId(StrEnum):
    OPEN_CHRONOLOGY = "dhr.evidence.open_chronology"   # buttons in agency leads' request DMs (value: item id)
    OPEN_IMR = "dhr.evidence.open_imr"
    CHRONOLOGY_ENTRY = "dhr.chronology.entry"          # callback ids
    CHRONOLOGY_CORRECT = "dhr.chronology.correct"
    IMR_DECLARE = "dhr.imr.declare"
    IMR_RETURN = "dhr.imr.return"
    IMR_INFO = "dhr.imr.info"
    OPEN_CORRECT = "dhr.chronology.open_correct"       # action ids
    IMPORT_ROWS = "dhr.chronology.import"
    OPEN_DECLARE = "dhr.imr.open_declare"
    ACCEPT_IMR = "dhr.imr.accept"
    OPEN_RETURN = "dhr.imr.open_return"
    SEND_IMR_TEMPLATE = "dhr.imr.template"
    SEND_CHRONOLOGY_TEMPLATE = "dhr.chronology.template"


# ---- retention: deleting a concluded review's content once its period is over ----
class RetentionActionId(StrEnum):
    CONFIRM = "dhr.retention.confirm"        # in the coordinator's reminder DM (value: the reference)
