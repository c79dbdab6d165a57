"""App Home: publish the viewer's work and portfolio; page through it; open the right form."""
from bot.workflow.core.errors import NotFound, WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.evidence import terms
from bot.workflow.views import board_use_cases as board
from bot.workflow.views import home
from bot.workflow.views import status_use_cases as status
from handlers.slack.evidence.evidence import FORM_OPENERS
from handlers.slack.panel.panel import announce_answer, record_answer
from handlers.slack.platform import listeners
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata_id, state_values
from messages import tree
from messages.panel import panel as panel_msgs
from messages.slack import render
from messages.slack.ids import PlanActionId, PlanCallbackId
from messages.views import home as home_msgs
from messages.views import reviews


def withheld(svc: Services):
    """text -> it holds a term of any review's redaction list (loaded only if a strategic text is shown)."""
    return svc.redactions.lazy_find() if svc.redactions is not None else (lambda _text: False)


def publish(svc: Services, client, actor: Actor, pages: dict | None = None) -> None:
    with svc.db.session() as s:
        mine = reviews.my_reviews(status.my_reviews(s, actor, svc.settings.admins))
        data = home.home(s, actor, svc.clock.today(), svc.calendar, pages or {}, env_admins=svc.settings.admins,
                         withheld=withheld(svc))
        timeliness = board.home_timeliness(s, actor, svc.settings.admins, svc.clock.today())
    client.views_publish(user_id=actor.user_id, view=render.home(home_msgs.home_view(data, mine, timeliness)))


def page(svc: Services, body, action, client):
    section, _, number = str(action.get("value") or "").partition(":")
    if section not in home.SIZES:
        raise NotFound("That button is out of date; reopen the Home tab.")
    publish(svc, client, actor_of(body), {section: int_value(number) or 0})


def open_request(svc: Services, body, action, client):
    actor = actor_of(body)
    item_id = int_value(action.get("value"))
    with svc.db.session() as s:
        line = next((x for x in home.my_requests(s, actor, svc.clock.today()) if x.item_id == item_id), None)
    opener = FORM_OPENERS.get(line.kind) if line else None
    if opener:      # the same form as the request DM's button
        return opener(svc, body, action, client)
    client.views_open(trigger_id=body["trigger_id"], view=render.modal(tree.notice("Evidence request",
                                                                                 home_msgs.request_elsewhere(line))))


def open_agreement(svc: Services, body, action, client):
    agreement_id, actor = int_value(action.get("value")) or 0, actor_of(body)
    with svc.db.session() as s:
        line = next((g for g in home.my_agreements(s, actor) if g.agreement_id == agreement_id), None)
    form = tree.notice("Confidentiality", "This invitation has been answered or withdrawn.") if line is None \
        else home_msgs.agreement_form(agreement_id, line.reference, panel_msgs.statement())
    client.views_open(trigger_id=body["trigger_id"], view=render.modal(form))


def remind_terms(svc: Services, body, action, client):
    actor = actor_of(body)
    with svc.db.session() as s:
        user, dm = terms.reminder(s, int_value(action.get("value")) or 0, actor, svc.clock.now())
    SlackChat(client).dm(user, dm)
    client.views_open(trigger_id=body["trigger_id"], view=render.modal(tree.notice(
        "Terms of reference", home_msgs.terms_reminded(user, dm.version, dm.reference))))


def agreement_answered(svc: Services, ack, body, view, client):
    actor, agreed = actor_of(body), home_msgs.AgreementForm.answer.of(state_values(view)) == "agree"
    try:
        answered = record_answer(svc, actor, metadata_id(view, "agreement_id") or 0, agreed)
    except WorkflowError as err:
        return ack(response_action="update", view=render.modal(tree.notice("Confidentiality", err.message)))
    ack()
    announce_answer(svc, client, actor, answered)
    publish(svc, client, actor)


LISTENERS = [
    ("action", PlanActionId.HOME_PAGE, page),
    ("action", PlanActionId.HOME_PAGE_BACK, page),
    ("action", PlanActionId.HOME_REQUEST, open_request),
    ("action", PlanActionId.HOME_AGREEMENT, open_agreement),
    ("action", PlanActionId.HOME_REMIND_TERMS, remind_terms),
    ("view", PlanCallbackId.HOME_AGREEMENT, agreement_answered),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
