"""`/dhr ...`: ack at once, then route on the first word. Each sub-command parses, runs one use
case, renders."""
from bot.workflow.core import kernel
from bot.workflow.views import status_use_cases as status
from handlers.slack.intake import setup
from handlers.slack.platform import listeners, modals
from handlers.slack.platform.context import Services, actor_of
from handlers.slack.platform.interaction import SlackInteraction
from handlers.slack.platform.use_case import deliver_to, run
from messages.core import replies
from messages.slack.ids import COMMAND

# Sub-command -> handler(svc, command, client, respond). Feature modules add theirs with `subcommand`.
ROUTES: dict = {}


def subcommand(*words: str):
    def add(fn):
        for word in words:
            ROUTES[word] = fn
        return fn
    return add


def dhr(svc: Services, command, client, respond):
    word, _, rest = (command.get("text") or "").strip().partition(" ")
    command = {**command, "args": rest.strip()}
    ROUTES.get(word.lower(), _unknown)(svc, command, client, respond)


LISTENERS = [("command", COMMAND, dhr)]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)


@subcommand("new")
def _new(svc, command, client, respond):
    modals.open_new_review(svc, client, command["trigger_id"], actor_of(command))


@subcommand("decide")
def _decide(svc, command, client, respond):
    modals.open_decide(svc, client, command["trigger_id"], actor_of(command),
                       lambda s: kernel.review_in_space(s, command["channel_id"]))


@subcommand("status")
def _status(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond), lambda s, actor: status.status(
        s, command["channel_id"], actor, command["args"], today=svc.clock.today(), calendar=svc.calendar))


@subcommand("retry")
def _retry(svc, command, client, respond):
    ui = SlackInteraction(None, command, client, respond)
    with svc.db.session() as s:
        choice = status.choose_retry(s, actor_of(command), command["args"])
    if choice.review_id is None:
        deliver_to(ui, choice.refusal)
        return
    respond(response_type="ephemeral", **setup.reply(setup.run(svc, client, choice.review_id)))


@subcommand("help")
def _help(svc, command, client, respond):
    respond(response_type="ephemeral", text=replies.help_text())


@subcommand("")
def _mine(svc, command, client, respond):
    run(svc, SlackInteraction(None, command, client, respond),
        lambda s, actor: status.list_mine(s, actor, svc.settings.admins))


def _unknown(svc, command, client, respond):
    # The word typed is never quoted back: it could be anything, a real name included.
    respond(response_type="ephemeral", text=replies.unknown_command())
