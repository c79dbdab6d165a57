"""What a chat platform's failure means to the workflow. The port itself is core/chat_port.py."""
# What a platform failure means to the workflow (ChatError.kind); adapters map their codes to these.
NOT_IN_SPACE = "not_in_space"            # the bot is not (or no longer) in the space, or it is gone
SPACE_ARCHIVED = "space_archived"
PERSON_UNAVAILABLE = "person_unavailable"  # unknown, deactivated or restricted account
NOT_ALLOWED = "not_allowed"              # the workspace's policy forbids it
MISSING_PERMISSION = "missing_permission"  # the app lacks a permission (reinstall)
AUTH_FAILED = "auth_failed"              # the bot's credentials are no longer valid
BUSY = "busy"                            # rate limited
UNAVAILABLE = "unavailable"              # the platform failed or could not be reached
NAME_TAKEN = "name_taken"
MESSAGE_REFUSED = "message_refused"    # the message itself was refused as it is (too long, malformed)
OTHER = "other"


class ChatError(Exception):
    """The platform refused or failed. `code` is the platform's own code (for the audit and logs);
    `kind` is what it means here (one of the constants above); `retry_after`, seconds to wait when
    the platform said."""

    retry_after: int | None = None

    def __init__(self, code: str, *, retryable: bool = False, kind: str | None = None):
        super().__init__(code)
        self.code = code
        self.retryable = retryable
        self.kind = kind or (UNAVAILABLE if retryable else OTHER)


class SpaceNameTaken(ChatError):
    def __init__(self) -> None:
        super().__init__(NAME_TAKEN, kind=NAME_TAKEN)
