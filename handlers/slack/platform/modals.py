"""Opening modals: a Loading view at once (the trigger id lives 3 s), then the real form."""
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage
from bot.workflow.intake import opening, suicide
from bot.workflow.panel import panel
from handlers.slack.platform.context import Services
from handlers.slack.platform.errors import said
from messages.intake import forms
from messages.panel import panel as panel_msgs
from messages.slack import render
from messages.slack import views as slack_views


def open_loading(client, trigger_id: str, title: str, callback_id: str) -> dict:
    return client.views_open(trigger_id=trigger_id, view=slack_views.loading(title, callback_id))["view"]


def replace(client, view: dict, new_view: dict) -> None:
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=new_view)


def open_built(svc: Services, client, trigger_id: str, title: str, build, notice=slack_views.notice) -> None:
    """Loading view at once, then build(session) -> view, or a notice saying why it can't open."""
    view = open_loading(client, trigger_id, title, "dhr.loading")
    try:
        with svc.db.session() as s:
            form = build(s)
    except WorkflowError as err:
        form = notice(title, said(err))
    replace(client, view, form)


def open_new_review(svc: Services, client, trigger_id: str, actor) -> None:
    view = open_loading(client, trigger_id, "New review", "dhr.loading")
    today = svc.clock.today()
    try:
        with svc.db.session() as s:
            panel.require_admin(s, actor, svc.settings.admins, "open a new review")
            form = render.modal(forms.new_review_form(opening.next_reference(s, today), today.isoformat(),
                                                      panel_msgs.statement()))
    except WorkflowError as err:
        form = slack_views.notice("New review", said(err))
    replace(client, view, form)


def open_decide(svc: Services, client, trigger_id: str, actor, find_review) -> None:
    """find_review(session) -> Review: by channel for the command, by button value for the card."""
    view = open_loading(client, trigger_id, "Record decision", "dhr.loading")
    today = svc.clock.today()
    try:
        with svc.db.session() as s:
            review = find_review(s)
            kernel.authorize(s, review, actor, Operation.RECORD_DECISION)
            if review.stage != Stage.NOTIFIED.value:
                raise WorkflowError(f"The decision on {review.reference} is already recorded.")
            due = kernel.show_date(opening.decision_due(review, today))
            agencies = [(a.id, a.name) for a in panel.active_agencies(s, review.tenant_id)]
            form = render.modal(forms.decide_form(review.id, review.reference, due, today.isoformat(),
                                                  review.victim_age, agencies,
                                                  suicide.GUIDANCE_TEST if review.suspected_suicide else None))
    except WorkflowError as err:
        form = slack_views.notice("Record decision", said(err))
    replace(client, view, form)
