"""Typed notices of the chronology, the IMR and shared files: messages with buttons, or whose wording
depends on facts the platform renders (a file's check, where a term was found)."""
from dataclasses import dataclass

from bot.workflow.evidence.chronology_rows import FileCheck


@dataclass(frozen=True)
class ImrReady:
    """To the author: a complete IMR version, with the button to make the declarations."""

    reference: str
    version_id: int
    version: int


@dataclass(frozen=True)
class ImrSubmitted:
    """In the review's space: an author submitted an IMR version, with the chair's buttons."""

    reference: str
    agency: str
    version: int
    version_id: int
    author: str


@dataclass(frozen=True)
class EntrySaved:
    """To the person who added or corrected a chronology entry, with the button to correct it."""

    reference: str
    entry_id: int
    version: int


@dataclass(frozen=True)
class UploadChecked:
    """To the uploader only: what the check of a chronology file found, and the Import button."""

    reference: str
    check: FileCheck
    upload_id: int | None
    full_report_sent: bool


@dataclass(frozen=True)
class TermInFile:
    """To the uploader: their shared file holds a term on the redaction list (where, never what)."""

    reference: str
    where: str
    deleted: bool
    in_dm: bool
    coordinator_told: bool


@dataclass(frozen=True)
class TermInFileShared:
    """To a coordinator: someone shared a file holding a term (`space` None: in a DM with the bot)."""

    reference: str
    uploader: str
    space: str | None
    where: str
    deleted: bool


@dataclass(frozen=True)
class ImrReturned:
    """In the review's space: the chair returned an IMR version, the comments quoted."""

    reference: str
    agency: str
    version: int
    by: str
    comments: str
