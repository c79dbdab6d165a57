"""The single table of who may do what on one review, by the roles people hold on it.

Roles are per review. Agency-scoped operations (an agency's evidence, IMR and actions) are
granted to agency leads and IMR authors here; *which* agency is checked by passing
`actor_agencies` and `item_agency`, so the rule still lives in this one module.
"""
from collections.abc import Iterable
from enum import StrEnum

from bot.workflow.core.errors import PermissionDenied


class Role(StrEnum):
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    PANEL_MEMBER = "panel_member"
    AGENCY_LEAD = "agency_lead"
    IMR_AUTHOR = "imr_author"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self][0]


# (label, phrase used in "Only the review's ... can")
_ROLE_LABELS = {
    Role.COORDINATOR: ("Coordinator", "coordinator"),
    Role.CHAIR: ("Chair", "chair"),
    Role.PANEL_MEMBER: ("Panel member", "panel members"),
    Role.AGENCY_LEAD: ("Agency lead", "agency leads"),
    Role.IMR_AUTHOR: ("IMR author", "IMR authors"),
    Role.OBSERVER: ("Observer", "observers"),
}


class Operation(StrEnum):
    VIEW_REVIEW = "view_review"
    RECORD_DECISION = "record_decision"
    MOVE_STAGE = "move_stage"
    HOLD_ACTIVITY = "hold_activity"
    EXTEND_DEADLINE = "extend_deadline"
    MANAGE_PANEL = "manage_panel"
    VIEW_AUDIT = "view_audit"
    EXPORT_AUDIT = "export_audit"
    MANAGE_REDACTIONS = "manage_redactions"
    EDIT_TERMS_OF_REFERENCE = "edit_terms_of_reference"
    CONFIRM_TERMS_OF_REFERENCE = "confirm_terms_of_reference"
    REQUEST_EVIDENCE = "request_evidence"
    SUBMIT_AGENCY_EVIDENCE = "submit_agency_evidence"
    SUBMIT_IMR = "submit_imr"
    REVIEW_IMR = "review_imr"
    RECORD_FAMILY_CONTACT = "record_family_contact"
    EXPORT_CHRONOLOGY = "export_chronology"
    VIEW_ACTION_PLAN = "view_action_plan"
    MANAGE_ACTION_PLAN = "manage_action_plan"
    UPDATE_OWN_ACTION = "update_own_action"
    VERIFY_ACTION = "verify_action"
    SIGN_OFF = "sign_off"
    CONCLUDE = "conclude"
    DELETE_REVIEW = "delete_review"   # the one thing the chair may not do

    @property
    def label(self) -> str:
        return _OP_LABELS[self]


_OP_LABELS = {
    Operation.VIEW_REVIEW: "see this review",
    Operation.RECORD_DECISION: "record the decision",
    Operation.MOVE_STAGE: "move the review to its next stage",
    Operation.HOLD_ACTIVITY: "hold an activity or lift a hold",
    Operation.EXTEND_DEADLINE: "record another timescale agreed by the CSP",
    Operation.MANAGE_PANEL: "change the review's members",
    Operation.VIEW_AUDIT: "see the audit log",
    Operation.EXPORT_AUDIT: "export the audit log",
    Operation.MANAGE_REDACTIONS: "manage redactions",
    Operation.EDIT_TERMS_OF_REFERENCE: "edit the terms of reference",
    Operation.CONFIRM_TERMS_OF_REFERENCE: "confirm the terms of reference",
    Operation.REQUEST_EVIDENCE: "request evidence from agencies or record what arrived",
    Operation.SUBMIT_AGENCY_EVIDENCE: "submit an agency's scoping answer or chronology",
    Operation.SUBMIT_IMR: "submit an IMR",
    Operation.REVIEW_IMR: "review IMRs",
    Operation.RECORD_FAMILY_CONTACT: "record contact with the family",
    Operation.EXPORT_CHRONOLOGY: "export the combined chronology",
    Operation.VIEW_ACTION_PLAN: "read the action plan",
    Operation.MANAGE_ACTION_PLAN: "change the action plan",
    Operation.UPDATE_OWN_ACTION: "update an agency's action",
    Operation.VERIFY_ACTION: "verify a completed action",
    Operation.SIGN_OFF: "record a sign-off",
    Operation.CONCLUDE: "conclude the review",
    Operation.DELETE_REVIEW: "delete the review",
}

_LEADS = frozenset({Role.COORDINATOR, Role.CHAIR})   # run the review
_ALL = frozenset(Role)

PERMISSIONS: dict[Operation, frozenset[Role]] = {
    Operation.VIEW_REVIEW: _ALL,
    Operation.RECORD_DECISION: _LEADS,
    Operation.MOVE_STAGE: _LEADS,
    Operation.HOLD_ACTIVITY: _LEADS,
    Operation.EXTEND_DEADLINE: _LEADS,
    Operation.MANAGE_PANEL: _LEADS,
    Operation.VIEW_AUDIT: _LEADS,
    Operation.EXPORT_AUDIT: _LEADS,
    Operation.MANAGE_REDACTIONS: _LEADS,
    Operation.EDIT_TERMS_OF_REFERENCE: _LEADS,
    Operation.CONFIRM_TERMS_OF_REFERENCE: _LEADS | {Role.PANEL_MEMBER},
    Operation.REQUEST_EVIDENCE: _LEADS,
    Operation.SUBMIT_AGENCY_EVIDENCE: _LEADS | {Role.AGENCY_LEAD},
    Operation.SUBMIT_IMR: _LEADS | {Role.AGENCY_LEAD, Role.IMR_AUTHOR},
    Operation.REVIEW_IMR: _LEADS,
    Operation.RECORD_FAMILY_CONTACT: _LEADS,
    Operation.EXPORT_CHRONOLOGY: _LEADS,
    Operation.VIEW_ACTION_PLAN: _ALL,
    Operation.MANAGE_ACTION_PLAN: _LEADS,
    Operation.UPDATE_OWN_ACTION: _LEADS | {Role.AGENCY_LEAD},
    Operation.VERIFY_ACTION: _LEADS,
    Operation.SIGN_OFF: _LEADS | {Role.PANEL_MEMBER, Role.OBSERVER},
    Operation.CONCLUDE: _LEADS,
    Operation.DELETE_REVIEW: frozenset({Role.COORDINATOR}),
}

# Roles that hold these operations only for their own agency's items.
AGENCY_SCOPED_ROLES = frozenset({Role.AGENCY_LEAD, Role.IMR_AUTHOR})


def _roles(roles: Iterable[Role | str]) -> frozenset[Role]:
    return frozenset(Role(r) for r in roles)


def may(roles: Iterable[Role | str], op: Operation | str, *,
        actor_agencies: Iterable[str] = (), item_agency: str | None = None) -> bool:
    """True when one of `roles` grants `op`. When `item_agency` is given, an agency-scoped
    role only counts if the actor belongs to that agency."""
    granting = _roles(roles) & PERMISSIONS[Operation(op)]
    if item_agency is None or granting - AGENCY_SCOPED_ROLES:
        return bool(granting)
    return bool(granting) and item_agency in set(actor_agencies)


def who_may(op: Operation | str) -> str:
    """"the review's coordinator or chair" - for refusal messages."""
    allowed = PERMISSIONS[Operation(op)]
    if allowed == _ALL:
        return "members of the review"
    names = [_ROLE_LABELS[r][1] for r in Role if r in allowed]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return "the review's " + listed


def require(roles: Iterable[Role | str], op: Operation | str, *,
            actor_agencies: Iterable[str] = (), item_agency: str | None = None) -> None:
    roles = _roles(roles)
    op = Operation(op)
    if not roles:
        raise PermissionDenied("You are not a member of this review.")
    if may(roles, op, actor_agencies=actor_agencies, item_agency=item_agency):
        return
    if roles & PERMISSIONS[op] & AGENCY_SCOPED_ROLES:   # right role, wrong agency
        raise PermissionDenied(f"You can only {op.label} for your own agency; "
                               "ask that agency's lead or the review's coordinator.")
    raise PermissionDenied(f"Only {who_may(op)} can {op.label}.")
