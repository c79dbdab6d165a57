"""What the Bot Connector refuses in an activity the bot sends, before anything is posted."""

from __future__ import annotations

from typing import Any, Callable

from .model import ADAPTIVE_CARD

CardValidator = Callable[..., list[str]]  # validate_card(card, *, dialog=False) -> problems
MAX_ACTIVITY_BYTES = 28 * 1024  # "about 28 KB" of activity JSON, then 413 MessageSizeTooBig
SENDABLE_TYPES = {"message", "typing"}
FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
FILE_CARDS = (FILE_CONSENT, FILE_INFO)  # only in a personal chat (Teams' bot file APIs)


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
    if content_type == FILE_CONSENT:
        return _consent_problems(attachment)
    if content_type == FILE_INFO:
        return _file_info_problems(attachment)
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


def _consent_problems(attachment: dict[str, Any]) -> list[str]:
    """A FileConsentCard: the file's name on the attachment; description, sizeInBytes and the two contexts."""
    problems = []
    if not isinstance(attachment.get("name"), str) or not attachment["name"].strip():
        problems.append("a file consent card needs the file's name.")
    content = attachment.get("content")
    if not isinstance(content, dict):
        return problems + ["a file consent card needs content."]
    size = content.get("sizeInBytes")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        problems.append("sizeInBytes must be a whole number of bytes.")
    if "description" in content and not isinstance(content["description"], str):
        problems.append("description must be a string.")
    for key in ("acceptContext", "declineContext"):
        if key in content and not isinstance(content[key], (dict, type(None))):
            problems.append(f"{key} must be an object.")
    return problems


def _file_info_problems(attachment: dict[str, Any]) -> list[str]:
    content = attachment.get("content")
    problems = [f"a file info card needs {key}." for key in ("contentUrl", "name")
                if not isinstance(attachment.get(key), str) or not attachment[key]]
    if not isinstance(content, dict) or not all(isinstance(content.get(k), str) and content[k]
                                                for k in ("uniqueId", "fileType")):
        problems.append("a file info card needs content.uniqueId and content.fileType.")
    return problems


def file_cards(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in activity.get("attachments") or [] if isinstance(a, dict) and a.get("contentType") in FILE_CARDS]
