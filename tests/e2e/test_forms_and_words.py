"""What people read in forms, messages and the Home tab: labels that tell the truth, titles that are
not cut, a refusal that keeps what was typed, words instead of codes, timeliness that stays true.
Through the journeys' driver."""
import csv
import io
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import select

from storage.report import PlanAction
from tests.e2e.driver import AUTHOR, CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE, InputRefused
from tests.e2e.evidence_steps import AGENCIES, card_text
from tests.e2e.journey import create_review, today, wait
from tests.e2e.panel_steps import invite, join, option_value, set_agencies
from tests.e2e.report_steps import (
    ALL_PUBLISHED,
    agree_terms,
    answer,
    decide,
    home_after,
    home_text,
    modal,
    option,
    review_row,
    step,
    submission,
    wait_post,
)
from tests.e2e.server import ROOT

pytestmark = pytest.mark.e2e
POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"
TODAY = lambda: today().isoformat()  # noqa: E731


def show(d) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-words", [COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER])
    set_agencies(driver, COORDINATOR, general, AGENCIES)
    return general


def in_evidence(driver, general, notified_days_ago=0, coordinator=COORDINATOR, chair=CHAIR) -> tuple[str, str]:
    notified = (today() - timedelta(days=notified_days_ago)).isoformat()
    reference, channel = create_review(driver, coordinator, general, notified_on=notified)
    decide(driver, channel, user=coordinator)
    join(driver, channel, chair, "chair", by=coordinator)
    join(driver, channel, POLICE, "agency_lead", POLICE_AGENCY, by=coordinator)
    agree_terms(driver, channel, reference, user=coordinator)
    return reference, channel


def add_recommendation(driver, channel, user=COORDINATOR):
    view = modal(driver, user, lambda: driver.command(user, "recommend", space=channel))
    values = {"text": "Police and health should share DASH risk assessments.", "scope": "local",
              "source": "overview"}
    assert answer(view.submit(values)) == ("closed", None)


def smart(view) -> dict:
    return {"recommendation": option(view, "recommendation", "1."),
            "action": "Deliver DASH refresher training to every front-desk officer",
            "lead_agency": option(view, "lead_agency", POLICE_AGENCY), "owner": POLICE,
            "outcome_measure": "95% of officers trained, shown by training records",
            "target_on": (today() + timedelta(days=90)).isoformat()}


def inputs(view) -> dict:
    return {f.key: f for f in view.fields}


def stage_form(driver, user, channel, key):
    return modal(driver, user, lambda: driver.command(user, f"stage {key}", space=channel))


# ---------------------------------------------------------------- labels and refusals

@pytest.mark.teams_needs("tor", "recommend", "action")
def test_smart_fields_are_required_in_the_action_form_itself(driver, general):
    reference, channel = in_evidence(driver, general)
    add_recommendation(driver, channel)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "action", space=channel))
    required = {key for key, f in inputs(view).items() if f.required}
    assert required == {"recommendation", "action", "lead_agency", "owner", "outcome_measure", "target_on"}
    assert inputs(view)["milestones"].required is False
    with pytest.raises(InputRefused):        # the person's client refuses an empty form before sending
        view.submit({})
    assert answer(view.submit(smart(view))) == ("closed", None)


@pytest.mark.teams_needs("tor", "stage")
def test_a_refused_stage_form_stays_open_with_what_was_typed_and_why(driver, general):
    reference, channel = in_evidence(driver, general)
    assert step(driver, COORDINATOR, channel, "start_drafting", {}) == ("closed", None)
    form = stage_form(driver, COORDINATOR, channel, "send_for_sign_off")
    assert inputs(form)["drafted"].required is True      # "Drafts ready" is required, as the guard says
    typed = {"drafted": ["overview_report", "executive_summary"], "family_shared_on": TODAY()}
    response = form.submit(typed)
    assert response.kind == "notice" and not form.closed
    kept = form
    assert kept.key == "dhr.stage_step" and kept.title == "Send for sign-off"
    assert "action plan draft" in kept.text                     # why, on the form
    assert kept.can_submit                                      # not just *Close*
    assert kept.value("family_shared_on") == TODAY()            # nothing lost
    assert review_row(driver, reference).stage == "drafting"
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": TODAY()}
    assert answer(form.submit(drafts)) == ("closed", None)
    assert review_row(driver, reference).stage == "sign_off"


@pytest.mark.teams_needs("tor", "family")
def test_an_optional_label_does_not_say_optional_twice(driver, general):
    reference, channel = in_evidence(driver, general)
    view = modal(driver, CHAIR, lambda: driver.command(CHAIR, "family", space=channel))
    view.press("dhr.family.add")
    contact = driver.form(CHAIR, "dhr.family.contact")
    note = inputs(contact)["relationship_note"]
    assert note.required is False and "optional" not in note.label.lower()


# ---------------------------------------------------------------- titles and intro lines

@pytest.mark.teams_needs("tor", "stage")
def test_stage_form_titles_fit_and_intro_lines_keep_capitals(driver, general):
    reference, channel = in_evidence(driver, general)
    seen = {}
    values = {
        "start_drafting": {},
        "send_for_sign_off": {"drafted": ["overview_report", "executive_summary", "action_plan"],
                              "family_shared_on": TODAY()},
        "panel_sign_off": {"signed_on": TODAY()}, "csp_sign_off": {"signed_on": TODAY()},
        "submit": submission(TODAY()),
        "qa_outcome": {"outcome": "publish_once_amended", "letter_on": TODAY()},
        "publish": {"published_on": TODAY(), "published_where": "CSP website", "published": ALL_PUBLISHED,
                    "family_not_told_reason": "The family asked not to be contacted."},
        "dac_copy": {"sent_on": TODAY()}, "start_monitoring": {}}
    for key, typed in values.items():
        form = stage_form(driver, COORDINATOR, channel, key)
        assert form.key == "dhr.stage_step", form.text
        seen[key] = (form.title, form.intro)
        assert answer(form.submit(typed)) == ("closed", None), key
    form = stage_form(driver, COORDINATOR, channel, "plan_audit")
    seen["plan_audit"] = (form.title, form.intro)
    assert seen["submit"][0] == "Submit to Home Office"
    assert seen["dac_copy"][0] == "Copy to DA Commissioner"
    assert seen["plan_audit"][0] == "Action plan audit"
    assert all(len(t) <= 24 for t, _ in seen.values())
    assert "submit to the Home Office" in seen["submit"][1]
    assert "record CSP sign-off" in seen["csp_sign_off"][1]
    assert "copy sent to the Domestic Abuse Commissioner" in seen["dac_copy"][1]


# ---------------------------------------------------------------- smaller wording

@pytest.mark.teams_needs("tor", "stage")
def test_recorded_lines_say_what_was_recorded_on_the_day_it_was_recorded(driver, general):
    reference, channel = in_evidence(driver, general, notified_days_ago=20)
    assert step(driver, COORDINATOR, channel, "start_drafting", {}) == ("closed", None)
    shared = today() - timedelta(days=5)
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": shared.isoformat()}
    assert step(driver, COORDINATOR, channel, "send_for_sign_off", drafts) == ("closed", None)
    assert step(driver, COORDINATOR, channel, "panel_sign_off", {"signed_on": TODAY()}) == ("closed", None)
    text = wait_post(driver, channel, "recorded: panel sign-off")
    assert "Record panel sign-off" not in text
    chooser = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage", space=channel))
    line = next(x for x in chooser.text.splitlines() if "sign-off" in x.lower() and "sent" in x.lower())
    assert f"({show(today())})" in line and f"shared with the family on {show(shared)}" in line


@pytest.mark.teams_needs("tor", "stage")
def test_a_lead_pressing_the_cards_step_button_is_told_who_may(driver, general):
    reference, channel = in_evidence(driver, general)
    card = wait(lambda: (c := driver.card(channel)).has_button("Start drafting") and c, what="the card's step button")
    view = modal(driver, POLICE, lambda: driver.press(POLICE, card, "dhr.open_stage"))
    text = view.text
    assert "Only the review's coordinator or chair" in text and "Nothing to record" not in text


@pytest.mark.teams_needs("request")
def test_a_request_says_an_agency_lead_is_pending_not_missing(driver, general):
    reference, channel = create_review(driver, COORDINATOR, general)
    decide(driver, channel)
    join(driver, channel, POLICE, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    invite(driver, channel, HEALTH, "agency_lead", HEALTH_AGENCY, by=COORDINATOR)    # not yet agreed
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "request", space=channel))
    values = {"agencies": [option_value(view, "agencies", a) for a in AGENCIES], "items": ["chronology"]}
    view.submit(values)
    result = view.text
    assert f"{HEALTH_AGENCY}*: agency lead {driver.mention(HEALTH)} is added, pending" in result
    assert "No agency lead yet* for Northshire Probation" in result
    missing = next(x for x in result.splitlines() if "No agency lead yet" in x)
    assert HEALTH_AGENCY not in missing


def test_sandbox_help_and_user_guide_say_what_is_there():
    out = subprocess.run([sys.executable, "-m", "bot", "sandbox", "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60).stdout
    assert "two fictional reviews" in " ".join(out.split())
    guide = " ".join((ROOT / "docs" / "user-guide.md").read_text().split())
    assert "Comment / analysis, Reason if outside the scoping period)" in guide


# ---------------------------------------------------------------- timeliness after conclusion

def to_monitoring(driver, user, channel, audit=False):
    """Every report step from drafting to monitoring, by `user`; with `audit`, the plan audit too."""
    steps = [("start_drafting", {}),
             ("send_for_sign_off", {"drafted": ["overview_report", "executive_summary", "action_plan"],
                                    "family_shared_on": TODAY()}),
             ("panel_sign_off", {"signed_on": TODAY()}), ("csp_sign_off", {"signed_on": TODAY()}),
             ("submit", submission(TODAY())),
             ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": TODAY()}),
             ("publish", {"published_on": TODAY(), "published_where": "CSP website", "published": ALL_PUBLISHED,
                          "family_not_told_reason": "The family asked not to be contacted."}),
             ("dac_copy", {"sent_on": TODAY()}), ("start_monitoring", {})]
    if audit:
        steps.append(("plan_audit", {"audited_on": TODAY(), "findings": "No recommendations to act on.",
                                     "no_recommendations": ["no_recommendations"]}))
    for key, typed in steps:
        assert step(driver, user, channel, key, typed) == ("closed", None), key

@pytest.mark.teams_needs("tor", "stage", "conclude")
def test_a_met_deadline_stays_met_once_the_review_is_concluded(driver, general):
    """CHAIR coordinates this one review, so its Home shows it alone."""
    reference, channel = in_evidence(driver, general, coordinator=CHAIR, chair=COORDINATOR)
    to_monitoring(driver, CHAIR, channel, audit=True)
    timeliness = lambda: next(x for x in home_text(driver, CHAIR).splitlines() if "deadline met" in x)  # noqa: E731
    assert "overview report deadline met: yes" in timeliness()
    driver.command(CHAIR, "conclude", space=channel)
    wait(lambda: review_row(driver, reference).stage == "concluded", what="concluded")
    assert "Concluded" in home_text(driver, CHAIR)
    line = timeliness()
    assert "overview report deadline met: yes" in line and "one-month decision met: yes" in line


# ---------------------------------------------------------------- audit log in words

@pytest.mark.teams_needs("tor", "request", "audit")
def test_the_audit_log_says_what_happened_with_the_item(driver, general):
    reference, channel = in_evidence(driver, general)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "request", space=channel))
    values = {"agencies": [option_value(view, "agencies", POLICE_AGENCY)], "items": ["chronology", "imr"],
              "due_on": (today() + timedelta(days=30)).isoformat()}
    view.submit(values)
    due = today() + timedelta(days=30)
    driver.command(COORDINATOR, "audit", space=channel)
    reply = _audit_reply(driver, channel, COORDINATOR)
    text = "\n".join(part.text for part in reply.sections)
    assert f"Requested chronology from {POLICE_AGENCY}, due {due.day} {due:%b %Y}" in text
    assert f"Requested IMR from {POLICE_AGENCY}" in text
    assert f"Added {driver.mention(POLICE)} as agency lead for {POLICE_AGENCY}" in text
    assert "evidence.requested" not in text and "member.invited" not in text

    driver.press(COORDINATOR, reply, "dhr.export_audit")
    name = f"{reference.lower()}-audit-{today().isoformat()}.csv"
    exported = wait(lambda: next((f for f in driver.shared_files() if f.name == name and f.content), None),
                    what="the CSV")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    requested = [r for r in rows if r["Event"] == "evidence.requested"]
    assert requested and requested[0]["What happened"].startswith(f"Requested chronology from {POLICE_AGENCY}")


def _audit_reply(driver, channel, user):
    return wait(lambda: next((m for m in reversed(driver.ephemerals(user, channel)) if "Audit log" in m.preview),
                             None), what="the audit reply")


# ---------------------------------------------------------------- the coordinator's Home

@pytest.mark.teams_needs("tor", "recommend", "action")
def test_the_coordinators_home_lists_verifications_due_and_terms_awaiting_confirmation(driver, general):
    """OUTSIDER (a CSP admin) coordinates this one review, so its Home shows it alone."""
    coordinator = OUTSIDER
    reference, channel = in_evidence(driver, general, coordinator=coordinator)
    add_recommendation(driver, channel, user=coordinator)
    view = modal(driver, coordinator, lambda: driver.command(coordinator, "action", space=channel))
    assert answer(view.submit(smart(view))) == ("closed", None)
    with driver.db.session() as s:
        action_id = s.exec(select(PlanAction.id).where(
            PlanAction.review_id == review_row(driver, reference).id)).one()
    dm = wait(lambda: next((m for m in reversed(driver.dms(POLICE))
                            if reference in m.preview and "is yours" in m.preview), None), what="the DM")
    done = modal(driver, POLICE, lambda: driver.press(POLICE, dm, "dhr.action_complete"))
    assert answer(done.submit({"completed_on": TODAY(),
                                                          "evidence": "Training records, kept by HR."})) \
        == ("closed", None)

    text = home_text(driver, coordinator)
    assert "Verifications due" in text
    assert f"{reference}" in text and f"action 1.1, marked complete by {driver.mention(POLICE)}" in text
    assert "Terms of reference awaiting confirmation" in text
    assert f"{driver.mention(CHAIR)} has not yet confirmed reading version 1" in text

    home = driver.home_now(coordinator)
    reminded = len(driver.dms(CHAIR))
    driver.press(coordinator, home, "dhr.home_remind_terms", near=f"{driver.mention(CHAIR)} has not yet confirmed")
    wait(lambda: len(driver.dms(CHAIR)) > reminded
         and "I have read them" in "\n".join(p.text for p in driver.dms(CHAIR)[-1].sections), what="the reminder DM")

    home = driver.home_now(coordinator)
    after = home_after(driver, coordinator, lambda: driver.press(coordinator, home, "dhr.action_verify",
                                                                 value=str(action_id)))
    assert "action 1.1, marked complete" not in after.text
    with driver.db.session() as s:
        assert s.get(PlanAction, action_id).status == "verified"
    wait_post(driver, channel, "Action 1.1 was completed and verified by")


@pytest.mark.teams_needs("tor")
def test_the_terms_form_says_up_front_that_a_line_of_enquiry_is_needed(driver, general):
    """'Key lines of enquiry (optional)' must not be refused without warning: the form says one is needed."""
    reference, channel = create_review(driver, COORDINATOR, general)
    decide(driver, channel, user=COORDINATOR)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "tor", space=channel))
    lines = inputs(view)["lines"]
    assert lines.required is False and "at least one" in lines.hint.lower()
    outcome, errors = answer(view.submit({
        "scope_from": "2021-01-01", "scope_to": TODAY(), "agencies": [option(view, "agencies", AGENCIES[0])]}))
    assert outcome == "errors" and set(errors) == {"lines"}


@pytest.mark.teams_needs("tor")
def test_terms_agreed_in_time_but_recorded_later_are_met_not_late(driver, general):
    """The panel agreed the terms inside the month; the coordinator recorded them afterwards."""
    notified = today() - timedelta(days=45)
    reference, channel = create_review(driver, COORDINATOR, general, notified_on=notified.isoformat())
    decision = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "decide", space=channel))
    decided = (notified + timedelta(days=10)).isoformat()
    assert answer(decision.submit({
        "outcome": "review", "decided_on": decided, "agencies_consulted_other": "Police",
        "home_office_told_on": decided, "decided_by": COORDINATOR, "records_secured_on": decided})) == ("closed", None)
    join(driver, channel, CHAIR, "chair", by=COORDINATOR)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "tor", space=channel))
    agreed = notified + timedelta(days=20)
    values = {"scope_from": "2021-01-01", "scope_to": notified.isoformat(), "lines": ["coercive_control"],
              "agencies": [option(view, "agencies", AGENCIES[0])], "agreed_on": agreed.isoformat()}
    kind, text = answer(view.submit(values))
    assert kind == "notice" and "moved on to evidence gathering" in text, text
    wait(lambda: "Terms of reference agreed" in card_text(driver, reference) and "overdue" not in card_text(driver, reference)
         or None, what="the card updated")
    line = next(x for x in card_text(driver, reference).splitlines() if "Terms of reference agreed" in x)
    assert "(met)" in line and "late" not in line


@pytest.mark.teams_needs("tor", "recommend", "stage")
def test_the_plan_audit_cannot_say_there_were_no_recommendations_when_there_are(driver, general):
    reference, channel = in_evidence(driver, general)
    add_recommendation(driver, channel)
    to_monitoring(driver, COORDINATOR, channel)
    audit = {"audited_on": TODAY(), "findings": "Nothing to act on.", "no_recommendations": ["no_recommendations"]}
    kind, errors = step(driver, COORDINATOR, channel, "plan_audit", audit)
    assert kind == "errors" and "1 recommendation" in errors["no_recommendations"]
    assert review_row(driver, reference).stage == "monitoring"


@pytest.mark.teams_needs("tor", "evidence")
def test_a_lead_marking_evidence_by_hand_is_told_who_may_do_that(driver, general):
    reference, channel = in_evidence(driver, general)
    view = modal(driver, POLICE, lambda: driver.command(POLICE, "evidence mark", space=channel))
    text = view.text
    assert "Only the review's coordinator or chair can" in text and "record what arrived" in text


@pytest.mark.teams_needs("tor", "stage", "conclude")
def test_a_concluded_reviews_panel_no_longer_changes(driver, general):
    """Its channel is archived: an invitation would lead to a channel nobody can join."""
    reference, channel = in_evidence(driver, general, coordinator=CHAIR, chair=COORDINATOR)
    to_monitoring(driver, CHAIR, channel, audit=True)
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "panel", space=channel))  # opened before ...
    driver.command(CHAIR, "conclude", space=channel)
    wait(lambda: review_row(driver, reference).stage == "concluded", what="concluded")
    invitations = len(driver.dms(HEALTH))
    kind, said = answer(form.submit({                  # ... saved after
        "change": "add", "person_1": HEALTH, "role_1": "agency_lead",
        "agency_1": option_value(form, "agency_1", HEALTH_AGENCY)}))
    assert kind != "closed" and "is concluded, so its panel no longer changes" in str(said)
    again = modal(driver, CHAIR, lambda: driver.command(CHAIR, "panel", space=channel))
    assert "is concluded, so its panel no longer changes" in again.text
    assert len(driver.dms(HEALTH)) == invitations


@pytest.mark.teams_needs("tor", "request")
def test_an_imr_authors_home_lists_the_imr_asked_of_their_agency(driver, general):
    reference, channel = in_evidence(driver, general)
    join(driver, channel, AUTHOR, "imr_author", POLICE_AGENCY, by=COORDINATOR)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "request", space=channel))
    due = today() + timedelta(days=30)
    view.submit({"agencies": [option_value(view, "agencies", POLICE_AGENCY)],
                                                 "items": ["chronology", "imr"], "due_on": due.isoformat()})
    text = home_text(driver, AUTHOR)
    assert "*Evidence requests to your agency* (1)" in text
    home = driver.home_now(AUTHOR)
    told = modal(driver, AUTHOR, lambda: driver.press(AUTHOR, home, "dhr.home_request")).text
    assert "Individual Management Review for *Northshire Police*" in told and "Send me the IMR template" in told and f"IMR, due {show(due)}" in text and "Chronology, due" not in text
