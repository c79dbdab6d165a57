"""A new notification: what the form must hold, and the next free case reference."""
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from bot.workflow.core import fields
from bot.workflow.core.errors import ValidationFailed

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


def validate_new_review(raw: dict, *, today: date, reference_taken: Callable[[str], bool]) -> NewReview:
    errors: dict[str, str] = {}

    def take(name, result):
        value, error = result
        if error:
            errors[name] = error
        return value

    reference = take("reference", _reference(raw.get("reference"), reference_taken))
    notified_on = take("notified_on", _notified_on(raw.get("notified_on"), today))
    agency = take("notifying_agency", fields.text(raw.get("notifying_agency"), label="notifying agency", max_len=100,
                                                      single_line=True))
    victim = take("victim_pseudonym", _pseudonym(raw.get("victim_pseudonym"), "victim's pseudonym", True))
    perp = take("perpetrator_pseudonym", _pseudonym(raw.get("perpetrator_pseudonym"), "perpetrator's pseudonym", False))
    age = take("victim_age", _age(raw.get("victim_age")))
    relationship = take("relationship", fields.choice(raw.get("relationship"), RELATIONSHIPS, label="relationship"))
    suicide = take("suspected_suicide", fields.choice(raw.get("suspected_suicide"), YES_NO, label="answer"))
    if "agreed" not in (raw.get("confidentiality") or []):
        errors["confidentiality"] = "Agree to the confidentiality statement to open the review."
    if victim and perp and victim.casefold() == perp.casefold():
        errors["perpetrator_pseudonym"] = "Use a different pseudonym from the victim's."
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
            "Under 16 is outside the statutory definition: a DHR reviews the death of a person "
            "aged 16 or over. A child death follows the child safeguarding process."
        )
    if age > MAX_AGE:
        return None, "Check the age: it is over 120."
    return age, None
