"""/dhr recommend, /dhr action, /dhr actions; the owner's buttons (progress, complete) and the
coordinator's or chair's (verify, send back)."""
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import audit
from bot.workflow.core.notices import ActionToVerify, ReportNotice
from bot.workflow.core.permissions import Operation, may
from bot.workflow.panel.panel import active_agencies
from bot.workflow.report import action_plan as plan
from handlers.slack.platform import modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import int_value, metadata_id, state_values
from handlers.slack.views import home
from messages.report import plan as msgs
from messages.report import plan_export
from messages.slack.ids import PlanActionId, PlanCallbackId


def _plan_form(svc, command, build):
    def make(s):
        review = kernel.review_in_channel(s, command["channel_id"])
        kernel.authorize(s, review, actor_of(command), Operation.MANAGE_ACTION_PLAN)
        plan.check_plan_open(review)
        agencies = [(a.id, a.name) for a in active_agencies(s, review.tenant_id)]
        return build(s, review, agencies)
    return make


@subcommand("recommend")
def _recommend(svc, command, client, respond):
    modals.open_built(svc, client, command["trigger_id"], "Add recommendation", _plan_form(
        svc, command, lambda s, r, agencies: msgs.recommendation_form(r.id, r.reference, agencies)))


@subcommand("action")
def _action(svc, command, client, respond):
    modals.open_built(svc, client, command["trigger_id"], "Add action",
                      _plan_form(svc, command, lambda s, r, agencies: msgs.action_form(
        r.id, r.reference, [(x.id, x.number, x.text) for x in plan.recommendations(s, r.id)], agencies)))


@subcommand("actions")
def _actions(svc, command, client, respond):
    """Every member reads the plan; the coordinator and chair also get it exported to the channel."""
    actor, today = actor_of(command), svc.clock.today()
    with svc.db.session() as s:
        review = kernel.review_in_channel(s, command["channel_id"])
        roles = kernel.authorize(s, review, actor, Operation.VIEW_ACTION_PLAN)
        rows = plan.plan_rows(s, review, today, svc.calendar)
        reference, channel, files = review.reference, review.space_id, []
        if may(roles, Operation.MANAGE_ACTION_PLAN):
            files = [(plan.export_filename(review, today, "xlsx"), plan_export.xlsx_bytes(reference, rows)),
                     (plan.export_filename(review, today, "docx"), plan_export.docx_bytes(reference, rows))]
            audit(s, actor.user_id, "plan.exported", svc.clock.now(), review.id, rows=len(rows))
    chat = SlackChat(client)
    for name, content in files:
        chat.upload(channel, name, content, f"{reference} action plan")
    respond(response_type="ephemeral", text=msgs.plan_text(rows, reference, exported_to=channel if files else None))


def _submission(ack, title, run, view, keep_form=False):
    """Runs a form's workflow call; answers Slack with inline errors, or the form kept with the reason
    (given the submitted `view`), or a notice. The result if it went through."""
    try:
        return run()
    except WorkflowError as err:
        refuse_submission(ack, title, err, view, keep_form=keep_form)
    return None


def register(app, svc: Services) -> None:
    now, today = svc.clock.now, svc.clock.today

    @app.view(PlanCallbackId.RECOMMEND)
    @reporting
    def recommend_submitted(ack, body, view, client):
        actor = actor_of(body)

        def run():
            with svc.db.session() as s:
                review = kernel.get_review(s, metadata_id(view) or 0)
                rec = plan.add_recommendation(s, review, actor, state_values(view), now=now(), today=today())
                return review.space_id, f"<@{actor.user_id}> added recommendation {rec.number} " \
                                          f"({plan.SCOPES[rec.scope].lower()}) to the action plan."
        done = _submission(ack, "Add recommendation", run, view, keep_form=True)
        if done:
            ack()
            SlackChat(client).post(done[0], ReportNotice(done[1]))

    @app.view(PlanCallbackId.ACTION)
    @reporting
    def action_submitted(ack, body, view, client):
        actor = actor_of(body)

        def run():
            with svc.db.session() as s:
                review = kernel.get_review(s, metadata_id(view) or 0)
                row = plan.add_action(s, review, actor, state_values(view), now=now(), today=today())
                rec = s.get(plan.Recommendation, row.recommendation_id)
                ref = plan.action_ref(rec.number, row.number)
                return (review.space_id, row.owner_user, plan.assigned(s, row, review),
                        f"<@{actor.user_id}> added action {ref}, owned by <@{row.owner_user}>, target "
                        f"{kernel.show_date(row.target_on)}.")
        done = _submission(ack, "Add action", run, view, keep_form=True)
        if done:
            ack()
            chat = SlackChat(client)
            chat.post(done[0], ReportNotice(done[3]))
            chat.dm(done[1], done[2])

    def _owner_form(body, action, client, title, build):
        action_id, actor = int_value(action.get("value")) or 0, actor_of(body)

        def make(s):
            row, review = plan.load(s, action_id)
            plan.authorize_own(s, row, review, actor)
            plan.check_live(review)
            rec = s.get(plan.Recommendation, row.recommendation_id)
            plan.check_open(row, plan.action_ref(rec.number, row.number))
            return build(row, review, plan.details(s, [row.id])[row.id])
        modals.open_built(svc, client, body["trigger_id"], title, make)

    @app.action(PlanActionId.ACTION_PROGRESS)
    @reporting
    def open_progress(ack, body, action, client):
        ack()
        _owner_form(body, action, client, "Progress update",
                    lambda row, review, about: msgs.progress_form(row.id, review.reference, about))

    @app.action(PlanActionId.ACTION_COMPLETE)
    @reporting
    def open_complete(ack, body, action, client):
        ack()
        _owner_form(body, action, client, "Mark complete",
                    lambda row, review, about: msgs.complete_form(row.id, review.reference, about,
                                                                  today().isoformat()))

    @app.view(PlanCallbackId.ACTION_PROGRESS)
    @reporting
    def progress_submitted(ack, body, view, client):
        actor = actor_of(body)

        def run():
            with svc.db.session() as s:
                row = plan.progress(s, metadata_id(view, "action_id") or 0, actor, state_values(view),
                                    now=now(), today=today())
                return _channel_and_ref(s, row)
        done = _submission(ack, "Progress update", run, view)
        if done:
            ack()
            SlackChat(client).post(done[0], ReportNotice(f"<@{actor.user_id}> added a progress update to action "
                                                         f"{done[1]}."))

    @app.view(PlanCallbackId.ACTION_COMPLETE)
    @reporting
    def complete_submitted(ack, body, view, client):
        actor = actor_of(body)

        def run():
            with svc.db.session() as s:
                row = plan.complete(s, metadata_id(view, "action_id") or 0, actor, state_values(view),
                                    now=now(), today=today())
                return (*_channel_and_ref(s, row), row.id)
        done = _submission(ack, "Mark complete", run, view)
        if done:
            ack()
            SlackChat(client).post(done[0], ActionToVerify(done[2], done[1], actor.user_id))

    @app.action(PlanActionId.ACTION_VERIFY)
    @reporting
    def verify(ack, body, action, client, respond):
        ack()
        actor = actor_of(body)
        with svc.db.session() as s:
            row = plan.verify(s, int_value(action.get("value")) or 0, actor, accept=True, reason=None, now=now())
            channel, ref = _channel_and_ref(s, row)
        text = f"Action {ref} was completed and verified by <@{actor.user_id}>."
        if (body.get("container") or {}).get("type") == "view":   # on the App Home: no message to replace
            if channel:
                SlackChat(client).post(channel, ReportNotice(text))
            return home.publish(svc, client, actor)
        respond(replace_original=True, text=text)

    @app.action(PlanActionId.ACTION_RETURN)
    @reporting
    def open_return(ack, body, action, client):
        ack()
        action_id, actor = int_value(action.get("value")) or 0, actor_of(body)

        def make(s):
            row, review = plan.load(s, action_id)
            kernel.authorize(s, review, actor, Operation.VERIFY_ACTION)
            return msgs.return_form(row.id, _channel_and_ref(s, row)[1])
        modals.open_built(svc, client, body["trigger_id"], "Send back", make)

    @app.view(PlanCallbackId.ACTION_RETURN)
    @reporting
    def return_submitted(ack, body, view, client):
        actor = actor_of(body)

        def run():
            with svc.db.session() as s:
                row = plan.verify(s, metadata_id(view, "action_id") or 0, actor, accept=False,
                                  reason=state_values(view).get("reason"), now=now())
                review = kernel.get_review(s, row.review_id)
                channel, ref = _channel_and_ref(s, row)
                return channel, ref, row.owner_user, plan.assigned(
                    s, row, review, text=f"Action {ref} was sent back; the reason is in the review channel.")
        done = _submission(ack, "Send back", run, view)
        if done:
            ack()
            chat = SlackChat(client)
            reason = (state_values(view).get("reason") or "").strip()
            chat.post(done[0], ReportNotice(f"<@{actor.user_id}> sent action {done[1]} back: {reason}"))
            chat.dm(done[2], done[3])


def _channel_and_ref(s, row) -> tuple[str, str]:
    review = kernel.get_review(s, row.review_id)
    rec = s.get(plan.Recommendation, row.recommendation_id)
    return review.space_id, plan.action_ref(rec.number, row.number)
