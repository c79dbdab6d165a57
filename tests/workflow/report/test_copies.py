"""The copies and notices list: the Secretary of State's copy only once section 19 is in force."""
from bot.workflow.core import naming
from bot.workflow.report import copies

AGENCIES = {3: "Northshire Police", 7: "Northshire NHS Trust"}


def keys(section_19=None):
    return [key for key, _ in copies.wanted(AGENCIES, section_19=section_19)]


def test_the_secretary_of_states_copy_waits_for_section_19():
    assert keys() == ["agency-3", "agency-7", "family_copy", "home_office", "coroner"]
    try:
        naming.configure("dhr", "2024")      # DHR_STATUTORY_BASIS=2024
        assert keys() == ["agency-3", "agency-7", "family_copy", "home_office", "secretary_of_state", "coroner"]
    finally:
        naming.configure()
    assert "secretary_of_state" not in keys()
    assert "secretary_of_state" in keys(section_19=True)
