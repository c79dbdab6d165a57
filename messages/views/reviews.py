"""The person's own reviews (the bare command, and the top of the Home view); with none, how a review
is opened (by a CSP admin) and whom to ask."""
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Mention, SpaceLink, SpaceWord, Text, join, text
from bot.workflow.views.status_use_cases import MyReviews, ReviewRow

MAX_ADMINS = 5


def my_reviews(mine: MyReviews) -> Text:
    if not mine.rows:
        return _none_yet(mine.admins, mine.is_admin)
    return text(Bold("Your reviews"), "\n", join("\n", [_row(r) for r in mine.rows]))


def _row(r: ReviewRow) -> Text:
    where = text(" in ", SpaceLink(SpaceRef(r.space_id))) if r.space_id else ""
    unfinished = text(" (set-up not finished: ", Command(f"retry {r.reference}"), ")") if not r.set_up else ""
    return text(f"• {r.reference}: {r.stage_label}", where, unfinished)


def _none_yet(admins: list[str], is_admin: bool) -> Text:
    if is_admin:
        how = text("To start one when the police notify the CSP of a death, type ", Command("new"), ": the bot asks "
                   "for the notification details, opens a private ", SpaceWord(), " named from the case reference "
                   "and tracks the one-month decision deadline. Whoever opens a review is its first coordinator.")
    else:
        named = text(" (", join(", ", [Mention(PersonRef(a)) for a in admins[:MAX_ADMINS]]), ")") if admins else ""
        how = text("Reviews are opened by the CSP admins", named, ", who become each review's first coordinator: when "
                   "the police notify the CSP of a death, ask one of them to open the review.")
    return text("You are not part of any review yet.\n", how, "\nIf you expect to be on a review's panel, ask its "
                "coordinator to add you. ", Command("help"), " lists every command.")
