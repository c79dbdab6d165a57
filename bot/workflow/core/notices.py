"""Neutral notices the workflow sends; messages/ renders them for each platform.

Only the summary card, which lives inside the review's private space, carries case
facts. Everything that leaves the space (DMs, Home, reminders) carries at most the
reference and a link.
"""
from dataclasses import dataclass, field
from typing import Any

from bot.workflow.core.text import Text


@dataclass(frozen=True)
class DeadlineLine:
    label: str
    due: str            # "Tue 22 Dec 2026"
    status: str         # due | overdue | met | met_late
    note: str | None = None   # "falls on a Sunday (not a working day)", "moved by a timescale agreed by ..."


@dataclass(frozen=True)
class PanelEntry:
    user_id: str
    role_label: str
    agency: str | None
    pending: bool  # invited, confidentiality agreement not yet given


@dataclass(frozen=True)
class SummaryCard:
    review_id: int
    reference: str
    stage: str
    stage_label: str
    next_step: Text
    victim_pseudonym: str
    perpetrator_pseudonym: str | None
    notified_on: str
    preset_label: str
    deadlines: list[DeadlineLine] = field(default_factory=list)
    decision_lines: list[str | Text] = field(default_factory=list)   # who decided is a mention
    awaiting: Text | None = None
    panel: list[PanelEntry] = field(default_factory=list)
    # evidence: terms of reference, the grid in brief, family contacts not offered advocacy
    terms_line: str | None = None
    evidence_lines: list[str] = field(default_factory=list)
    family_warning: str | None = None
    unreachable: list[tuple[str, str]] = field(default_factory=list)   # (person, platform's reason) reminders missed
    family_steps: list[Any] = field(default_factory=list)    # family_steps.StepLine: dated, who recorded it
    family_due: list[str] = field(default_factory=list)
    # a suspected suicide: "alleged perpetrator", the guidance's test and liaison with the coroner
    suspected_suicide: bool = False
    suicide_lines: list[str] = field(default_factory=list)
    # after the CSP's sign-off: how the report is published, and the copies and notices checklist
    publication_line: str | None = None
    copies: list[Any] = field(default_factory=list)          # copies.Line: dated, who recorded it
    # the latest check of the drafts before submission, and the reason recorded to submit without a pass
    report_check_line: str | None = None
    submitted_anyway: str | None = None
    guide_line: str | None = None      # the one-minute guide, after publication
    # activities held by agreement with a parallel process: "Interviews with witnesses: held, agreed by ..."
    holds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SpaceReady:
    """DM to the coordinator: a link, no case content."""

    space_id: str


@dataclass(frozen=True)
class DecisionRecorded:
    outcome_label: str
    actor: str
    stage_label: str


@dataclass(frozen=True)
class CoronerLiaison:
    """DM to a coordinator after the decision on a suspected suicide: the reference and a link only."""

    reference: str
    space_id: str


@dataclass(frozen=True)
class SetupFailed:
    review_id: int
    kind: str | None        # a ports kind (NOT_IN_SPACE, BUSY...): each platform says what to do about it
    code: str | None = None     # the platform's own code, for an unexpected error


@dataclass(frozen=True)
class Invitation:
    """DM asking someone to agree to the confidentiality statement. Reference only, no case content."""

    agreement_id: int
    reference: str
    role_label: str
    agency: str | None
    invited_by: str


@dataclass(frozen=True)
class InvitationAnswered:
    agreed: bool
    reference: str
    space_id: str | None


@dataclass(frozen=True)
class PanelChanged:
    """Posted in the review's space: who changed what (one line each)."""

    text: Text


# ---------------------------------------------------------------- reminders and the review clock

@dataclass(frozen=True)
class DueLine:
    """One thing that is due, as a reminder shows it: the reference and what is due, nothing more."""

    reference: str
    space_id: str | None
    label: str
    due: str                     # "Fri 13 Nov 2026"
    state: str                   # upcoming | today | overdue
    working_days: int            # left (upcoming) or late (overdue)
    due_note: str | None = None  # "Sunday", "Christmas Day": the due date is not a working day
    escalated: bool = False      # sent beyond the item's owners because it is overdue
    about: str | None = None     # the person whose part it is (an invitee whose answer is overdue)
    instead_of: str | None = None    # handed on because this person could not be reached
    outside: bool = False        # the reader is not in the review's space yet: no link to it
    kind: str = ""               # the due source's kind: a renderer may offer that kind's button


@dataclass(frozen=True)
class Undeliverable:
    """A reminder that can never go (deactivated person, archived space)."""

    reference: str
    space_id: str | None
    target: str                  # the person or space it was for
    target_kind: str             # user | space kind, as the ledger stores it
    reason: str                  # the platform's error code


@dataclass(frozen=True)
class ReminderDigest:
    """The one DM a person gets on a working day."""

    day: str
    lines: list[DueLine] = field(default_factory=list)
    undeliverable: list[Undeliverable] = field(default_factory=list)


@dataclass(frozen=True)
class WeeklyStatus:
    """Monday's post in a review's space: what is due in the next weeks."""

    reference: str
    week_of: str
    lookahead_days: int
    lines: list[DueLine] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)     # "Publication of the report (until the end of the trial)"


@dataclass(frozen=True)
class ClockChanged:
    """Posted in the review's space after an activity is held or a hold lifted, or another timescale agreed."""

    actor: str
    what: str                    # held | lifted | extended
    detail: str                  # the hold described, the activity lifted, who agreed the timescale
    deadlines: list[DeadlineLine] = field(default_factory=list)


# ---------------------------------------------------------------- evidence: terms of reference and requests

@dataclass(frozen=True)
class TermsToConfirm:
    """DM asking a member to confirm they have read an agreed version. Reference only, no case content."""

    confirmation_id: int
    reference: str
    version: int
    agreed_on: str
    space_id: str | None
    asked_by: str


@dataclass(frozen=True)
class TermsPosted:
    """Posted in the review's (private) space when a version is saved: the terms themselves."""

    actor: str
    reference: str
    version: int
    agreed_on: str | None
    scope: str
    agencies: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    other_lines: str | None = None
    pseudonyms: str | None = None


@dataclass(frozen=True)
class RequestedItem:
    item_id: int
    kind: str           # scoping | chronology | imr | short_report
    label: str
    recorded: str | None = None   # once settled: its status ("Submitted"), shown instead of the button


@dataclass(frozen=True)
class EvidenceRequest:
    """One DM per agency lead and agency: what is due, by when, with a button per item. No case content."""

    reference: str
    space_id: str | None
    agency: str
    due: str
    items: list[RequestedItem] = field(default_factory=list)
    requested_by: str = ""


# ---------------------------------------------------------------- report stages, action plan, conclusion

@dataclass(frozen=True)
class ActionDetails:
    """What an action's owner needs to act on it; shown only to review members (the owner's DM, Home, forms)."""

    ref: str
    action: str
    recommendation: str
    outcome: str


@dataclass(frozen=True)
class ActionAssigned:
    """DM to an action's owner, with buttons: what is due and, as it is their own work in a private DM,
    the action, its recommendation and its measurable outcome."""

    action_id: int
    reference: str
    space_id: str | None
    ref: str                 # "2.1"
    target_on: str
    text: str = ""           # what happened; by default "action 2.1 of the action plan is yours."
    details: ActionDetails | None = None

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", f"action {self.ref} of the action plan is yours.")


@dataclass(frozen=True)
class ActionToVerify:
    """Posted in the review's space when an owner marks an action complete."""

    action_id: int
    ref: str
    owner: str


@dataclass(frozen=True)
class SpaceClosing:
    """Posted between the platform's own "renamed" and "archived" notices, which name only the bot:
    who concluded the review, and so had the space renamed and archived."""

    reference: str
    by: str
    new_name: str
    archived: bool = True        # False where the platform cannot archive: its members are removed instead


@dataclass(frozen=True)
class ClosingSummary:
    reference: str
    concluded_on: str
    by: str
    actions_verified: int
    audit_on: str | None
    audit_by: str | None
    retain_until: str
    archived: bool = True        # False where the platform cannot archive: its members are removed instead
