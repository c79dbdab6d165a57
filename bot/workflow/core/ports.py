"""What the workflow needs from a chat platform. Each platform's adapter implements it."""
from dataclasses import dataclass
from typing import Any, Protocol

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


@dataclass(frozen=True)
class SpaceRef:
    id: str
    name: str


class ChatPort(Protocol):
    def create_private_space(self, name: str) -> SpaceRef: ...

    def invite(self, space_id: str, user_ids: list[str]) -> None:
        """Already-present members are not an error."""

    def find_private_space(self, name: str) -> SpaceRef | None:
        """A live private space of that name which this bot created and is in; None if there is none.
        Lets a set-up interrupted after creating its space find it again instead of making another."""

    def post(self, space_id: str, notice: Any, *, tag: str | None = None) -> str:
        """Returns the message reference (opaque to the workflow). A `tag` is carried invisibly, for find_post."""

    def find_post(self, space_id: str, tag: str) -> str | None:
        """The reference of this bot's message in the space carrying `tag`, if there is one."""

    def update(self, space_id: str, message_ref: str, notice: Any) -> None: ...

    def pin(self, space_id: str, message_ref: str) -> None:
        """Already pinned is not an error."""

    def dm(self, user_id: str, notice: Any, *, tag: str | None = None) -> None: ...

    def find_dm(self, user_id: str, tag: str) -> bool:
        """Whether this bot's direct message to the person carrying `tag` is there."""

    def remove(self, space_id: str, user_id: str) -> None:
        """Takes someone out of the space at once. Not being there is not an error."""

    def upload(self, space_id: str, filename: str, content: bytes, title: str) -> None: ...

    def rename(self, space_id: str, name: str) -> str:
        """Returns the new name; raises SpaceNameTaken when another space has it."""

    def archive(self, space_id: str) -> None:
        """Already archived is not an error."""
