"""Terms of reference, evidence requests, scoping answers, family contacts and the reminder sources:
the rules, without Slack (bot/workflow/evidence/terms.py, evidence_requests.py, family.py)."""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.workflow.clock.due import DueWindow
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.errors import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from bot.workflow.core.permissions import Operation
from bot.workflow.evidence import evidence_items as cells
from bot.workflow.evidence import evidence_requests as req
from bot.workflow.evidence import family, terms
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.reminders.sources import sources
from storage.evidence import EvidenceItem
from storage.models import AuditEntry, Review
from storage.panel import Agreement
from storage.terms import TermsConfirmation, TermsOfReference
from tests.workflow.evidence.evidence_db import (  # noqa: F401
    CHAIR,
    COORD,
    HEALTH_LEAD,
    NOW,
    OBSERVER,
    OUTSIDER,
    POLICE_LEAD,
    POLICE_PANEL,
    TODAY,
    actor,
    add_member,
    db,
    empty_db,
    make_review,
    world,
)

pytestmark = pytest.mark.db
LONDON = ZoneInfo("Europe/London")


def tor_values(w, **over) -> dict:
    values = {"scope_from": "2021-01-01", "scope_to": "2026-08-30", "agencies": [str(w["police"]), str(w["health"])],
              "lines": ["coercive_control", "risk_marac"], "other_lines": "Housing moves", "pseudonyms": "Adult A",
              "agreed_on": None}
    values.update(over)
    return values


def review_of(s, w) -> Review:
    return s.get(Review, w["review_id"])


# ---------------------------------------------------------------- terms of reference

def test_each_save_is_a_new_version_and_current_terms_is_the_latest(world, empty_db):
    with empty_db.session() as s:
        assert terms.current_terms(s, world["review_id"]) is None
        first = terms.save(s, review_of(s, world), actor(COORD), tor_values(world), now=NOW, today=TODAY).terms
        second = terms.save(s, review_of(s, world), actor(CHAIR), tor_values(world, scope_from="2020-06-01"),
                            now=NOW, today=TODAY).terms
    with empty_db.session() as s:
        latest = terms.current_terms(s, world["review_id"])
        versions = s.exec(select(TermsOfReference.version, TermsOfReference.scope_from)
                          .order_by(TermsOfReference.version)).all()
        audited = s.exec(select(AuditEntry.detail).where(AuditEntry.action == "terms.saved")).all()
    assert (first.version, second.version) == (1, 2)
    assert (latest.version, latest.scope_from, latest.scope_to) == (2, date(2020, 6, 1), date(2026, 8, 30))
    assert latest.agency_ids == [world["police"], world["health"]] or \
        sorted(latest.agency_ids) == sorted([world["police"], world["health"]])
    assert versions == [(1, date(2021, 1, 1)), (2, date(2020, 6, 1))]          # the old one is kept
    assert [d["version"] for d in audited] == [1, 2]


def test_free_text_is_encrypted_at_rest(world, empty_db):
    with empty_db.session() as s:
        terms.save(s, review_of(s, world), actor(COORD), tor_values(world, other_lines="Housing moves in 2024"),
                   now=NOW, today=TODAY)
    with empty_db.session() as s:
        raw = s.execute(text("SELECT other_lines, pseudonyms FROM termsofreference")).one()
    assert "Housing" not in raw[0] and "Adult A" not in raw[1]


@pytest.mark.parametrize("over, field, words", [
    ({"scope_from": "2026-08-31", "scope_to": "2026-01-01"}, "scope_to", "ends"),
    ({"scope_from": "31/01/2021"}, "scope_from", "isn't a date"),
    ({"scope_to": "2099-01-01"}, "scope_to", "future"),
    ({"agencies": []}, "agencies", "Choose the agencies"),
    ({"agencies": ["999999"]}, "agencies", "from the list"),
    ({"lines": [], "other_lines": ""}, "lines", "at least one"),
    ({"lines": ["astrology"]}, "lines", "from the list"),
    ({"other_lines": "x" * 10_000}, "other_lines", "3000 characters"),
    ({"pseudonyms": "y" * 10_000}, "pseudonyms", "1000 characters"),
    ({"agreed_on": "2099-01-01"}, "agreed_on", "future"),
    ({"agreed_on": "2026-01-01"}, "agreed_on", "before the review was notified"),
])
def test_bad_input_names_the_field_and_stores_nothing(world, empty_db, over, field, words):
    with pytest.raises(ValidationFailed) as err:
        with empty_db.session() as s:
            terms.save(s, review_of(s, world), actor(COORD), tor_values(world, **over), now=NOW, today=TODAY)
    assert words in err.value.field_errors[field]
    with empty_db.session() as s:
        assert s.exec(select(TermsOfReference)).all() == []


def test_only_the_coordinator_or_chair_edit_the_terms(world, empty_db):
    for user in (POLICE_LEAD, POLICE_PANEL, OBSERVER, OUTSIDER):
        with pytest.raises(PermissionDenied):
            with empty_db.session() as s:
                terms.save(s, review_of(s, world), actor(user), tor_values(world), now=NOW, today=TODAY)


def test_an_agreed_version_asks_those_who_may_confirm_and_records_who_did(world, empty_db):
    with empty_db.session() as s:
        saved = terms.save(s, review_of(s, world), actor(COORD), tor_values(world, agreed_on="2026-10-30"),
                           now=NOW, today=TODAY)
    asked = dict(saved.to_ask)
    assert set(asked) == {CHAIR, POLICE_PANEL}           # the coordinator recorded it: already confirmed
    with empty_db.session() as s:
        seen = terms.readers(s, saved.terms.id)
        assert seen.confirmed == [COORD] and sorted(seen.awaiting) == sorted([CHAIR, POLICE_PANEL])
    with pytest.raises(PermissionDenied, match="someone else"):
        with empty_db.session() as s:
            terms.confirm(s, asked[CHAIR], actor(POLICE_PANEL), NOW)
    with empty_db.session() as s:
        terms.confirm(s, asked[POLICE_PANEL], actor(POLICE_PANEL), NOW)
    with pytest.raises(WorkflowError, match="already confirmed"):
        with empty_db.session() as s:
            terms.confirm(s, asked[POLICE_PANEL], actor(POLICE_PANEL), NOW)
    with empty_db.session() as s:
        seen = terms.readers(s, saved.terms.id)
        line = terms.card_line(s, world["review_id"])
    assert sorted(seen.confirmed) == sorted([COORD, POLICE_PANEL]) and seen.awaiting == [CHAIR]
    assert "agreed Fri 30 Oct 2026" in line and "read and confirmed by 2 of 3" in line


def test_a_draft_asks_nobody(world, empty_db):
    with empty_db.session() as s:
        saved = terms.save(s, review_of(s, world), actor(CHAIR), tor_values(world), now=NOW, today=TODAY)
        assert saved.to_ask == [] and s.exec(select(TermsConfirmation)).all() == []
        assert "draft" in terms.card_line(s, world["review_id"])


# ---------------------------------------------------------------- requests

def request_values(w, **over):
    values = {"agencies": [str(w["police"]), str(w["probation"])], "items": ["scoping", "chronology", "imr"],
              "due_on": "2026-12-14"}
    values.update(over)
    return values


def test_default_due_date_is_thirty_working_days_away():
    # Mon 2 Nov 2026 + 30 working days: no bank holidays in between -> Mon 14 Dec 2026
    assert req.default_due(TODAY, WorkingCalendar("ENG")) == date(2026, 12, 14)
    # from Mon 30 Nov 2026: six weeks is Mon 11 Jan, plus Christmas Day, the Boxing Day substitute
    # (Mon 28 Dec) and New Year's Day
    assert req.default_due(date(2026, 11, 30), WorkingCalendar("ENG")) == date(2027, 1, 14)


def test_a_request_makes_each_cell_and_names_the_agencies_without_a_lead(world, empty_db):
    with empty_db.session() as s:
        done = req.request(s, review_of(s, world), actor(COORD), request_values(world), now=NOW, today=TODAY)
    by_name = {a.agency: a for a in done.agencies}
    assert by_name["Northshire Police"].leads == [POLICE_LEAD] and len(by_name["Northshire Police"].items) == 3
    assert done.without_lead == ["Northshire Probation"]
    with empty_db.session() as s:
        rows = s.exec(select(EvidenceItem)).all()
    assert len(rows) == 6 and {r.status for r in rows} == {"requested"}
    assert {r.due_on for r in rows} == {date(2026, 12, 14)}


@pytest.mark.parametrize("over, field", [
    ({"agencies": []}, "agencies"), ({"items": []}, "items"), ({"items": ["poem"]}, "items"),
    ({"due_on": "2026-11-02"}, "due_on"), ({"due_on": "2030-01-01"}, "due_on"), ({"due_on": "soon"}, "due_on"),
    ({"agencies": ["424242"]}, "agencies"),
])
def test_bad_requests_store_nothing(world, empty_db, over, field):
    with pytest.raises(ValidationFailed) as err:
        with empty_db.session() as s:
            req.request(s, review_of(s, world), actor(COORD), request_values(world, **over), now=NOW, today=TODAY)
    assert field in err.value.field_errors
    with empty_db.session() as s:
        assert s.exec(select(EvidenceItem)).all() == []


def test_a_submitted_item_in_a_new_request_is_refused_and_nothing_changes(world, empty_db):
    with empty_db.session() as s:
        req.request(s, review_of(s, world), actor(COORD), request_values(world), now=NOW, today=TODAY)
        cells.move(s, world["review_id"], world["police"], Kind.IMR, "submitted", POLICE_LEAD, NOW)
    with pytest.raises(ValidationFailed, match="awaiting review: Northshire Police's IMR"):
        with empty_db.session() as s:
            req.request(s, review_of(s, world), actor(CHAIR), request_values(world, due_on="2027-01-20"),
                        now=NOW, today=TODAY)
    with empty_db.session() as s:
        assert {r.due_on for r in s.exec(select(EvidenceItem))} == {date(2026, 12, 14)}


def test_only_the_coordinator_or_chair_request(world, empty_db):
    with pytest.raises(PermissionDenied, match="coordinator or chair"):
        with empty_db.session() as s:
            req.request(s, review_of(s, world), actor(POLICE_LEAD), request_values(world), now=NOW, today=TODAY)


# ---------------------------------------------------------------- scoping

def scoping_item(s, w, agency="police") -> int:
    return cells.find(s, w["review_id"], w[agency], Kind.SCOPING).id


def test_no_contact_marks_the_agencys_open_items_not_required(world, empty_db):
    with empty_db.session() as s:
        req.request(s, review_of(s, world), actor(COORD), request_values(world), now=NOW, today=TODAY)
        item = scoping_item(s, world)
    with empty_db.session() as s:
        done = req.answer_scoping(s, item, actor(POLICE_LEAD), {"victim": "no", "perpetrator": "no", "children": "no"},
                                  now=NOW)
        assert done.no_contact and done.not_required == ["Chronology", "IMR"]
    with empty_db.session() as s:
        statuses = {(r.agency_id, r.kind): r.status for r in s.exec(select(EvidenceItem))}
    assert statuses[(world["police"], "scoping")] == "submitted"
    assert statuses[(world["police"], "chronology")] == statuses[(world["police"], "imr")] == "not_required"
    assert statuses[(world["probation"], "chronology")] == "requested"             # other agencies untouched


def test_any_contact_keeps_the_other_items(world, empty_db):
    with empty_db.session() as s:
        req.request(s, review_of(s, world), actor(COORD), request_values(world), now=NOW, today=TODAY)
        item = scoping_item(s, world)
        done = req.answer_scoping(s, item, actor(COORD), {"victim": "no", "perpetrator": "yes", "children": "no"},
                                  now=NOW)
        assert not done.no_contact and done.not_required == []
        assert cells.find(s, world["review_id"], world["police"], Kind.IMR).status == "requested"


def test_a_lead_cannot_answer_for_another_agency_nor_an_outsider_at_all(world, empty_db):
    with empty_db.session() as s:
        req.request(s, review_of(s, world), actor(COORD), request_values(world), now=NOW, today=TODAY)
        item = scoping_item(s, world)
    answer = {"victim": "no", "perpetrator": "no", "children": "no"}
    with pytest.raises(PermissionDenied, match="your own agency"):
        with empty_db.session() as s:
            req.answer_scoping(s, item, actor(HEALTH_LEAD), answer, now=NOW)
    with pytest.raises(PermissionDenied, match="not a member"):
        with empty_db.session() as s:
            req.answer_scoping(s, item, actor(OUTSIDER), answer, now=NOW)
    with pytest.raises(PermissionDenied):
        with empty_db.session() as s:
            req.answer_scoping(s, item, actor(POLICE_PANEL), answer, now=NOW)   # panel member, not the lead
    with pytest.raises(NotFound):
        with empty_db.session() as s:
            req.item_for(s, cells.find(s, world["review_id"], world["police"], Kind.IMR).id, actor(POLICE_LEAD),
                         Operation.SUBMIT_AGENCY_EVIDENCE, Kind.SCOPING)   # not a scoping item
    with empty_db.session() as s:
        assert cells.find(s, world["review_id"], world["police"], Kind.SCOPING).status == "requested"


def test_a_lead_of_the_same_agency_on_another_review_is_refused(world, empty_db):
    with empty_db.session() as s:
        other = make_review(s, "DHR-2026-02", space_id="C0REVIEW2")
        add_member(s, other.id, COORD, "coordinator")
        add_member(s, other.id, OUTSIDER, "agency_lead", world["police"])
        req.request(s, review_of(s, world), actor(COORD), request_values(world), now=NOW, today=TODAY)
        item = scoping_item(s, world)
    with pytest.raises(PermissionDenied, match="not a member"):
        with empty_db.session() as s:
            req.answer_scoping(s, item, actor(OUTSIDER), {"victim": "no", "perpetrator": "no", "children": "no"},
                               now=NOW)


def test_a_scoping_answer_needs_all_three_answers(world, empty_db):
    with empty_db.session() as s:
        req.request(s, review_of(s, world), actor(COORD), request_values(world), now=NOW, today=TODAY)
        item = scoping_item(s, world)
    with pytest.raises(ValidationFailed) as err:
        with empty_db.session() as s:
            req.answer_scoping(s, item, actor(POLICE_LEAD), {"victim": "no", "perpetrator": "maybe"}, now=NOW)
    assert set(err.value.field_errors) == {"perpetrator", "children"}


# ---------------------------------------------------------------- family

def contact_values(**over):
    values = {"relationship": "mother", "relationship_note": None, "leaflet": "family", "leaflet_sent_on": "2026-10-20",
              "advocacy_offered": "no", "advocacy_accepted": None, "wishes_to_take_part": "yes",
              "meeting_on": "2026-10-28", "draft_shared_on": None, "comments_received_on": None, "comments": None}
    values.update(over)
    return values


def test_contacts_are_kept_by_relationship_and_the_card_warns_until_advocacy_is_offered(world, empty_db):
    with empty_db.session() as s:
        row = family.save_contact(s, review_of(s, world), actor(CHAIR), None, contact_values(), now=NOW, today=TODAY)
        family.save_contact(s, review_of(s, world), actor(COORD), None,
                            contact_values(relationship="friend", advocacy_offered="yes", advocacy_accepted="yes",
                                           leaflet="friends"), now=NOW, today=TODAY)
        warning = family.advocacy_warning(s, world["review_id"])
        assert warning == "Specialist advocacy not yet offered to contact 1 (mother)."
        family.save_contact(s, review_of(s, world), actor(CHAIR), row.id,
                            contact_values(advocacy_offered="yes", meeting_on="2026-10-30"), now=NOW, today=TODAY)
        assert family.advocacy_warning(s, world["review_id"]) is None
        again = family.contact_for(s, review_of(s, world), row.id)
        assert again.meetings == ["2026-10-28", "2026-10-30"] and again.number == 1


@pytest.mark.parametrize("over, field", [
    ({"relationship": "nemesis"}, "relationship"), ({"relationship_note": "Jane"}, "relationship_note"),
    ({"relationship_note": "sister of Jane Smith"}, "relationship_note"),
    ({"relationship_note": "lives at 12"}, "relationship_note"),
    ({"leaflet": None}, "leaflet"), ({"leaflet_sent_on": None}, "leaflet_sent_on"),
    ({"leaflet_sent_on": "2099-01-01"}, "leaflet_sent_on"), ({"advocacy_offered": None}, "advocacy_offered"),
    ({"advocacy_accepted": "yes"}, "advocacy_accepted"),
    ({"comments_received_on": "2026-10-01"}, "comments_received_on"),
    ({"draft_shared_on": "2026-10-10", "comments_received_on": "2026-10-01"}, "comments_received_on"),
    ({"comments": "z" * 10_000}, "comments"),
])
def test_bad_family_input_names_the_field(world, empty_db, over, field):
    with pytest.raises(ValidationFailed) as err:
        with empty_db.session() as s:
            family.save_contact(s, review_of(s, world), actor(CHAIR), None, contact_values(**over), now=NOW,
                                today=TODAY)
    assert field in err.value.field_errors
    with empty_db.session() as s:
        assert family.contacts(s, world["review_id"]) == []


def test_descriptions_without_names_are_fine():
    for note in ("older sister", "Older sister", "victim's manager", "mum's partner", "best friend"):
        assert not family.looks_like_a_name(note), note


def test_family_is_for_the_chair_and_coordinator_and_contacts_stay_in_their_review(world, empty_db):
    with pytest.raises(PermissionDenied):
        with empty_db.session() as s:
            family.save_contact(s, review_of(s, world), actor(POLICE_PANEL), None, contact_values(), now=NOW,
                                today=TODAY)
    with empty_db.session() as s:
        row = family.save_contact(s, review_of(s, world), actor(CHAIR), None, contact_values(), now=NOW, today=TODAY)
        other = make_review(s, "DHR-2026-02", space_id="C0REVIEW2")
        add_member(s, other.id, CHAIR, "chair")
    with pytest.raises(NotFound):
        with empty_db.session() as s:
            family.save_contact(s, s.get(Review, other.id), actor(CHAIR), row.id, contact_values(), now=NOW,
                                today=TODAY)


def test_the_perpetrator_interview_keeps_each_dated_step(world, empty_db):
    with empty_db.session() as s:
        family.save_interview(s, review_of(s, world), actor(CHAIR), {"status": "requested", "on": "2026-10-01"},
                              now=NOW, today=TODAY)
        row = family.save_interview(s, review_of(s, world), actor(CHAIR), {"status": "declined", "on": "2026-10-15"},
                                    now=NOW, today=TODAY)
        assert (row.requested_on, row.declined_on) == (date(2026, 10, 1), date(2026, 10, 15))
        assert family.interview_line(row) == ("Perpetrator interview: declined (requested Thu 1 Oct 2026, "
                                              "declined Thu 15 Oct 2026).")
    with pytest.raises(ValidationFailed) as err:
        with empty_db.session() as s:
            family.save_interview(s, review_of(s, world), actor(CHAIR), {"status": "held"}, now=NOW, today=TODAY)
    assert "on" in err.value.field_errors


# ---------------------------------------------------------------- reminder sources

def window(today: date, ahead: int = 14) -> DueWindow:
    return DueWindow(today=today, due_until=today + timedelta(days=ahead), tz=LONDON)


def test_open_requests_are_due_items_for_the_leads_escalating_to_leads_and_the_agency_panel_member(world, empty_db):
    with empty_db.session() as s:
        req.request(s, review_of(s, world), actor(COORD), request_values(world, items=["chronology"]), now=NOW,
                    today=TODAY)
        cells.move(s, world["review_id"], world["probation"], Kind.CHRONOLOGY, "submitted", COORD, NOW)
        items = list(sources()["request"](s, window(date(2026, 12, 7))))
        later = list(sources()["request"](s, window(date(2026, 11, 9))))   # due after the window: nothing yet
    (item,) = items
    assert item.label == "Chronology from Northshire Police" and item.due == date(2026, 12, 14)
    assert item.owners == (POLICE_LEAD,) and set(item.escalate_to) == {COORD, CHAIR, POLICE_PANEL}
    assert item.since == date(2026, 11, 2) and item.kind == "request"
    assert later == []


def test_an_agency_without_a_lead_reminds_the_coordinator_and_a_hold_stops_only_its_own_agency(world, empty_db):
    with empty_db.session() as s:
        req.request(s, review_of(s, world), actor(COORD), request_values(world, agencies=[str(world["probation"])],
                                                                          items=["imr"]), now=NOW, today=TODAY)
        (item,) = list(sources()["request"](s, window(date(2026, 12, 7))))
        assert item.owners == (COORD,)
        from storage.timeline import ActivityHold
        held = dict(review_id=world["review_id"], agreed_by="the CPS", agreed_on=TODAY, until_event="the trial",
                    reason="trial", started_by=COORD, started_at=NOW)
        s.add(ActivityHold(activity="witness_interviews", **held))       # another activity: reminders go on
        s.add(ActivityHold(activity="agency_evidence", agency_id=world["police"], **held))  # another agency's
        s.flush()
        assert len(list(sources()["request"](s, window(date(2026, 12, 7))))) == 1
        s.add(ActivityHold(activity="agency_evidence", agency_id=world["probation"], **held))
        s.flush()
        assert list(sources()["request"](s, window(date(2026, 12, 7)))) == []


def test_unanswered_confidentiality_agreements_are_due_five_working_days_after_they_were_asked(world, empty_db):
    from datetime import datetime, timezone

    from storage.models import Membership
    with empty_db.session() as s:
        add_member(s, world["review_id"], OUTSIDER, "observer", status="invited")
        add_member(s, world["review_id"], "U0LATE001", "observer", status="invited")
        invited = s.exec(select(Membership).where(Membership.status == "invited").order_by(Membership.id)).all()
        s.add(Agreement(review_id=world["review_id"], membership_id=invited[0].id, statement_sha256="x" * 64,
                        asked_at=NOW))
        s.add(Agreement(review_id=world["review_id"], membership_id=invited[1].id, statement_sha256="x" * 64,
                        asked_at=datetime(2026, 12, 24, 16, 0, tzinfo=timezone.utc)))   # Christmas Eve
        s.flush()
        early = list(sources()["agreement"](s, window(TODAY, ahead=5)))
        (item,) = list(sources()["agreement"](s, window(TODAY, ahead=7)))
        eng = {i.owners: i.due for i in sources()["agreement"](s, DueWindow(
            today=date(2027, 1, 4), due_until=date(2027, 1, 12), tz=LONDON, calendar=WorkingCalendar("ENG")))}
        sct = {i.owners: i.due for i in sources()["agreement"](s, DueWindow(
            today=date(2027, 1, 4), due_until=date(2027, 1, 12), tz=LONDON, calendar=WorkingCalendar("SCT")))}
        not_yet = list(sources()["agreement"](s, DueWindow(today=date(2026, 12, 29), due_until=date(2027, 1, 4),
                                                           tz=LONDON, calendar=WorkingCalendar("ENG"))))
    assert early == []
    assert item.due == date(2026, 11, 9) and item.owners == (OUTSIDER,) and item.escalate_to == (COORD,)
    assert "confidentiality" in item.label.lower() and "Adult" not in item.label
    # Thu 24 Dec: not Christmas Day, the weekend, Boxing Day (substitute day) or New Year's Day
    assert eng[("U0LATE001",)] == date(2027, 1, 5)
    assert sct[("U0LATE001",)] == date(2027, 1, 6)     # the window's calendar: Scotland also has 2 January
    assert [i.owners for i in not_yet] == [(OUTSIDER,)]


# ---------------------------------------------------------------- two people at the same moment

def test_two_saves_at_once_make_one_version_each_or_a_clear_refusal(world, empty_db):
    """Both read "no version yet" and write version 1: the unique (review, version) decides, and the
    loser is told plainly (on SQLite the writer lock serialises them instead)."""
    import threading
    results, ready = [], threading.Barrier(2)

    def save(user):
        try:
            with empty_db.session() as s:
                review = review_of(s, world)
                terms.current_terms(s, review.id)
                ready.wait(timeout=5)
                terms.save(s, review, actor(user), tor_values(world), now=NOW, today=TODAY)
            results.append("saved")
        except WorkflowError as err:
            results.append(err.message)
        except Exception as err:  # noqa: BLE001 - SQLite: "database is locked" is not expected either
            results.append(type(err).__name__)

    threads = [threading.Thread(target=save, args=(u,)) for u in (COORD, CHAIR)]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    with empty_db.session() as s:
        stored = s.exec(select(TermsOfReference.version).order_by(TermsOfReference.version)).all()
    assert results.count("saved") == len(stored) >= 1
    assert stored == list(range(1, len(stored) + 1))
    assert all(r == "saved" or "a moment ago" in r for r in results), results
