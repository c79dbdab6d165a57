"""What the person who concluded a review is told when the platform could not finish closing its space."""
from bot.workflow.core.text import Command, Text, text
from bot.workflow.report.conclusion import ClosingOutcome


def closing_unfinished(done: ClosingOutcome) -> Text:
    return text(f"{done.reference} is concluded, but Slack could not finish closing its channel ({done.error}). "
                "Run ", Command("conclude"), " in it again to finish.")
