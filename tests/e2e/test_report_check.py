"""The check before submission to the Home Office, end to end (Slack, and Teams with --platform teams): the
drafts' templates, the check of an uploaded overview report and executive summary (a registered name in a
footer or in the document's Author property, a .docx that is really a PDF), the timescales paragraph, and
the submit step waiting for a passing check of both, or a recorded reason to go anyway, shown on the card."""
import io
from datetime import timedelta

import docx
import pytest
from sqlmodel import select

from bot.workflow.report.report_check import OVERVIEW_SECTIONS, SUMMARY_SECTIONS
from storage.models import AuditEntry
from storage.report import ReportCheck, ReportStep
from tests.e2e.chronology_steps import bot_dm_count, bot_dms, dm_reply
from tests.e2e.driver import CHAIR, COORDINATOR, POLICE
from tests.e2e.family_steps import register_name
from tests.e2e.journey import today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import review_row, step
from tests.e2e.test_publication import to_sign_off
from tests.e2e.test_statutory import review_in_evidence

pytestmark = pytest.mark.e2e
REAL_NAME = "Margaret Hollis"
day = lambda n: (today() - timedelta(days=n)).isoformat()  # noqa: E731


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-report-check", [COORDINATOR, CHAIR, POLICE])
    set_agencies(driver, COORDINATOR, general, ["Northshire Police"])
    return general


@pytest.fixture(scope="module")
def signed_off(driver, general):
    """A review signed off by the panel and the CSP, with a real name on its redaction list."""
    reference, space = review_in_evidence(driver, general, today() - timedelta(days=20))
    register_name(driver, COORDINATOR, space, REAL_NAME)
    to_sign_off(driver, space)
    return reference, space


def draft(sections, *, footer: str | None = None, author: str | None = None) -> bytes:
    document = docx.Document()
    document.add_heading("Overview report into the death of Adult A", 0)
    for number, (label, _, _) in enumerate(sections, 1):
        document.add_heading(f"{number}. {label}", 1)
        document.add_paragraph(f"What the review found on {label.lower()} about Adult A.")
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    document.core_properties.author = author or "Independent chair"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(driver, user, space, reference, name, content) -> str:
    return private_answers(driver, user, space, reference, name, content, "")


def private_answers(driver, user, space, reference, name, content, words: str) -> str:
    """What the bot answers, privately, to a draft shared where files reach it (the first answer saying
    `words`): the review's channel on Slack; on Teams the 1:1 chat, naming the review when asked which."""
    def said_since(before: int):
        seen = (driver.ephemerals(user, space) if driver.platform != "teams" else bot_dms(driver, user))[before:]
        return next((m for m in seen if m.text.strip() and words in m.text), None)
    if driver.platform != "teams":
        before = len(driver.ephemerals(user, space))
        driver.share_file(user, name, content, space=space)
        return wait(lambda: said_since(before), what="the check").text
    before = bot_dm_count(driver, user)
    driver.share_file(user, name, content)
    said = wait(lambda: said_since(before) or (m if "Which review is" in (m := dm_reply(driver, user, before)).text
                                               else None), what="the check")
    if "Which review is" in said.text:
        before = bot_dm_count(driver, user)
        driver.press(user, said, reference)
        said = wait(lambda: said_since(before), what="the check")
    return said.text


def checks(driver, reference) -> list[ReportCheck]:
    with driver.db.session() as s:
        return list(s.exec(select(ReportCheck).where(ReportCheck.review_id == review_row(driver, reference).id)
                           .order_by(ReportCheck.id)))


def submit_refusal(driver, space) -> str:
    kind, said = step(driver, COORDINATOR, space, "submit", {"submitted_on": day(1)})
    assert kind == "notice", (kind, said)
    return said


def test_the_templates_come_privately_in_the_guidances_order(driver, signed_off):
    reference, space = signed_off
    before = len(driver.shared_files())
    driver.command(CHAIR, "report template", space=space)
    sent = wait(lambda: len(driver.shared_files()) >= before + 3 and driver.shared_files()[before:], what="templates")
    assert [f.name for f in sent] == [f"{reference}-overview-report.docx", f"{reference}-executive-summary.docx",
                                      f"{reference}-action-plan.docx"]
    assert all(space not in f.spaces for f in sent)
    headings = [p.text for p in docx.Document(io.BytesIO(sent[0].content)).paragraphs
                if p.style.name == "Heading 1"]
    assert headings == [f"{n}. {label}" for n, (label, _, _) in enumerate(OVERVIEW_SECTIONS, 1)]
    said = upload(driver, CHAIR, space, reference, sent[0].name, sent[0].content)
    assert "does not pass the check yet" in said and "text under “Timescales” (it is empty or still the" in said


def test_a_registered_name_in_the_footer_is_found_there_never_repeated_and_submission_waits(driver, signed_off):
    reference, space = signed_off
    said = upload(driver, CHAIR, space, reference, "Overview report draft 2.docx",
                  draft(OVERVIEW_SECTIONS, footer=f"Draft: not to be shared with {REAL_NAME}'s family"))
    assert "does not pass the check yet" in said and "is in the footer" in said
    assert REAL_NAME.lower() not in said.lower() and REAL_NAME.lower() not in driver.log_text().lower()
    assert "The Community Safety Partnership was notified of the death on" in said   # the timescales paragraph
    assert "The panel signed the report off on" in said
    latest = checks(driver, reference)[-1]
    assert (latest.kind, latest.passed, latest.terms, latest.missing) == ("overview_report", False, 1, 0)
    refusal = submit_refusal(driver, space)
    assert "send me the overview report and the executive summary to check" in refusal
    assert "reason to submit without a passing check" in refusal
    assert review_row(driver, reference).stage == "sign_off"


def test_a_registered_name_in_the_documents_author_property_is_refused(driver, signed_off):
    reference, space = signed_off
    hidden = REAL_NAME.replace("garet", "gar\u200bet")      # an invisible character doesn't hide it
    said = upload(driver, CHAIR, space, reference, "exec summary.docx", draft(SUMMARY_SECTIONS, author=hidden))
    assert "the executive summary does not pass" in said and "the document's Author property" in said
    assert REAL_NAME.lower() not in said.lower()
    assert checks(driver, reference)[-1].kind == "executive_summary" and not checks(driver, reference)[-1].passed


def test_a_docx_that_is_really_a_pdf_is_refused_clearly_and_nothing_is_recorded(driver, signed_off):
    reference, space = signed_off
    before = len(checks(driver, reference))
    said = upload(driver, CHAIR, space, reference, "overview report.docx", b"%PDF-1.7\n%binary pdf body")
    assert "not a Word document (.docx) I can read" in said
    assert len(checks(driver, reference)) == before


def test_a_clean_report_and_summary_pass_and_the_report_can_be_submitted(driver, signed_off):
    reference, space = signed_off
    said = upload(driver, CHAIR, space, reference, f"{reference}-overview-report.docx", draft(OVERVIEW_SECTIONS))
    assert "the overview report passed the check" in said and "executive summary still needs a passing" in said
    assert "overview report and the executive summary" not in submit_refusal(driver, space)
    said = upload(driver, CHAIR, space, reference, f"{reference}-executive-summary.docx", draft(SUMMARY_SECTIONS))
    assert "Both drafts have passed" in said
    assert [(c.kind, c.passed) for c in checks(driver, reference)][-2:] == [("overview_report", True),
                                                                             ("executive_summary", True)]
    assert all(len(c.sha256) == 64 for c in checks(driver, reference))
    card = wait(lambda: "Report check: overview report passed" in (t := driver.card(space).text) and t,
                what="the card's check line")
    assert "executive summary passed" in card
    assert step(driver, COORDINATOR, space, "submit", {"submitted_on": day(1)}) == ("closed", None)
    assert review_row(driver, reference).stage == "submitted"


def test_after_the_qa_panel_asks_for_a_revision_the_revised_drafts_are_checked_again(driver, signed_off):
    reference, space = signed_off
    assert review_row(driver, reference).stage == "submitted"      # the test above submitted it
    assert step(driver, COORDINATOR, space, "qa_outcome", {
        "outcome": "revise_and_resubmit", "letter_on": day(0),
        "feedback": "Strengthen the analysis of the GP's risk assessment."}) == ("closed", None)
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": day(0)}
    assert step(driver, COORDINATOR, space, "send_for_sign_off", drafts) == ("closed", None)
    for key in ("panel_sign_off", "csp_sign_off"):
        assert step(driver, COORDINATOR, space, key, {"signed_on": day(0)}) == ("closed", None), key
    kind, said = step(driver, COORDINATOR, space, "submit", {"submitted_on": day(0)})
    assert kind == "notice" and "overview report and the executive summary" in said, said   # the old passes
    for name, sections in (("overview-report", OVERVIEW_SECTIONS), ("executive-summary", SUMMARY_SECTIONS)):
        upload(driver, CHAIR, space, reference, f"{reference}-{name}-v2.docx", draft(sections))
    assert step(driver, COORDINATOR, space, "submit", {"submitted_on": day(0)}) == ("closed", None)
    assert review_row(driver, reference).stage == "submitted"


def test_submitting_without_a_passing_check_needs_a_reason_which_is_kept_and_shown(driver, general):
    reference, space = review_in_evidence(driver, general, today() - timedelta(days=20))
    to_sign_off(driver, space)
    invisible = step(driver, COORDINATOR, space, "submit", {"submitted_on": day(1), "check_reason": "\u200b\u2060 "})
    assert invisible[0] == "notice" and "reason to submit without a passing check" in invisible[1], invisible
    assert review_row(driver, reference).stage != "submitted"
    reason = "The Home Office asked for it by Friday; the chair checked the drafts by hand."
    assert step(driver, COORDINATOR, space, "submit", {"submitted_on": day(1), "check_reason": reason}) == (
        "closed", None)
    assert review_row(driver, reference).stage == "submitted"
    card = wait(lambda: "without a passing check" in (t := driver.card(space).text) and t, what="the card")
    assert reason in card
    with driver.db.session() as s:
        row = s.exec(select(ReportStep).where(ReportStep.review_id == review_row(driver, reference).id,
                                              ReportStep.step == "submit")).one()
        audited = s.exec(select(AuditEntry).where(AuditEntry.review_id == row.review_id,
                                                  AuditEntry.action == "report.submit")).one()
    assert row.note == reason and audited.detail["without_check"] is True and reason not in str(audited.detail)


def test_an_agency_lead_cannot_have_a_draft_report_checked(driver, general):
    reference, space = review_in_evidence(driver, general, today() - timedelta(days=20))
    join(driver, space, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    said = upload(driver, POLICE, space, reference, "overview report.docx", draft(OVERVIEW_SECTIONS))
    assert "Only the review's coordinator or chair can have the overview report checked" in said
    assert checks(driver, reference) == []


def test_a_draft_shared_in_the_bots_dm_on_slack_is_pointed_to_the_review_channel(driver, general):
    """/dhr report sends the templates to the DM, so a coordinator may send the draft back there."""
    if driver.platform == "teams":
        pytest.skip("Teams gives a bot files only in the 1:1 chat, where the drafts are checked")
    reference, space = review_in_evidence(driver, general, today() - timedelta(days=20))
    before = bot_dm_count(driver, COORDINATOR)
    driver.share_file(COORDINATOR, f"{reference}-overview-report.docx", draft(OVERVIEW_SECTIONS))
    said = dm_reply(driver, COORDINATOR, before).text
    assert "have not read or kept this file" in said
    assert "draft reports and the one-minute guide are checked there" in said
