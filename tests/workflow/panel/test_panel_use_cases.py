"""The panel's use cases return what should happen: who is told what, who joins or leaves the space."""
import pytest

from bot.workflow.core.errors import ValidationFailed
from bot.workflow.core.notices import Invitation, InvitationAnswered, PanelChanged
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.panel import panel_use_cases as cases
from bot.workflow.panel.panel import AgenciesChanged, PanelForm
from tests.workflow.evidence.evidence_db import COORD, NOW, OBSERVER, POLICE_PANEL, actor, db, empty_db, world  # noqa: F401

pytestmark = pytest.mark.db
NEWCOMER = "U0NEWPANL"


def change(s, w, raw, by=COORD):
    return cases.change_panel(s, w["review_id"], actor(by), raw, admins=(), statement_sha="x" * 64, now=NOW)


def test_a_new_person_is_invited_by_dm_and_nobody_joins_the_space_yet(empty_db, world):
    with empty_db.session() as s:
        done = change(s, world, {"change": "add", "person_1": NEWCOMER, "role_1": "observer"})
    assert [d.person for d in done.outcome.dms] == [PersonRef(NEWCOMER)]
    assert isinstance(done.outcome.dms[0].body, Invitation) and not done.outcome.posts
    assert done.outcome.refresh == (world["review_id"],) and not done.joining and not done.leaving


def test_removals_and_role_changes_are_one_post_in_the_space(empty_db, world):
    with empty_db.session() as s:
        removed = change(s, world, {"change": "remove", "person_1": OBSERVER})
        rerole = change(s, world, {"change": "add", "person_1": POLICE_PANEL, "role_1": "observer"})
    assert removed.leaving == (PersonRef(OBSERVER),) and removed.space == SpaceRef("C0REVIEW1")
    post = removed.outcome.posts[0]
    assert isinstance(post.body, PanelChanged)
    assert post.body.text.words() == f"@{COORD} removed @{OBSERVER} from the review."
    assert rerole.outcome.posts[0].body.text.words() == f"@{COORD} made @{POLICE_PANEL} observer on this review."


def test_a_role_that_needs_an_agency_is_refused_beside_the_rows_fields(empty_db, world):
    with empty_db.session() as s, pytest.raises(ValidationFailed) as refused:
        change(s, world, {"change": "add", "person_1": NEWCOMER, "role_1": "agency_lead", "agency_1": None})
    assert refused.value.field_errors == {"agency_1": "Choose the person's agency."}
    assert "agency_1" in PanelForm.keys()


def test_a_form_without_agency_fields_is_told_how_to_get_one_that_has_them(empty_db, world):
    """Opened before any agency existed: nothing to show an error beside, so the message says what to do."""
    with empty_db.session() as s, pytest.raises(ValidationFailed) as refused:
        change(s, world, {"change": "add", "person_1": NEWCOMER, "role_1": "agency_lead", "person_2": COORD})
    assert set(refused.value.field_errors) == {"agency_1", "role_2"}
    assert refused.value.message.startswith("Agencies have been set up since this form opened, so it has none to "
                                            "choose from: close it and run panel again. ")


def test_agreeing_brings_them_into_the_space_and_replaces_the_invitation(empty_db, world):
    with empty_db.session() as s:
        invitation = change(s, world, {"change": "add", "person_1": NEWCOMER, "role_1": "observer"}).outcome.dms[0]
        done = cases.answer_invitation(s, invitation.body.agreement_id, actor(NEWCOMER), True, now=NOW)
    assert done.joining == (PersonRef(NEWCOMER),)
    assert done.outcome.posts[0].body.text.words() == (f"@{NEWCOMER} agreed to the confidentiality statement "
                                                       "and joined as observer.")
    assert done.outcome.reply.body == InvitationAnswered(True, "DHR-2026-01", "C0REVIEW1")
    assert done.outcome.reply.replace_source and done.without_reply().outcome.reply is None


def test_saving_agencies_tells_only_the_admin_what_changed(empty_db, world):
    with empty_db.session() as s:
        done = cases.set_agencies(s, actor(COORD), {"agencies": "Northshire Police\nNew Service"}, (COORD,), now=NOW)
    assert done.reply.body == AgenciesChanged(["New Service"], ["Northshire NHS Trust", "Northshire Probation"], 2)
    assert not done.posts and not done.dms
