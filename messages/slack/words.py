"""Slack's own words for what it refused or failed to do, and what to do about it (core/text.Refusal)."""
from bot.workflow.core import ports

FAILURE_TEXT = {
    ports.NOT_ALLOWED: "Your Slack workspace does not let this app create private channels or pin messages. "
                       "Ask a Slack admin to allow it, then press Try again.",
    ports.BUSY: "Slack is busy and asked the bot to slow down. Press Try again in a minute.",
    ports.UNAVAILABLE: "Slack did not answer. Press Try again in a minute.",
    ports.MISSING_PERMISSION: "The Slack app is missing a permission it needs. Ask whoever installed it to "
                              "reinstall it from the manifest, then press Try again.",
    ports.AUTH_FAILED: "The bot's Slack token is no longer valid. Ask whoever installed the app to check it.",
    ports.NOT_IN_SPACE: "The bot is no longer a member of the review channel, and cannot add itself back to a "
                        "private channel. Ask someone in the channel to add the app (type `/invite` and pick "
                        "DHR Bot there), then press Try again.",
    ports.SPACE_ARCHIVED: "The review channel has been archived. Ask a Slack admin to unarchive it, "
                          "then press Try again.",
    ports.PERSON_UNAVAILABLE: "Slack would not add you to the channel (a deactivated or guest account, or one "
                              "at its channel limit). Ask a Slack admin to check your account, then press Try again.",
    ports.NAME_TAKEN: "Every channel name for this reference is taken. Rename or delete the old channels, "
                      "then press Try again.",
}
GENERIC_FAILURE = "Slack could not finish setting up the review channel ({code}). Press Try again."
REFUSED_GENERIC = "Slack could not do that ({code}). Try again in a minute."


def failure_text(kind: str | None, code: str | None) -> str:
    return FAILURE_TEXT.get(kind or "", GENERIC_FAILURE.format(code=(code or "unknown")[:40]))


# A Slack refusal outside the set-up (a post, an invite, a pin): what happened, and who can fix it.
REFUSED = {
    ports.NOT_IN_SPACE: "The bot is not a member of that channel any more, so nothing was posted there. "
                        "Ask someone in the channel to add the app back, then try again.",
    ports.SPACE_ARCHIVED: "That channel is archived, so the bot could not post there.",
    ports.PERSON_UNAVAILABLE: "Slack would not add that person to the channel (a deactivated or guest account, "
                              "or one at its channel limit).",
    ports.BUSY: "Slack is busy and asked the bot to slow down. Try again in a minute.",
    ports.UNAVAILABLE: "Slack did not answer. Try again in a minute.",
    ports.MISSING_PERMISSION: FAILURE_TEXT[ports.MISSING_PERMISSION].replace("press Try again", "try again"),
    ports.AUTH_FAILED: FAILURE_TEXT[ports.AUTH_FAILED],
}


def refusal(kind: str, code: str, setup: bool) -> str:
    if setup:
        return failure_text(kind, code)
    return REFUSED.get(kind) or REFUSED_GENERIC.format(code=(code or "unknown")[:40])
