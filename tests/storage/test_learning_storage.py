"""Themes across reviews and the Strategic Action Plan in storage, on SQLite and PostgreSQL: the CSP view
from the benchmark's seed (counts, withheld texts, few queries), and a review's deletion under the
retention policy taking its tags, lessons and strategic citations with it (foreign keys hold)."""
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import event
from sqlmodel import select

from bench.themes import HMAC, TEAM, THEMES, seed
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.kernel import Actor
from bot.workflow.panel.redaction import hmac_key
from bot.workflow.panel.redaction_list import Redactions
from bot.workflow.report import learning
from bot.workflow.report.retention import delete_content
from bot.workflow.report.strategic_home import SHOWN, strategic_home
from storage import migrate
from storage.crypto import configure_keys
from storage.db import Database
from storage.learning import Lesson, StrategicAction, StrategicCitation, StrategicLead, ThemeTag
from storage.models import Review
from storage.report import ReviewClosure

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def db(database_url):
    configure_keys([Fernet.generate_key().decode()])
    migrate.upgrade(database_url)
    database = Database(database_url)
    seed(database, reviews=12, recs_per=3, lessons_per=2, actions_per_rec=2)
    yield database
    database.engine.dispose()


def _view(db):
    withheld = Redactions(db, hmac_key(HMAC)).matcher().find
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with db.session() as s:
            return learning.build_view(s, "slack", TEAM, themes=THEMES, withheld=withheld), statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)


def test_the_view_counts_every_tagged_text_in_a_few_queries(db):
    view, statements = _view(db)
    assert view.reviews == 12
    assert sum(len(t.recommendations) for t in view.themes) == 12 * 3 * 2      # two themes each
    assert sum(len(t.lessons) for t in view.themes) == 12 * 2 * 2
    assert all(i.total == 2 for t in view.themes for i in t.recommendations)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 6


def test_a_review_deleted_under_retention_leaves_the_view_and_its_citations(db):
    with db.session() as s:
        review = s.get(Review, 1)
        rec_ids = [t.recommendation_id for t in s.exec(select(ThemeTag).where(ThemeTag.review_id == 1))
                   if t.recommendation_id]
        action = StrategicAction(tenant_id=TEAM, number=1, action="Joint training for every agency on DASH",
                                 owner_agency="Agency 1", owner_user="U0BCOORD", outcome_measure="Records kept",
                                 target_on=NOW.date(), created_by="U0BCOORD", created_at=NOW, updated_at=NOW)
        s.add(action)
        s.flush()
        s.add(StrategicCitation(strategic_action_id=action.id, recommendation_id=rec_ids[0]))
        s.add(ReviewClosure(review_id=1, concluded_on=NOW.date(), retain_until=NOW.date(), concluded_by="U0BCOORD",
                            concluded_at=NOW, content_deleted_at=NOW, content_deleted_by="U0BCOORD"))
    with db.session() as s:
        delete_content(s, s.get(Review, 1))
    with db.session() as s:
        assert s.exec(select(ThemeTag).where(ThemeTag.review_id == 1)).all() == []
        assert s.exec(select(Lesson).where(Lesson.review_id == 1)).all() == []
        assert s.exec(select(StrategicCitation)).all() == []
        assert len(s.exec(select(StrategicAction)).all()) == 1        # the CSP's action keeps its own words
    view, _ = _view(db)
    assert view.reviews == 11 and review.reference not in {i.reference for t in view.themes for i in t.lessons}


def _home(db, user: str, admins: tuple[str, ...] = ()):
    statements: list[str] = []
    decrypted: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with db.session() as s:
            got = strategic_home(s, Actor(tenant_id=TEAM, user_id=user, platform="slack"), admins, NOW.date(),
                                 WorkingCalendar("ENG"), lambda t: decrypted.append(t) or "Quentin" in t)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return got, [s for s in statements if s.lstrip().upper().startswith("SELECT")], decrypted


def test_the_home_section_costs_two_queries_and_decrypts_only_the_persons_own_actions(db):
    """Drawn on every Home redraw (Teams redraws "My work" after each change), so it must stay cheap."""
    with db.session() as s:
        start = 1 + max([a.number for a in s.exec(select(StrategicAction))] or [0])
        for i in range(40):
            owner = "U0BOWNER" if i % 4 == 0 else f"U0BOTHER{i}"
            s.add(StrategicAction(tenant_id=TEAM, number=start + i, owner_agency="Agency 1", owner_user=owner,
                                  action=f"Quentin Marlowe's case: action {i}" if i == 4 else f"Joint training {i}",
                                  outcome_measure="Records kept", target_on=NOW.date() + timedelta(days=i - 5),
                                  status="completed" if i % 10 == 9 else "open", created_by="U0BCOORD",
                                  created_at=NOW, updated_at=NOW))
        s.add(StrategicLead(tenant_id=TEAM, user_id="U0BLEAD", added_by="U0BCOORD", added_at=NOW))
    mine, queries, decrypted = _home(db, "U0BOWNER")
    assert len(queries) <= 2 and mine is not None and not mine.lead
    assert mine.mine_total == 10 and len(mine.mine) == SHOWN and len(decrypted) == SHOWN   # only those shown
    assert mine.mine[0].rag == "red" and mine.mine[1].text == learning.WITHHELD     # target passed; a name
    lead, queries, decrypted = _home(db, "U0BLEAD")
    assert len(queries) <= 2 and lead is not None and lead.lead and lead.mine == [] and decrypted == []
    assert "strategicaction.action" not in queries[-1]                           # the counts decrypt nothing
    with db.session() as s:
        plan = [a for a in s.exec(select(StrategicAction).where(StrategicAction.tenant_id == TEAM))
                if a.status in ("open", "completed")]
    assert sum(lead.rag_counts.values()) + lead.awaiting == len(plan) and lead.awaiting == 4
    stranger, queries, _ = _home(db, "U0BNOBODY")
    assert stranger is None and len(queries) <= 2
    assert _home(db, "U0BNOBODY", admins=("U0BNOBODY",))[0].lead                 # a CSP admin from the settings
