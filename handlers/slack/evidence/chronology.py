"""/dhr chronology [add | correct N | template | help], the entry form, the agency lead's button, the export.
Each listener parses, runs one use case, renders."""
from bot.workflow.evidence import chronology_use_cases as chronology
from bot.workflow.evidence.evidence_items import Kind
from handlers.slack.evidence.evidence import FORM_OPENERS
from handlers.slack.platform import files, listeners
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.forms import int_value, metadata, metadata_id
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import open_form, run, submitted
from messages.evidence import chronology as msgs
from messages.evidence import documents
from messages.slack.ids import EvidenceId
from messages.slack.render import read_state

EXPORTERS, TEMPLATES = documents.CHRONOLOGY_EXPORTERS, documents.CHRONOLOGY_TEMPLATES


@subcommand("chronology")
def _chronology(svc, command, client, respond):
    word, _, rest = command["args"].partition(" ")
    word, space, ui = word.lower(), command["channel_id"], SlackInteraction(None, command, client, respond)
    if word == "add":
        return open_form(svc, ui, "Chronology entry", lambda s: msgs.entry_form(
            chronology.entry_form(s, space, actor_of(command))))
    if word == "correct":
        return _open_correction(svc, ui, int_value(rest.strip().lstrip("#")))
    if word == "template":
        return run(svc, ui, lambda s, actor: chronology.template(
            actor, template=lambda ext: TEMPLATES[ext](), dm_space=files.dm_space(client)))
    if word in ("upload", "help"):
        return run(svc, ui, lambda s, actor: chronology.help_text(s, space, actor))
    run(svc, ui, lambda s, actor: chronology.export(
        s, space, actor, today=svc.clock.today(), now=svc.clock.now(), first_redacted=svc.redactions.first_hit_row,
        exporters=EXPORTERS))


def _open_correction(svc: Services, ui: SlackInteraction, entry_id: int | None) -> None:
    """A button in a DM opens the entry's own review (checked again); elsewhere the space's review."""
    space = ui.body.get("channel_id") or (ui.body.get("channel") or {}).get("id") or ""
    open_form(svc, ui, "Correct entry", lambda s: msgs.entry_form(chronology.correction_form(
        s, space, actor_of(ui.body), entry_id, in_dm=space.startswith("D"), redacted=svc.redactions.checker()[1])))


def open_correct(svc: Services, body, action, client):
    _open_correction(svc, SlackInteraction(None, body, client), int_value(action.get("value")))


def open_from_request(svc: Services, body, action, client) -> None:
    """The entry form for the agency of the request a button names (request DM, App Home)."""
    open_form(svc, SlackInteraction(None, body, client), "Chronology entry", lambda s: msgs.entry_form(
        chronology.entry_form_for_request(s, int_value(action.get("value")) or 0, actor_of(body))))


FORM_OPENERS[Kind.CHRONOLOGY.value] = open_from_request


def entry_submitted(svc: Services, ack, body, view, client):
    _save(svc, SlackInteraction(ack, body, client), view, lambda s, actor, review_id, raw: chronology.add_entry(
        s, review_id, actor, raw, now=svc.clock.now(), redaction=svc.redactions.checker()))


def correction_submitted(svc: Services, ack, body, view, client):
    entry_id = metadata_id(view, "entry_id") or 0
    _save(svc, SlackInteraction(ack, body, client), view, lambda s, actor, review_id, raw: chronology.correct_entry(
        s, review_id, entry_id, actor, raw, now=svc.clock.now(), redaction=svc.redactions.checker()))


def _save(svc: Services, ui: SlackInteraction, view: dict, case) -> None:
    """The form's only agency (no input for it) comes back in its metadata."""
    review_id = metadata_id(view)
    if review_id is None:
        return ui.replace_form(msgs.expired())
    raw = read_state(view)
    raw.setdefault("agency", metadata(view).get("agency"))
    submitted(svc, ui, "Chronology entry", lambda s, actor: case(s, actor, review_id, raw))


def import_rows(svc: Services, body, action, client, respond):
    run(svc, SlackInteraction(None, body, client, respond), lambda s, actor: chronology.import_rows(
        s, int_value(action.get("value")) or 0, actor, now=svc.clock.now()))


LISTENERS = [
    ("view", EvidenceId.CHRONOLOGY_ENTRY, entry_submitted),
    ("view", EvidenceId.CHRONOLOGY_CORRECT, correction_submitted),
    ("action", EvidenceId.OPEN_CORRECT, open_correct),
    ("action", EvidenceId.OPEN_CHRONOLOGY, open_from_request),
    ("action", EvidenceId.IMPORT_ROWS, import_rows),
]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
