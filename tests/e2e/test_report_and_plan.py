"""Report stages, the SMART action plan, verification, conclusion and the home view, end to end
through the journeys' driver (on Slack: its signed request path against the fake Slack)."""
import io
import re
import threading
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from bot.workflow.evidence import evidence_items
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Decision, Review, StageChange
from storage.panel import Agency
from storage.report import ActionUpdate, PlanAction, ReportStep, ReviewClosure
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE
from tests.e2e.journey import block_text, create_review, driver_of, today, wait
from tests.e2e.panel_steps import invite, join, reply_text_since, set_agencies
from tests.e2e.report_steps import (
    ALL_PUBLISHED,
    agree_terms,
    channel_message_with,
    choose_step,
    decide,
    dm_with,
    home_after,
    home_text,
    modal,
    option,
    posts,
    review_row,
    step,
    submission,
    wait_post,
)
from tests.e2e.server import COORDINATOR as S_COORDINATOR
from tests.e2e.server import POLICE as S_POLICE

pytestmark = pytest.mark.e2e
POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-plan", [COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER, OBSERVER])
    set_agencies(driver, COORDINATOR, general, [POLICE_AGENCY, HEALTH_AGENCY])
    return general


def review_in_evidence(bot, general, *, people=True) -> tuple[str, str]:
    reference, space_id = create_review(bot, COORDINATOR, general)
    decide(bot, space_id)
    join(bot, space_id, CHAIR, "chair", by=COORDINATOR)   # the terms are agreed only with a chair
    if people:
        join(bot, space_id, POLICE, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
        join(bot, space_id, HEALTH, "agency_lead", HEALTH_AGENCY, by=COORDINATOR)
    agree_terms(bot, space_id, reference)
    return reference, space_id


def agency_id(bot, name) -> int:
    with bot.db.session() as s:
        return s.exec(select(Agency.id).where(Agency.name == name)).one()


def stage(bot, reference) -> str:
    return review_row(bot, reference).stage


TODAY = lambda: today().isoformat()  # noqa: E731


def to_monitoring(bot, reference, space_id):
    """Evidence -> drafting -> sign-off -> submitted -> amending -> published -> monitoring."""
    assert step(bot, COORDINATOR, space_id, "start_drafting", {})[0] == "closed"
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": TODAY()}
    for key, values in (("send_for_sign_off", drafts), ("panel_sign_off", {"signed_on": TODAY()}),
                        ("csp_sign_off", {"signed_on": TODAY()}), ("submit", submission(TODAY())),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": TODAY()}),
                        ("publish", {"published_on": TODAY(), "published_where": "CSP website", "published": ALL_PUBLISHED,
                                     "family_not_told_reason": "The family asked not to be contacted."}),
                        ("dac_copy", {"sent_on": TODAY()}), ("start_monitoring", {})):
        assert step(bot, COORDINATOR, space_id, key, values) == ("closed", None), key
    assert stage(bot, reference) == "monitoring"


def add_recommendation(bot, space_id, **values):
    bot = driver_of(bot)
    view = modal(bot, COORDINATOR, lambda: bot.command(COORDINATOR, "recommend", space=space_id))
    base = {"text": "Police and health should share DASH risk assessments.", "scope": "local", "source": "overview"}
    return view.submit({**base, **values}).pair()


def action_form(bot, space_id, user=COORDINATOR):
    bot = driver_of(bot)
    return modal(bot, user, lambda: bot.command(user, "action", space=space_id))


def smart_values(view, **overrides):
    values = {"recommendation": option(view, "recommendation", "1."),
              "action": "Deliver DASH refresher training to every front-desk officer",
              "lead_agency": option(view, "lead_agency", POLICE_AGENCY), "owner": POLICE,
              "outcome_measure": "95% of officers trained, shown by training records",
              "target_on": (today() + timedelta(days=90)).isoformat(), "milestones": "Course booked"}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def add_action(bot, space_id, **overrides) -> int:
    bot = driver_of(bot)
    view = action_form(bot, space_id)
    assert view.submit(smart_values(view, **overrides)).pair() == ("closed", None)
    with bot.db.session() as s:
        return s.exec(select(func.max(PlanAction.id))).one()


def click_in_dm(bot, user, action_id, words, **forged):
    bot = driver_of(bot)
    dm = dm_with(bot, user, words)
    return modal(bot, user, lambda: bot.press(user, dm, action_id, **forged))


def complete(bot, user, space_id, words="is yours"):
    view = click_in_dm(bot, user, "dhr.action_complete", words)
    assert view.key == "dhr.action_complete", view.text
    return view


COMPLETION = {"completed_on": None, "evidence": "Training records for 48 of 50 officers, kept by HR."}


def completion(**kw):
    return {**COMPLETION, "completed_on": TODAY(), **kw}


def count(bot, model, *where) -> int:
    with bot.db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


# ---------------------------------------------------------------- the whole journey

def test_full_journey_from_notification_to_conclusion(driver, general):
    reference, space = review_in_evidence(driver, general)
    review_id = review_row(driver, reference).id

    # Evidence: an outstanding request blocks drafting, and says so.
    with driver.db.session() as s:
        evidence_items.request(s, review_id, agency_id(driver, POLICE_AGENCY), "chronology",
                               today() + timedelta(days=30), driver.person(COORDINATOR), datetime.now(timezone.utc))
    kind, text = step(driver, COORDINATOR, space, "start_drafting", {})
    assert kind == "notice" and "1 outstanding evidence request" in text and stage(driver, reference) == "evidence"
    with driver.db.session() as s:
        evidence_items.move(s, review_id, agency_id(driver, POLICE_AGENCY), "chronology", "submitted",
                            driver.person(POLICE), datetime.now(timezone.utc))
    assert step(driver, COORDINATOR, space, "start_drafting", {}) == ("closed", None)
    wait_post(driver, space, "moves to \u201cDrafting\u201d")

    # Drafting: the card's button opens the chooser; the step's form names everything missing.
    card = wait(lambda: (c := driver.card(space)).has_button("Send for sign-off") and c,
                what="the card's next-step button")
    chooser = modal(driver, COORDINATOR, lambda: driver.press(COORDINATOR, card, "dhr.open_stage"))
    assert chooser.key == "dhr.stage"
    form = choose_step(driver, COORDINATOR, chooser, "send_for_sign_off")
    kind, text = form.submit({"drafted": ["overview_report"]}).pair()
    assert kind == "notice"
    assert "executive summary draft" in text and "action plan draft" in text and "shared with the family" in text
    assert stage(driver, reference) == "drafting" and count(driver, ReportStep, ReportStep.review_id == review_id,
                                                             ReportStep.step == "send_for_sign_off") == 0
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": TODAY()}
    assert step(driver, COORDINATOR, space, "send_for_sign_off", drafts) == ("closed", None)

    # Sign-off: the CSP can't sign before the panel; submission needs both.
    kind, text = step(driver, COORDINATOR, space, "submit", submission(TODAY()))
    assert kind == "notice" and "panel sign-off date and the CSP sign-off date" in text
    kind, text = step(driver, COORDINATOR, space, "csp_sign_off", {"signed_on": TODAY()})
    assert kind == "notice" and "record the panel sign-off date first" in text
    kind, text = step(driver, COORDINATOR, space, "publish", {})
    assert kind == "refused" and "this step is taken at \u201cAmending for publication\u201d" in text
    for key, values in (("panel_sign_off", {"signed_on": TODAY()}), ("csp_sign_off", {"signed_on": TODAY()}),
                        ("submit", submission(TODAY()))):
        assert step(driver, COORDINATOR, space, key, values) == ("closed", None), key
    assert stage(driver, reference) == "submitted"

    # QA: revise and resubmit needs the feedback, goes back to drafting, and needs new sign-offs.
    kind, errors = step(driver, COORDINATOR, space, "qa_outcome", {"outcome": "revise_and_resubmit",
                                                                  "letter_on": TODAY()})
    assert kind == "errors" and "feedback" in errors["feedback"]
    assert step(driver, COORDINATOR, space, "qa_outcome", {
        "outcome": "revise_and_resubmit", "letter_on": TODAY(),
        "feedback": "Strengthen the analysis of the GP's risk assessment."}) == ("closed", None)
    assert stage(driver, reference) == "drafting"
    wait_post(driver, space, "back in drafting")
    assert "GP's risk" not in posts(driver, space)   # the feedback stays in the stage form, not the space
    chooser = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage", space=space))
    assert "GP's risk assessment" in chooser.text and "Round 2" in chooser.text
    assert step(driver, COORDINATOR, space, "send_for_sign_off", drafts) == ("closed", None)
    kind, text = step(driver, COORDINATOR, space, "submit", submission(TODAY()))
    assert kind == "notice" and "panel sign-off date" in text
    for key, values in (("panel_sign_off", {"signed_on": TODAY()}), ("csp_sign_off", {"signed_on": TODAY()}),
                        ("submit", submission(TODAY())),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": TODAY()})):
        assert step(driver, COORDINATOR, space, key, values) == ("closed", None), key
    assert stage(driver, reference) == "amending"
    kind, errors = step(driver, COORDINATOR, space, "publish", {"published_on": TODAY(), "published_where": " ",
                                                                "published": ALL_PUBLISHED})
    assert kind == "errors" and "published_where" in errors
    assert step(driver, COORDINATOR, space, "publish", {
        "published_on": TODAY(), "published_where": "CSP website", "published": ALL_PUBLISHED,
        "family_not_told_reason": "The family asked not to be contacted."}) == ("closed", None)
    assert step(driver, COORDINATOR, space, "dac_copy", {"sent_on": TODAY()}) == ("closed", None)
    assert step(driver, COORDINATOR, space, "start_monitoring", {}) == ("closed", None)
    assert stage(driver, reference) == "monitoring"

    # The action plan: a national recommendation is drafted with no date asked; actions must be SMART.
    kind, errors = add_recommendation(driver, space, national_body="Home Office")
    assert kind == "errors" and "Only a national recommendation" in errors["national_body"]
    assert add_recommendation(driver, space) == ("closed", None)
    assert add_recommendation(driver, space, text="=HYPERLINK(\"http://x\") Home Office to update guidance",
                              scope="national", national_body="Home Office") == ("closed", None)
    action_id = add_action(driver, space)
    assert review_row(driver, reference).stage == "monitoring"
    dm = dm_with(driver, POLICE, "is yours")
    assert reference in dm.preview and "DASH" not in dm.preview   # the notification preview: reference and what is due
    assert "DASH" in dm.text                                      # the owner, in their DM, reads the action itself

    # Conclusion is refused while the action is open and the audit is missing.
    before = len(driver.replies(COORDINATOR))
    driver.command(COORDINATOR, "conclude", space=space)
    refusal = wait(lambda: driver.replies(COORDINATOR)[before:] and driver.replies(COORDINATOR)[-1].preview,
                   what="the refusal")
    assert "1 action not completed and verified" in refusal or "complete and verify the 1 open action" in refusal
    assert "action plan audit" in refusal and stage(driver, reference) == "monitoring"

    # The owner completes it (evidence required), a second submission records nothing more.
    view = complete(driver, POLICE, space)
    kind, errors = view.submit(completion(evidence=" ")).pair()
    assert kind == "errors" and "evidence" in errors
    assert view.submit(completion()).pair() == ("closed", None)
    again = click_in_dm(driver, POLICE, "dhr.action_complete", "is yours")   # the old DM's button
    assert again.key != "dhr.action_complete" and "already marked complete on" in again.text
    assert count(driver, ActionUpdate, ActionUpdate.action_id == action_id, ActionUpdate.kind == "completed") == 1

    # Someone without the right can't verify; the coordinator sends it back; the chair verifies.
    post = channel_message_with(driver, space, "marked action 1.1 complete")
    before = len(driver.replies(POLICE))
    driver.press(POLICE, post, "dhr.action_verify")
    text = wait(lambda: driver.replies(POLICE)[before:] and driver.replies(POLICE)[-1].preview, what="refusal")
    assert "Only the review's coordinator or chair can verify a completed action" in text
    back = modal(driver, COORDINATOR, lambda: driver.press(COORDINATOR, post, "dhr.action_return"))
    assert back.submit({"reason": "Two officers still to train."}).pair() == ("closed", None)
    wait_post(driver, space, "sent action 1.1 back: Two officers still to train.")
    dm_with(driver, POLICE, "was sent back")
    view = complete(driver, POLICE, space, words="was sent back")
    assert view.submit(completion()).pair() == ("closed", None)
    wait(lambda: len([m for m in driver.messages(space) if "marked action 1.1 complete" in m.preview]) == 2,
         what="the second completion post")
    post = channel_message_with(driver, space, "marked action 1.1 complete")
    driver.press(CHAIR, post, "dhr.action_verify")
    wait(lambda: count(driver, PlanAction, PlanAction.id == action_id, PlanAction.status == "verified") == 1,
         what="verified")
    settled = click_in_dm(driver, POLICE, "dhr.action_complete", "was sent back")
    assert settled.key != "dhr.action_complete" and "and verified on" in settled.text

    # The plan exported in the Home Office template's columns, formulas neutralised, named by reference and date.
    driver.command(COORDINATOR, "actions", space=space)
    to = space if driver.files_in_spaces else driver.dm(COORDINATOR)   # Teams: to the one who asked
    national = f"{reference}_national-recommendations_{today().isoformat()}"
    wait(lambda: len(driver.files(to)) == 4, what="the plan's two exports and the national recommendations'")
    files = {f.name: f for f in driver.files(to)}
    assert set(files) == {f"{reference}_{today().isoformat()}.xlsx", f"{reference}_{today().isoformat()}.docx",
                          f"{national}.csv", f"{national}.xlsx"}
    sheet = load_workbook(io.BytesIO(files[f"{reference}_{today().isoformat()}.xlsx"].content)).active
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["Recommendation", "Scope (local / regional / national)", "Action to take", "Lead agency",
                          "Key milestones achieved in enacting recommendation", "Target date",
                          "Date of completion and outcome"]
    cells = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert not any(str(c).startswith(("=", "+", "-", "@")) for c in cells)
    assert any("Submitted with the report" in str(c) and "not yet sent" in str(c) for c in cells)

    # Audit of the plan, then conclusion: summary, reminders stopped, renamed (name taken) and archived.
    with driver.db.session() as s:
        s.add(ReminderLedger(idempotency_key=f"test-{review_id}", review_id=review_id, item_kind="action",
                             item_key=f"action-{action_id}", recipient=driver.person(POLICE), recipient_kind="user",
                             due_on=today(), point="d0", point_on=today(), send_on=today(), reference=reference,
                             label="Action 1.1 of the action plan", next_attempt_at=datetime.now(timezone.utc),
                             created_at=datetime.now(timezone.utc)))
    name = driver.space_name(space)
    slack = driver.platform == "slack"
    if slack:     # a channel's name is unique in a workspace; a Teams chat topic is free text
        driver.add_space(f"{name}-closed", [], private=True)
    kind, errors = step(driver, COORDINATOR, space, "plan_audit", {"audited_on": TODAY(), "findings": " "})
    assert kind == "errors" and "findings" in errors
    assert step(driver, COORDINATOR, space, "plan_audit", {
        "audited_on": TODAY(), "findings": "All actions evidenced; training embedded."}) == ("closed", None)
    driver.command(CHAIR, "conclude", space=space)
    wait(lambda: driver.archived(space), what="the space archived")
    wait(lambda: _closure_archived(driver, review_id), what="the closure recorded as archived")   # saved after
    assert driver.space_name(space) == (f"{name}-closed-2" if slack else f"{name}{driver.closed_suffix}")
    summary = posts(driver, space)
    assert f"{reference} is concluded" in summary and "Reminders for this review have stopped" in summary
    if slack:   # Slack's own notices say only that the bot renamed and archived it; the bot's line between says who
        shown = [m.preview for m in driver.messages(space, include_system=True)]
        renamed = next(i for i, t in enumerate(shown) if "renamed the channel" in t)
        assert f"{driver.mention(CHAIR)} concluded {reference}, so DHR Bot renamed this channel #{name}-closed-2" \
            in shown[renamed + 1]
        assert "archived the channel" in shown[renamed + 2]
    assert stage(driver, reference) == "concluded"
    with driver.db.session() as s:
        assert s.exec(select(ReminderLedger.status).where(ReminderLedger.review_id == review_id)).all() == ["failed"]
        closure = s.exec(select(ReviewClosure).where(ReviewClosure.review_id == review_id)).one()
        assert closure.archived and closure.retain_until.year == today().year + 6
        actions = set(s.exec(select(AuditEntry.action).where(AuditEntry.review_id == review_id)))
    assert {"report.submit", "report.qa_outcome", "plan.action_completed", "plan.action_verified",
            "plan.action_returned", "review.concluded", "plan.exported"} <= actions
    assert "Concluded" in driver.card(space).text


# ---------------------------------------------------------------- refusals

def test_smart_refusals_name_the_letter_that_fails(driver, general):
    reference, space = review_in_evidence(driver, general)
    view = action_form(driver, space)      # no recommendation yet: the form says so, and a forged submit is refused
    recommend = driver.hint("recommend")       # a quote (Slack) or bold (Teams) may open the command
    assert re.search(r"add one first with \W?" + re.escape(recommend), view.text), view.text
    kind, text = view.forge({}).pair()
    assert kind == "notice" and "Link the action" in text and recommend in text
    assert add_recommendation(driver, space) == ("closed", None)
    checks = {"action": ({"action": "Consider training"}, "S (specific)"),
              "outcome_measure": ({"outcome_measure": ""}, "M (measurable)"),
              "owner": ({"owner": OUTSIDER}, "R (realistic)"),
              "lead_agency": ({"lead_agency": None}, "A (achievable)"),
              "target_on": ({"target_on": (today() - timedelta(days=1)).isoformat()}, "T (timed)")}
    for field, (override, letter) in checks.items():   # forged past the client's required-field check too
        view = action_form(driver, space)
        kind, errors = view.forge(smart_values(view, **override)).pair()
        assert kind == "errors" and errors[field].startswith(letter), (field, errors)
        assert set(errors) == {field}
    view = action_form(driver, space)
    kind, errors = view.forge(smart_values(view, target_on=None)).pair()
    assert errors["target_on"].startswith("T (timed)")
    assert count(driver, PlanAction, PlanAction.review_id == review_row(driver, reference).id) == 0


def test_a_lead_cannot_mark_another_agencys_action_nor_change_the_plan(driver, general):
    reference, space = review_in_evidence(driver, general)
    assert add_recommendation(driver, space) == ("closed", None)
    police_action = add_action(driver, space)
    view = modal(driver, HEALTH, lambda: driver.command(HEALTH, "action", space=space))
    assert "Only the review's coordinator or chair can change the action plan" in view.text
    view = action_form(driver, space)
    assert view.submit(smart_values(view, owner=HEALTH, lead_agency=option(view, "lead_agency", HEALTH_AGENCY))) \
        .pair() == ("closed", None)
    # HEALTH's own button, with the POLICE action's id copied into it.
    refused = click_in_dm(driver, HEALTH, "dhr.action_complete", "is yours", forged_value=str(police_action))
    assert "only update an agency's action for your own agency" in refused.text
    refused = click_in_dm(driver, HEALTH, "dhr.action_progress", "is yours", forged_value=str(police_action))
    assert "own agency" in refused.text
    assert count(driver, PlanAction, PlanAction.id == police_action, PlanAction.status == "open") == 1
    view = click_in_dm(driver, POLICE, "dhr.action_progress", "is yours")
    assert view.submit({"update": "Course booked for March."}).pair() == ("closed", None)
    wait_post(driver, space, "added a progress update to action 1.1")


def test_completing_an_action_twice_at_once_records_it_once(driver, general):
    reference, space = review_in_evidence(driver, general)
    assert add_recommendation(driver, space) == ("closed", None)
    action_id = add_action(driver, space)
    add_action(driver, space, owner=COORDINATOR, action="Publish the revised referral pathway to all partners")
    owner_view = complete(driver, POLICE, space)
    # The coordinator may complete any action of the review: their own button, pointed at the owner's action.
    coord_view = click_in_dm(driver, COORDINATOR, "dhr.action_complete", "action 1.2 of the action plan is yours",
                             forged_value=str(action_id))
    results, barrier = [None, None], threading.Barrier(2)

    def run(i, view):
        barrier.wait()
        results[i] = view.submit(completion())

    threads = [threading.Thread(target=run, args=(0, owner_view)), threading.Thread(target=run, args=(1, coord_view))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    outcomes = sorted(r.kind for r in results)
    assert outcomes == ["closed", "notice"]
    assert "already marked complete" in next(r.text for r in results if r.kind == "notice")
    assert count(driver, ActionUpdate, ActionUpdate.action_id == action_id, ActionUpdate.kind == "completed") == 1
    wait_post(driver, space, "marked action 1.1 complete")
    assert len([m for m in driver.messages(space) if "marked action 1.1 complete" in m.preview]) == 1


def test_a_hold_on_interviews_leaves_stage_moves_going(driver, general):
    reference, space = review_in_evidence(driver, general, people=False)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "hold", space=space))
    values = {"activity": "witness_interviews", "agreed_by": "the coroner", "agreed_on": today().isoformat(),
              "until_event": "the inquest", "reason": "Inquest listed"}
    assert view.submit(values).pair() == ("closed", None)
    chooser = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage", space=space))
    assert "On hold" in chooser.text and "Interviews with witnesses: held, agreed by the coroner" in chooser.text
    assert "Start drafting" in chooser.text
    chooser.cancel()
    assert step(driver, COORDINATOR, space, "start_drafting", {}) == ("closed", None)
    assert stage(driver, reference) == "drafting"


def test_the_stage_chooser_opens_the_chosen_steps_form(driver, general):
    reference, space = review_in_evidence(driver, general, people=False)
    chooser = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage", space=space))
    assert chooser.key == "dhr.stage" and "Start drafting" in chooser.text
    form = choose_step(driver, COORDINATOR, chooser, "start_drafting")
    assert form.key == "dhr.stage_step" and form.title == "Start drafting"
    assert form.submit({}).pair() == ("closed", None)
    assert stage(driver, reference) == "drafting"


def test_panel_members_cannot_move_stages_and_unknown_steps_are_named(driver, general):
    reference, space = review_in_evidence(driver, general)
    kind, text = step(driver, POLICE, space, "start_drafting", {})
    assert kind == "refused" and "Only the review's coordinator or chair can move the review" in text
    kind, text = step(driver, COORDINATOR, space, "skip_to_the_end", {})
    assert kind == "refused" and "`publish`" in text


def test_no_review_records_the_home_office_reply_and_closes(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    decide(driver, space, outcome="no_review")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    kind, errors = step(driver, COORDINATOR, space, "home_office_reply", {"reply": "accepted", "reply_on": tomorrow})
    assert kind == "errors" and "future" in errors["reply_on"] and stage(driver, reference) == "not_commissioned"
    assert step(driver, COORDINATOR, space, "home_office_reply",
                {"reply": "accepted", "reply_on": TODAY()}) == ("closed", None)
    wait(lambda: driver.archived(space), what="archived")
    assert driver.space_name(space).endswith(driver.closed_suffix)
    with driver.db.session() as s:
        made = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert made.home_office_reply == "accepted" and made.home_office_reply_on == today()
    assert stage(driver, reference) == "concluded"


# ---------------------------------------------------------------- the home view

def test_home_shows_each_person_only_their_own_work(driver, general):
    reference, space = review_in_evidence(driver, general)
    review_id = review_row(driver, reference).id
    with driver.db.session() as s:
        evidence_items.request(s, review_id, agency_id(driver, POLICE_AGENCY), "imr", today() + timedelta(days=20),
                               driver.person(COORDINATOR), datetime.now(timezone.utc))
    assert add_recommendation(driver, space) == ("closed", None)
    add_action(driver, space)
    invite(driver, space, OBSERVER, "observer", by=COORDINATOR)

    police = home_text(driver, POLICE)
    assert reference in police and "IMR" in police and "action 1.1" in police
    assert "Reviews you coordinate" not in police and "Adult A" not in police
    observer = home_text(driver, OBSERVER)
    assert "Confidentiality agreements awaiting you" in observer and reference in observer
    coordinator = home_text(driver, COORDINATOR)
    assert "Reviews you coordinate" in coordinator and "one-month decision met: yes" in coordinator
    outsider = home_text(driver, OUTSIDER)
    assert reference not in outsider

    # The observer answers the agreement from their home view and joins.
    home = driver.home_now(OBSERVER)
    view = modal(driver, OBSERVER, lambda: driver.press(OBSERVER, home, "dhr.home_agreement"))
    assert view.submit({"answer": "agree"}).pair() == ("closed", None)
    wait(lambda: driver.person(OBSERVER) in driver.members(space), what="joined from the home view")

    # The owner marks the action complete from their home view.
    home = driver.home_now(POLICE)
    with driver.db.session() as s:
        action_id = s.exec(select(PlanAction.id).where(PlanAction.review_id == review_id)).one()
    view = modal(driver, POLICE, lambda: driver.press(POLICE, home, "dhr.action_complete", value=str(action_id)))
    assert view.submit(completion()).pair() == ("closed", None)
    wait_post(driver, space, "marked action 1.1 complete")


@pytest.mark.slack_only    # Block Kit's 100-block limit on a Home tab
def test_home_stays_within_block_kit_limits_for_60_reviews_and_500_actions(bot, general):
    from tests.e2e.bulk import seed_portfolio
    seed_portfolio(bot.db, S_COORDINATOR, S_POLICE, reviews=60, actions=500)
    home = home_after(bot, S_COORDINATOR, lambda: bot.slack.event({"type": "app_home_opened", "user": S_COORDINATOR,
                                                                    "tab": "home"}))
    assert len(home.blocks) <= 100
    text = block_text(home.blocks)
    assert "Show more" in text and "Reviews you coordinate (6" in text
    page2 = home_after(bot, S_COORDINATOR, lambda: bot.slack.click(S_COORDINATOR, "dhr.home_page", view_id=home.id,
                                                                    block_id="pager_portfolio"))
    assert "Previous" in block_text(page2.blocks) and block_text(page2.blocks) != text and len(page2.blocks) <= 100
    back = home_after(bot, S_COORDINATOR, lambda: bot.slack.click(S_COORDINATOR, "dhr.home_page_back", view_id=home.id,
                                                                   block_id="pager_portfolio"))
    assert "Previous" not in block_text(back.blocks)
    police = home_after(bot, S_POLICE, lambda: bot.slack.event({"type": "app_home_opened", "user": S_POLICE,
                                                                 "tab": "home"}))
    assert len(police.blocks) <= 100 and "Actions you own* (50" in block_text(police.blocks)


def test_coordinator_and_chair_submitting_the_same_step_at_once_move_the_review_once(driver, general):
    reference, space = review_in_evidence(driver, general)
    views = [modal(driver, user, lambda u=user: driver.command(u, "stage start_drafting", space=space))
             for user in (COORDINATOR, CHAIR)]
    results, barrier = [None, None], threading.Barrier(2)

    def run(i, view):
        barrier.wait()
        results[i] = view.submit({})

    threads = [threading.Thread(target=run, args=(i, v)) for i, v in enumerate(views)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    outcomes = sorted(r.kind for r in results)
    assert outcomes == ["closed", "notice"], [r.pair() for r in results]
    review_id = review_row(driver, reference).id
    assert count(driver, StageChange, StageChange.review_id == review_id, StageChange.to_stage == "drafting") == 1
    assert count(driver, ReportStep, ReportStep.review_id == review_id, ReportStep.step == "start_drafting") == 1


def test_agreed_terms_open_evidence_gathering_only_once_a_chair_is_appointed(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    decide(driver, space)
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "tor", space=space))
    values = {"scope_from": "2021-01-01", "scope_to": today().isoformat(), "lines": ["coercive_control"],
              "agencies": [option(view, "agencies", POLICE_AGENCY)], "agreed_on": today().isoformat()}
    kind, text = view.submit(values).pair()
    assert kind == "notice" and "stays in set-up" in text and "chair" in text
    assert stage(driver, reference) == "setup"
    join(driver, space, CHAIR, "chair", by=COORDINATOR)
    agree_terms(driver, space, reference)
    assert stage(driver, reference) == "evidence"


# ---------------------------------------------------------------- the owner sees what the action is

ACTION_TEXT = "Deliver DASH refresher training to every front-desk officer"
OUTCOME = "95% of officers trained, shown by training records"
RECOMMENDATION = "Police and health should share DASH risk assessments."


def _says_what_the_action_is(text: str) -> bool:
    return ACTION_TEXT in text and OUTCOME in text and RECOMMENDATION in text


def test_the_owner_sees_the_action_itself_wherever_they_act(driver, general):
    reference, space = review_in_evidence(driver, general)
    owner = driver.add_person("owner")     # owns nothing else, so this action is the first on their home view
    join(driver, space, owner, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    assert add_recommendation(driver, space) == ("closed", None)
    add_action(driver, space, owner=owner)
    dm = dm_with(driver, owner, "is yours")
    assert _says_what_the_action_is(dm.text)
    assert _says_what_the_action_is(home_text(driver, owner))
    for button in ("dhr.action_progress", "dhr.action_complete"):
        view = click_in_dm(driver, owner, button, "is yours")
        assert view.key == button and _says_what_the_action_is(view.text)
        view.cancel()


def test_every_member_reads_the_plan_and_only_the_coordinator_or_chair_exports_it(driver, general):
    reference, space = review_in_evidence(driver, general)
    assert add_recommendation(driver, space) == ("closed", None)
    add_action(driver, space)
    for reader in (POLICE, HEALTH):     # the owner's lead, and another agency's lead
        before = len(driver.replies(reader))
        driver.command(reader, "actions", space=space)
        text = reply_text_since(driver, before, what=f"{reader}'s plan", user=reader)
        assert f"{reference} action plan" in text and ACTION_TEXT in text and RECOMMENDATION in text, text
        assert "exported" not in text and "Only" not in text
    to = space if driver.files_in_spaces else driver.dm(COORDINATOR)   # Teams: to the one who asked, never the group
    assert driver.files(space) == [] and (to == space or driver.files(driver.dm(reader)) == [])
    had = len(driver.files(to))
    before = len(driver.replies(COORDINATOR))
    driver.command(COORDINATOR, "actions", space=space)
    said = reply_text_since(driver, before, what="the coordinator's plan", user=COORDINATOR)
    assert ("exported to" if driver.files_in_spaces else "action plan") in said
    wait(lambda: len(driver.files(to)) == had + 2, what="the coordinator's export")
    assert {f.name.rsplit(".", 1)[-1] for f in driver.files(to)[had:]} == {"xlsx", "docx"}
    view = modal(driver, HEALTH, lambda: driver.command(HEALTH, "action", space=space))
    assert "Only the review's coordinator or chair can change the action plan" in view.text


def _closure_archived(driver, review_id) -> bool:
    with driver.db.session() as s:
        closure = s.exec(select(ReviewClosure).where(ReviewClosure.review_id == review_id)).first()
        return closure is not None and closure.archived
