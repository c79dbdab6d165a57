"""A form's fields are declared once; the validator and the form read the same keys."""
import pytest

from bot.workflow.core.form_spec import Field, FormSpec, Kind


class Recommendation(FormSpec):
    text = Field("Recommendation", Kind.MULTILINE, max_length=2000)
    scope = Field("Scope", Kind.RADIO, options={"local": "Local", "national": "National"})
    source_agency = Field("Agency", Kind.SELECT, required=False)


def test_a_field_key_is_its_attribute_name_and_a_copy_keeps_it():
    assert [f.key for f in Recommendation.fields()] == ["text", "scope", "source_agency"]
    shown = Recommendation.source_agency.but(options={"1": "Police"}, initial="1")
    assert shown.key == "source_agency" and shown.choices == {"1": "Police"}
    assert Recommendation.scope.of({"scope": "local"}) == "local"


def test_errors_must_name_the_forms_own_fields():
    err = Recommendation.invalid({"scope": "Choose the scope."})
    assert err.field_errors == {"scope": "Choose the scope."}
    with pytest.raises(KeyError):
        Recommendation.invalid({"agency": "No agencies are set up yet."})
