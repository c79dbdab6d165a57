"""What someone finds waiting when they become active on a review late (bot/workflow/evidence/joined.py):
the agreed terms of reference to confirm, and their agency's open evidence requests; each once."""

import pytest

from bot.workflow.core.errors import ValidationFailed, WorkflowError
from bot.workflow.core.notices import EvidenceRequest, TermsToConfirm
from bot.workflow.core.outcome import NOTHING
from bot.workflow.core.refs import PersonRef
from bot.workflow.evidence import evidence_items as cells
from bot.workflow.evidence import evidence_requests as req
from bot.workflow.evidence import joined, terms
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.panel import panel
from storage.models import Review
from storage.terms import TermsConfirmation
from tests.workflow.evidence.evidence_db import CHAIR, COORD, NOW, OBSERVER, TODAY, actor, db, empty_db, world  # noqa: F401

pytestmark = pytest.mark.db
NEWCOMER = "U0NEWLEAD"


def invite_and_agree(s, w, user, role, agency=None):
    review = s.get(Review, w["review_id"])
    raw = {"person": user, "role": role, **({"agency": str(w[agency])} if agency else {})}
    member, agreement = panel.add_or_change(s, review, actor(COORD), raw, is_admin=False, statement_sha="x" * 64,
                                            now=NOW)
    _, member = panel.answer(s, agreement.id, actor(user), True, NOW)
    return review, member, agreement


def agree_terms(s, w):
    terms.save(s, s.get(Review, w["review_id"]), actor(CHAIR),
               {"scope_from": "2021-01-01", "scope_to": "2026-08-30", "agencies": [str(w["police"])],
                "lines": ["coercive_control"], "agreed_on": "2026-10-30"}, now=NOW, today=TODAY)


def request(s, w, agency, items, due_on="2026-12-14", by=COORD):
    req.request(s, s.get(Review, w["review_id"]), actor(by),
                {"agencies": [str(w[agency])], "items": items, "due_on": due_on}, now=NOW, today=TODAY)


def test_a_panel_member_joining_after_the_terms_were_agreed_is_asked_to_confirm_them_once(world, empty_db):
    with empty_db.session() as s:
        agree_terms(s, world)
        review, member, _ = invite_and_agree(s, world, NEWCOMER, "panel_member", "police")
        dms = joined.on_active(s, review, member, NOW, by=NEWCOMER).dms
        again = joined.on_active(s, review, member, NOW, by=NEWCOMER)
        (dm,) = dms
        notice = dm.body
        assert dm.person == PersonRef(NEWCOMER) and isinstance(notice, TermsToConfirm)
        assert (notice.version, notice.reference, notice.asked_by) == (1, "DHR-2026-01", CHAIR)
        assert again == NOTHING
        confirmation = s.get(TermsConfirmation, notice.confirmation_id)
        assert confirmation.confirmed_at is None
        assert NEWCOMER in terms.readers(s, confirmation.terms_id).awaiting
        # the button works: they confirm
        terms.confirm(s, notice.confirmation_id, actor(NEWCOMER), NOW)


def test_roles_that_may_not_confirm_and_reviews_without_agreed_terms_ask_nothing(world, empty_db):
    with empty_db.session() as s:
        review, member, _ = invite_and_agree(s, world, NEWCOMER, "panel_member", "police")
        assert joined.on_active(s, review, member, NOW, by=NEWCOMER) == NOTHING    # no agreed version yet
        agree_terms(s, world)
        review, member, _ = invite_and_agree(s, world, "U0NEWOBS1", "observer")
        assert joined.on_active(s, review, member, NOW, by="U0NEWOBS1") == NOTHING  # observers don't confirm


def test_a_lead_joining_after_the_request_gets_their_agencys_open_items_as_the_request_dm(world, empty_db):
    with empty_db.session() as s:
        request(s, world, "probation", ["scoping", "chronology"])
        request(s, world, "probation", ["imr"], due_on="2027-01-29", by=CHAIR)
        request(s, world, "police", ["chronology"])
        cells.move(s, world["review_id"], world["probation"], Kind.CHRONOLOGY, "submitted", COORD, NOW)
        review, member, _ = invite_and_agree(s, world, NEWCOMER, "agency_lead", "probation")
        dms = joined.on_active(s, review, member, NOW, by=NEWCOMER).dms
    notices = [d.body for d in dms if isinstance(d.body, EvidenceRequest)]
    assert {d.person for d in dms} == {PersonRef(NEWCOMER)}
    assert [(n.agency, n.due, n.requested_by, [i.kind for i in n.items]) for n in notices] == [
        ("Northshire Probation", "Mon 14 Dec 2026", COORD, ["scoping"]),       # the chronology was submitted
        ("Northshire Probation", "Fri 29 Jan 2027", CHAIR, ["imr"])]


def test_a_role_change_to_lead_tells_them_once_and_a_double_answer_counts_once(world, empty_db):
    with empty_db.session() as s:
        request(s, world, "probation", ["scoping"])
        review = s.get(Review, world["review_id"])
        before = panel.current_role(s, review, OBSERVER)
        member, agreement = panel.add_or_change(s, review, actor(COORD), {
            "person": OBSERVER, "role": "agency_lead", "agency": str(world["probation"])}, is_admin=False,
            statement_sha="x" * 64, now=NOW)
        assert agreement is None and before == ("observer", None)
        told = joined.on_active(s, review, member, NOW, by=COORD, became_lead=before != (member.role, member.agency_id))
        assert [type(d.body) for d in told.dms] == [EvidenceRequest]
        with pytest.raises(ValidationFailed):    # the same role again changes nothing, tells nobody
            panel.add_or_change(s, review, actor(COORD), {"person": OBSERVER, "role": "agency_lead",
                                                          "agency": str(world["probation"])},
                                is_admin=False, statement_sha="x" * 64, now=NOW)
        _, _, agreement = invite_and_agree(s, world, NEWCOMER, "agency_lead", "probation")
        with pytest.raises(WorkflowError, match="already answered"):
            panel.answer(s, agreement.id, actor(NEWCOMER), True, NOW)


def test_nothing_is_sent_for_an_invited_or_declined_member_or_a_concluded_review(world, empty_db):
    with empty_db.session() as s:
        request(s, world, "probation", ["scoping"])
        review = s.get(Review, world["review_id"])
        member, agreement = panel.add_or_change(s, review, actor(COORD), {
            "person": NEWCOMER, "role": "agency_lead", "agency": str(world["probation"])}, is_admin=False,
            statement_sha="x" * 64, now=NOW)
        assert joined.on_active(s, review, member, NOW, by=COORD) == NOTHING      # still invited
        _, member = panel.answer(s, agreement.id, actor(NEWCOMER), False, NOW)
        assert joined.on_active(s, review, member, NOW, by=NEWCOMER) == NOTHING   # declined
        review.stage = "concluded"
        s.add(review)
        s.flush()
        assert req.open_items_of_agency(s, review, world["probation"]) == []
