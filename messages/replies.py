"""Ephemeral replies to commands and the App Home view."""
from messages import blocks as bk
from messages.ids import COMMAND
from messages.text import render


def help_text() -> str:
    return render("help.md.j2", command=COMMAND)


def no_reviews() -> str:
    return render("no_reviews.md.j2", command=COMMAND)


def my_reviews(rows: list[dict]) -> str:
    return render("my_reviews.md.j2", reviews=rows)


def home(rows: list[dict]) -> dict:
    body = my_reviews(rows) if rows else no_reviews()
    view = {"type": "home", "blocks": [bk.header("DHR Bot").to_dict(), bk.section(body).to_dict(),
                                       bk.context(help_text().splitlines()[0]).to_dict()]}
    return view
