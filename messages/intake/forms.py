"""The intake forms (new review, decision) and the set-up progress, as neutral trees."""
from bot.workflow.core import naming
from bot.workflow.core.refs import SpaceRef
from bot.workflow.core.text import Bold, Icon, SpaceLink, SpaceWord, text
from bot.workflow.intake.decision import DecisionForm
from bot.workflow.intake.intake import NewReviewForm
from messages import tree
from messages.slack.ids import ActionId, CallbackId


def new_review_form(reference: str, today_iso: str, statement: str) -> tree.Form:
    """`statement` is the confidentiality statement in the platform's own markup."""
    f = NewReviewForm
    return tree.Form(CallbackId.NEW_REVIEW, "New review", [
        f.reference.but(initial=reference, hint="Names the private channel. Never put a person's name in it."),
        f.notified_on.but(initial=today_iso), f.notifying_agency, f.victim_pseudonym, f.perpetrator_pseudonym,
        f.victim_age, f.relationship, f.suspected_suicide, tree.Divider(), tree.Paragraph(text(statement)),
        f.confidentiality,
    ], submit="Open review")


CONCERN_LABELS = {
    "risk_not_acted_on": "Risk of serious harm not recognised, shared or acted on",
    "concerns_not_taken_seriously": "An agency's concerns were not taken seriously",
    "procedure_failings": "Failings in local DA or adult safeguarding procedures",
    "marac": "Victim was, or should have been, referred to MARAC",
    "reputations": "Implications for several agencies' reputations",
    "procedures_may_change": "National or local procedures may need to change",
    "position_of_trust": "Perpetrator in a position of trust",
    "no_agency_contact": "Victim had no known contact with any agency",
}
CONCERN_NOTES = {
    "procedure_failings": "Including no agency contact at all",
    "position_of_trust": "Police officer, social worker, health professional",
}


def decide_form(review_id: int, reference: str, decision_due: str, today_iso: str, victim_age: int,
                agencies: list[tuple[int, str]] = (), suicide_test: str | None = None) -> tree.Form:
    f = DecisionForm
    return tree.Form(CallbackId.DECIDE, "Record decision", [
        tree.Paragraph(text(Bold(reference), ": the CSP chair's decision, taken with partner agencies. Due by ",
                            Bold(decision_due), ".")),
        *([tree.Paragraph(text(Icon("information_source"), " ", suicide_test))] if suicide_test else []),
        f.outcome, f.decided_on.but(initial=today_iso), f.decided_by,
        f.criteria.but(options=naming.current().criteria, hint=naming.current().statute), f.records_secured_on,
        *_consulted_fields(agencies),
        f.concerns.but(options=CONCERN_LABELS, descriptions=CONCERN_NOTES),
        f.parallel_processes.but(hint=_child_review_hint(victim_age)),
        f.home_office_told_on, f.lscp_told_on, f.no_review_reasons, f.delay_reason,
        f.usual_residence, f.lead_csp, f.joint_with, f.joint_lead,
    ], submit="Record", metadata={"review_id": review_id})


def _consulted_fields(agencies: list[tuple[int, str]]) -> list:
    """The CSP's agencies to pick from, and a free text for any other partner consulted."""
    if not agencies:
        return [DecisionForm.agencies_consulted_other.but(label="Partner agencies consulted",
                                                          hint="One agency per line.")]
    return [DecisionForm.agencies_consulted.but(options={str(i): name for i, name in agencies}),
            DecisionForm.agencies_consulted_other.but(required=False)]


def _child_review_hint(age: int) -> str | None:
    if age < 18:
        return "The victim was 16 or 17: consider whether a child safeguarding practice review is needed."
    return None


# ---------------------------------------------------------------- the set-up's progress, in the new-review form

def setup_progress_form(reference: str) -> tree.Form:
    return tree.Form(CallbackId.SETUP_STATUS, "New review", [tree.Paragraph(text(
        Icon("hourglass_flowing_sand"), " Opening ", Bold(reference), " and setting up its private ", SpaceWord(),
        "…"))],
        close="Close")


def setup_done_form(reference: str, space_id: str) -> tree.Form:
    return tree.Form(CallbackId.SETUP_STATUS, "New review", [tree.Paragraph(text(
        Icon("white_check_mark"), " ", Bold(reference), " is open in ", SpaceLink(SpaceRef(space_id)),
        ". The summary card with the decision deadline is pinned there."))], close="Close")


def setup_failed_form(reference: str, reason: str, review_id: int) -> tree.Form:
    """`reason` is in the platform's markup (messages/intake/setup.py)."""
    return tree.Form(CallbackId.SETUP_STATUS, "New review", [
        tree.Paragraph(text(Icon("warning"), " ", Bold(reference), " is saved, but its channel is not ready. ",
                            reason)),
        tree.Actions((tree.Button("Try again", ActionId.RETRY_SETUP, str(review_id), style="primary"),)),
        tree.Context(text("Trying again finishes the set-up where it stopped; nothing is created twice.")),
    ], close="Close")
