"""End to end: report stages, the SMART action plan, verification, conclusion and App Home,
through Slack's signed request path against the fake Slack."""
import io
import threading
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from bot.workflow.evidence import evidence_items
from storage.ledger import ReminderLedger
from storage.models import AuditEntry, Review
from storage.panel import Agency
from storage.report import ActionUpdate, PlanAction, ReportStep, ReviewClosure
from tests.e2e.journey import block_text, create_review, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import (
    agree_terms,
    answer,
    channel_message_with,
    decide,
    dm_with,
    home_after,
    home_text,
    modal,
    option,
    posts,
    review_row,
    step,
    wait_post,
)
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE

pytestmark = pytest.mark.e2e
POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"


@pytest.fixture(scope="module")
def general(bot):
    general = bot.fake.add_channel("general-plan", members=[COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER,
                                                            OBSERVER]).id
    set_agencies(bot, COORDINATOR, general, [POLICE_AGENCY, HEALTH_AGENCY])
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
                        ("csp_sign_off", {"signed_on": TODAY()}), ("submit", {"submitted_on": TODAY()}),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": TODAY()}),
                        ("publish", {"published_on": TODAY(), "published_where": "CSP website",
                                     "family_not_told_reason": "The family asked not to be contacted."}),
                        ("dac_copy", {"sent_on": TODAY()}), ("start_monitoring", {})):
        assert step(bot, COORDINATOR, space_id, key, values) == ("closed", None), key
    assert stage(bot, reference) == "monitoring"


def add_recommendation(bot, space_id, **values):
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, space_id, text="recommend"))
    base = {"text": "Police and health should share DASH risk assessments.", "scope": "local", "source": "overview"}
    return answer(bot.slack.submit_view(COORDINATOR, view.id, {**base, **values}))


def action_form(bot, space_id, user=COORDINATOR):
    return modal(bot, user, lambda: bot.slack.command(user, space_id, text="action"))


def smart_values(view, **overrides):
    values = {"recommendation": option(view, "recommendation", "1."),
              "action": "Deliver DASH refresher training to every front-desk officer",
              "lead_agency": option(view, "lead_agency", POLICE_AGENCY), "owner": POLICE,
              "outcome_measure": "95% of officers trained, shown by training records",
              "target_on": (today() + timedelta(days=90)).isoformat(), "milestones": "Course booked"}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def add_action(bot, space_id, **overrides) -> int:
    view = action_form(bot, space_id)
    assert answer(bot.slack.submit_view(COORDINATOR, view.id, smart_values(view, **overrides))) == ("closed", None)
    with bot.db.session() as s:
        return s.exec(select(func.max(PlanAction.id))).one()


def click_in_dm(bot, user, action_id, words):
    dm = dm_with(bot, user, words)
    return modal(bot, user, lambda: bot.slack.click(user, action_id, message=(dm.channel, dm.ts)))


def complete(bot, user, space_id, words="is yours"):
    view = click_in_dm(bot, user, "dhr.action_complete", words)
    assert view.callback_id == "dhr.action_complete", block_text(view.blocks)
    return view


COMPLETION = {"completed_on": None, "evidence": "Training records for 48 of 50 officers, kept by HR."}


def completion(**kw):
    return {**COMPLETION, "completed_on": TODAY(), **kw}


def count(bot, model, *where) -> int:
    with bot.db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


# ---------------------------------------------------------------- the whole journey

def test_full_journey_from_notification_to_conclusion(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    review_id = review_row(bot, reference).id

    # Evidence: an outstanding request blocks drafting, and says so.
    with bot.db.session() as s:
        evidence_items.request(s, review_id, agency_id(bot, POLICE_AGENCY), "chronology", today() + timedelta(days=30),
                               COORDINATOR, datetime.now(timezone.utc))
    kind, text = step(bot, COORDINATOR, space_id, "start_drafting", {})
    assert kind == "notice" and "1 outstanding evidence request" in text and stage(bot, reference) == "evidence"
    with bot.db.session() as s:
        evidence_items.move(s, review_id, agency_id(bot, POLICE_AGENCY), "chronology", "submitted", POLICE,
                            datetime.now(timezone.utc))
    assert step(bot, COORDINATOR, space_id, "start_drafting", {}) == ("closed", None)
    wait_post(bot, space_id, "moves to \u201cDrafting\u201d")

    # Drafting: the card's button opens the chooser; the step's form names everything missing.
    card = bot.fake.channels[space_id].message(review_row(bot, reference).card_ref)
    wait(lambda: "Send for sign-off" in block_text(bot.fake.channels[space_id].message(card.ts).blocks),
         what="the card's next-step button")
    chooser = modal(bot, COORDINATOR, lambda: bot.slack.click(COORDINATOR, "dhr.open_stage",
                                                              message=(space_id, card.ts)))
    assert chooser.callback_id == "dhr.stage"
    form = modal(bot, COORDINATOR, lambda: bot.slack.click(COORDINATOR, "dhr.stage_step.send_for_sign_off",
                                                           view_id=chooser.id))
    kind, text = answer(bot.slack.submit_view(COORDINATOR, form.id, {"drafted": ["overview_report"]}))
    assert kind == "notice"
    assert "executive summary draft" in text and "action plan draft" in text and "shared with the family" in text
    assert stage(bot, reference) == "drafting" and count(bot, ReportStep, ReportStep.review_id == review_id,
                                                          ReportStep.step == "send_for_sign_off") == 0
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": TODAY()}
    assert step(bot, COORDINATOR, space_id, "send_for_sign_off", drafts) == ("closed", None)

    # Sign-off: the CSP can't sign before the panel; submission needs both.
    kind, text = step(bot, COORDINATOR, space_id, "submit", {"submitted_on": TODAY()})
    assert kind == "notice" and "panel sign-off date and the CSP sign-off date" in text
    kind, text = step(bot, COORDINATOR, space_id, "csp_sign_off", {"signed_on": TODAY()})
    assert kind == "notice" and "record the panel sign-off date first" in text
    kind, text = step(bot, COORDINATOR, space_id, "publish", {})
    assert kind == "refused" and "this step is taken at \u201cAmending for publication\u201d" in text
    for key, values in (("panel_sign_off", {"signed_on": TODAY()}), ("csp_sign_off", {"signed_on": TODAY()}),
                        ("submit", {"submitted_on": TODAY()})):
        assert step(bot, COORDINATOR, space_id, key, values) == ("closed", None), key
    assert stage(bot, reference) == "submitted"

    # QA: revise and resubmit needs the feedback, goes back to drafting, and needs new sign-offs.
    kind, errors = step(bot, COORDINATOR, space_id, "qa_outcome", {"outcome": "revise_and_resubmit",
                                                                    "letter_on": TODAY()})
    assert kind == "errors" and "feedback" in errors["feedback"]
    assert step(bot, COORDINATOR, space_id, "qa_outcome", {
        "outcome": "revise_and_resubmit", "letter_on": TODAY(),
        "feedback": "Strengthen the analysis of the GP's risk assessment."}) == ("closed", None)
    assert stage(bot, reference) == "drafting"
    wait_post(bot, space_id, "back in drafting")
    assert "GP's risk" not in posts(bot, space_id)   # the feedback stays in the stage form, not the channel
    chooser = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, space_id, text="stage"))
    assert "GP's risk assessment" in block_text(chooser.blocks) and "Round 2" in block_text(chooser.blocks)
    assert step(bot, COORDINATOR, space_id, "send_for_sign_off", drafts) == ("closed", None)
    kind, text = step(bot, COORDINATOR, space_id, "submit", {"submitted_on": TODAY()})
    assert kind == "notice" and "panel sign-off date" in text
    for key, values in (("panel_sign_off", {"signed_on": TODAY()}), ("csp_sign_off", {"signed_on": TODAY()}),
                        ("submit", {"submitted_on": TODAY()}),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": TODAY()})):
        assert step(bot, COORDINATOR, space_id, key, values) == ("closed", None), key
    assert stage(bot, reference) == "amending"
    kind, errors = step(bot, COORDINATOR, space_id, "publish", {"published_on": TODAY(), "published_where": " "})
    assert kind == "errors" and "published_where" in errors
    assert step(bot, COORDINATOR, space_id, "publish", {
        "published_on": TODAY(), "published_where": "CSP website",
        "family_not_told_reason": "The family asked not to be contacted."}) == ("closed", None)
    assert step(bot, COORDINATOR, space_id, "dac_copy", {"sent_on": TODAY()}) == ("closed", None)
    assert step(bot, COORDINATOR, space_id, "start_monitoring", {}) == ("closed", None)
    assert stage(bot, reference) == "monitoring"

    # The action plan: a national recommendation records where it went; actions must be SMART.
    kind, errors = add_recommendation(bot, space_id, scope="national")
    assert kind == "errors" and {"national_body", "national_sent_on"} <= set(errors)
    assert add_recommendation(bot, space_id) == ("closed", None)
    assert add_recommendation(bot, space_id, text="=HYPERLINK(\"http://x\") Home Office to update guidance",
                              scope="national", national_body="Home Office", national_sent_on=TODAY()) \
        == ("closed", None)
    action_id = add_action(bot, space_id)
    assert review_row(bot, reference).stage == "monitoring"
    dm = dm_with(bot, POLICE, "is yours")
    assert reference in dm.text and "DASH" not in dm.text   # the notification preview: reference and what is due
    assert "DASH" in block_text(dm.blocks)                   # the owner, in their DM, reads the action itself

    # Conclusion is refused while the action is open and the audit is missing.
    before = len(bot.fake.responses())
    bot.slack.command(COORDINATOR, space_id, text="conclude")
    refusal = wait(lambda: len(bot.fake.responses()) > before and bot.fake.responses()[-1].params.get("text"),
                   what="the refusal")
    assert "1 action not completed and verified" in refusal or "complete and verify the 1 open action" in refusal
    assert "action plan audit" in refusal and stage(bot, reference) == "monitoring"

    # The owner completes it (evidence required), a second submission records nothing more.
    view = complete(bot, POLICE, space_id)
    kind, errors = answer(bot.slack.submit_view(POLICE, view.id, completion(evidence=" ")))
    assert kind == "errors" and "evidence" in errors
    assert answer(bot.slack.submit_view(POLICE, view.id, completion())) == ("closed", None)
    again = click_in_dm(bot, POLICE, "dhr.action_complete", "is yours")   # the old DM's button
    assert again.callback_id != "dhr.action_complete" and "already marked complete on" in block_text(again.blocks)
    assert count(bot, ActionUpdate, ActionUpdate.action_id == action_id, ActionUpdate.kind == "completed") == 1

    # Someone without the right can't verify; the coordinator sends it back; the chair verifies.
    post = channel_message_with(bot, space_id, "marked action 1.1 complete")
    before = len(bot.fake.responses())
    bot.slack.click(POLICE, "dhr.action_verify", message=(space_id, post.ts))
    text = wait(lambda: len(bot.fake.responses()) > before and bot.fake.responses()[-1].params.get("text"),
                what="refusal")
    assert "Only the review's coordinator or chair can verify a completed action" in text
    back = modal(bot, COORDINATOR, lambda: bot.slack.click(COORDINATOR, "dhr.action_return",
                                                           message=(space_id, post.ts)))
    assert answer(bot.slack.submit_view(COORDINATOR, back.id, {"reason": "Two officers still to train."})) \
        == ("closed", None)
    wait_post(bot, space_id, "sent action 1.1 back: Two officers still to train.")
    dm_with(bot, POLICE, "was sent back")
    view = complete(bot, POLICE, space_id, words="was sent back")
    assert answer(bot.slack.submit_view(POLICE, view.id, completion())) == ("closed", None)
    wait(lambda: len([m for m in bot.fake.messages(space_id) if "marked action 1.1 complete" in (m.text or "")]) == 2,
         what="the second completion post")
    post = channel_message_with(bot, space_id, "marked action 1.1 complete")
    bot.slack.click(CHAIR, "dhr.action_verify", message=(space_id, post.ts))
    wait(lambda: count(bot, PlanAction, PlanAction.id == action_id, PlanAction.status == "verified") == 1,
         what="verified")
    settled = click_in_dm(bot, POLICE, "dhr.action_complete", "was sent back")
    assert settled.callback_id != "dhr.action_complete" and "and verified on" in block_text(settled.blocks)

    # The plan exported in the Home Office template's columns, formulas neutralised, named by reference and date.
    bot.slack.command(COORDINATOR, space_id, text="actions")
    wait(lambda: len([f for f in bot.fake.files.values() if space_id in f.channels]) == 2, what="two exports")
    files = {f.name: f for f in bot.fake.files.values() if space_id in f.channels}
    assert set(files) == {f"{reference}_{today().isoformat()}.xlsx", f"{reference}_{today().isoformat()}.docx"}
    sheet = load_workbook(io.BytesIO(files[f"{reference}_{today().isoformat()}.xlsx"].content)).active
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["Recommendation", "Scope (local / regional / national)", "Action to take", "Lead agency",
                          "Key milestones achieved in enacting recommendation", "Target date",
                          "Date of completion and outcome"]
    cells = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert not any(str(c).startswith(("=", "+", "-", "@")) for c in cells)
    assert any("Sent to Home Office" in str(c) for c in cells)

    # Audit of the plan, then conclusion: summary, reminders stopped, renamed (name taken) and archived.
    with bot.db.session() as s:
        s.add(ReminderLedger(idempotency_key=f"test-{review_id}", review_id=review_id, item_kind="action",
                             item_key=f"action-{action_id}", recipient=POLICE, recipient_kind="user",
                             due_on=today(), point="d0", point_on=today(), send_on=today(), reference=reference,
                             label="Action 1.1 of the action plan", next_attempt_at=datetime.now(timezone.utc),
                             created_at=datetime.now(timezone.utc)))
    name = bot.fake.channels[space_id].name
    bot.fake.add_channel(f"{name}-closed", is_private=True)
    kind, errors = step(bot, COORDINATOR, space_id, "plan_audit", {"audited_on": TODAY(), "findings": " "})
    assert kind == "errors" and "findings" in errors
    assert step(bot, COORDINATOR, space_id, "plan_audit", {
        "audited_on": TODAY(), "findings": "All actions evidenced; training embedded."}) == ("closed", None)
    bot.slack.command(CHAIR, space_id, text="conclude")
    wait(lambda: bot.fake.channels[space_id].is_archived, what="the channel archived")
    assert bot.fake.channels[space_id].name == f"{name}-closed-2"
    summary = posts(bot, space_id)
    assert f"{reference} is concluded" in summary and "Reminders for this review have stopped" in summary
    # Slack's own notices say only that the bot renamed and archived it; the bot's line between them says who.
    shown = [m.text for m in bot.fake.messages(space_id, include_system=True)]
    renamed = next(i for i, t in enumerate(shown) if "renamed the channel" in (t or ""))
    assert f"<@{CHAIR}> concluded {reference}, so DHR Bot renamed this channel #{name}-closed-2" in shown[renamed + 1]
    assert "archived the channel" in shown[renamed + 2]
    assert stage(bot, reference) == "concluded"
    with bot.db.session() as s:
        assert s.exec(select(ReminderLedger.status).where(ReminderLedger.review_id == review_id)).all() == ["failed"]
        closure = s.exec(select(ReviewClosure).where(ReviewClosure.review_id == review_id)).one()
        assert closure.archived and closure.retain_until.year == today().year + 6
        actions = set(s.exec(select(AuditEntry.action).where(AuditEntry.review_id == review_id)))
    assert {"report.submit", "report.qa_outcome", "plan.action_completed", "plan.action_verified",
            "plan.action_returned", "review.concluded", "plan.exported"} <= actions
    assert "Concluded" in block_text(bot.fake.channels[space_id].message(review_row(bot, reference).card_ref).blocks)


# ---------------------------------------------------------------- refusals

def test_smart_refusals_name_the_letter_that_fails(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    view = action_form(bot, space_id)      # no recommendation yet: the form says so, and a forged submit is refused
    assert "add one first with `/dhr recommend`" in block_text(view.blocks)
    kind, text = answer(bot.slack.forge_submission(COORDINATOR, view.id, {}))
    assert kind == "notice" and "Link the action" in text and "/dhr recommend" in text
    assert add_recommendation(bot, space_id) == ("closed", None)
    checks = {"action": ({"action": "Consider training"}, "S (specific)"),
              "outcome_measure": ({"outcome_measure": ""}, "M (measurable)"),
              "owner": ({"owner": OUTSIDER}, "R (realistic)"),
              "lead_agency": ({"lead_agency": None}, "A (achievable)"),
              "target_on": ({"target_on": (today() - timedelta(days=1)).isoformat()}, "T (timed)")}
    for field, (override, letter) in checks.items():   # forged past the client's required-field check too
        view = action_form(bot, space_id)
        kind, errors = answer(bot.slack.forge_submission(COORDINATOR, view.id, smart_values(view, **override)))
        assert kind == "errors" and errors[field].startswith(letter), (field, errors)
        assert set(errors) == {field}
    view = action_form(bot, space_id)
    kind, errors = answer(bot.slack.forge_submission(COORDINATOR, view.id, smart_values(view, target_on=None)))
    assert errors["target_on"].startswith("T (timed)")
    assert count(bot, PlanAction, PlanAction.review_id == review_row(bot, reference).id) == 0


def test_a_lead_cannot_mark_another_agencys_action_nor_change_the_plan(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    assert add_recommendation(bot, space_id) == ("closed", None)
    police_action = add_action(bot, space_id)
    view = modal(bot, HEALTH, lambda: bot.slack.command(HEALTH, space_id, text="action"))
    assert "Only the review's coordinator or chair can change the action plan" in block_text(view.blocks)
    view = action_form(bot, space_id)
    assert answer(bot.slack.submit_view(COORDINATOR, view.id, smart_values(
        view, owner=HEALTH, lead_agency=option(view, "lead_agency", HEALTH_AGENCY)))) == ("closed", None)
    own = dm_with(bot, HEALTH, "is yours")
    # HEALTH's own button, with the POLICE action's id copied into it.
    refused = modal(bot, HEALTH, lambda: bot.slack.click(HEALTH, "dhr.action_complete", message=(own.channel, own.ts),
                                                         forged_value=str(police_action)))
    assert "only update an agency's action for your own agency" in block_text(refused.blocks)
    refused = modal(bot, HEALTH, lambda: bot.slack.click(HEALTH, "dhr.action_progress", message=(own.channel, own.ts),
                                                         forged_value=str(police_action)))
    assert "own agency" in block_text(refused.blocks)
    assert count(bot, PlanAction, PlanAction.id == police_action, PlanAction.status == "open") == 1
    view = modal(bot, POLICE, lambda: bot.slack.click(POLICE, "dhr.action_progress", message=(
        dm_with(bot, POLICE, "is yours").channel, dm_with(bot, POLICE, "is yours").ts)))
    assert answer(bot.slack.submit_view(POLICE, view.id, {"update": "Course booked for March."})) == ("closed", None)
    wait_post(bot, space_id, "added a progress update to action 1.1")


def test_completing_an_action_twice_at_once_records_it_once(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    assert add_recommendation(bot, space_id) == ("closed", None)
    action_id = add_action(bot, space_id)
    add_action(bot, space_id, owner=COORDINATOR, action="Publish the revised referral pathway to all partners")
    owner_view = complete(bot, POLICE, space_id)
    # The coordinator may complete any action of the review: their own button, pointed at the owner's action.
    theirs = dm_with(bot, COORDINATOR, "action 1.2 of the action plan is yours")
    coord_view = modal(bot, COORDINATOR, lambda: bot.slack.click(COORDINATOR, "dhr.action_complete", message=(
        theirs.channel, theirs.ts), forged_value=str(action_id)))
    results, barrier = [None, None], threading.Barrier(2)

    def run(i, user, view_id):
        barrier.wait()
        results[i] = bot.slack.submit_view(user, view_id, completion())

    threads = [threading.Thread(target=run, args=(0, POLICE, owner_view.id)),
               threading.Thread(target=run, args=(1, COORDINATOR, coord_view.id))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    outcomes = sorted(answer(r)[0] for r in results)
    assert outcomes == ["closed", "notice"]
    assert "already marked complete" in next(answer(r)[1] for r in results if answer(r)[0] == "notice")
    assert count(bot, ActionUpdate, ActionUpdate.action_id == action_id, ActionUpdate.kind == "completed") == 1
    wait_post(bot, space_id, "marked action 1.1 complete")
    assert len([m for m in bot.fake.messages(space_id) if "marked action 1.1 complete" in (m.text or "")]) == 1


def test_a_paused_review_refuses_stage_moves(bot, general):
    reference, space_id = review_in_evidence(bot, general, people=False)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, space_id, text="pause"))
    assert answer(bot.slack.submit_view(COORDINATOR, view.id, {"kind": "inquest", "reason": "Inquest listed"})) \
        == ("closed", None)
    kind, text = step(bot, COORDINATOR, space_id, "start_drafting", {})
    assert kind == "refused" and "paused" in text and stage(bot, reference) == "evidence"
    chooser = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, space_id, text="stage"))
    assert "paused" in block_text(chooser.blocks) and not [b for b in chooser.blocks if b["type"] == "actions"]


def test_panel_members_cannot_move_stages_and_unknown_steps_are_named(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    kind, text = step(bot, POLICE, space_id, "start_drafting", {})
    assert kind == "refused" and "Only the review's coordinator or chair can move the review" in text
    kind, text = step(bot, COORDINATOR, space_id, "skip_to_the_end", {})
    assert kind == "refused" and "`publish`" in text


def test_no_review_records_the_home_office_reply_and_closes(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    decide(bot, space_id, outcome="no_review")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    kind, errors = step(bot, COORDINATOR, space_id, "home_office_reply", {"reply": "accepted", "reply_on": tomorrow})
    assert kind == "errors" and "future" in errors["reply_on"] and stage(bot, reference) == "not_commissioned"
    assert step(bot, COORDINATOR, space_id, "home_office_reply",
                {"reply": "accepted", "reply_on": TODAY()}) == ("closed", None)
    wait(lambda: bot.fake.channels[space_id].is_archived, what="archived")
    assert bot.fake.channels[space_id].name.endswith("-closed")
    with bot.db.session() as s:
        from storage.models import Decision
        made = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert made.home_office_reply == "accepted" and made.home_office_reply_on == today()
    assert stage(bot, reference) == "concluded"


# ---------------------------------------------------------------- App Home

def test_home_shows_each_person_only_their_own_work(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    review_id = review_row(bot, reference).id
    with bot.db.session() as s:
        evidence_items.request(s, review_id, agency_id(bot, POLICE_AGENCY), "imr", today() + timedelta(days=20),
                               COORDINATOR, datetime.now(timezone.utc))
    assert add_recommendation(bot, space_id) == ("closed", None)
    add_action(bot, space_id)
    from tests.e2e.panel_steps import invite
    invite(bot, space_id, OBSERVER, "observer", by=COORDINATOR)

    police = home_text(bot, POLICE)
    assert reference in police and "IMR" in police and "action 1.1" in police
    assert "Reviews you coordinate" not in police and "Adult A" not in police
    observer = home_text(bot, OBSERVER)
    assert "Confidentiality agreements awaiting you" in observer and reference in observer
    coordinator = home_text(bot, COORDINATOR)
    assert "Reviews you coordinate" in coordinator and "one-month decision met: yes" in coordinator
    outsider = home_text(bot, OUTSIDER)
    assert reference not in outsider

    # The observer answers the agreement from Home and joins.
    home = bot.fake.home_view(OBSERVER)
    view = modal(bot, OBSERVER, lambda: bot.slack.click(OBSERVER, "dhr.home_agreement", view_id=home.id))
    assert answer(bot.slack.submit_view(OBSERVER, view.id, {"answer": "agree"})) == ("closed", None)
    wait(lambda: OBSERVER in bot.fake.channels[space_id].members, what="joined from Home")

    # The owner marks the action complete from Home.
    home = bot.fake.home_view(POLICE)
    with bot.db.session() as s:
        action_id = s.exec(select(PlanAction.id).where(PlanAction.review_id == review_id)).one()
    view = modal(bot, POLICE, lambda: bot.slack.click(POLICE, "dhr.action_complete", view_id=home.id,
                                                      block_id=f"action_{action_id}"))
    assert answer(bot.slack.submit_view(POLICE, view.id, completion())) == ("closed", None)
    wait_post(bot, space_id, "marked action 1.1 complete")


def test_home_stays_within_block_kit_limits_for_60_reviews_and_500_actions(bot, general):
    from tests.e2e.bulk import seed_portfolio
    seed_portfolio(bot.db, COORDINATOR, POLICE, reviews=60, actions=500)
    home = home_after(bot, COORDINATOR, lambda: bot.slack.event({"type": "app_home_opened", "user": COORDINATOR,
                                                                  "tab": "home"}))
    assert len(home.blocks) <= 100
    text = block_text(home.blocks)
    assert "Show more" in text and "Reviews you coordinate (6" in text
    page2 = home_after(bot, COORDINATOR, lambda: bot.slack.click(COORDINATOR, "dhr.home_page", view_id=home.id,
                                                                  block_id="pager_portfolio"))
    assert "Previous" in block_text(page2.blocks) and block_text(page2.blocks) != text and len(page2.blocks) <= 100
    back = home_after(bot, COORDINATOR, lambda: bot.slack.click(COORDINATOR, "dhr.home_page_back", view_id=home.id,
                                                                 block_id="pager_portfolio"))
    assert "Previous" not in block_text(back.blocks)
    police = home_after(bot, POLICE, lambda: bot.slack.event({"type": "app_home_opened", "user": POLICE,
                                                               "tab": "home"}))
    assert len(police.blocks) <= 100 and "Actions you own* (50" in block_text(police.blocks)


def test_coordinator_and_chair_submitting_the_same_step_at_once_move_the_review_once(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    views = [modal(bot, user, lambda u=user: bot.slack.command(u, space_id, text="stage start_drafting"))
             for user in (COORDINATOR, CHAIR)]
    results, barrier = [None, None], threading.Barrier(2)

    def run(i, user, view_id):
        barrier.wait()
        results[i] = bot.slack.submit_view(user, view_id, {})

    threads = [threading.Thread(target=run, args=(i, u, v.id))
               for i, (u, v) in enumerate(zip((COORDINATOR, CHAIR), views))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    outcomes = sorted(answer(r)[0] for r in results)
    assert outcomes == ["closed", "notice"], [r.text for r in results]
    from storage.models import StageChange
    review_id = review_row(bot, reference).id
    assert count(bot, StageChange, StageChange.review_id == review_id, StageChange.to_stage == "drafting") == 1
    assert count(bot, ReportStep, ReportStep.review_id == review_id, ReportStep.step == "start_drafting") == 1


def test_agreed_terms_open_evidence_gathering_only_once_a_chair_is_appointed(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    decide(bot, space_id)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, space_id, text="tor"))
    values = {"scope_from": "2021-01-01", "scope_to": today().isoformat(), "lines": ["coercive_control"],
              "agencies": [option(view, "agencies", POLICE_AGENCY)], "agreed_on": today().isoformat()}
    kind, text = answer(bot.slack.submit_view(COORDINATOR, view.id, values))
    assert kind == "notice" and "stays in set-up" in text and "chair" in text
    assert stage(bot, reference) == "setup"
    join(bot, space_id, CHAIR, "chair", by=COORDINATOR)
    agree_terms(bot, space_id, reference)
    assert stage(bot, reference) == "evidence"


# ---------------------------------------------------------------- the owner sees what the action is

ACTION_TEXT = "Deliver DASH refresher training to every front-desk officer"
OUTCOME = "95% of officers trained, shown by training records"
RECOMMENDATION = "Police and health should share DASH risk assessments."


def _says_what_the_action_is(text: str) -> bool:
    return ACTION_TEXT in text and OUTCOME in text and RECOMMENDATION in text


def test_the_owner_sees_the_action_itself_wherever_they_act(bot, general):
    reference, space_id = review_in_evidence(bot, general)
    owner = "U0OWNER01"     # owns nothing else, so this action is the first on their Home
    bot.fake.add_user(owner, "owner")
    join(bot, space_id, owner, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    assert add_recommendation(bot, space_id) == ("closed", None)
    add_action(bot, space_id, owner=owner)
    dm = dm_with(bot, owner, "is yours")
    assert _says_what_the_action_is(block_text(dm.blocks))
    assert _says_what_the_action_is(home_text(bot, owner))
    for button in ("dhr.action_progress", "dhr.action_complete"):
        view = click_in_dm(bot, owner, button, "is yours")
        assert view.callback_id == button and _says_what_the_action_is(block_text(view.blocks))
        bot.slack.close_view(owner, view.id)


def test_every_member_reads_the_plan_and_only_the_coordinator_or_chair_exports_it(bot, general):
    from tests.e2e.panel_steps import reply_text_since
    reference, space_id = review_in_evidence(bot, general)
    assert add_recommendation(bot, space_id) == ("closed", None)
    add_action(bot, space_id)
    exports = lambda: [f for f in bot.fake.files.values() if space_id in f.channels]  # noqa: E731
    for reader in (POLICE, HEALTH):     # the owner's lead, and another agency's lead
        before = len(bot.fake.responses())
        bot.slack.command(reader, space_id, text="actions")
        text = reply_text_since(bot, before, what=f"{reader}'s plan")
        assert f"{reference} action plan" in text and ACTION_TEXT in text and RECOMMENDATION in text, text
        assert "exported" not in text and "Only" not in text
    assert exports() == []
    before = len(bot.fake.responses())
    bot.slack.command(COORDINATOR, space_id, text="actions")
    assert "exported to" in reply_text_since(bot, before, what="the coordinator's plan")
    wait(lambda: len(exports()) == 2, what="the coordinator's export")
    view = modal(bot, HEALTH, lambda: bot.slack.command(HEALTH, space_id, text="action"))
    assert "Only the review's coordinator or chair can change the action plan" in block_text(view.blocks)
