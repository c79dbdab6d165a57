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


# ---------------------------------------------------------------- evidence: ToR, requests, scoping, family (issue 5a)

class EvidenceCallbackId(StrEnum):
    TERMS = "dhr.tor"
    REQUEST = "dhr.request"
    SCOPING = "dhr.scoping"
    FAMILY = "dhr.family"                    # the summary view with its buttons
    FAMILY_CONTACT = "dhr.family.contact"
    FAMILY_INTERVIEW = "dhr.family.interview"
    RESULT = "dhr.evidence.result"           # a view that only says what happened


class EvidenceActionId(StrEnum):
    CONFIRM_TERMS = "dhr.tor.confirm"
    OPEN_SCOPING = "dhr.evidence.open_scoping"
    OPEN_CHRONOLOGY = "dhr.evidence.open_chronology"   # handled by the chronology module (5b)
    OPEN_IMR = "dhr.evidence.open_imr"                 # handled by the IMR module (5b)
    FAMILY_ADD = "dhr.family.add"
    FAMILY_EDIT = "dhr.family.edit"
    FAMILY_INTERVIEW = "dhr.family.open_interview"
