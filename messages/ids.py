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


# ---------------------------------------------------------------- issue 6: report stages, action plan, App Home

class PlanCallbackId(StrEnum):
    STAGE_CHOOSER = "dhr.stage"
    STAGE_STEP = "dhr.stage_step"
    RECOMMEND = "dhr.recommend"
    ACTION = "dhr.action"
    ACTION_PROGRESS = "dhr.action_progress"
    ACTION_COMPLETE = "dhr.action_complete"
    ACTION_RETURN = "dhr.action_return"
    HOME_AGREEMENT = "dhr.home_agreement"


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
