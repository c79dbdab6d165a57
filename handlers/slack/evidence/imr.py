"""/dhr imr [template], the IMR request button, the author's declarations and the chair's decision."""
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.permissions import Operation
from bot.workflow.evidence import chronology, imr
from bot.workflow.evidence.evidence_items import Kind
from handlers.slack.evidence.evidence import FORM_OPENERS
from handlers.slack.platform import modals
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import refuse_submission, reporting
from handlers.slack.platform.forms import int_value, metadata_id, state_values
from messages.evidence import chronology as msgs
from messages.evidence import documents
from messages.slack.ids import EvidenceId


@subcommand("imr")
def _imr_command(svc, command, client, respond):
    with svc.db.session() as s:
        review = kernel.review_in_channel(s, command["channel_id"])
        reference, agency = _imr_agency(s, review, actor_of(command))
    send_template(client, command["user_id"], reference, agency)
    respond(response_type="ephemeral", text=f"The IMR template for {reference} is in my DM to you. When the IMR is "
                                            "finished, upload the .docx in that DM and I will check it.")


def _imr_agency(s, review, actor) -> tuple[str, str]:
    who = chronology.submitter(s, review, actor, Operation.SUBMIT_IMR)
    names = list(who.own_agencies.values())
    return review.reference, names[0] if len(names) == 1 else "[agency]"


def send_template(client, user_id: str, reference: str, agency: str) -> None:
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    SlackChat(client).upload(dm, f"{reference}-IMR-template.docx", documents.imr_template(reference, agency),
                             f"{reference} IMR template")


def _open(svc, client, trigger_id, title, build) -> None:
    modals.open_built(svc, client, trigger_id, title, build)


def _decided(svc, client, row, review, agency, by) -> None:
    text = msgs.imr_decided(review.reference, agency, row.version, row.status == "accepted", by, row.comments)
    if review.space_id:
        client.chat_postMessage(channel=review.space_id, text=text)
    if row.status == "returned" and row.submitted_by:
        client.chat_postMessage(channel=row.submitted_by, text=f"Your IMR for {review.reference} (version "
                                f"{row.version}) was returned with comments: see <#{review.space_id}>.")


def open_from_request(svc, body, action, client) -> None:
    """How to send the IMR of the request a button names (request DM, App Home)."""
    def build(s):
        review, item = chronology.evidence_item_for(s, int_value(action.get("value")) or 0, actor_of(body), Kind.IMR)
        return msgs.imr_info(review.reference, chronology.agencies_of(s, review).get(item.agency_id, ""), review.id)
    _open(svc, client, body["trigger_id"], "IMR", build)


FORM_OPENERS[Kind.IMR.value] = open_from_request


def register(app, svc: Services) -> None:
    @app.action(EvidenceId.OPEN_IMR)
    @reporting
    def open_imr(ack, body, action, client):
        ack()
        open_from_request(svc, body, action, client)

    @app.action(EvidenceId.SEND_IMR_TEMPLATE)
    @reporting
    def template(ack, body, action, client):
        ack()
        with svc.db.session() as s:
            reference, agency = _imr_agency(s, kernel.get_review(s, int_value(action.get("value")) or 0),
                                            actor_of(body))
        send_template(client, actor_of(body).user_id, reference, agency)

    @app.action(EvidenceId.OPEN_DECLARE)
    @reporting
    def open_declare(ack, body, action, client):
        ack()

        def build(s):
            row, review, agency = imr.version_for_declarations(s, int_value(action.get("value")) or 0, actor_of(body))
            return msgs.declarations_form(row.id, review.reference, agency, row.version, svc.clock.today().isoformat())
        _open(svc, client, body["trigger_id"], "Submit IMR", build)

    @app.view(EvidenceId.IMR_DECLARE)
    @reporting
    def declared(ack, body, view, client):
        actor = actor_of(body)
        try:
            with svc.db.session() as s:
                row = imr.submit(s, metadata_id(view, "version_id") or 0, actor, state_values(view),
                                 svc.clock.now(), svc.clock.today())
                review = kernel.get_review(s, row.review_id)
                agency = chronology.agencies_of(s, review).get(row.agency_id, "")
        except WorkflowError as err:
            return refuse_submission(ack, "Submit IMR", err, view)
        ack()
        client.chat_postMessage(channel=review.space_id,
                                **msgs.imr_submitted(review.reference, agency, row.version, row.id, actor.user_id))
        client.chat_postMessage(channel=actor.user_id, text=f"Your IMR for {review.reference} (version "
                                f"{row.version}) is submitted to the chair.")

    @app.action(EvidenceId.ACCEPT_IMR)
    @reporting
    def accept(ack, body, action, client, respond):
        ack()
        with svc.db.session() as s:
            row, review, agency = imr.decide(s, int_value(action.get("value")) or 0, actor_of(body), True, None,
                                             svc.clock.now())
        respond(replace_original=True, text=msgs.imr_decided(review.reference, agency, row.version, True,
                                                             actor_of(body).user_id, None))

    @app.action(EvidenceId.OPEN_RETURN)
    @reporting
    def open_return(ack, body, action, client):
        ack()

        def build(s):
            row, review, agency = imr.for_decision(s, int_value(action.get("value")) or 0, actor_of(body))
            return msgs.return_form(row.id, review.reference, agency, row.version)
        _open(svc, client, body["trigger_id"], "Return IMR", build)

    @app.view(EvidenceId.IMR_RETURN)
    @reporting
    def returned(ack, body, view, client):
        try:
            with svc.db.session() as s:
                row, review, agency = imr.decide(s, metadata_id(view, "version_id") or 0, actor_of(body), False,
                                                 state_values(view).get("comments"), svc.clock.now())
        except WorkflowError as err:
            return refuse_submission(ack, "Return IMR", err, view)
        ack()
        _decided(svc, client, row, review, agency, actor_of(body).user_id)
