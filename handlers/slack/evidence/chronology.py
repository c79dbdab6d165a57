"""/dhr chronology [add | correct N | template] and the entry form, the agency lead's button, the export."""

from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.evidence import chronology
from bot.workflow.evidence.chronology_rows import COLUMNS
from bot.workflow.evidence.evidence_items import Kind
from handlers.slack.evidence.evidence import FORM_OPENERS
from handlers.slack.platform import modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import int_value, metadata, metadata_id, state_values
from messages.core.exports import csv_bytes, xlsx_bytes
from messages.evidence import chronology as msgs
from messages.evidence import documents
from messages.intake import forms
from messages.slack.ids import EvidenceId

EXPIRED = "This form is out of date. Run `/dhr chronology add` again in the review channel."


@subcommand("chronology")
def _chronology(svc, command, client, respond):
    word, _, rest = command["args"].partition(" ")
    word = word.lower()
    if word == "add":
        return _open_form(svc, client, command["trigger_id"], actor_of(command),
                          lambda s: (kernel.review_in_channel(s, command["channel_id"]), None))
    if word == "correct":
        return _open_correction(svc, client, command, int_value(rest.strip().lstrip("#")))
    if word == "template":
        send_chronology_template(client, command["user_id"])
        return respond(response_type="ephemeral", text="The chronology template (XLSX and CSV) is in my DM to you.")
    if word in ("upload", "help"):
        with svc.db.session() as s:
            review = kernel.review_in_channel(s, command["channel_id"])
            chronology.submitter(s, review, actor_of(command))
            text = msgs.chronology_help(review.reference, chronology.scoping_period(s, review.id))
        return respond(response_type="ephemeral", text=text)
    return _export(svc, command, client, respond)


def _export(svc, command, client, respond):
    """The combined chronology as XLSX and CSV in the review channel; nothing leaves with a redacted term."""
    actor, today = actor_of(command), svc.clock.today()
    with svc.db.session() as s:
        review = kernel.review_in_channel(s, command["channel_id"])
        rows = chronology.export_rows(s, review, actor, svc.clock.now(), svc.redactions.first_hit_row)
        names = {ext: chronology.export_filename(review, today, ext) for ext in ("xlsx", "csv")}
        channel, reference = review.space_id, review.reference
    chat = SlackChat(client)
    chat.upload(channel, names["xlsx"], xlsx_bytes(COLUMNS, rows, "Chronology"), f"{reference} combined chronology")
    chat.upload(channel, names["csv"], csv_bytes(COLUMNS, rows), f"{reference} combined chronology (CSV)")
    respond(response_type="ephemeral", text=f"The combined chronology ({len(rows)} entries) is in <#{channel}>.")


def send_chronology_template(client, user_id: str) -> None:
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    chat = SlackChat(client)
    chat.upload(dm, "chronology-template.xlsx", documents.chronology_template_xlsx(), "Chronology template (XLSX)")
    chat.upload(dm, "chronology-template.csv", documents.chronology_template_csv(), "Chronology template (CSV)")


def _open_form(svc, client, trigger_id, actor, find) -> None:
    """find(session) -> (review, agency id or None): by channel for the command, by request for the button."""
    view = modals.open_loading(client, trigger_id, "Chronology entry", "dhr.loading")
    try:
        with svc.db.session() as s:
            review, agency_id = find(s)
            who = chronology.submitter(s, review, actor, agency_id=agency_id)
            agencies = chronology.form_agencies(s, review, who, agency_id)
            form = msgs.entry_form(review.id, review.reference, agencies, chronology.scoping_period(s, review.id))
    except WorkflowError as err:
        form = forms.notice("Chronology entry", err.message)
    modals.replace(client, view, form)


def _open_correction(svc, client, body, entry_id) -> None:
    actor = actor_of(body)
    view = modals.open_loading(client, body["trigger_id"], "Correct entry", "dhr.loading")
    try:
        with svc.db.session() as s:
            if entry_id is None:
                raise WorkflowError("Say which entry: `/dhr chronology correct 12` (the number from its confirmation).")
            review = _review_of_entry(s, body, entry_id)
            entry = chronology.entry_for_correction(s, review, actor, entry_id)
            who = chronology.submitter(s, review, actor, agency_id=entry.agency_id)
            form = msgs.entry_form(review.id, review.reference, chronology.form_agencies(s, review, who),
                                   chronology.scoping_period(s, review.id), entry=entry, entry_id=entry_id,
                                   redacted=svc.redactions.checker()[1])
    except WorkflowError as err:
        form = forms.notice("Correct entry", err.message)
    modals.replace(client, view, form)


def _review_of_entry(s, body, entry_id):
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    if channel.startswith("D"):   # the button in a DM: the entry names its review (checked again below)
        return chronology.review_of_entry(s, entry_id)
    return kernel.review_in_channel(s, channel)


def _saved(svc, client, ack, body, view, save) -> None:
    review_id, actor = metadata_id(view), actor_of(body)
    if review_id is None:
        return ack(response_action="update", view=forms.notice("Chronology entry", EXPIRED))
    values = state_values(view)
    values.setdefault("agency", metadata(view).get("agency"))
    try:
        with svc.db.session() as s:
            review = kernel.get_review(s, review_id)
            entry = save(s, review, actor, values)
            done = msgs.entry_saved(review.reference, entry.id, entry.version)
    except WorkflowError as err:
        return refuse_submission(ack, "Chronology entry", err, view)
    ack()
    client.chat_postMessage(channel=actor.user_id, **done)


def open_from_request(svc, body, action, client) -> None:
    """The entry form for the agency of the request a button names (request DM, App Home)."""
    item_id = int_value(action.get("value")) or 0

    def find(s):
        review, item = chronology.evidence_item_for(s, item_id, actor_of(body), Kind.CHRONOLOGY)
        return review, item.agency_id
    _open_form(svc, client, body["trigger_id"], actor_of(body), find)


FORM_OPENERS[Kind.CHRONOLOGY.value] = open_from_request


def register(app, svc: Services) -> None:
    @app.view(EvidenceId.CHRONOLOGY_ENTRY)
    @reporting
    def entry_submitted(ack, body, view, client):
        _saved(svc, client, ack, body, view,
               lambda s, review, actor, values: chronology.add_entry(s, review, actor, values, svc.clock.now(),
                                                                     svc.redactions.checker()))

    @app.view(EvidenceId.CHRONOLOGY_CORRECT)
    @reporting
    def correction_submitted(ack, body, view, client):
        entry_id = metadata_id(view, "entry_id") or 0
        _saved(svc, client, ack, body, view, lambda s, review, actor, values: chronology.correct_entry(
            s, review, actor, entry_id, values, svc.clock.now(), svc.redactions.checker()))

    @app.action(EvidenceId.OPEN_CORRECT)
    @reporting
    def open_correct(ack, body, action, client):
        ack()
        _open_correction(svc, client, body, int_value(action.get("value")))

    @app.action(EvidenceId.OPEN_CHRONOLOGY)
    @reporting
    def open_chronology(ack, body, action, client):
        ack()
        open_from_request(svc, body, action, client)
