"""A new notification: what the form must hold, and the next free case reference."""
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from bot.workflow.core import fields, naming
from bot.workflow.core.errors import ValidationFailed
from bot.workflow.core.form_spec import Field, FormSpec, Kind

REFERENCE_RE = re.compile(r"^[A-Z]{2,10}-[0-9]{4}-[0-9]{2,4}$", re.ASCII)  # Unicode digits are not ASCII ones
STATUTE_IN_FORCE = date(2011, 4, 13)  # DVCVA 2004 s9 commenced
PSEUDONYM_MAX = 40
MIN_AGE, MAX_AGE = 16, 120

RELATIONSHIPS = {
    "current_partner": "Current partner",
    "former_partner": "Former partner",
    "relative": "Relative",
    "household_member": "Household member",
    "other": "Other",
}
YES_NO = {"yes": "Yes", "no": "No"}


class NewReviewForm(FormSpec):
    """The reference's hint (what it names) and the statement above the agreement are the platform's."""

    reference = Field("Case reference")
    notified_on = Field("Date the CSP was notified", Kind.DATE)
    notifying_agency = Field("Notifying agency", placeholder="e.g. the police force")
    victim_pseudonym = Field("Victim's pseudonym", hint="A pseudonym only, never the real name (up to 40 characters).")
    perpetrator_pseudonym = Field("Perpetrator's pseudonym", required=False,
                                  hint="A pseudonym only; leave empty if not yet agreed.")
    victim_age = Field("Victim's age at death", placeholder="in years, e.g. 34")
    relationship = Field("Relationship of the perpetrator to the victim", Kind.SELECT, options=RELATIONSHIPS)
    suspected_suicide = Field("Is the death a suspected suicide?", Kind.RADIO, options=YES_NO)
    confidentiality = Field("Confidentiality", Kind.CHECKBOX, options={"agreed": "I agree to the statement above"})


@dataclass(frozen=True)
class NewReview:
    reference: str
    notified_on: date
    notifying_agency: str
    victim_pseudonym: str
    perpetrator_pseudonym: str | None
    victim_age: int
    relationship: str
    suspected_suicide: bool


def next_reference(year: int, used: list[str], prefix: str = "DHR") -> str:
    """The lowest unused DHR-YYYY-NN after the highest one this year."""
    pattern = re.compile(rf"^{prefix}-{year}-([0-9]+)$", re.ASCII)
    numbers = [int(m.group(1)) for ref in used if (m := pattern.match(ref))]
    return f"{prefix}-{year}-{max(numbers, default=0) + 1:02d}"


F = NewReviewForm


def validate_new_review(raw: dict, *, today: date, reference_taken: Callable[[str], bool]) -> NewReview:
    errors: dict[str, str] = {}

    def take(name, result):
        value, error = result
        if error:
            errors[name] = error
        return value

    reference = take(F.reference.key, _reference(raw.get(F.reference.key), reference_taken))
    notified_on = take(F.notified_on.key, _notified_on(raw.get(F.notified_on.key), today))
    agency = take(F.notifying_agency.key, fields.text(raw.get(F.notifying_agency.key), label="notifying agency",
                                                      max_len=100, single_line=True))
    victim = take(F.victim_pseudonym.key, _pseudonym(raw.get(F.victim_pseudonym.key), "victim's pseudonym", True))
    perp = take(F.perpetrator_pseudonym.key,
                _pseudonym(raw.get(F.perpetrator_pseudonym.key), "perpetrator's pseudonym", False))
    age = take(F.victim_age.key, _age(raw.get(F.victim_age.key)))
    relationship = take(F.relationship.key,
                        fields.choice(raw.get(F.relationship.key), RELATIONSHIPS, label="relationship"))
    suicide = take(F.suspected_suicide.key, fields.choice(raw.get(F.suspected_suicide.key), YES_NO, label="answer"))
    if "agreed" not in (raw.get(F.confidentiality.key) or []):
        errors[F.confidentiality.key] = "Agree to the confidentiality statement to open the review."
    if victim and perp and victim.casefold() == perp.casefold():
        errors[F.perpetrator_pseudonym.key] = "Use a different pseudonym from the victim's."
    if errors:
        raise ValidationFailed(errors)
    return NewReview(reference, notified_on, agency, victim, perp, age, relationship, suicide == "yes")


def _reference(raw, taken) -> tuple[str | None, str | None]:
    value = (raw or "").strip()
    if not value:
        return None, "Enter a case reference such as DHR-2026-03."
    if not value.isascii():  # checked before upper(): "ſ".upper() is "S"
        return None, ("Type the reference with the ordinary letters A-Z and digits 0-9, such as DHR-2026-03 "
                      "(it has other characters, such as full-width or Arabic-Indic digits).")
    value = value.upper()
    if not REFERENCE_RE.match(value):
        return None, "Use the form DHR-2026-03: letters, the year and a number, joined by hyphens."
    if taken(value):
        return None, f"{value} is already used by another review; choose another reference."
    return value, None


def _notified_on(raw, today) -> tuple[date | None, str | None]:
    value, error = fields.iso_date(raw, label="date the CSP was notified")
    if error:
        return None, error
    if value > today:
        return None, "The notification date can't be in the future."
    if value < STATUTE_IN_FORCE:
        return None, "Reviews began on 13 April 2011; check the notification date."
    return value, None


def _pseudonym(raw, label, required) -> tuple[str | None, str | None]:
    value, error = fields.text(raw, label=label, max_len=PSEUDONYM_MAX, required=required, single_line=True)
    if error and required and not (raw or "").strip():
        return None, f"Enter the {label}: never a real name."
    return value, error


def _age(raw) -> tuple[int | None, str | None]:
    value = (raw or "").strip()
    if not (value.isascii() and value.isdigit()):   # "³⁴" passes isdigit() but not int()
        return None, "Enter the age at death in whole years, for example 34."
    age = int(value)
    if age < MIN_AGE:
        return None, (
            f"Under 16 is outside the statutory definition: a {naming.current().short} reviews the death of a "
            "person aged 16 or over. A child death follows the child safeguarding process."
        )
    if age > MAX_AGE:
        return None, "Check the age: it is over 120."
    return age, None
