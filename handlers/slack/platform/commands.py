"""`/dhr ...`: ack at once, then route on the first word."""
from bot.workflow.core import kernel
from bot.workflow.core.permissions import Operation
from bot.workflow.core.stages import Stage, stage_label
from bot.workflow.panel import panel
from bot.workflow.report import retention
from bot.workflow.views import provisioning, summary_card
from handlers.slack.intake import setup
from handlers.slack.platform import modals
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.errors import reporting
from messages.core import replies
from messages.intake import setup as setup_texts
from messages.report import retention as retention_msgs
from messages.slack.ids import COMMAND
from messages.views import cards

# Sub-command -> handler(svc, command, client, respond). Feature modules add theirs with `subcommand`.
ROUTES: dict = {}


def subcommand(*words: str):
    def add(fn):
        for word in words:
            ROUTES[word] = fn
        return fn
    return add


def register(app, svc: Services) -> None:
    @app.command(COMMAND)
    @reporting
    def dhr(ack, command, client, respond):
        ack()
        word, _, rest = (command.get("text") or "").strip().partition(" ")
        command = {**command, "args": rest.strip()}
        ROUTES.get(word.lower(), _unknown)(svc, command, client, respond)


@subcommand("new")
def _new(svc, command, client, respond):
    modals.open_new_review(svc, client, command["trigger_id"], actor_of(command))


@subcommand("decide")
def _decide(svc, command, client, respond):
    modals.open_decide(svc, client, command["trigger_id"], actor_of(command),
                       lambda s: kernel.review_in_channel(s, command["channel_id"]))


@subcommand("status")
def _status(svc, command, client, respond):
    """In a review channel, or anywhere with a reference (an archived channel takes no commands)."""
    actor = actor_of(command)
    with svc.db.session() as s:
        review = retention.member_review(s, actor, command["args"]) if command["args"] \
            else kernel.review_in_channel(s, command["channel_id"])
        kernel.authorize(s, review, actor, Operation.VIEW_REVIEW)
        deleted = retention.deleted_summary(s, review)
        card = None if deleted else summary_card.summary_card(s, review, svc.clock.today(), svc.calendar)
    respond(response_type="ephemeral", **(retention_msgs.content_deleted(deleted) if deleted
                                          else cards.summary_card(card)))


@subcommand("retry")
def _retry(svc, command, client, respond):
    actor = actor_of(command)
    with svc.db.session() as s:
        review_id, problem = _unfinished(s, actor, command["args"])
        if review_id is not None:
            kernel.authorize(s, kernel.get_review(s, review_id), actor, Operation.MANAGE_PANEL)
    if problem:
        return respond(response_type="ephemeral", text=problem)
    respond(response_type="ephemeral", **setup.reply(setup.run(svc, client, review_id)))


def _unfinished(session, actor, wanted: str) -> tuple[int | None, str | None]:
    """The review whose set-up to retry: the one named, or the actor's only unfinished one."""
    stuck = provisioning.unfinished_setups(session, actor)
    if wanted:
        match = [r for r in stuck if r.reference.lower() == wanted.lower()]
        return (match[0].id, None) if match else (None, setup_texts.NOT_YOURS)
    if not stuck:
        return None, setup_texts.NOTHING_TO_RETRY
    if len(stuck) > 1:
        refs = ", ".join(r.reference for r in stuck[:10])
        return None, setup_texts.WHICH_ONE.format(references=refs, example=stuck[0].reference)
    return stuck[0].id, None


@subcommand("help")
def _help(svc, command, client, respond):
    respond(response_type="ephemeral", text=replies.help_text())


@subcommand("")
def _mine(svc, command, client, respond):
    with svc.db.session() as s:
        text = reviews_text(s, actor_of(command), svc.settings.admins)
    respond(response_type="ephemeral", text=text)


def _unknown(svc, command, client, respond):
    # The word typed is never quoted back: it could be anything, a real name included.
    respond(response_type="ephemeral", text=replies.unknown_command())


def reviews_text(session, actor, env_admins: tuple[str, ...]) -> str:
    """The person's reviews; with none, how a review is opened (by a CSP admin) and whom to ask."""
    rows = review_rows(session, actor)
    if rows:
        return replies.my_reviews(rows)
    admins = panel.admin_ids(session, actor.tenant_id, env_admins)
    return replies.no_reviews(admins, actor.user_id in admins)


def review_rows(session, actor) -> list[dict]:
    rows = []
    for review in kernel.reviews_for(session, actor):
        note = None if review.setup_state == "complete" else setup_texts.UNFINISHED_NOTE.format(
            reference=review.reference)
        rows.append({"reference": review.reference, "stage_label": stage_label(Stage(review.stage)),
                     "space_id": review.space_id if review.setup_state == "complete" else None,
                     "setup_note": note})
    return rows
