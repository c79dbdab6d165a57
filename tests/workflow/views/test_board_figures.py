"""The board's figures from a crafted set of reviews, against numbers worked out by hand; the charts are
PNGs and the DOCX holds one picture per chart. SQLite and PostgreSQL, no chat platform."""
import io
from datetime import date, datetime, timezone

import pytest
from docx import Document
from sqlalchemy import delete
from sqlmodel import SQLModel

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.errors import PermissionDenied, WorkflowError
from bot.workflow.core.kernel import Actor, person_for
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.views import board_figures as board
from bot.workflow.views import board_use_cases
from messages.views import board_charts, board_report
from storage import migrate
from storage.crypto import configure_keys
from storage.db import Database
from storage.evidence import EvidenceItem
from storage.models import Decision, Membership, Review, StageChange
from storage.panel import Agency
from storage.report import PlanAction, Recommendation, ReportStep

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)   # a Monday
TODAY = NOW.date()
ENG = WorkingCalendar("ENG")
TEAM, COORD = "T1", "U0COORD"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def db(database_url):
    configure_keys(["oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="])
    migrate.upgrade(database_url)
    database = Database(database_url)
    with database.session() as s:
        for table in reversed(SQLModel.metadata.sorted_tables):
            s.execute(delete(table))
    with database.session() as s:
        _crafted(s)
    yield database
    database.engine.dispose()


def _at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc)


def _review(s, ref, notified, stage, tenant=TEAM, decided=None, outcome="review", submitted=None, stages=()):
    r = Review(tenant_id=tenant, reference=ref, stage=stage, notified_on=notified, notifying_agency="Police",
               victim_pseudonym="Adult A", victim_age=40, relationship="partner", created_by=COORD,
               created_at=NOW, updated_at=NOW, space_id=f"C{ref}")
    s.add(r)
    s.flush()
    if decided:
        s.add(Decision(review_id=r.id, outcome=outcome, decided_on=decided, home_office_told_on=decided,
                        recorded_by=COORD, recorded_at=NOW))
    if submitted:
        s.add(ReportStep(review_id=r.id, step="submit", on_date=submitted, recorded_by=COORD, recorded_at=NOW))
    for to_stage, on in stages:
        s.add(StageChange(review_id=r.id, to_stage=to_stage, transition="t", by=COORD, at=_at(on)))
    return r


def _crafted(s):
    police = Agency(tenant_id=TEAM, name="Police", created_by=COORD, created_at=NOW)
    health = Agency(tenant_id=TEAM, name="Health", created_by=COORD, created_at=NOW)
    s.add_all([police, health])
    r1 = _review(s, "DHR-2025-01", date(2025, 1, 10), "monitoring", decided=date(2025, 2, 5),
                 submitted=date(2025, 7, 1), stages=[("notified", date(2025, 1, 10)), ("setup", date(2025, 2, 5)),
                                                     ("evidence", date(2025, 2, 15)), ("drafting", date(2025, 4, 16))])
    r2 = _review(s, "DHR-2025-02", date(2025, 3, 1), "submitted", decided=date(2025, 4, 15),
                 submitted=date(2026, 3, 1), stages=[("notified", date(2025, 3, 1)), ("setup", date(2025, 4, 15))])
    r3 = _review(s, "DHR-2025-03", date(2025, 6, 1), "not_commissioned", decided=date(2025, 6, 20),
                 outcome="no_review")
    _review(s, "DHR-2026-01", date(2026, 10, 20), "notified")
    r5 = _review(s, "DHR-2026-02", date(2026, 1, 5), "evidence", decided=date(2026, 1, 20),
                 stages=[("notified", date(2026, 1, 5)), ("setup", date(2026, 1, 20)), ("evidence", date(2026, 2, 19))])
    _review(s, "DHR-2026-99", date(2026, 1, 5), "evidence", tenant="T2", decided=date(2026, 6, 1))
    s.flush()
    person = person_for(s, TEAM, COORD, NOW)
    s.add(Membership(review_id=r5.id, person_id=person.id, role="coordinator", added_by=COORD, added_at=NOW))
    rec1 = Recommendation(review_id=r1.id, number=1, text="t", scope="local", source="overview", created_by=COORD,
                          created_at=NOW)
    rec5 = Recommendation(review_id=r5.id, number=1, text="t", scope="local", source="overview", created_by=COORD,
                          created_at=NOW)
    s.add_all([rec1, rec5])
    s.flush()
    for n, (rec, target, status) in enumerate([(rec1, date(2026, 10, 1), "open"), (rec1, date(2026, 1, 1), "verified"),
                                               (rec1, date(2027, 6, 1), "open"), (rec5, date(2026, 11, 5), "open")]):
        s.add(PlanAction(review_id=rec.review_id, recommendation_id=rec.id, number=n + 1, action="a",
                         lead_agency_id=police.id, owner_user=COORD, outcome_measure="m", target_on=target,
                         status=status, created_by=COORD, created_at=_at(date(2026, 1, 1)), updated_at=NOW))
    for review, agency, kind, status, due in [
            (r5, police, "chronology", "requested", date(2026, 10, 1)),
            (r5, health, "imr", "requested", date(2026, 10, 15)),
            (r5, police, "imr", "requested", date(2026, 12, 1)),
            (r2, police, "scoping", "returned", date(2025, 5, 1)),
            (r1, health, "scoping", "accepted", date(2025, 3, 1)),
            (r3, police, "scoping", "requested", date(2025, 7, 1))]:
        s.add(EvidenceItem(review_id=review.id, agency_id=agency.id, kind=kind, status=status, due_on=due,
                           updated_by=COORD, updated_at=NOW))


def figures(db, quarter="2026-Q4"):
    with db.session() as s:
        return board.board_figures(s, "slack", TEAM, board.parse_quarter(quarter, TODAY), TODAY, ENG)


def test_timeliness_by_year_counts_only_what_is_due_and_matches_the_hand_count(db):
    f = figures(db)
    assert f.reviews == 5                   # the other tenant's review is not counted
    y2025, y2026 = f.years
    assert (y2025.year, y2025.notified, y2025.decided_in_month, y2025.decision_due) == (2025, 3, 2, 3)
    assert (y2025.decided_share, y2025.submitted_in_6, y2025.submission_due_6, y2025.within_6_share) == (67, 1, 2, 50)
    assert (y2025.submitted_in_12, y2025.submission_due_12, y2025.within_12_share) == (2, 2, 100)
    # Notified last month: not yet due a decision. Decided in January: six months have passed, twelve not.
    assert (y2026.notified, y2026.decision_due, y2026.decided_share) == (2, 1, 100)
    assert (y2026.submission_due_6, y2026.within_6_share, y2026.submission_due_12, y2026.within_12_share) == \
        (1, 0, 0, None)


def test_a_past_quarter_counts_only_what_was_recorded_by_its_end(db):
    f = figures(db, "2025-Q2")
    assert f.as_at == date(2025, 6, 30)
    (y2025,) = f.years
    assert (y2025.notified, y2025.decided_in_month, y2025.decision_due, y2025.submission_due_6) == (3, 2, 3, 0)
    # What is open, the actions and the evidence are as they stand today, whatever the quarter.
    assert (f.open_by_stage, f.actions_by_rag) == (figures(db).open_by_stage, figures(db).actions_by_rag)


def test_stages_open_reviews_actions_and_overdue_evidence(db):
    f = figures(db)
    times = {t.label: (t.stays, t.median_days, t.mean_days) for t in f.stage_times}
    assert times == {"Notified": (3, 26.0, 28.7), "Set-up": (2, 20.0, 20.0), "Evidence": (1, 60.0, 60.0)}
    assert f.open_by_stage == [("Notified", 1), ("Evidence", 1), ("With Home Office QA panel", 1),
                               ("Monitoring action plan", 1)]
    assert f.actions_by_rag == {"red": 1, "amber": 1, "green": 1, "complete": 1}
    assert f.overdue_by_agency == [("Police", 2), ("Health", 1)]


@pytest.mark.parametrize("words", ["2026-Q5", "Q3 2026", "2026-Q3; drop", "2027-Q1", "2009-Q1", "x" * 10_000,
                                   "2026\u200b-Q3"])
def test_a_malformed_or_future_quarter_is_refused_without_quoting_it(words):
    with pytest.raises(WorkflowError) as err:
        board.parse_quarter(words, TODAY)
    if not board.QUARTER.fullmatch(words):      # what was typed is never quoted back
        assert words not in err.value.message and "e.g. 2026-Q3" in err.value.message
    assert board.parse_quarter(" 2026q3 ", TODAY) == board.parse_quarter("report 2026-Q3", TODAY) == \
        board.Quarter(2026, 3)
    assert board.parse_quarter("Report", TODAY).label == "2026-Q4"
    assert board.parse_quarter("", TODAY).label == "2026-Q4"


def test_every_chart_is_a_png_of_the_same_size_and_the_report_holds_one_picture_each(db):
    f = figures(db)
    images = [render(f) for _, render in board_charts.CHARTS]
    assert all(i.startswith(PNG) for i in images)
    assert {(int.from_bytes(i[16:20], "big"), int.from_bytes(i[20:24], "big")) for i in images} == {(800, 450)}
    doc = Document(io.BytesIO(board_report.docx_bytes(f, "Northshire CSP")))
    assert len(doc.inline_shapes) == len(board_charts.CHARTS) == 5
    assert all("table below" in shape._inline.docPr.get("descr") for shape in doc.inline_shapes)   # alt text
    assert "Northshire CSP" in doc.paragraphs[0].text and "2026-Q4" in doc.paragraphs[0].text
    assert "BBC analysis of 495 reviews" in "\n".join(p.text for p in doc.paragraphs)
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["2025", "3", "2 of 3 (67%)", "1 of 2 (50%)",
                                                             "2 of 2 (100%)"]
    assert [c.text for c in doc.tables[4].rows[1].cells] == ["Police", "2"]
    empty = board.BoardFigures(board.Quarter(2026, 4), TODAY, TODAY, 0, [], [], [], dict.fromkeys(board.RAG_ORDER, 0),
                               [])
    assert all(render(empty).startswith(PNG) for _, render in board_charts.CHARTS)


def test_only_csp_admins_and_coordinators_get_the_report_privately(db):
    sent = []

    def dm(person: PersonRef) -> SpaceRef:
        sent.append(person.id)
        return SpaceRef(f"D-{person.id}")

    with db.session() as s:
        with pytest.raises(PermissionDenied):
            board_use_cases.board_report(s, Actor(TEAM, "U0PANEL"), "", env_admins=(), today=TODAY, now=NOW,
                                         calendar=ENG, render=lambda f: b"docx", dm_space=dm)
        assert sent == []
        done = board_use_cases.board_report(s, Actor(TEAM, COORD), "2026-Q3", env_admins=(), today=TODAY, now=NOW,
                                            calendar=ENG, render=lambda f: b"docx", dm_space=dm)
        admin = board_use_cases.board_report(s, Actor(TEAM, "U0ADMIN"), "", env_admins=("U0ADMIN",), today=TODAY,
                                             now=NOW, calendar=ENG, render=lambda f: b"docx", dm_space=dm)
        other = board_use_cases.board_report(s, Actor("T2", "U0ADMIN"), "2026-Q3", env_admins=("U0ADMIN",),
                                             today=TODAY, now=NOW, calendar=ENG, render=lambda f: b"docx", dm_space=dm)
    (f,) = done.files
    assert other.reply and "(1 review; five charts" in str(other.reply.body.words()), other.reply  # T2 has one
    assert (f.space, f.filename, f.content) == (SpaceRef("D-U0COORD"), "dhr-board-report-2026-Q3.docx", b"docx")
    assert admin.files[0].space == SpaceRef("D-U0ADMIN")
