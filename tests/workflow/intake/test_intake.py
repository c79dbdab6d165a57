from datetime import date

import pytest

from bot.workflow.core.errors import ValidationFailed
from bot.workflow.intake.intake import next_reference, validate_new_review

TODAY = date(2026, 11, 22)
GOOD = {"reference": "dhr-2026-03", "notified_on": "2026-11-20", "notifying_agency": "Police",
        "victim_pseudonym": "Adult A", "perpetrator_pseudonym": "Adult B", "victim_age": "34",
        "relationship": "former_partner", "suspected_suicide": "no", "confidentiality": ["agreed"]}


def errors_for(**changes) -> dict:
    with pytest.raises(ValidationFailed) as info:
        validate_new_review({**GOOD, **changes}, today=TODAY, reference_taken=lambda r: r == "DHR-2026-01")
    return info.value.field_errors


def test_valid_input_is_normalised():
    review = validate_new_review(GOOD, today=TODAY, reference_taken=lambda r: False)
    assert review.reference == "DHR-2026-03"
    assert review.notified_on == date(2026, 11, 20)
    assert review.victim_age == 34 and review.suspected_suicide is False


@pytest.mark.parametrize("changes, field, words", [
    ({"notified_on": "2026-11-23"}, "notified_on", "future"),
    ({"notified_on": "20/11/2026"}, "notified_on", "calendar"),
    ({"notified_on": "2010-01-01"}, "notified_on", "2011"),
    ({"victim_age": "15"}, "victim_age", "statutory definition"),
    ({"victim_age": "thirty"}, "victim_age", "whole years"),
    ({"reference": "DHR-2026-01"}, "reference", "already used"),
    ({"reference": "Jane Smith"}, "reference", "DHR-2026-03"),
    ({"victim_pseudonym": "  "}, "victim_pseudonym", "never a real name"),
    ({"victim_pseudonym": "x" * 41}, "victim_pseudonym", "40 characters"),
    ({"perpetrator_pseudonym": "x" * 10_000}, "perpetrator_pseudonym", "40 characters"),
    ({"perpetrator_pseudonym": "adult a"}, "perpetrator_pseudonym", "different"),
    ({"relationship": "neighbour"}, "relationship", "from the list"),
    ({"suspected_suicide": None}, "suspected_suicide", "from the list"),
    ({"notifying_agency": ""}, "notifying_agency", "notifying agency"),
    ({"confidentiality": []}, "confidentiality", "Agree to the confidentiality statement"),
])
def test_bad_input_names_the_field(changes, field, words):
    errors = errors_for(**changes)
    assert field in errors and words in errors[field]


def test_sixteen_is_inside_the_definition():
    assert validate_new_review({**GOOD, "victim_age": "16"}, today=TODAY, reference_taken=lambda r: False)


def test_next_reference_follows_the_highest_of_the_year():
    assert next_reference(2026, []) == "DHR-2026-01"
    assert next_reference(2026, ["DHR-2026-01", "DHR-2026-07", "DHR-2025-12"]) == "DHR-2026-08"
    assert next_reference(2027, ["DHR-2026-07"]) == "DHR-2027-01"
