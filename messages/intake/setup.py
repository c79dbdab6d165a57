"""What a person reads about a review's set-up: why it stopped, and what to do next."""
from bot.workflow.core.text import Refusal, Text, text
from messages.slack.ids import COMMAND

RUNNING = ("*{reference}* is being set up right now. If its channel is not ready in a couple of minutes, "
           "try again with `" + COMMAND + " retry {reference}`.")
READY = "The review channel is ready: <#{space_id}>."
UNFINISHED_NOTE = "set-up not finished: `" + COMMAND + " retry {reference}`"
NOTHING_TO_RETRY = "All your reviews are set up: there is nothing to try again."
WHICH_ONE = "Several of your reviews are not set up yet ({references}). Say which: `" + COMMAND + " retry {example}`."
NOT_YOURS = ("None of your reviews with an unfinished set-up has that reference. "
             "`" + COMMAND + "` lists your reviews.")


def failure_text(kind: str | None, code: str | None) -> Text:
    """Why a review's set-up stopped, in the words of the platform it runs on."""
    return text(Refusal(kind or "", code or "", setup=True))
