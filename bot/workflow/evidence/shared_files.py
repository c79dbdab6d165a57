"""A file shared in a review's space (or with the bot) whose name or content holds a term on the redaction
list. The bot never repeats the term: it says where it is (the name, which rows, the text), tells the
uploader and the review's coordinators privately, asks for the file to be deleted and audits it."""
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from bot.workflow.clock.due import coordinators_by_review
from bot.workflow.core.kernel import Actor, audit
from bot.workflow.evidence.chronology_rows import FileRefused, cell_text, file_kind, table_rows
from bot.workflow.evidence.imr import read_sections
from storage.models import Review

READABLE = ("csv", "xlsx", "docx")
SHOWN_ROWS = 5


@dataclass(frozen=True)
class TermFound:
    """Where a registered term is in a shared file: never the term itself."""
    in_name: bool = False
    rows: tuple[int, ...] = ()
    in_text: bool = False

    def __bool__(self) -> bool:
        return self.in_name or bool(self.rows) or self.in_text

    def where(self) -> str:
        """ "its name and rows 2, 5" """
        parts = ["its name"] if self.in_name else []
        if self.rows:
            shown = ", ".join(map(str, self.rows[:SHOWN_ROWS])) + (" and more" if len(self.rows) > SHOWN_ROWS else "")
            parts.append(f"row{'s' if len(self.rows) > 1 else ''} {shown}")
        if self.in_text:
            parts.append("its text")
        return " and ".join(parts)


def readable(name: str) -> bool:
    return file_kind(name) in READABLE


def check_name(name: str, redacted: Callable[[str], bool]) -> TermFound:
    return TermFound(in_name=bool(name) and redacted(name))


def check_content(found: TermFound, name: str, content: bytes, redacted: Callable[[str], bool]) -> TermFound:
    """Adds what the file's cells or paragraphs hold. A file that can't be read adds nothing: the ordinary
    check of that upload says what is wrong with it."""
    kind = file_kind(name)
    try:
        if kind == "docx":
            hit = any(redacted(text) for heading, body in read_sections(content) for text in [heading, *body])
            return TermFound(found.in_name, found.rows, hit)
        if kind in ("csv", "xlsx"):
            rows = tuple(number for number, cells in table_rows(kind, content)
                         if any(redacted(text) for text in map(cell_text, cells) if text))
            return TermFound(found.in_name, rows, found.in_text)
    except FileRefused:
        pass
    return found


@dataclass(frozen=True)
class Flagged:
    reference: str
    coordinators: tuple[str, ...]   # to tell privately (the uploader is told anyway)


def record(session: Session, review: Review, actor: Actor, file_id: str, found: TermFound, deleted: bool,
           now) -> Flagged:
    """Audited with the file's id and where the term was: its name is not kept, since it may hold the term."""
    audit(session, actor.user_id, "file.redacted_term_shared", now, review.id, file_id=file_id[:32],
          where=found.where(), deleted=deleted)
    coordinators = coordinators_by_review(session, [review.id]).get(review.id, ())
    return Flagged(review.reference, tuple(u for u in coordinators if u != actor.user_id))
