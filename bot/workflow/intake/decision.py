"""The CSP's decision whether to hold a review, with what the QA panel checks."""
from dataclasses import dataclass
from datetime import date

from bot.workflow.core import fields, naming
from bot.workflow.core.errors import ValidationFailed
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.refs import PERSON_ID_RE

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

CRITERIA = tuple(naming.current().criteria)    # the keys; their wording follows the statutory basis
JOINT_LEADS = {"this": "This CSP leads", "other": "The other CSP leads"}

MAX_AGENCIES = 30
REASON_MAX = 3000
PLACE_MAX = 120


class DecisionForm(FormSpec):
    """The concerns' short labels, the agencies and the hints that depend on the review are given when
    the form is built (messages/intake/forms.py)."""

    outcome = Field("Decision", Kind.RADIO, options=OUTCOMES)
    decided_on = Field("Date of the decision", Kind.DATE)
    decided_by = Field("Who decided (the CSP chair)", Kind.PERSON,
                       hint="The chair of the Community Safety Partnership, who takes the decision.")
    criteria = Field("Statutory criteria considered met", Kind.CHECKBOX, required=False)
    records_secured_on = Field("Date agencies were told to secure their records", Kind.DATE)
    agencies_consulted = Field("Partner agencies consulted", Kind.MULTI_SELECT, required=False,
                               placeholder="Choose agencies",
                               hint="From the CSP's list of agencies. At least one agency, here or below.")
    agencies_consulted_other = Field("Other partner agencies consulted", Kind.MULTILINE,
                                     hint="Any not in the list above, one per line.")
    concerns = Field("Situations of concern that apply", Kind.CHECKBOX, required=False)
    parallel_processes = Field("Parallel processes", Kind.CHECKBOX, required=False, options=PARALLEL_PROCESSES)
    home_office_told_on = Field("Date the Home Office was told", Kind.DATE)
    lscp_told_on = Field("Date the safeguarding children partnership was told", Kind.DATE, required=False)
    no_review_reasons = Field("Reasons for not holding a review", Kind.MULTILINE, required=False,
                              max_length=REASON_MAX,
                              hint="Required when the decision is not to hold a review: the Home Office is told why.")
    delay_reason = Field("Reason for any delay", Kind.MULTILINE, required=False, max_length=REASON_MAX,
                         hint="Required when the decision is made more than one month after notification.")
    usual_residence = Field("Victim's usual residence (local authority area)", Kind.TEXT, required=False,
                            max_length=PLACE_MAX, hint="The area, never an address.")
    lead_csp = Field("Lead CSP", Kind.TEXT, required=False, max_length=PLACE_MAX,
                     hint="The CSP for the area where the victim usually lived. Empty: this CSP.")
    joint_with = Field("Joint review with another CSP", Kind.TEXT, required=False, max_length=PLACE_MAX,
                       hint="The other CSP's name, when the review is held jointly.")
    joint_lead = Field("Which CSP leads the joint review", Kind.RADIO, required=False, options=JOINT_LEADS)


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    decided_on: date
    decided_by: str
    records_secured_on: date
    criteria: list[str]
    agencies_consulted: list[str]
    concerns: list[str]
    parallel_processes: list[str]
    home_office_told_on: date
    lscp_told_on: date | None
    delay_reason: str | None
    no_review_reasons: str | None
    usual_residence: str | None = None
    lead_csp: str | None = None
    joint_with: str | None = None
    joint_lead: str | None = None


F = DecisionForm


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

    outcome = take(F.outcome.key, fields.choice(raw.get(F.outcome.key), OUTCOMES, label="decision"))
    decided_on = take(F.decided_on.key, _past_date(raw.get(F.decided_on.key), "decision date", notified_on, today))
    decided_by = take(F.decided_by.key, _person(raw.get(F.decided_by.key)))
    criteria = take(F.criteria.key, fields.choices(raw.get(F.criteria.key), CRITERIA, label="criteria"))
    secured = take(F.records_secured_on.key,
                   _past_date(raw.get(F.records_secured_on.key), "date agencies were told to secure their records",
                              notified_on, today))
    agencies = _consulted(raw, agencies or {}, errors)
    concerns = take(F.concerns.key, fields.choices(raw.get(F.concerns.key), CONCERNS, label="situations of concern"))
    parallel = take(F.parallel_processes.key,
                    fields.choices(raw.get(F.parallel_processes.key), PARALLEL_PROCESSES, label="parallel processes"))
    ho_told = take(F.home_office_told_on.key,
                   _past_date(raw.get(F.home_office_told_on.key), "date the Home Office was told", notified_on, today))
    lscp = take(F.lscp_told_on.key,
                _past_date(raw.get(F.lscp_told_on.key), "date the safeguarding children partnership was told",
                           notified_on, today, required=False))
    reason = take(F.delay_reason.key,
                  fields.text(raw.get(F.delay_reason.key), label="reason for the delay", max_len=REASON_MAX,
                              required=False))
    why_not = take(F.no_review_reasons.key,
                   fields.text(raw.get(F.no_review_reasons.key), label="reasons for not holding a review",
                               max_len=REASON_MAX, required=False))
    if outcome == "no_review" and not why_not and "no_review_reasons" not in errors:
        errors["no_review_reasons"] = "Give the reasons for not holding a review: the Home Office is told why."
    if decided_on and ho_told and ho_told < decided_on:
        errors["home_office_told_on"] = "The Home Office is told of the decision, so on or after the decision date."
    if decided_on and decided_on > decision_due and not reason and "delay_reason" not in errors:
        errors["delay_reason"] = (
            f"The decision was due by {decision_due:%d %b %Y}; the QA panel asks why it was late. Give the reason."
        )
    places = _places(raw, errors, take)
    if errors:
        raise ValidationFailed(errors)
    return DecisionInput(outcome, decided_on, decided_by, secured, criteria, agencies, concerns, parallel, ho_told,
                         lscp, reason, why_not if outcome == "no_review" else None, **places)


def _person(raw) -> tuple[str | None, str | None]:
    value = raw.strip() if isinstance(raw, str) else ""
    if not value:
        return None, "Choose the CSP chair who took the decision."
    if not PERSON_ID_RE.match(value):
        return None, "Choose the CSP chair from the people picker."
    return value, None


def _places(raw: dict, errors: dict, take) -> dict:
    """The victim's usual residence, the lead CSP and a joint review's partner and lead."""
    def place(field: Field, label: str):
        return take(field.key, fields.text(raw.get(field.key), label=label, max_len=PLACE_MAX, required=False,
                                           single_line=True))
    got = {"usual_residence": place(F.usual_residence, "usual residence"), "lead_csp": place(F.lead_csp, "lead CSP"),
           "joint_with": place(F.joint_with, "other CSP")}
    chosen = raw.get(F.joint_lead.key)
    lead = take(F.joint_lead.key, fields.choice(chosen, JOINT_LEADS, label="lead CSP") if chosen else (None, None))
    if got["joint_with"] and not lead and F.joint_lead.key not in errors:
        errors[F.joint_lead.key] = "Say which CSP leads the joint review."
    elif lead and not got["joint_with"] and F.joint_with.key not in errors:
        errors[F.joint_with.key] = "Name the other CSP, or leave the lead empty: the review is not joint."
    return {**got, "joint_lead": lead if got["joint_with"] else None}


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
    chosen, typed = raw.get(F.agencies_consulted.key), raw.get(F.agencies_consulted_other.key)
    old_form = isinstance(chosen, str)
    if old_form:
        chosen, typed = [], "\n".join(t for t in (chosen, typed) if t)
    text_key = F.agencies_consulted.key if old_form else F.agencies_consulted_other.key
    list_key = F.agencies_consulted.key if agencies or old_form else text_key
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
