"""home / my work on Teams: the person's "My work" card in their 1:1 chat (handlers/teams/platform/home_cards.py),
its Previous / Show more buttons, and its buttons as on Slack's Home tab (handlers/slack/views/home.py):
Open on an evidence request (the same form as the request's own button), Read and answer on an
invitation, Remind on terms not yet confirmed. Verify and the action buttons are the action plan's."""
from bot.workflow.core.errors import NotFound, WorkflowError
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import text
from bot.workflow.evidence import terms
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.panel import panel_use_cases as cases
from bot.workflow.views import home
from handlers.teams.evidence import chronology, evidence, imr
from handlers.teams.panel.panel import carry_out
from handlers.teams.platform import home_cards
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero
from messages import tree
from messages.panel import panel as panel_msgs
from messages.slack.ids import PlanActionId, PlanCallbackId
from messages.teams import help as help_msgs
from messages.views import home as home_msgs

# Evidence kind -> what its request's own button opens (the value is the item id in both).
OPENERS = {Kind.SCOPING.value: evidence.open_scoping, Kind.CHRONOLOGY.value: chronology.open_from_request,
           Kind.IMR.value: imr.open_from_request}
PAGE_SHOWN = "Your My work card shows that page now."
NO_CARD = "Type home to see your work: this card is no longer the current one."


def show(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    """Always in the person's 1:1 chat, wherever typed: it lists all their reviews' work."""
    home_cards.post(teams, actor_of(ui.activity), ui.activity.service_url)


def my(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    if words.lower() == "work":
        show(teams, ui, "")
    else:       # the words are never quoted back: they could be anything
        ui.reply(help_msgs.unknown_command())


def page(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    section, _, number = value.partition(":")
    if section not in home.SIZES:
        raise NotFound("That button is out of date; type home for your work.")
    if not home_cards.turn_page(teams, actor_of(ui.activity), section, int_or_zero(number), ui.activity.service_url):
        raise NotFound(NO_CARD)
    ui.close(PAGE_SHOWN)


def open_request(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    item_id = int_or_zero(value)
    with teams.svc.db.session() as s:
        line = next((x for x in home.my_requests(s, actor_of(ui.activity), teams.svc.clock.today())
                     if x.item_id == item_id), None)
    opener = OPENERS.get(line.kind) if line else None
    if opener:      # the same form as the request's own button
        opener(teams, ui, str(item_id))
        return
    ui.replace_form(tree.notice("Evidence request", home_msgs.request_elsewhere(line)))


def agreement_form(teams: Teams, activity, meta: dict) -> tree.Form:
    """The statement to answer; submitted after it was answered elsewhere, the use case says so."""
    agreement_id = int_or_zero(meta.get("agreement_id"))
    with teams.svc.db.session() as s:
        line = next((g for g in home.my_agreements(s, actor_of(activity)) if g.agreement_id == agreement_id), None)
    if line is None and not meta.get("submitted"):
        raise WorkflowError("This invitation has been answered or withdrawn.")
    return home_msgs.agreement_form(agreement_id, line.reference if line else "this review", panel_msgs.statement())


def open_agreement(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Confidentiality", lambda: agreement_form(teams, ui.activity, {"agreement_id": value}))


def rebuild_agreement(teams: Teams, activity, meta: dict) -> tree.Form:
    return agreement_form(teams, activity, {**meta, "submitted": True})


def agreement_answered(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    actor = actor_of(ui.activity)
    agreed = home_msgs.AgreementForm.answer.of(ui.typed()) == "agree"
    try:
        with teams.svc.db.session() as s:
            change = cases.answer_invitation(s, int_or_zero(meta.get("agreement_id")), actor, agreed,
                                             now=teams.svc.clock.now())
    except WorkflowError as err:
        ui.replace_form(tree.notice("Confidentiality", err.rich or text(err.message)))
        return
    ui.close("Thank you: your answer is recorded." if agreed else "Your answer is recorded.")
    carry_out(teams, ui, change.without_reply())     # the invitation's reply: the card is redrawn instead


def remind_terms(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    with teams.svc.db.session() as s:
        user, dm = terms.reminder(s, int_or_zero(value), actor_of(ui.activity), teams.svc.clock.now())
    teams.port(ui.activity.service_url).dm(PersonRef(user), dm)
    ui.replace_form(tree.notice("Terms of reference", home_msgs.terms_reminded(user, dm.version, dm.reference)))


LISTENERS = [
    ("command", "home", show), ("command", "my", my),
    ("action", PlanActionId.HOME_PAGE, page), ("action", PlanActionId.HOME_PAGE_BACK, page),
    ("action", PlanActionId.HOME_REQUEST, open_request), ("action", PlanActionId.HOME_AGREEMENT, open_agreement),
    ("action", PlanActionId.HOME_REMIND_TERMS, remind_terms),
    ("form", PlanCallbackId.HOME_AGREEMENT, FormRoute(rebuild_agreement, agreement_answered)),
]
