"""A review's redaction list: registering terms (as keyed hashes only) and checking text against all of them."""
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from bot.workflow.errors import ValidationFailed, WorkflowError
from bot.workflow.permissions import Operation
from bot.workflow.redaction import KINDS, RedactionMatcher, scan_payload, term_digests
from bot.workflow.reviews import Actor, audit, authorize
from storage.models import Review
from storage.panel import RedactionTerm

REFUSED_FIELD = ("This contains a term on a review's redaction list (a real name, date of birth or address). "
                 "Use the pseudonym or leave it out.")


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
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValidationFailed({"kind": "Choose what kind of term it is."})
    try:
        digests = term_digests(raw.get("term") or "", kind, key)
    except ValueError as err:
        raise ValidationFailed({"term": str(err)})
    known = set(session.exec(select(RedactionTerm.digest).where(RedactionTerm.review_id == review.id)))
    if all(d in known for _, d in digests):
        raise ValidationFailed({"term": "That term is already on this review's redaction list."})
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

    def matcher(self) -> RedactionMatcher:
        with self.db.session() as s:
            rows = s.exec(select(RedactionTerm.token_count, RedactionTerm.digest)).all()
        return RedactionMatcher(rows, self.key)

    def hit(self, payload) -> str | None:
        """The path of the first string that contains a term, or None."""
        matcher = self.matcher()
        return scan_payload(payload, matcher) if matcher else None

    def field_errors(self, values: dict) -> dict[str, str]:
        matcher = self.matcher()
        if not matcher:
            return {}
        return {block: REFUSED_FIELD for block, value in values.items() if scan_payload(value, matcher)}
