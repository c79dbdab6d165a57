"""A review's redaction list: registering terms (as keyed hashes only) and checking text against all of them."""
import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit, authorize
from bot.workflow.core.permissions import Operation
from bot.workflow.panel.redaction import KINDS, RedactionMatcher, scan_payload, term_digests
from storage.models import Review
from storage.panel import RedactionTerm

REFUSED_FIELD = ("This contains a term on a review's redaction list (a real name, date of birth or address). "
                 "Use the pseudonym or leave it out.")


KIND_LABELS = {"name": "A real name", "date_of_birth": "A date of birth", "address": "Part of an address",
               "other": "Something else"}


class RedactionForm(FormSpec):
    kind = Field("What is it?", Kind.RADIO, options=KIND_LABELS)
    term = Field("Term", hint="For example a real first and last name, or a date of birth.")


class RedactionBlocked(WorkflowError):
    """An outgoing message was stopped because it contains a registered term."""

    def __init__(self):
        super().__init__("Not sent: it contains a term on a review's redaction list (a real name, date of birth "
                         "or address). Correct the stored details to use pseudonyms, then try again.")


def entry_count(session: Session, review: Review) -> int:
    return session.exec(select(func.count(func.distinct(RedactionTerm.entry)))
                        .where(RedactionTerm.review_id == review.id)).one()


def add_term(session: Session, review: Review, actor: Actor, raw: dict, key: bytes, now: datetime) -> int:
    """Stores only HMACs of the term (and, for a date of birth, of the ways it is written). Returns the count."""
    authorize(session, review, actor, Operation.MANAGE_REDACTIONS)
    f = RedactionForm
    kind = f.kind.of(raw)
    if kind not in KINDS:
        raise f.invalid({f.kind.key: "Choose what kind of term it is."})
    try:
        digests = term_digests(f.term.of(raw) or "", kind, key)
    except ValueError as err:
        raise f.invalid({f.term.key: str(err)}) from err
    known = set(session.exec(select(RedactionTerm.digest).where(RedactionTerm.review_id == review.id)))
    if all(d in known for _, d in digests):
        raise f.invalid({f.term.key: "That term is already on this review's redaction list."})
    entry = (session.exec(select(func.max(RedactionTerm.entry)).where(RedactionTerm.review_id == review.id)).one()
             or 0) + 1
    for count, digest in digests:
        if digest not in known:
            session.add(RedactionTerm(review_id=review.id, token_count=count, digest=digest, kind=kind,
                                      entry=entry, added_by=actor.user_id, added_at=now))
    audit(session, actor.user_id, "redaction.added", now, review.id, kind=kind)
    session.flush()
    return entry_count(session, review)


class Redactions:
    """Checks text against every review's terms: a real name must not leak through another review either."""

    def __init__(self, db, key: bytes):
        self.db, self.key = db, key
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int], RedactionMatcher] | None = None

    def matcher(self) -> RedactionMatcher:
        """Every send is checked, so the terms are reloaded only when the list changed. (newest id,
        count) changes with every addition and every deletion, whichever process made it."""
        with self.db.session() as s:
            version = tuple(s.exec(select(func.coalesce(func.max(RedactionTerm.id), 0),
                                          func.count(RedactionTerm.id))).one())
            cached = self._cached
            if cached is not None and cached[0] == version:
                return cached[1].fresh()
            rows = s.exec(select(RedactionTerm.token_count, RedactionTerm.digest)).all()
        matcher = RedactionMatcher(rows, self.key)
        with self._lock:
            self._cached = (version, matcher)
        return matcher.fresh()

    def lazy_find(self) -> Callable[[str], bool]:
        """text -> it holds a term of any review's list, the terms loaded at the first text asked about
        (a Home redraw that shows no text costs no query)."""
        loaded: list[RedactionMatcher] = []

        def find(text: str) -> bool:
            if not loaded:
                loaded.append(self.matcher())
            return loaded[0].find(text)
        return find

    def hit(self, payload) -> str | None:
        """The path of the first string that contains a term, or None."""
        matcher = self.matcher()
        return scan_payload(payload, matcher) if matcher else None

    def checker(self, after: int = 0):
        """(mark, text -> bool) over the terms newer than `after`, loaded once (uploads, forms, exports).
        The mark (newest term id) is read before the terms, so text checked now is clean up to it."""
        with self.db.session() as s:
            mark = s.exec(select(func.max(RedactionTerm.id))).one() or 0
            rows = s.exec(select(RedactionTerm.token_count, RedactionTerm.digest)
                          .where(RedactionTerm.id > after)).all()
        matcher = RedactionMatcher(rows, self.key)
        return mark, (lambda text: bool(scan_payload(text, matcher))) if matcher else (lambda text: False)

    def first_hit_row(self, rows, marks) -> int | None:
        """The index of the first row (a list of cells) with a term in any cell, checking each row only
        against the terms registered after its mark (what it was last checked against): for exports."""
        with self.db.session() as s:
            newest = s.exec(select(func.max(RedactionTerm.id))).one() or 0
        pending: dict[int, list[int]] = {}
        for index, mark in enumerate(marks):
            if (mark or 0) < newest:
                pending.setdefault(mark or 0, []).append(index)
        hits = []
        for mark, indexes in pending.items():
            with self.db.session() as s:
                terms = s.exec(select(RedactionTerm.token_count, RedactionTerm.digest)
                               .where(RedactionTerm.id > mark)).all()
            found = RedactionMatcher(terms, self.key).find_any(
                "\n".join(str(c) for c in rows[i] if c) for i in indexes)
            if found is not None:
                hits.append(indexes[found])
        return min(hits) if hits else None

    def field_errors(self, values: dict) -> dict[str, str]:
        matcher = self.matcher()
        if not matcher:
            return {}
        return {block: REFUSED_FIELD for block, value in values.items() if scan_payload(value, matcher)}
