"""Publication's routes, and the copies and notices after sign-off, end to end through the journeys'
driver (Slack, and Teams with --platform teams)."""
import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.workflow.report.copies import SEND_WITHIN
from storage.report import Recommendation, ReportStep
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, POLICE
from tests.e2e.journey import show, today, wait
from tests.e2e.panel_steps import reply_text_since, set_agencies
from tests.e2e.report_steps import modal, review_row, step, submission
from tests.e2e.test_report_and_plan import add_recommendation
from tests.e2e.test_statutory import dms_saying, review_in_evidence
from tests.e2e.test_timeline import ENG, card_text, on_the_day, sweep

pytestmark = pytest.mark.e2e
day = lambda n: (today() - timedelta(days=n)).isoformat()  # noqa: E731
NOT_TOLD = {"family_not_told_reason": "The family asked not to be contacted."}


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-publication", [COORDINATOR, CHAIR, POLICE, HEALTH])
    set_agencies(driver, COORDINATOR, general, ["Northshire Police", "Northshire NHS Trust"])
    return general


def to_sign_off(driver, space_id, *, signed=3):
    """Evidence -> drafting -> sign-off, the panel and the CSP signing `signed` days ago."""
    assert step(driver, COORDINATOR, space_id, "start_drafting", {}) == ("closed", None)
    to_sign_off_from_drafting(driver, space_id, signed)


def to_amending(driver, space_id):
    to_sign_off(driver, space_id)
    for key, values in (("submit", submission(day(2))),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": day(1)})):
        assert step(driver, COORDINATOR, space_id, key, values) == ("closed", None), key


def stored(driver, reference, key) -> int:
    review_id = review_row(driver, reference).id
    with driver.db.session() as s:
        return len(s.exec(ReportStep.__table__.select().where(ReportStep.review_id == review_id,
                                                              ReportStep.step == key)).all())


def conclude_refusal(driver, space_id) -> str:
    before = len(driver.replies(COORDINATOR))
    driver.command(COORDINATOR, "conclude", space=space_id)
    return wait(lambda: driver.replies(COORDINATOR)[before:] and driver.replies(COORDINATOR)[-1].preview,
                what="the refusal")


# ---------------------------------------------------------------- 4. publication's routes

def test_a_deferred_publication_is_reminded_monitored_meanwhile_and_settled_before_conclusion(driver, general):
    reference, space_id = review_in_evidence(driver, general, today() - timedelta(days=30))
    to_amending(driver, space_id)

    kind, text = step(driver, COORDINATOR, space_id, "start_monitoring", {})
    assert kind == "refused" and "record the publication first, or defer it" in text, text
    kind, errors = step(driver, COORDINATOR, space_id, "defer_publication",
                        {"reason": "The criminal trial starts in the spring.", "revisit_on": day(1)})
    assert kind == "errors" and "after today" in errors["revisit_on"], errors
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage defer_publication", space=space_id))
    kind, errors = form.forge({"reason": "The criminal trial starts in the spring."}).pair()   # no revisit date
    assert kind == "errors" and "revisit_on" in errors, errors
    assert stored(driver, reference, "defer_publication") == 0

    revisit = today() + timedelta(days=40)
    assert step(driver, COORDINATOR, space_id, "defer_publication",
                {"reason": "The criminal trial starts in the spring.", "revisit_on": revisit.isoformat()}) \
        == ("closed", None)
    card = wait(lambda: "Publication deferred" in card_text(driver, reference) and card_text(driver, reference),
                what="the deferral on the card")
    assert f"revisited on {show(revisit)}" in card and "trial" not in card
    assert step(driver, COORDINATOR, space_id, "start_monitoring", {}) == ("closed", None)
    assert review_row(driver, reference).stage == "monitoring"

    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(revisit))
    (reminder,) = wait(lambda: dms_saying(driver, COORDINATOR, "Deferred publication", before),
                       what="the revisit reminder")
    assert reference in reminder.text and "trial" not in reminder.text

    assert step(driver, COORDINATOR, space_id, "plan_audit", {"audited_on": day(0), "findings": "No actions.",
                                                             "no_recommendations": ["no_recommendations"]}) \
        == ("closed", None)
    refusal = conclude_refusal(driver, space_id)
    assert "it is still deferred" in refusal and review_row(driver, reference).stage == "monitoring"

    # Executive summary only: agreed with the Home Office, the overview report not among what went out.
    summary = {"reason": "Publishing the full report would identify the children.", "published_on": day(0),
               "published_where": "CSP website", "published": ["executive_summary", "qa_letter"], **NOT_TOLD}
    kind, errors = step(driver, COORDINATOR, space_id, "publish_summary_only", {**summary, "agreed_on": day(-1)})
    assert kind == "errors" and "can't be in the future" in errors["agreed_on"], errors
    kind, errors = step(driver, COORDINATOR, space_id, "publish_summary_only",
                        {**summary, "published": ["executive_summary"], "agreed_on": day(1)})
    assert kind == "errors" and "QA letter" in errors["published"], errors
    assert stored(driver, reference, "publish_summary_only") == 0
    assert step(driver, COORDINATOR, space_id, "publish_summary_only", {**summary, "agreed_on": day(1)}) \
        == ("closed", None)
    assert review_row(driver, reference).stage == "monitoring"
    wait(lambda: "Executive summary published on its own" in card_text(driver, reference), what="the route")

    kind, text = step(driver, COORDINATOR, space_id, "withhold", {"agreed_on": day(0), "reason": "x"})
    assert kind == "refused" and "already recorded" in text, text
    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(ENG.add_working_days(revisit, 5)))
    assert not dms_saying(driver, COORDINATOR, "Deferred publication", before)
    driver.command(COORDINATOR, "conclude", space=space_id)
    wait(lambda: review_row(driver, reference).stage == "concluded", what="the conclusion")


def test_withholding_needs_the_home_offices_agreement_and_goes_straight_to_monitoring(driver, general):
    reference, space_id = review_in_evidence(driver, general, today() - timedelta(days=30))
    to_amending(driver, space_id)
    kind, errors = step(driver, COORDINATOR, space_id, "publish",
                        {"published_on": day(0), "published_where": "CSP website",
                         "published": ["overview_report", "executive_summary"], **NOT_TOLD})
    assert kind == "errors" and "QA letter" in errors["published"], errors

    withheld = {"reason": "The surviving children could be identified.", "agreed_on": day(-2)}
    kind, errors = step(driver, COORDINATOR, space_id, "withhold", withheld)
    assert kind == "errors" and "can't be in the future" in errors["agreed_on"], errors
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage withhold", space=space_id))
    kind, errors = form.forge({"reason": withheld["reason"]}).pair()
    assert kind == "errors" and "agreed_on" in errors, errors
    assert review_row(driver, reference).stage == "amending" and stored(driver, reference, "withhold") == 0

    assert step(driver, COORDINATOR, space_id, "withhold", {**withheld, "agreed_on": day(0)}) == ("closed", None)
    assert review_row(driver, reference).stage == "monitoring"
    card = wait(lambda: "not published, as agreed with the Home Office" in card_text(driver, reference)
                and card_text(driver, reference), what="the route on the card")
    assert "children" not in card


# ---------------------------------------------------------------- 6. copies and notices after sign-off

def copies_form(driver, space_id):
    return modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage copy_sent", space=space_id))


def test_copies_and_notices_are_listed_from_sign_off_dated_with_who_recorded_them_and_reminded(driver, general):
    reference, space_id = review_in_evidence(driver, general, today() - timedelta(days=30))
    assert step(driver, COORDINATOR, space_id, "start_drafting", {}) == ("closed", None)
    kind, text = step(driver, COORDINATOR, space_id, "copy_sent", {})
    assert kind == "refused" and "once the report is completed" in text, text
    to_sign_off_from_drafting(driver, space_id)

    card = wait(lambda: "Publication, copies and notices" in card_text(driver, reference)
                and card_text(driver, reference), what="the checklist on the card")
    for line in ("Northshire Police: the senior manager's copy: not recorded yet",
                 "Northshire NHS Trust: the senior manager's copy: not recorded yet",
                 "The family: a copy of the report: not recorded yet",
                 "The family: told the publication date in advance: not recorded yet",
                 "The Home Office: the final report: not recorded yet",
                 "The Domestic Abuse Commissioner: a copy: not recorded yet",
                 "The coroner, who asked for a copy: only if asked"):
        assert line in card, (line, card)
    assert "Secretary of State" not in card          # section 19 of the 2024 Act is not in force (the default)

    form = copies_form(driver, space_id)
    police = form.option("recipient", "Northshire Police", starts=True)
    kind, errors = form.submit({"recipient": police, "sent_on": day(5)}).pair()
    assert kind == "errors" and "the CSP signed it off" in errors["sent_on"], errors
    assert stored(driver, reference, "copy_sent") == 0
    form = copies_form(driver, space_id)
    assert form.submit({"recipient": police, "sent_on": day(1)}).pair() == ("closed", None)
    card = wait(lambda: "senior manager's copy: " + show(today() - timedelta(days=1)) in card_text(driver, reference)
                and card_text(driver, reference), what="the recorded copy")
    assert f"Northshire Police: the senior manager's copy: {show(today() - timedelta(days=1))}, recorded by" in card
    form = copies_form(driver, space_id)
    assert not [label for label, _ in form.field("recipient").options if label.startswith("Northshire Police")]
    assert stored(driver, reference, "copy_sent") == 1

    due = ENG.add_working_days(today() - timedelta(days=3), SEND_WITHIN)
    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(due))
    (reminder,) = wait(lambda: dms_saying(driver, COORDINATOR, "Copies and notices after sign-off", before),
                       what="the copies reminder")
    assert reference in reminder.text and "3 still to record" in reminder.text and "Northshire" not in reminder.text

    for starts in ("Northshire NHS Trust", "The family", "The Home Office"):
        form = copies_form(driver, space_id)
        assert form.submit({"recipient": form.option("recipient", starts, starts=True), "sent_on": day(0)}).pair() \
            == ("closed", None), starts
    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(ENG.add_working_days(due, 5)))
    assert not [m for m in driver.dms(COORDINATOR)[before:] if "Copies and notices" in about(m.text, reference)]
    form = copies_form(driver, space_id)     # the coroner's copy, when asked, is still there to record
    assert [label for label, _ in form.field("recipient").options] == ["The coroner, who asked for a copy"]


def about(digest: str, reference: str) -> str:
    """The lines of a reminder digest under this review's heading (other reviews of the module's
    coordinator have their own copies still due)."""
    lines, mine = [], False
    for line in digest.split("\n"):
        if "DHR-" in line:
            mine = reference in line
        if mine:
            lines.append(line)
    return "\n".join(lines)


def to_sign_off_from_drafting(driver, space_id, signed=3):
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": day(signed + 2)}
    assert step(driver, COORDINATOR, space_id, "send_for_sign_off", drafts) == ("closed", None)
    for key in ("panel_sign_off", "csp_sign_off"):
        assert step(driver, COORDINATOR, space_id, key, {"signed_on": day(signed)}) == ("closed", None), key


# ---------------------------------------------------------------- 12. national recommendations

def plan_text(driver, space_id) -> str:
    before = len(driver.replies(COORDINATOR))
    driver.command(COORDINATOR, "actions", space=space_id)
    return reply_text_since(driver, before, what="the plan", user=COORDINATOR)


def national_row(driver, reference) -> Recommendation:
    with driver.db.session() as s:
        return s.exec(select(Recommendation).where(Recommendation.review_id == review_row(driver, reference).id,
                                                   Recommendation.scope == "national")).one()


def test_a_national_recommendation_is_drafted_submitted_sent_and_answered_in_order(driver, general):
    reference, space_id = review_in_evidence(driver, general, today() - timedelta(days=30))
    assert add_recommendation(driver, space_id, text="The Home Office to publish guidance on economic abuse.",
                              scope="national") == ("closed", None)     # no department, no date asked yet
    assert "Drafted; goes to the Home Office with the report" in plan_text(driver, space_id)
    kind, text = step(driver, COORDINATOR, space_id, "national_sent", {})
    assert kind == "refused" and "this step is taken at" in text, text

    to_sign_off(driver, space_id)
    assert step(driver, COORDINATOR, space_id, "submit", submission(day(2))) == ("closed", None)
    assert f"Submitted with the report ({show(today() - timedelta(days=2))})" in plan_text(driver, space_id)
    kind, text = step(driver, COORDINATOR, space_id, "national_response", {})
    assert kind == "refused" and "record that it was sent first" in text, text

    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage national_sent", space=space_id))
    rec = form.option("recommendation", "1.", starts=True)
    kind, errors = form.submit({"recommendation": rec, "sent_on": day(3)}).pair()
    assert kind == "errors" and "Name the department" in errors["body"], errors
    assert "after the report is submitted to the Home Office" in errors["sent_on"], errors
    assert national_row(driver, reference).national_sent_on is None
    department = "Department for Work and Pensions"
    assert step(driver, COORDINATOR, space_id, "national_sent",
                {"recommendation": rec, "body": department, "sent_on": day(1)}) == ("closed", None)

    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage national_response",
                                                             space=space_id))
    answer_values = {"recommendation": form.option("recommendation", "1.", starts=True),
                     "response": "Guidance on economic abuse is in the 2027 work plan."}
    kind, errors = form.submit({**answer_values, "response_on": day(2)}).pair()
    assert kind == "errors" and "can't come before the recommendation was sent" in errors["response_on"], errors
    assert national_row(driver, reference).national_response_on is None
    assert step(driver, COORDINATOR, space_id, "national_response", {**answer_values, "response_on": day(0)}) \
        == ("closed", None)
    row = national_row(driver, reference)
    assert (row.national_body, row.national_sent_on, row.national_response_on) == (
        department, today() - timedelta(days=1), today())
    assert f"Response from {department} recorded" in plan_text(driver, space_id)
    kind, text = step(driver, COORDINATOR, space_id, "national_response", {})
    assert kind == "refused" and "waiting for its department's response" in text


@pytest.mark.slack_only("files: Teams has no exporters yet (the files issue)")
def test_the_national_recommendations_export_for_the_commissioners_oversight(driver, general):
    reference, space_id = review_in_evidence(driver, general, today() - timedelta(days=30))
    assert add_recommendation(driver, space_id, text="=cmd The Home Office to review the DHR guidance.",
                              scope="national", national_body="Home Office") == ("closed", None)
    assert add_recommendation(driver, space_id) == ("closed", None)        # local: not in the national export
    to_sign_off(driver, space_id)
    assert step(driver, COORDINATOR, space_id, "submit", submission(day(2))) == ("closed", None)
    assert step(driver, COORDINATOR, space_id, "national_sent",
                {"recommendation": option_of(driver, space_id), "sent_on": day(1)}) == ("closed", None)
    assert "national recommendations as CSV and XLSX" in plan_text(driver, space_id)
    name = f"{reference}_national-recommendations_{today().isoformat()}"
    files = wait(lambda: {f.name: f for f in driver.files(space_id) if f.name.startswith(name)} or None,
                 what="the national export")
    wait(lambda: len([f for f in driver.files(space_id) if f.name.startswith(name)]) == 2, what="CSV and XLSX")
    files = {f.name: f for f in driver.files(space_id) if f.name.startswith(name)}
    rows = list(csv.reader(io.StringIO(files[f"{name}.csv"].content.decode("utf-8-sig"))))
    assert rows[0] == ["Review", "Recommendation number", "Recommendation", "Department", "Status",
                       "Submitted with the report", "Sent to the department", "Response recorded", "Response"]
    assert rows[1:] == [[reference, "1", "'=cmd The Home Office to review the DHR guidance.", "Home Office",
                         "Sent to the department", day(2), day(1), "", ""]]
    sheet = load_workbook(io.BytesIO(files[f"{name}.xlsx"].content)).active
    assert [c.value for c in sheet[2]][:5] == [reference, "1", "'=cmd The Home Office to review the DHR guidance.",
                                               "Home Office", "Sent to the department"]


def option_of(driver, space_id) -> str:
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage national_sent", space=space_id))
    value = form.option("recommendation", "1.", starts=True)
    form.cancel()
    return value
