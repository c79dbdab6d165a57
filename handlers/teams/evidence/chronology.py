"""chronology [add | correct N | template | upload | help] on Teams, the entry dialog, the agency lead's
button, the entry's own Correct button and the Import button of a checked file, as on Slack
(handlers/slack/evidence/chronology.py). The template and the combined export reach the person who asked by
file consent card in their 1:1 chat (handlers/teams/platform/files_out.py); uploads come there too (uploads.py)."""
from bot.workflow.evidence import chronology_use_cases as chronology
from handlers.teams.evidence.evidence import rebuild
from handlers.teams.platform.context import Teams, actor_of
from handlers.teams.platform.interaction import TeamsInteraction
from handlers.teams.platform.router import FormRoute
from handlers.teams.platform.use_case import int_or_zero, run, submitted
from messages import tree
from messages.evidence import chronology as msgs
from messages.evidence import documents
from messages.slack.ids import EvidenceId


def chronology_command(teams: Teams, ui: TeamsInteraction, words: str) -> None:
    word, _, rest = words.partition(" ")
    if word.lower() == "add":
        ui.open_form("Chronology entry", lambda: entry_form(teams, ui.activity, {}))
    elif word.lower() == "correct":
        entry = rest.strip().lstrip("#")
        ui.open_form("Correct entry", lambda: correction_form(teams, ui.activity, {"entry_id": entry}))
    elif word.lower() == "template":
        run(teams, ui, lambda s, actor: chronology.template(
            actor, template=lambda ext: documents.CHRONOLOGY_TEMPLATES[ext](), dm_space=ui.port.open_dm))
    elif word.lower() in ("upload", "help"):
        run(teams, ui, lambda s, actor: chronology.help_text(s, ui.activity.conversation_id, actor))
    else:
        svc = teams.svc
        run(teams, ui, lambda s, actor: chronology.export(
            s, ui.activity.conversation_id, actor, today=svc.clock.today(), now=svc.clock.now(),
            first_redacted=svc.redactions.first_hit_row, exporters=documents.CHRONOLOGY_EXPORTERS))


def entry_form(teams: Teams, activity, meta: dict) -> tree.Form:
    return rebuild(teams, activity, meta, lambda s, space, actor: msgs.entry_form(
        chronology.entry_form(s, space, actor)))


def correction_form(teams: Teams, activity, meta: dict) -> tree.Form:
    """From the review's chat, or (in a 1:1 chat, from the entry's own button) the review the entry names;
    submitted, from the review its metadata names. The person's rights are checked again each time."""
    entry_id, redacted = int_or_zero(meta.get("entry_id")) or None, teams.svc.redactions.checker()[1]
    in_dm = activity.personal and not meta.get("review_id")
    return rebuild(teams, activity, meta, lambda s, space, actor: msgs.entry_form(chronology.correction_form(
        s, space, actor, entry_id, in_dm=in_dm, redacted=redacted)))


def open_correct(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    ui.open_form("Correct entry", lambda: correction_form(teams, ui.activity, {"entry_id": value}))


def open_from_request(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """The entry form for the agency of the request a button names (the request in the lead's 1:1 chat)."""
    def build() -> tree.Form:
        with teams.svc.db.session() as s:
            return msgs.entry_form(chronology.entry_form_for_request(s, int_or_zero(value), actor_of(ui.activity)))
    ui.open_form("Chronology entry", build)


def entry_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc = teams.svc
    _save(teams, ui, meta, lambda s, actor, review_id, raw: chronology.add_entry(
        s, review_id, actor, raw, now=svc.clock.now(), redaction=svc.redactions.checker()))


def correction_submitted(teams: Teams, ui: TeamsInteraction, meta: dict) -> None:
    svc, entry_id = teams.svc, int_or_zero(meta.get("entry_id"))
    _save(teams, ui, meta, lambda s, actor, review_id, raw: chronology.correct_entry(
        s, review_id, entry_id, actor, raw, now=svc.clock.now(), redaction=svc.redactions.checker()))


def _save(teams: Teams, ui: TeamsInteraction, meta: dict, case) -> None:
    """A form with only one agency (no input for it) names it in its metadata."""
    review_id = int_or_zero(meta.get("review_id"))
    if not review_id:
        ui.replace_form(msgs.expired())
        return
    raw = ui.typed()
    raw["agency"] = raw.get("agency") or meta.get("agency")
    submitted(teams, ui, "Chronology entry", lambda s, actor: case(s, actor, review_id, raw))


def import_rows(teams: Teams, ui: TeamsInteraction, value: str) -> None:
    """The check's Import button, in the uploader's 1:1 chat: said in place of the check."""
    run(teams, ui, lambda s, actor: chronology.import_rows(s, int_or_zero(value), actor, now=teams.svc.clock.now()))


LISTENERS = [
    ("command", "chronology", chronology_command),
    ("action", EvidenceId.OPEN_CORRECT, open_correct),
    ("action", EvidenceId.OPEN_CHRONOLOGY, open_from_request),
    ("action", EvidenceId.IMPORT_ROWS, import_rows),
    ("form", EvidenceId.CHRONOLOGY_ENTRY, FormRoute(entry_form, entry_submitted)),
    ("form", EvidenceId.CHRONOLOGY_CORRECT, FormRoute(correction_form, correction_submitted)),
]
