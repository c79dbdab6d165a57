"""The CSP's decision whether to hold a review, with what the QA panel checks."""
from dataclasses import dataclass
from datetime import date

from bot.workflow.core import fields
from bot.workflow.core.errors import ValidationFailed

OUTCOMES = {"review": "Hold a review", "no_review": "Do not hold a review"}

CONCERNS = {
    "risk_not_acted_on": "A risk of serious harm was not recognised, shared or acted on by agencies",
    "concerns_not_taken_seriously": "An agency felt its concerns were not taken seriously by others",
    "procedure_failings": "Failings in local domestic abuse or adult safeguarding procedures "
                          "(including no agency contact at all)",
    "marac": "The victim was, or should have been, referred to MARAC",
    "reputations": "Implications for several agencies' reputations",
    "procedures_may_change": "National or local procedures may need to change",
    "position_of_trust": "The perpetrator held a position of trust "
                         "(police officer, social worker, health professional)",
    "no_agency_contact": "The victim had no known contact with any agency",
}

PARALLEL_PROCESSES = {
    "cspr": "Child safeguarding practice review",
    "sar": "Safeguarding adults review",
    "mhhr": "Mental health homicide review",
    "iopc": "IOPC investigation",
    "inquest": "Inquest",
    "criminal": "Criminal proceedings",
}

MAX_AGENCIES = 30
REASON_MAX = 3000


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    decided_on: date
    agencies_consulted: list[str]
    concerns: list[str]
    parallel_processes: list[str]
    home_office_told_on: date
    lscp_told_on: date | None
    delay_reason: str | None
    no_review_reasons: str | None


def validate_decision(raw: dict, *, notified_on: date, decision_due: date, today: date,
                      agencies: dict[str, str] | None = None) -> DecisionInput:
    """`agencies`: the CSP's agencies (id -> name) the form offered; when there are some, the form has
    the list ("agencies_consulted") besides the free text for others ("agencies_consulted_other")."""
    errors: dict[str, str] = {}

    def take(name, result):
        value, error = result
        if error:
            errors[name] = error
        return value

    outcome = take("outcome", fields.choice(raw.get("outcome"), OUTCOMES, label="decision"))
    decided_on = take("decided_on", _past_date(raw.get("decided_on"), "decision date", notified_on, today))
    agencies = _consulted(raw, agencies or {}, errors)
    concerns = take("concerns", fields.choices(raw.get("concerns"), CONCERNS, label="situations of concern"))
    parallel = take("parallel_processes",
                    fields.choices(raw.get("parallel_processes"), PARALLEL_PROCESSES, label="parallel processes"))
    ho_told = take("home_office_told_on",
                   _past_date(raw.get("home_office_told_on"), "date the Home Office was told", notified_on, today))
    lscp = take("lscp_told_on",
                _past_date(raw.get("lscp_told_on"), "date the safeguarding children partnership was told", notified_on,
                           today, required=False))
    reason = take("delay_reason",
                  fields.text(raw.get("delay_reason"), label="reason for the delay", max_len=REASON_MAX,
                              required=False))
    why_not = take("no_review_reasons",
                   fields.text(raw.get("no_review_reasons"), label="reasons for not holding a review",
                               max_len=REASON_MAX, required=False))
    if outcome == "no_review" and not why_not and "no_review_reasons" not in errors:
        errors["no_review_reasons"] = "Give the reasons for not holding a review: the Home Office is told why."
    if decided_on and ho_told and ho_told < decided_on:
        errors["home_office_told_on"] = "The Home Office is told of the decision, so on or after the decision date."
    if decided_on and decided_on > decision_due and not reason and "delay_reason" not in errors:
        errors["delay_reason"] = (
            f"The decision was due by {decision_due:%d %b %Y}; the QA panel asks why it was late. Give the reason."
        )
    if errors:
        raise ValidationFailed(errors)
    return DecisionInput(outcome, decided_on, agencies, concerns, parallel, ho_told, lscp, reason,
                         why_not if outcome == "no_review" else None)


def _past_date(raw, label, notified_on, today, required=True):
    value, error = fields.iso_date(raw, label=label, required=required)
    if error or value is None:
        return None, error
    if value > today:
        return None, f"The {label} can't be in the future."
    if value < notified_on:
        return None, f"The {label} can't be before the notification ({notified_on:%d %b %Y})."
    return value, None


def _consulted(raw: dict, agencies: dict[str, str], errors: dict) -> list[str]:
    """Names of the agencies consulted: those chosen from the CSP's list, then any others typed in.
    Stored as names, as before the list existed; a form opened before then sends text under the list's key."""
    chosen, typed = raw.get("agencies_consulted"), raw.get("agencies_consulted_other")
    old_form = isinstance(chosen, str)
    if old_form:
        chosen, typed = [], "\n".join(t for t in (chosen, typed) if t)
    text_key = "agencies_consulted" if old_form else "agencies_consulted_other"
    list_key = "agencies_consulted" if agencies or old_form else text_key
    if any(a not in agencies for a in chosen or []):
        errors[list_key] = "Choose the agencies from the list."
        return []
    others, error = fields.lines(typed, label="agencies", max_items=MAX_AGENCIES)
    if error:
        errors[text_key] = error
        return []
    names = list(dict.fromkeys([agencies[a] for a in chosen or []] + others))
    if not names:
        errors[list_key] = ("Name the partner agencies consulted: the QA panel treats a decision taken alone "
                            "as inadequate.")
    elif len(names) > MAX_AGENCIES:
        errors[list_key] = f"Name at most {MAX_AGENCIES} agencies."
    return names
