"""Teams' own words for what it refused or failed to do, and what to do about it (core/text.Refusal)."""
from bot.workflow.core import ports

FAILURE_TEXT = {
    ports.NOT_ALLOWED: "Your organisation's Teams settings do not let this app create group chats or install "
                       "itself in them. Ask your Teams administrator to allow it, then press Try again.",
    ports.BUSY: "Teams is busy and asked the bot to slow down. Press Try again in a minute.",
    ports.UNAVAILABLE: "Teams did not answer. Press Try again in a minute.",
    ports.MISSING_PERMISSION: "The app is missing a Microsoft Graph permission it needs (see the Teams set-up "
                              "guide). Ask your Teams administrator to grant it, then press Try again.",
    ports.AUTH_FAILED: "The bot's Microsoft credentials are no longer valid. Ask whoever runs DHR Bot to check "
                       "TEAMS_CLIENT_SECRET.",
    ports.NOT_IN_SPACE: "The bot is no longer in the review's chat. Ask someone in the chat to add the app back, "
                        "then press Try again.",
    ports.PERSON_UNAVAILABLE: "Teams would not add you to the review's chat (a disabled or guest account). Ask your "
                              "Teams administrator to check your account, then press Try again.",
}
GENERIC_FAILURE = "Teams could not finish setting up the review's chat ({code}). Press Try again."
REFUSED = {
    ports.NOT_IN_SPACE: "The bot is not in that chat any more, so nothing was posted there. Ask someone in the "
                        "chat to add the app back, then try again.",
    ports.PERSON_UNAVAILABLE: "Teams would not add that person to the chat (a disabled or guest account, or one "
                              "the app cannot reach).",
    ports.BUSY: "Teams is busy and asked the bot to slow down. Try again in a minute.",
    ports.UNAVAILABLE: "Teams did not answer. Try again in a minute.",
    ports.MISSING_PERMISSION: FAILURE_TEXT[ports.MISSING_PERMISSION].replace("press Try again", "try again"),
    ports.AUTH_FAILED: FAILURE_TEXT[ports.AUTH_FAILED],
}
REFUSED_GENERIC = "Teams could not do that ({code}). Try again in a minute."


def refusal(kind: str, code: str, setup: bool) -> str:
    said = (code or "unknown")[:40]
    if setup:
        return FAILURE_TEXT.get(kind) or GENERIC_FAILURE.format(code=said)
    return REFUSED.get(kind) or REFUSED_GENERIC.format(code=said)
