"""`/dhr ...`: ack at once, then route on the first word."""
from bot.workflow import panel, reviews
from bot.workflow.permissions import Operation
from handlers.slack import modals
from handlers.slack.context import Services, actor_of
from handlers.slack.errors import reporting
from messages import cards, replies
from messages.ids import COMMAND


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
                       lambda s: reviews.review_in_channel(s, command["channel_id"]))


@subcommand("status")
def _status(svc, command, client, respond):
    with svc.db.session() as s:
        review = reviews.review_in_channel(s, command["channel_id"])
        reviews.authorize(s, review, actor_of(command), Operation.VIEW_REVIEW)
        card = reviews.summary_card(s, review, svc.clock.today(), svc.calendar)
    respond(response_type="ephemeral", **cards.summary_card(card))


@subcommand("help")
def _help(svc, command, client, respond):
    respond(response_type="ephemeral", text=replies.help_text())


@subcommand("")
def _mine(svc, command, client, respond):
    with svc.db.session() as s:
        text = reviews_text(s, actor_of(command), svc.settings.admins)
    respond(response_type="ephemeral", text=text)


def _unknown(svc, command, client, respond):
    word = (command.get("text") or "").strip().split(" ")[0][:30]
    respond(response_type="ephemeral", text=f"`{COMMAND} {word}` isn't a command I know.\n{replies.help_text()}")


def reviews_text(session, actor, env_admins: tuple[str, ...]) -> str:
    """The person's reviews; with none, how a review is opened (by a CSP admin) and whom to ask."""
    rows = review_rows(session, actor)
    if rows:
        return replies.my_reviews(rows)
    admins = panel.admin_ids(session, actor.team_id, env_admins)
    return replies.no_reviews(admins, actor.user_id in admins)


def review_rows(session, actor) -> list[dict]:
    from bot.workflow.stages import Stage, stage_label
    rows = []
    for review in reviews.reviews_for(session, actor):
        note = None if review.setup_state == "complete" else "set-up not finished: see my DM to try again"
        rows.append({"reference": review.reference, "stage_label": stage_label(Stage(review.stage)),
                     "channel_id": review.channel_id if review.setup_state == "complete" else None,
                     "setup_note": note})
    return rows
