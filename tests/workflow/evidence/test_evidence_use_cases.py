"""The evidence use cases decide who is told what: the review's space, DMs to named people, the
summary card; a refusal stores nothing and names only the form's fields."""
import pytest
from sqlmodel import select

from bot.workflow.core.errors import ValidationFailed
from bot.workflow.core.notices import EvidenceRequest, TermsPosted, TermsToConfirm
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Command, Mention
from bot.workflow.evidence import evidence_use_cases as cases
from bot.workflow.evidence import family_use_cases
from bot.workflow.evidence.evidence_requests import RequestForm, ScopingForm
from bot.workflow.evidence.family import ContactForm
from bot.workflow.evidence.terms import TermsForm
from storage.evidence import EvidenceItem
from tests.workflow.evidence.evidence_db import (  # noqa: F401
    CHAIR,
    COORD,
    NOW,
    POLICE_LEAD,
    TODAY,
    actor,
    db,
    empty_db,
    world,
)

pytestmark = pytest.mark.db
SPACE = SpaceRef("C0REVIEW1")


def request_values(w, **over) -> dict:
    values = {"agencies": [str(w["police"]), str(w["health"])], "items": ["scoping", "chronology"],
              "due_on": "2026-12-14"}
    return values | over


def test_saving_agreed_terms_posts_them_asks_the_others_by_dm_and_redraws_the_card(world, empty_db):
    raw = {"scope_from": "2021-01-01", "scope_to": "2026-08-30", "agencies": [str(world["police"])],
           "lines": ["coercive_control"], "agreed_on": "2026-10-01"}
    with empty_db.session() as s:
        done = cases.save_terms(s, world["review_id"], actor(COORD), raw, now=NOW, today=TODAY)
    (posted,) = done.outcome.posts
    assert posted.space == SPACE and isinstance(posted.body, TermsPosted) and posted.body.actor == COORD
    asked = {d.person for d in done.outcome.dms}
    assert PersonRef(COORD) not in asked and PersonRef(CHAIR) in asked
    assert all(isinstance(d.body, TermsToConfirm) and d.body.asked_by == COORD for d in done.outcome.dms)
    assert done.outcome.refresh == (world["review_id"],)
    assert done.shown.agreed and done.shown.asked == len(done.outcome.dms)


def test_a_request_dms_each_agency_lead_and_tells_the_space_with_a_command_hint(world, empty_db):
    with empty_db.session() as s:
        done = cases.request_evidence(s, world["review_id"], actor(COORD), request_values(world), now=NOW,
                                      today=TODAY)
    assert {d.person for d in done.outcome.dms} == {PersonRef(POLICE_LEAD), PersonRef("U0HEALEAD")}
    assert all(isinstance(d.body, EvidenceRequest) for d in done.outcome.dms)
    (note,) = done.outcome.posts
    assert note.body.parts[0] == Mention(PersonRef(COORD)) and Command("evidence") in note.body.parts
    assert "requested evidence from 2 agencies" in note.body.words()


def test_refusals_name_only_their_forms_fields(world, empty_db):
    with empty_db.session() as s:
        with pytest.raises(ValidationFailed) as bad_request:
            cases.request_evidence(s, world["review_id"], actor(COORD), request_values(world, items=[]), now=NOW,
                                   today=TODAY)
        with pytest.raises(ValidationFailed) as bad_terms:
            cases.save_terms(s, world["review_id"], actor(COORD), {}, now=NOW, today=TODAY)
        with pytest.raises(ValidationFailed) as bad_contact:
            family_use_cases.save_contact(s, world["review_id"], actor(COORD), None, {}, now=NOW, today=TODAY)
    assert set(bad_request.value.field_errors) <= RequestForm.keys()
    assert set(bad_terms.value.field_errors) <= TermsForm.keys()
    assert set(bad_contact.value.field_errors) <= ContactForm.keys()


def test_no_contact_names_the_coordinators_and_redraws_the_request(world, empty_db):
    with empty_db.session() as s:
        cases.request_evidence(s, world["review_id"], actor(COORD), request_values(world), now=NOW, today=TODAY)
        items = s.exec(select(EvidenceItem).where(EvidenceItem.agency_id == world["police"])
                       .order_by(EvidenceItem.id)).all()
        scoping = next(i.id for i in items if i.kind == "scoping")
        no = {f.key: "no" for f in ScopingForm.fields()}
        done = cases.answer_scoping(s, scoping, actor(POLICE_LEAD), no, now=NOW, request_items=[i.id for i in items])
    (note,) = done.outcome.posts
    assert Mention(PersonRef(COORD)) in note.body.parts and Mention(PersonRef(POLICE_LEAD)) in note.body.parts
    assert "had no contact" in note.body.words()
    redraw = done.shown.redraw
    assert redraw is not None and all(i.recorded for i in redraw.items)


def test_confirming_terms_replaces_the_request_with_thanks(world, empty_db):
    raw = {"scope_from": "2021-01-01", "scope_to": "2026-08-30", "agencies": [str(world["police"])],
           "lines": ["coercive_control"], "agreed_on": "2026-10-01"}
    with empty_db.session() as s:
        done = cases.save_terms(s, world["review_id"], actor(COORD), raw, now=NOW, today=TODAY)
        ask = next(d.body for d in done.outcome.dms if d.person == PersonRef(CHAIR))
        thanks = cases.confirm_terms(s, ask.confirmation_id, actor(CHAIR), now=NOW)
    assert thanks.reply is not None and thanks.reply.replace_source
    assert "you confirmed you have read version 1" in thanks.reply.body.words()
    assert thanks.refresh == (world["review_id"],)
