"""family on Teams: contacts by relationship only, and the perpetrator interview (chair, coordinator), as on
Slack (handlers/slack/evidence/family.py). A dialog has no stack: a button inside the summary answers with
the form it opens, and saving that form answers with the summary again."""
from bot.workflow.evidence import family_use_cases as cases
from handlers.teams.evidence.evidence import finish, rebuild
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero
from messages import tree
from messages.evidence import evidence as msgs
from messages.slack.ids import EvidenceActionId, EvidenceCallbackId

TITLE = "Family and friends"


def family(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    ui.open_form(TITLE, lambda: rebuild(teams, ui.activity, {}, lambda s, space, actor: msgs.family_view(
        cases.open_summary(s, space, actor))), notice=msgs.said)


def contact_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.contact_form(cases.contact_form(s, int_or_zero(meta.get("review_id")), actor_of(activity),
                                                    int_or_zero(meta.get("contact_id")) or None))


def add(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form(TITLE, lambda: contact_form(teams, ui.activity, {"review_id": value}), notice=msgs.said)


def edit(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """As on Slack: the review from the summary's metadata (its buttons carry it), the contact from the
    button; a contact of another review is refused by the use case ("isn't part of this review")."""
    if not int_or_zero(value):      # never read as "a new contact" of the review named
        ui.close("This button is not one the bot made.")
        return
    review_id = ui.dialog_metadata.get("review_id")
    ui.open_form(TITLE, lambda: contact_form(teams, ui.activity, {"review_id": review_id, "contact_id": value}),
                 notice=msgs.said)


def interview_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.interview_form(cases.interview_form(s, int_or_zero(meta.get("review_id")), actor_of(activity)))


def interview(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form(TITLE, lambda: interview_form(teams, ui.activity, {"review_id": value}), notice=msgs.said)


def step_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.step_form(cases.step_form(s, int_or_zero(meta.get("review_id")), actor_of(activity)))


def open_step(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form(TITLE, lambda: step_form(teams, ui.activity, {"review_id": value}), notice=msgs.said)


def step_saved(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    finish(teams, ui, TITLE, int_or_zero(meta.get("review_id")),
           lambda s, actor, review_id: cases.record_step(s, review_id, actor, ui.typed(), now=svc.clock.now(),
                                                         today=svc.clock.today()), msgs.family_view)


def contact_saved(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc, contact_id = teams.svc, int_or_zero(meta.get("contact_id")) or None
    finish(teams, ui, TITLE, int_or_zero(meta.get("review_id")),
           lambda s, actor, review_id: cases.save_contact(s, review_id, actor, contact_id, ui.typed(),
                                                          now=svc.clock.now(), today=svc.clock.today()),
           msgs.family_view)


def interview_saved(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    finish(teams, ui, TITLE, int_or_zero(meta.get("review_id")),
           lambda s, actor, review_id: cases.save_interview(s, review_id, actor, ui.typed(), now=svc.clock.now(),
                                                            today=svc.clock.today()), msgs.family_view)


LISTENERS = [
    ("command", "family", family),
    ("action", EvidenceActionId.FAMILY_ADD, add),
    ("action", EvidenceActionId.FAMILY_EDIT, edit),
    ("action", EvidenceActionId.FAMILY_INTERVIEW, interview),
    ("action", EvidenceActionId.FAMILY_STEP, open_step),
    ("form", EvidenceCallbackId.FAMILY_STEP, FormRoute(step_form, step_saved)),
    ("form", EvidenceCallbackId.FAMILY_CONTACT, FormRoute(contact_form, contact_saved)),
    ("form", EvidenceCallbackId.FAMILY_INTERVIEW, FormRoute(interview_form, interview_saved)),
]
