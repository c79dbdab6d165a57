"""Ephemeral replies to commands and the App Home view."""
from messages.core.text import render
from messages.slack.ids import COMMAND


def help_text() -> str:
    return render("help.md.j2", command=COMMAND)


def unknown_command() -> str:
    return f"That isn't a `{COMMAND}` command I know.\n{help_text()}"


def no_reviews(admins: list[str], is_admin: bool) -> str:
    """Only CSP admins open reviews: they are told how, everyone else whom to ask."""
    return render("no_reviews.md.j2", command=COMMAND, admins=admins, is_admin=is_admin)


def my_reviews(rows: list[dict]) -> str:
    return render("my_reviews.md.j2", reviews=rows)
