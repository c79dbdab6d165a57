import pytest

from bot.workflow.core.errors import PermissionDenied
from bot.workflow.core.permissions import PERMISSIONS, Operation, Role, may, require, who_may

# Written out by hand, independently of permissions.py, so that changing who may do what takes two edits.
# Columns: coordinator, chair, panel member, agency lead, IMR author, observer.
MATRIX = """
view_review                 C H P A I O
record_decision             C H . . . .
move_stage                  C H . . . .
hold_activity               C H . . . .
extend_deadline             C H . . . .
manage_panel                C H . . . .
view_audit                  C H . . . .
export_audit                C H . . . .
manage_redactions           C H . . . .
edit_terms_of_reference     C H . . . .
confirm_terms_of_reference  C H P . . .
request_evidence            C H . . . .
submit_agency_evidence      C H . A . .
submit_imr                  C H . A I .
review_imr                  C H . . . .
record_family_contact       C H . . . .
export_chronology           C H . . . .
view_action_plan            C H P A I O
manage_action_plan          C H . . . .
update_own_action           C H . A . .
verify_action               C H . . . .
sign_off                    C H P . . O
conclude                    C H . . . .
delete_review               C . . . . .
"""
COLUMNS = [Role.COORDINATOR, Role.CHAIR, Role.PANEL_MEMBER, Role.AGENCY_LEAD, Role.IMR_AUTHOR, Role.OBSERVER]
EXPECTED = {Operation(row.split()[0]): [mark != "." for mark in row.split()[1:]]
            for row in MATRIX.strip().splitlines()}
CASES = [(op, role, allowed) for op, marks in EXPECTED.items() for role, allowed in zip(COLUMNS, marks)]


def test_matrix_covers_every_operation():
    assert set(EXPECTED) == set(Operation) == set(PERMISSIONS)


@pytest.mark.parametrize(("op", "role", "allowed"), CASES, ids=[f"{o.value}-{r.value}" for o, r, _ in CASES])
def test_permission_matrix(op, role, allowed):
    assert may([role], op) is allowed
    if allowed:
        require([role], op)
    else:
        with pytest.raises(PermissionDenied):
            require([role], op)


def test_any_one_role_is_enough():
    assert may([Role.OBSERVER, Role.CHAIR], Operation.CONCLUDE)
    assert not may([Role.OBSERVER, Role.PANEL_MEMBER], Operation.CONCLUDE)


def test_roles_may_be_given_as_strings():
    assert may({"chair"}, "record_decision")
    assert not may({"observer"}, "record_decision")


def test_refusal_says_who_can():
    with pytest.raises(PermissionDenied) as info:
        require([Role.PANEL_MEMBER], Operation.RECORD_DECISION)
    assert info.value.message == "Only the review's coordinator or chair can record the decision."


def test_non_member_is_refused_without_detail():
    with pytest.raises(PermissionDenied) as info:
        require([], Operation.VIEW_REVIEW)
    assert info.value.message == "You are not a member of this review."


@pytest.mark.parametrize(("op", "text"), [
    (Operation.RECORD_DECISION, "the review's coordinator or chair"),
    (Operation.SIGN_OFF, "the review's coordinator, chair, panel members or observers"),
    (Operation.SUBMIT_IMR, "the review's coordinator, chair, agency leads or IMR authors"),
    (Operation.DELETE_REVIEW, "the review's coordinator"),
    (Operation.VIEW_REVIEW, "members of the review"),
])
def test_who_may(op, text):
    assert who_may(op) == text


def test_agency_roles_only_act_for_their_own_agency():
    police = dict(actor_agencies=["Police"], item_agency="Police")
    health = dict(actor_agencies=["Police"], item_agency="Health")
    assert may([Role.AGENCY_LEAD], Operation.UPDATE_OWN_ACTION, **police)
    assert not may([Role.AGENCY_LEAD], Operation.UPDATE_OWN_ACTION, **health)
    assert not may([Role.IMR_AUTHOR], Operation.SUBMIT_IMR, **health)
    assert may([Role.COORDINATOR], Operation.UPDATE_OWN_ACTION, **health)   # not agency-bound
    with pytest.raises(PermissionDenied, match="your own agency"):
        require([Role.AGENCY_LEAD], Operation.SUBMIT_AGENCY_EVIDENCE, **health)
    with pytest.raises(PermissionDenied, match="Only the review's coordinator or chair"):
        require([Role.AGENCY_LEAD], Operation.VERIFY_ACTION, **police)


def test_every_role_and_operation_has_a_label():
    assert Role.IMR_AUTHOR.label == "IMR author"
    assert all(r.label for r in Role) and all(o.label for o in Operation)
