"""Ephemeral replies to commands: the help list. The person's reviews are messages/views/reviews.py."""
from messages.core.text import render
from messages.slack.ids import COMMAND


def help_text() -> str:
    return render("help.md.j2", command=COMMAND)


def unknown_command() -> str:
    return f"That isn't a `{COMMAND}` command I know.\n{help_text()}"
