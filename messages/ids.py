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


# ---- chronology and IMR (issue 5b) ----
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
