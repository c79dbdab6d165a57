"""The one-minute guide end to end (Slack, and Teams with --platform teams): drafted for the chair when the
report is published, from the recorded recommendations; refused while the edited guide holds a registered
name; approved once it passes, and shown on the card."""
import io
from datetime import timedelta

import docx
import pytest

from bot.workflow.report.report_check import GUIDE_SECTIONS
from tests.e2e.driver import CHAIR, COORDINATOR, POLICE
from tests.e2e.family_steps import register_name
from tests.e2e.journey import today, wait
from tests.e2e.panel_steps import reply_text_since, set_agencies
from tests.e2e.report_steps import ALL_PUBLISHED, dm_with, modal, step
from tests.e2e.test_publication import to_amending
from tests.e2e.test_report_and_plan import add_recommendation
from tests.e2e.test_report_check import checks, private_answers
from tests.e2e.test_statutory import review_in_evidence

pytestmark = pytest.mark.e2e
REAL_NAME = "Margaret Hollis"
RECOMMENDATION = "GPs should ask about domestic abuse when a patient presents with repeated injuries."
LESSON = "Repeated injuries were treated one at a time, never as a pattern."


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-guide", [COORDINATOR, CHAIR, POLICE])
    set_agencies(driver, COORDINATOR, general, ["Northshire Police"])
    return general


@pytest.fixture(scope="module")
def published(driver, general):
    """A published review with a recommendation and a real name on its redaction list; the guide's draft."""
    reference, space = review_in_evidence(driver, general, today() - timedelta(days=20))
    register_name(driver, COORDINATOR, space, REAL_NAME)
    assert add_recommendation(driver, space, text=RECOMMENDATION, themes=["professional-curiosity"]) == \
        ("closed", None)
    lesson = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "lesson", space=space))
    assert lesson.submit({"text": LESSON, "themes": ["coercive-control"]}).pair() == ("closed", None)
    to_amending(driver, space)
    before = len(driver.shared_files())
    assert step(driver, COORDINATOR, space, "publish", {
        "published_on": today().isoformat(), "published_where": "the CSP's website", "published": ALL_PUBLISHED,
        "family_not_told_reason": "The family asked not to be contacted."}) == ("closed", None)
    name = f"{reference}-one-minute-guide.docx"
    drafted = wait(lambda: next((f for f in driver.shared_files()[before:] if f.name == name), None),
                   what="the guide's draft")
    return reference, space, drafted


def edited(content: bytes, learning: str) -> bytes:
    """The chair's edit: the [what to write] lines written, a learning point added at the end."""
    document = docx.Document(io.BytesIO(content))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("["):
            paragraph.text = "Adult A had contact with four agencies."
    document.add_paragraph(learning)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(driver, space, reference, content) -> str:
    return private_answers(driver, CHAIR, space, reference, f"{reference} one-minute guide (edited).docx", content,
                           "one-minute guide")


def approve(driver, space) -> str:
    before = len(driver.replies(CHAIR))
    driver.command(CHAIR, "guide approve", space=space)
    return reply_text_since(driver, before, what="the answer", user=CHAIR)


def test_the_draft_comes_to_the_chair_privately_in_the_wakefield_format(driver, published):
    reference, space, drafted = published
    assert drafted.spaces == [driver.dm(CHAIR)]       # the chair's own DM, though the coordinator published
    document = docx.Document(io.BytesIO(drafted.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [label for label, _, _ in GUIDE_SECTIONS]
    body = "\n".join(p.text for p in document.paragraphs)
    assert RECOMMENDATION in body and "the CSP's website" in body and REAL_NAME not in body
    learning = body.split("Key learning points")[1].split("What practitioners")[0]
    assert "Themes: Professional curiosity, Coercive control." in learning and LESSON in learning
    assert "guide approve" in dm_with(driver, CHAIR, "one-minute guide").text


def test_the_unedited_draft_and_a_guide_holding_a_registered_name_cannot_be_approved(driver, published):
    reference, space, drafted = published
    said = upload(driver, space, reference, drafted.content)
    assert "does not pass its check" in said and "[bracketed] line under “The circumstances”" in said
    said = upload(driver, space, reference, edited(drafted.content, f"Listen to {REAL_NAME}'s sister."))
    assert "does not pass its check" in said and "is in the body" in said and REAL_NAME not in said
    assert (checks(driver, reference)[-1].kind, checks(driver, reference)[-1].passed) == ("guide", False)
    refusal = approve(driver, space)
    assert "did not pass its check" in refusal and "redaction list is still in it" in refusal
    assert checks(driver, reference)[-1].approved_at is None


def test_a_guide_that_passes_is_approved_and_the_card_says_so(driver, published):
    reference, space, drafted = published
    said = upload(driver, space, reference, edited(drafted.content, "Professional curiosity about repeat injuries."))
    assert "the one-minute guide passed its check" in said
    assert "is approved" in approve(driver, space)
    assert checks(driver, reference)[-1].approved_by is not None
    wait(lambda: "One-minute guide approved" in driver.card(space).text, what="the card's guide line")
    assert "already approved" in approve(driver, space)
