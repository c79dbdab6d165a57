"""Form text the database or a reader would take differently: control characters, non-ASCII references."""
import pytest

from bot.workflow.core import fields
from bot.workflow.core.errors import ValidationFailed
from bot.workflow.intake.intake import next_reference, validate_new_review
from bot.workflow.views.provisioning import space_names
from tests.workflow.intake.test_intake import GOOD, TODAY, errors_for


@pytest.mark.parametrize("reference", ["DHR-\uff12\uff10\uff12\uff16-03",          # full-width digits
                                       "DHR-\u0662\u0660\u0662\u0666-\u0660\u0663",  # Arabic-Indic digits
                                       "DHR-2026-\u0967\u0968",                      # Devanagari
                                       "DH\u017f-2026-03",                           # long s, upper() "S"
                                       "\uff24\uff28\uff32-2026-03"])                # full-width letters
def test_a_reference_with_other_than_ascii_letters_and_digits_is_refused(reference):
    error = errors_for(reference=reference)["reference"]
    assert "0-9" in error and "DHR-2026-03" in error
    assert reference not in error


def test_next_reference_counts_ascii_numbers_only():
    assert next_reference(2026, ["DHR-2026-\u0669\u0669", "DHR-2026-04"]) == "DHR-2026-05"


def test_space_names_always_carry_the_reference():
    assert list(space_names("DHR-2026-03"))[:2] == ["dhr-2026-03", "dhr-2026-03-2"]
    for junk in ("DHR-\u0662\u0660\u0662\u0666-\u0660\u0663", "DHR", "", "dhr--", "DHR-2026-03/../x"):
        with pytest.raises(ValueError, match="reference"):
            next(space_names(junk))


@pytest.mark.parametrize("field", ["victim_pseudonym", "perpetrator_pseudonym", "notifying_agency"])
@pytest.mark.parametrize("junk", ["Adult\x00A", "Adult\x1bA", "Adult\tA", "Adult\nA", "Adult\x7fA"])
def test_control_characters_in_single_line_fields_are_refused_naming_the_field(field, junk):
    error = errors_for(**{field: junk})[field]
    assert "control character" in error and field.split("_")[0] in error


def test_multi_line_text_may_hold_new_lines_and_tabs_but_nothing_else():
    assert fields.text("one\n\ttwo", label="reason", max_len=50) == ("one\n\ttwo", None)
    assert "control character" in fields.text("one\x00two", label="reason", max_len=50)[1]
    assert fields.lines("a\nb", label="agencies", max_items=5) == (["a", "b"], None)
    assert "agencies" in fields.lines("a\x00\nb", label="agencies", max_items=5)[1]


def test_every_form_value_is_checked_with_its_own_label():
    values = {"reason": "late\nfile", "title": "A\x00", "agencies": ["x", "y\x00"], "when": None, "n": 3}
    errors = fields.control_errors(values, {"title": "field “Title”"}, multiline={"reason"})
    assert set(errors) == {"title", "agencies"} and "“Title”" in errors["title"]
    assert fields.control_errors({"reason": "a\tb"}, {}, multiline=set()) == {"reason": fields.control_error("field")}


def test_a_valid_review_still_validates():
    assert validate_new_review(GOOD, today=TODAY, reference_taken=lambda r: False).reference == "DHR-2026-03"
    with pytest.raises(ValidationFailed):
        validate_new_review({**GOOD, "victim_pseudonym": "A\x00"}, today=TODAY, reference_taken=lambda r: False)
