"""Ephemeral replies to commands and the App Home view."""
from bot.workflow.views.status_use_cases import MyReviews
from messages.core.text import render
from messages.intake import setup
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


def reviews_text(mine: MyReviews) -> str:
    """The person's reviews; with none, how a review is opened (by a CSP admin) and whom to ask."""
    if not mine.rows:
        return no_reviews(mine.admins, mine.is_admin)
    return my_reviews([{"reference": r.reference, "stage_label": r.stage_label, "space_id": r.space_id,
                        "setup_note": None if r.set_up else setup.UNFINISHED_NOTE.format(reference=r.reference)}
                       for r in mine.rows])
