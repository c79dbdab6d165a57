"""The IMR on Teams: the template, the request's button, the author's declarations and the chair's decision,
as on Slack (handlers/slack/evidence/imr.py). The template reaches the author by file consent card in their
1:1 chat; the finished .docx comes back there (uploads.py), checked as on Slack."""
from bot.workflow.evidence import imr_use_cases as imr
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, run, submitted
from messages import tree
from messages.evidence import documents
from messages.evidence import evidence as evidence_msgs
from messages.evidence import imr as msgs
from messages.slack.ids import EvidenceId


def imr_command(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    run(teams, ui, lambda s, actor: imr.template_by_command(
        s, ui.activity.conversation_id, actor, template=documents.imr_template, dm_space=ui.port.open_dm))


def send_template(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    run(teams, ui, lambda s, actor: imr.template_by_button(
        s, int_or_zero(value), actor, template=documents.imr_template, dm_space=ui.port.open_dm))
    ui.close("The IMR template is in our 1:1 chat: choose Allow to save it.")


def open_from_request(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """What the request's IMR button shows: for the agency's own people only (checked by the use case)."""
    def build() -> tree.Form:
        with teams.svc.db.session() as s:
            return msgs.imr_info(imr.info(s, int_or_zero(value), actor_of(ui.activity)))
    ui.open_form("IMR", build, notice=evidence_msgs.said)


def declarations_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        about = imr.declarations_form(s, int_or_zero(meta.get("version_id")), actor_of(activity))
    return msgs.declarations_form(about, teams.svc.clock.today().isoformat())


def open_declare(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Submit IMR", lambda: declarations_form(teams, ui.activity, {"version_id": value}))


def declared(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    submitted(teams, ui, "Submit IMR", lambda s, actor: imr.submit(
        s, int_or_zero(meta.get("version_id")), actor, ui.typed(), now=svc.clock.now(), today=svc.clock.today()))


def accept(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    run(teams, ui, lambda s, actor: imr.accept(s, int_or_zero(value), actor, now=teams.svc.clock.now()))


def return_form(teams: Teams, activity, meta: dict) -> tree.Form:
    with teams.svc.db.session() as s:
        return msgs.return_form(imr.decision_form(s, int_or_zero(meta.get("version_id")), actor_of(activity)))


def open_return(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Return IMR", lambda: return_form(teams, ui.activity, {"version_id": value}))


def returned(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    submitted(teams, ui, "Return IMR", lambda s, actor: imr.send_back(
        s, int_or_zero(meta.get("version_id")), actor, ui.typed(), now=teams.svc.clock.now()))


LISTENERS = [
    ("command", "imr", imr_command),
    ("action", EvidenceId.OPEN_IMR, open_from_request),
    ("action", EvidenceId.SEND_IMR_TEMPLATE, send_template),
    ("action", EvidenceId.OPEN_DECLARE, open_declare),
    ("action", EvidenceId.ACCEPT_IMR, accept),
    ("action", EvidenceId.OPEN_RETURN, open_return),
    ("form", EvidenceId.IMR_DECLARE, FormRoute(declarations_form, declared)),
    ("form", EvidenceId.IMR_RETURN, FormRoute(return_form, returned)),
]
