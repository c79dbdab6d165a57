"""The list's terms are loaded once and reused while the list is unchanged, yet a term added or
removed by any process (another Redactions on the same database) counts from the next check."""
from datetime import date, datetime, timezone

import pytest
from sqlmodel import delete

from bot.workflow.panel.redaction import hmac_key, term_digests
from bot.workflow.panel.redaction_list import Redactions
from storage import migrate
from storage.db import Database
from storage.models import Review
from storage.panel import RedactionTerm

KEY = hmac_key("a-server-key-of-at-least-32-characters")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(database_url):
    migrate.upgrade(database_url)
    database = Database(database_url)
    yield database
    with database.session() as s:
        s.exec(delete(RedactionTerm))
        s.commit()
    database.engine.dispose()


def add_term(db: Database, term: str, entry: int) -> None:
    with db.session() as s:
        review = s.get(Review, 1) or Review(tenant_id="T1", reference="DHR-2026-777", stage="notified",
                                            notified_on=date(2026, 11, 1), notifying_agency="Police",
                                            victim_pseudonym="Adult A", victim_age=40, relationship="relative",
                                            created_by="U1", created_at=NOW, updated_at=NOW)
        s.add(review)
        s.flush()
        for count, digest in term_digests(term, "name", KEY):
            s.add(RedactionTerm(review_id=review.id, token_count=count, digest=digest, kind="name", entry=entry,
                                added_by="U1", added_at=NOW))
        s.commit()


def test_a_term_added_or_removed_elsewhere_counts_from_the_next_check(db, database_url):
    checking, elsewhere = Redactions(db, KEY), Database(database_url)
    try:
        assert checking.hit({"text": "Visit by Jane Smith"}) is None
        add_term(elsewhere, "Jane Smith", entry=1)
        assert checking.hit({"text": "Visit by Jane Smith"}) == "/text"
        assert checking.hit({"text": "Visit by Marta Kowalska"}) is None
        add_term(elsewhere, "Marta Kowalska", entry=2)
        assert checking.hit({"text": "Visit by Marta Kowalska"}) == "/text"
        with elsewhere.session() as s:      # retention deletes a review's terms
            s.exec(delete(RedactionTerm).where(RedactionTerm.entry == 1))
            s.commit()
        assert checking.hit({"text": "Visit by Jane Smith"}) is None
        assert checking.hit({"text": "Visit by Marta Kowalska"}) == "/text"
    finally:
        elsewhere.engine.dispose()


def test_a_text_found_clean_in_one_check_is_checked_again_in_the_next(db):
    checking = Redactions(db, KEY)
    first = checking.matcher()
    assert not first.find("Seen by Jane Smith")
    second = checking.matcher()
    assert second is not first and not second._clean
