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
