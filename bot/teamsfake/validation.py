"""What the Bot Connector refuses in an activity the bot sends, before anything is posted."""

from __future__ import annotations

from typing import Any, Callable

from .model import ADAPTIVE_CARD

CardValidator = Callable[..., list[str]]  # validate_card(card, *, dialog=False) -> problems
MAX_ACTIVITY_BYTES = 28 * 1024  # "about 28 KB" of activity JSON, then 413 MessageSizeTooBig
SENDABLE_TYPES = {"message", "typing"}


def activity_problems(activity: Any, card_validator: CardValidator | None) -> list[str]:
    if not isinstance(activity, dict):
        return ["The activity must be a JSON object."]
    kind = activity.get("type")
    if not isinstance(kind, str) or not kind:
        return ["Activity type is required."]
    if kind not in SENDABLE_TYPES:
        return [f"Unknown activity type '{kind}'."]
    if kind == "typing":
        return []
    problems: list[str] = []
    text = activity.get("text")
    if text is not None and not isinstance(text, str):
        problems.append("text must be a string.")
    attachments = activity.get("attachments")
    if attachments is not None and not isinstance(attachments, list):
        return problems + ["attachments must be an array."]
    if not text and not attachments:
        problems.append("The message has no text and no attachments.")
    for index, attachment in enumerate(attachments or []):
        problems += [f"attachments[{index}]: {p}" for p in attachment_problems(attachment, card_validator)]
    return problems


def attachment_problems(attachment: Any, card_validator: CardValidator | None) -> list[str]:
    if not isinstance(attachment, dict):
        return ["an attachment must be an object."]
    content_type = attachment.get("contentType")
    if not isinstance(content_type, str) or not content_type:
        return ["contentType is required."]
    if content_type != ADAPTIVE_CARD:
        return []
    card = attachment.get("content")
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return ["an Adaptive Card attachment needs content of type AdaptiveCard."]
    return list(card_validator(card, dialog=False)) if card_validator else []


def dialog_card_problems(card: Any, card_validator: CardValidator | None) -> list[str]:
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return ["the dialog's card must be an Adaptive Card."]
    return list(card_validator(card, dialog=True)) if card_validator else []
