"""What the workflow needs from a chat platform. Adapters (Slack now, Teams later) implement it."""
from dataclasses import dataclass
from typing import Any, Protocol


class ChatError(Exception):
    """The platform refused or failed. `code` is the platform's error code (e.g. restricted_action)."""

    def __init__(self, code: str, *, retryable: bool = False):
        super().__init__(code)
        self.code = code
        self.retryable = retryable


class SpaceNameTaken(ChatError):
    def __init__(self):
        super().__init__("name_taken")


@dataclass(frozen=True)
class SpaceRef:
    id: str
    name: str


class ChatPort(Protocol):
    def create_private_space(self, name: str) -> SpaceRef: ...

    def invite(self, space_id: str, user_ids: list[str]) -> None:
        """Already-present members are not an error."""

    def post(self, space_id: str, notice: Any) -> str:
        """Returns the message reference (Slack ts)."""

    def update(self, space_id: str, message_ref: str, notice: Any) -> None: ...

    def pin(self, space_id: str, message_ref: str) -> None:
        """Already pinned is not an error."""

    def dm(self, user_id: str, notice: Any) -> None: ...

    def remove(self, space_id: str, user_id: str) -> None:
        """Takes someone out of the space at once. Not being there is not an error."""

    def upload(self, space_id: str, filename: str, content: bytes, title: str) -> None: ...

    def rename(self, space_id: str, name: str) -> str:
        """Returns the new name; raises SpaceNameTaken when another space has it."""

    def archive(self, space_id: str) -> None:
        """Already archived is not an error."""
