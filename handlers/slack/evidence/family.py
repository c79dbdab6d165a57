"""/dhr family: contacts by relationship only, and the perpetrator interview (chair, coordinator).
One modal: the summary with buttons; a button swaps in a form; saving swaps the summary back."""
from bot.workflow.core import kernel
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.permissions import Operation
from bot.workflow.evidence import family, family_steps
from bot.workflow.intake import suicide
from bot.workflow.views import provisioning
from handlers.slack.evidence.evidence import EXPIRED, open_form, refused
from handlers.slack.platform.chat import SlackChat
from handlers.slack.platform.commands import subcommand
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import reporting
from handlers.slack.platform.forms import int_value, metadata_id, state_values
from messages.evidence import evidence as msgs
from messages.slack.ids import EvidenceActionId, EvidenceCallbackId

TITLE = "Family and friends"


def summary_view(s, review, saved: str | None = None) -> dict:
    word = suicide.perpetrator_word(review)
    return msgs.family_view(review.id, review.reference, family.contact_lines(family.contacts(s, review.id)),
                            family.interview_line(family.interview(s, review.id), word), saved,
                            steps=family_steps.lines(s, review.id), due=family_steps.due(s, review),
                            perpetrator_word=word)


@subcommand("family")
def _family(svc, command, client, respond):
    actor = actor_of(command)

    def build(s):
        review = kernel.review_in_channel(s, command["channel_id"])
        kernel.authorize(s, review, actor, Operation.RECORD_FAMILY_CONTACT)
        return summary_view(s, review)
    open_form(svc, client, command["trigger_id"], TITLE, build)


def _contact_titles(s, review) -> list[tuple[int, str]]:
    """(contact id, "Contact 2: Mother (older sister)"): a step names a contact by relationship."""
    rows = family.contacts(s, review.id)
    return [(row.id, line.title) for row, line in zip(rows, family.contact_lines(rows))]


def _swap(svc, body, client, build) -> None:
    """A button inside the modal: the review comes from the view (re-checked), never from trust."""
    view = body.get("view") or {}
    try:
        with svc.db.session() as s:
            review = kernel.get_review(s, metadata_id(view) or 0)
            kernel.authorize(s, review, actor_of(body), Operation.RECORD_FAMILY_CONTACT)
            new_view = build(s, review)
    except WorkflowError as err:
        new_view = msgs.result(TITLE, err.message)
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=new_view)


def _saved(svc, ack, body, view, client, save) -> None:
    review_id = metadata_id(view)
    if review_id is None:
        return ack(response_action="update", view=msgs.result(TITLE, EXPIRED))
    try:
        with svc.db.session() as s:
            review = kernel.get_review(s, review_id)
            note = save(s, review)
            summary = summary_view(s, review, note)
    except WorkflowError as err:
        return refused(ack, TITLE, err, view)
    ack(response_action="update", view=summary)
    provisioning.refresh_card(svc.db, review_id, SlackChat(client), today=svc.clock.today(), calendar=svc.calendar)


def register(app, svc: Services) -> None:
    @app.action(EvidenceActionId.FAMILY_ADD)
    @reporting
    def add(ack, body, client):
        ack()
        _swap(svc, body, client, lambda s, review: msgs.contact_form(review.id, review.reference, None))

    @app.action(EvidenceActionId.FAMILY_EDIT)
    @reporting
    def edit(ack, body, action, client):
        ack()
        contact_id = int_value(action.get("value"))
        _swap(svc, body, client, lambda s, review: msgs.contact_form(
            review.id, review.reference, family.contact_for(s, review, contact_id or 0)))

    @app.action(EvidenceActionId.FAMILY_INTERVIEW)
    @reporting
    def interview(ack, body, client):
        ack()
        _swap(svc, body, client, lambda s, review: msgs.interview_form(
            review.id, review.reference, family.interview(s, review.id), suicide.perpetrator_word(review)))

    @app.action(EvidenceActionId.FAMILY_STEP)
    @reporting
    def open_step(ack, body, client):
        ack()
        _swap(svc, body, client,
              lambda s, review: msgs.step_form(review.id, review.reference, _contact_titles(s, review)))

    @app.view(EvidenceCallbackId.FAMILY_STEP)
    @reporting
    def step_saved(ack, body, view, client):
        def save(s, review):
            row = family_steps.record(s, review, actor_of(body), state_values(view), now=svc.clock.now(),
                                      today=svc.clock.today())
            return f":white_check_mark: {family_steps.STEPS[row.kind]}: saved."
        _saved(svc, ack, body, view, client, save)

    @app.view(EvidenceCallbackId.FAMILY_CONTACT)
    @reporting
    def contact_saved(ack, body, view, client):
        contact_id = metadata_id(view, "contact_id")

        def save(s, review):
            row = family.save_contact(s, review, actor_of(body), contact_id, state_values(view),
                                      now=svc.clock.now(), today=svc.clock.today())
            return f":white_check_mark: Contact {row.number} saved."
        _saved(svc, ack, body, view, client, save)

    @app.view(EvidenceCallbackId.FAMILY_INTERVIEW)
    @reporting
    def interview_saved(ack, body, view, client):
        def save(s, review):
            family.save_interview(s, review, actor_of(body), state_values(view), now=svc.clock.now(),
                                  today=svc.clock.today())
            return ":white_check_mark: Perpetrator interview saved."
        _saved(svc, ack, body, view, client, save)
