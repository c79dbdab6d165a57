"""What people read in forms, messages and the Home tab: labels that tell the truth, titles that are
not cut, a refusal that keeps what was typed, words instead of codes, timeliness that stays true.
Through Slack's signed request path against the fake Slack."""
import csv
import io
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.slackfake.errors import ClientSideValidation
from storage.report import PlanAction
from tests.e2e.evidence_steps import AGENCIES
from tests.e2e.journey import block_text, create_review, today, wait
from tests.e2e.panel_steps import invite, join, option_value, set_agencies
from tests.e2e.report_steps import (
    agree_terms,
    answer,
    decide,
    home_after,
    home_text,
    modal,
    option,
    review_row,
    step,
    wait_post,
)
from tests.e2e.server import CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE, ROOT

pytestmark = pytest.mark.e2e
POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"
TODAY = lambda: today().isoformat()  # noqa: E731


def show(d) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


@pytest.fixture(scope="module")
def general(bot):
    general = bot.fake.add_channel("general-words", members=[COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER]).id
    set_agencies(bot, COORDINATOR, general, AGENCIES)
    return general


def in_evidence(bot, general, notified_days_ago=0, coordinator=COORDINATOR, chair=CHAIR) -> tuple[str, str]:
    notified = (today() - timedelta(days=notified_days_ago)).isoformat()
    reference, channel = create_review(bot, coordinator, general, notified_on=notified)
    decide(bot, channel, user=coordinator)
    join(bot, channel, chair, "chair", by=coordinator)
    join(bot, channel, POLICE, "agency_lead", POLICE_AGENCY, by=coordinator)
    agree_terms(bot, channel, reference, user=coordinator)
    return reference, channel


def add_recommendation(bot, channel, user=COORDINATOR):
    view = modal(bot, user, lambda: bot.slack.command(user, channel, text="recommend"))
    values = {"text": "Police and health should share DASH risk assessments.", "scope": "local",
              "source": "overview"}
    assert answer(bot.slack.submit_view(user, view.id, values)) == ("closed", None)


def smart(view) -> dict:
    return {"recommendation": option(view, "recommendation", "1."),
            "action": "Deliver DASH refresher training to every front-desk officer",
            "lead_agency": option(view, "lead_agency", POLICE_AGENCY), "owner": POLICE,
            "outcome_measure": "95% of officers trained, shown by training records",
            "target_on": (today() + timedelta(days=90)).isoformat()}


def inputs(view) -> dict[str, dict]:
    return {b["block_id"]: b for b in view.blocks if b.get("type") == "input"}


def title(view) -> str:
    return view.content["title"]["text"]


def stage_form(bot, user, channel, key):
    return modal(bot, user, lambda: bot.slack.command(user, channel, text=f"stage {key}"))


# ---------------------------------------------------------------- labels and refusals

def test_smart_fields_are_required_in_the_action_form_itself(bot, general):
    reference, channel = in_evidence(bot, general)
    add_recommendation(bot, channel)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="action"))
    required = {bid for bid, b in inputs(view).items() if not b.get("optional")}
    assert required == {"recommendation", "action", "lead_agency", "owner", "outcome_measure", "target_on"}
    assert inputs(view)["milestones"].get("optional") is True
    with pytest.raises(ClientSideValidation):        # the Slack client refuses an empty form before sending
        bot.slack.submit_view(COORDINATOR, view.id, {})
    assert answer(bot.slack.submit_view(COORDINATOR, view.id, smart(view))) == ("closed", None)


def test_a_refused_stage_form_stays_open_with_what_was_typed_and_why(bot, general):
    reference, channel = in_evidence(bot, general)
    assert step(bot, COORDINATOR, channel, "start_drafting", {}) == ("closed", None)
    form = stage_form(bot, COORDINATOR, channel, "send_for_sign_off")
    assert inputs(form)["drafted"].get("optional") is False      # "Drafts ready" is required, as the guard says
    typed = {"drafted": ["overview_report", "executive_summary"], "family_shared_on": TODAY()}
    response = bot.slack.submit_view(COORDINATOR, form.id, typed)
    assert response.outcome == "updated"
    kept = bot.fake.views[form.id]
    assert kept.callback_id == "dhr.stage_step" and title(kept) == "Send for sign-off"
    assert "action plan draft" in block_text(kept.blocks)                     # why, on the form
    assert kept.content.get("submit")                                       # not just *Close*
    assert kept.state["family_shared_on"]["family_shared_on"]["selected_date"] == TODAY()   # nothing lost
    assert review_row(bot, reference).stage == "drafting"
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"], "family_shared_on": TODAY()}
    assert answer(bot.slack.submit_view(COORDINATOR, form.id, drafts)) == ("closed", None)
    assert review_row(bot, reference).stage == "sign_off"


def test_an_optional_label_does_not_say_optional_twice(bot, general):
    reference, channel = in_evidence(bot, general)
    view = modal(bot, CHAIR, lambda: bot.slack.command(CHAIR, channel, text="family"))
    bot.slack.click(CHAIR, "dhr.family.add", view_id=view.id)
    contact = wait(lambda: (v := bot.fake.open_view_for(CHAIR)) and v.callback_id == "dhr.family.contact" and v,
                   what="the contact form")
    note = inputs(contact)["relationship_note"]
    assert note["optional"] is True and "optional" not in note["label"]["text"].lower()


# ---------------------------------------------------------------- titles and intro lines

def test_stage_form_titles_fit_and_intro_lines_keep_capitals(bot, general):
    reference, channel = in_evidence(bot, general)
    seen = {}
    values = {
        "start_drafting": {},
        "send_for_sign_off": {"drafted": ["overview_report", "executive_summary", "action_plan"],
                              "family_shared_on": TODAY()},
        "panel_sign_off": {"signed_on": TODAY()}, "csp_sign_off": {"signed_on": TODAY()},
        "submit": {"submitted_on": TODAY()},
        "qa_outcome": {"outcome": "publish_once_amended", "letter_on": TODAY()},
        "publish": {"published_on": TODAY(), "published_where": "CSP website",
                    "family_not_told_reason": "The family asked not to be contacted."},
        "dac_copy": {"sent_on": TODAY()}, "start_monitoring": {}}
    for key, typed in values.items():
        form = stage_form(bot, COORDINATOR, channel, key)
        assert form.callback_id == "dhr.stage_step", block_text(form.blocks)
        seen[key] = (title(form), block_text(form.blocks[:1]))
        assert answer(bot.slack.submit_view(COORDINATOR, form.id, typed)) == ("closed", None), key
    form = stage_form(bot, COORDINATOR, channel, "plan_audit")
    seen["plan_audit"] = (title(form), block_text(form.blocks[:1]))
    assert seen["submit"][0] == "Submit to Home Office"
    assert seen["dac_copy"][0] == "Copy to DA Commissioner"
    assert seen["plan_audit"][0] == "Action plan audit"
    assert all(len(t) <= 24 for t, _ in seen.values())
    assert "submit to the Home Office" in seen["submit"][1]
    assert "record CSP sign-off" in seen["csp_sign_off"][1]
    assert "copy sent to the Domestic Abuse Commissioner" in seen["dac_copy"][1]


# ---------------------------------------------------------------- smaller wording

def test_recorded_lines_say_what_was_recorded_on_the_day_it_was_recorded(bot, general):
    reference, channel = in_evidence(bot, general, notified_days_ago=20)
    assert step(bot, COORDINATOR, channel, "start_drafting", {}) == ("closed", None)
    shared = today() - timedelta(days=5)
    drafts = {"drafted": ["overview_report", "executive_summary", "action_plan"],
              "family_shared_on": shared.isoformat()}
    assert step(bot, COORDINATOR, channel, "send_for_sign_off", drafts) == ("closed", None)
    assert step(bot, COORDINATOR, channel, "panel_sign_off", {"signed_on": TODAY()}) == ("closed", None)
    text = wait_post(bot, channel, "recorded: panel sign-off")
    assert "Record panel sign-off" not in text
    chooser = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="stage"))
    line = next(x for x in block_text(chooser.blocks).splitlines() if "sign-off" in x.lower() and "sent" in x.lower())
    assert f"({show(today())})" in line and f"shared with the family on {show(shared)}" in line


def test_a_lead_pressing_the_cards_step_button_is_told_who_may(bot, general):
    reference, channel = in_evidence(bot, general)
    card = bot.fake.channels[channel].message(review_row(bot, reference).card_ref)
    wait(lambda: "Start drafting" in block_text(bot.fake.channels[channel].message(card.ts).blocks),
         what="the card's step button")
    view = modal(bot, POLICE, lambda: bot.slack.click(POLICE, "dhr.open_stage", message=(channel, card.ts)))
    text = block_text(view.blocks)
    assert "Only the review's coordinator or chair" in text and "Nothing to record" not in text


def test_a_request_says_an_agency_lead_is_pending_not_missing(bot, general):
    reference, channel = create_review(bot, COORDINATOR, general)
    decide(bot, channel)
    join(bot, channel, POLICE, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    invite(bot, channel, HEALTH, "agency_lead", HEALTH_AGENCY, by=COORDINATOR)    # not yet agreed
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="request"))
    values = {"agencies": [option_value(view, "agencies", a) for a in AGENCIES], "items": ["chronology"]}
    bot.slack.submit_view(COORDINATOR, view.id, values)
    result = block_text(bot.fake.views[view.id].blocks)
    assert f"{HEALTH_AGENCY}*: agency lead <@{HEALTH}> is added, pending" in result
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

def to_monitoring(bot, user, channel, audit=False):
    """Every report step from drafting to monitoring, by `user`; with `audit`, the plan audit too."""
    steps = [("start_drafting", {}),
             ("send_for_sign_off", {"drafted": ["overview_report", "executive_summary", "action_plan"],
                                    "family_shared_on": TODAY()}),
             ("panel_sign_off", {"signed_on": TODAY()}), ("csp_sign_off", {"signed_on": TODAY()}),
             ("submit", {"submitted_on": TODAY()}),
             ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": TODAY()}),
             ("publish", {"published_on": TODAY(), "published_where": "CSP website",
                          "family_not_told_reason": "The family asked not to be contacted."}),
             ("dac_copy", {"sent_on": TODAY()}), ("start_monitoring", {})]
    if audit:
        steps.append(("plan_audit", {"audited_on": TODAY(), "findings": "No recommendations to act on.",
                                     "no_recommendations": ["no_recommendations"]}))
    for key, typed in steps:
        assert step(bot, user, channel, key, typed) == ("closed", None), key

def test_a_met_deadline_stays_met_once_the_review_is_concluded(bot, general):
    """CHAIR coordinates this one review, so its Home shows it alone."""
    reference, channel = in_evidence(bot, general, coordinator=CHAIR, chair=COORDINATOR)
    to_monitoring(bot, CHAIR, channel, audit=True)
    timeliness = lambda: next(x for x in home_text(bot, CHAIR).splitlines() if "deadline met" in x)  # noqa: E731
    assert "overview report deadline met: yes" in timeliness()
    bot.slack.command(CHAIR, channel, text="conclude")
    wait(lambda: review_row(bot, reference).stage == "concluded", what="concluded")
    assert "Concluded" in home_text(bot, CHAIR)
    line = timeliness()
    assert "overview report deadline met: yes" in line and "one-month decision met: yes" in line


# ---------------------------------------------------------------- audit log in words

def test_the_audit_log_says_what_happened_with_the_item(bot, general):
    reference, channel = in_evidence(bot, general)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="request"))
    values = {"agencies": [option_value(view, "agencies", POLICE_AGENCY)], "items": ["chronology", "imr"],
              "due_on": (today() + timedelta(days=30)).isoformat()}
    bot.slack.submit_view(COORDINATOR, view.id, values)
    due = today() + timedelta(days=30)
    bot.slack.command(COORDINATOR, channel, text="audit")
    text = block_text(_ephemeral(bot, channel, COORDINATOR).blocks)
    assert f"Requested chronology from {POLICE_AGENCY}, due {due.day} {due:%b %Y}" in text
    assert f"Requested IMR from {POLICE_AGENCY}" in text
    assert f"Added <@{POLICE}> as agency lead for {POLICE_AGENCY}" in text
    assert "evidence.requested" not in text and "member.invited" not in text

    bot.slack.click(COORDINATOR, "dhr.export_audit", message=(channel, _ephemeral_ts(bot, channel, COORDINATOR)))
    name = f"{reference.lower()}-audit-{today().isoformat()}.csv"
    exported = wait(lambda: next((f for f in bot.fake.files.values() if f.name == name and f.content), None),
                    what="the CSV")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    requested = [r for r in rows if r["Event"] == "evidence.requested"]
    assert requested and requested[0]["What happened"].startswith(f"Requested chronology from {POLICE_AGENCY}")


def _ephemeral(bot, channel, user):
    ch = bot.fake.channels[channel]
    return wait(lambda: next((m for m in reversed(ch.ephemerals)
                              if m.ephemeral_to == user and "Audit log" in (m.text or "")), None),
                what="the audit reply")


def _ephemeral_ts(bot, channel, user) -> str:
    return _ephemeral(bot, channel, user).ts


# ---------------------------------------------------------------- the coordinator's Home

def test_the_coordinators_home_lists_verifications_due_and_terms_awaiting_confirmation(bot, general):
    """OUTSIDER (a CSP admin) coordinates this one review, so its Home shows it alone."""
    coordinator = OUTSIDER
    reference, channel = in_evidence(bot, general, coordinator=coordinator)
    add_recommendation(bot, channel, user=coordinator)
    view = modal(bot, coordinator, lambda: bot.slack.command(coordinator, channel, text="action"))
    assert answer(bot.slack.submit_view(coordinator, view.id, smart(view))) == ("closed", None)
    with bot.db.session() as s:
        action_id = s.exec(select(PlanAction.id).where(
            PlanAction.review_id == review_row(bot, reference).id)).one()
    dm = wait(lambda: next((m for m in reversed(bot.fake.dm_messages(POLICE))
                            if reference in (m.text or "") and "is yours" in (m.text or "")), None), what="the DM")
    done = modal(bot, POLICE, lambda: bot.slack.click(POLICE, "dhr.action_complete", message=(dm.channel, dm.ts)))
    assert answer(bot.slack.submit_view(POLICE, done.id, {"completed_on": TODAY(),
                                                          "evidence": "Training records, kept by HR."})) \
        == ("closed", None)

    text = home_text(bot, coordinator)
    assert "Verifications due" in text
    assert f"{reference}" in text and f"action 1.1, marked complete by <@{POLICE}>" in text
    assert "Terms of reference awaiting confirmation" in text
    assert f"<@{CHAIR}> has not yet confirmed reading version 1" in text

    home = bot.fake.home_view(coordinator)
    reminded = len(bot.fake.dm_messages(CHAIR))
    bot.slack.click(coordinator, "dhr.home_remind_terms", view_id=home.id,
                    block_id=next(b["block_id"] for b in home.blocks
                                  if f"<@{CHAIR}> has not yet confirmed" in block_text([b])))
    wait(lambda: len(bot.fake.dm_messages(CHAIR)) > reminded
         and "I have read them" in block_text(bot.fake.dm_messages(CHAIR)[-1].blocks or []), what="the reminder DM")

    home = bot.fake.home_view(coordinator)
    after = home_after(bot, coordinator, lambda: bot.slack.click(coordinator, "dhr.action_verify", view_id=home.id,
                                                                 block_id=f"verify_{action_id}"))
    assert "action 1.1, marked complete" not in block_text(after.blocks)
    with bot.db.session() as s:
        assert s.get(PlanAction, action_id).status == "verified"
    wait_post(bot, channel, "Action 1.1 was completed and verified by")


def test_the_terms_form_says_up_front_that_a_line_of_enquiry_is_needed(bot, general):
    """'Key lines of enquiry (optional)' must not be refused without warning: the form says one is needed."""
    reference, channel = create_review(bot, COORDINATOR, general)
    decide(bot, channel, user=COORDINATOR)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="tor"))
    lines = inputs(view)["lines"]
    assert lines["optional"] is True and "at least one" in lines["hint"]["text"].lower()
    outcome, errors = answer(bot.slack.submit_view(COORDINATOR, view.id, {
        "scope_from": "2021-01-01", "scope_to": TODAY(), "agencies": [option(view, "agencies", AGENCIES[0])]}))
    assert outcome == "errors" and set(errors) == {"lines"}


def test_terms_agreed_in_time_but_recorded_later_are_met_not_late(bot, general):
    """The panel agreed the terms inside the month; the coordinator recorded them afterwards."""
    from tests.e2e.evidence_steps import card_text
    notified = today() - timedelta(days=45)
    reference, channel = create_review(bot, COORDINATOR, general, notified_on=notified.isoformat())
    decision = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="decide"))
    decided = (notified + timedelta(days=10)).isoformat()
    assert answer(bot.slack.submit_view(COORDINATOR, decision.id, {
        "outcome": "review", "decided_on": decided, "agencies_consulted_other": "Police",
        "home_office_told_on": decided})) == ("closed", None)
    join(bot, channel, CHAIR, "chair", by=COORDINATOR)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="tor"))
    agreed = notified + timedelta(days=20)
    values = {"scope_from": "2021-01-01", "scope_to": notified.isoformat(), "lines": ["coercive_control"],
              "agencies": [option(view, "agencies", AGENCIES[0])], "agreed_on": agreed.isoformat()}
    kind, text = answer(bot.slack.submit_view(COORDINATOR, view.id, values))
    assert kind == "notice" and "moved on to evidence gathering" in text, text
    wait(lambda: "Terms of reference agreed" in card_text(bot, reference) and "overdue" not in card_text(bot, reference)
         or None, what="the card updated")
    line = next(x for x in card_text(bot, reference).splitlines() if "Terms of reference agreed" in x)
    assert "(met)" in line and "late" not in line


def test_the_plan_audit_cannot_say_there_were_no_recommendations_when_there_are(bot, general):
    reference, channel = in_evidence(bot, general)
    add_recommendation(bot, channel)
    to_monitoring(bot, COORDINATOR, channel)
    audit = {"audited_on": TODAY(), "findings": "Nothing to act on.", "no_recommendations": ["no_recommendations"]}
    kind, errors = step(bot, COORDINATOR, channel, "plan_audit", audit)
    assert kind == "errors" and "1 recommendation" in errors["no_recommendations"]
    assert review_row(bot, reference).stage == "monitoring"


def test_a_lead_marking_evidence_by_hand_is_told_who_may_do_that(bot, general):
    reference, channel = in_evidence(bot, general)
    view = modal(bot, POLICE, lambda: bot.slack.command(POLICE, channel, text="evidence mark"))
    text = block_text(view.blocks)
    assert "Only the review's coordinator or chair can" in text and "record what arrived" in text


def test_a_concluded_reviews_panel_no_longer_changes(bot, general):
    """Its channel is archived: an invitation would lead to a channel nobody can join."""
    reference, channel = in_evidence(bot, general, coordinator=CHAIR, chair=COORDINATOR)
    to_monitoring(bot, CHAIR, channel, audit=True)
    form = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="panel"))  # opened before ...
    bot.slack.command(CHAIR, channel, text="conclude")
    wait(lambda: review_row(bot, reference).stage == "concluded", what="concluded")
    invitations = len(bot.fake.dm_messages(HEALTH))
    kind, said = answer(bot.slack.submit_view(COORDINATOR, form.id, {                  # ... saved after
        "change": "add", "person_1": HEALTH, "role_1": "agency_lead",
        "agency_1": option_value(form, "agency_1", HEALTH_AGENCY)}))
    assert kind != "closed" and "is concluded, so its panel no longer changes" in str(said)
    again = modal(bot, CHAIR, lambda: bot.slack.command(CHAIR, channel, text="panel"))
    assert "is concluded, so its panel no longer changes" in block_text(again.blocks)
    assert len(bot.fake.dm_messages(HEALTH)) == invitations


def test_an_imr_authors_home_lists_the_imr_asked_of_their_agency(bot, general):
    from tests.e2e.server import AUTHOR
    reference, channel = in_evidence(bot, general)
    join(bot, channel, AUTHOR, "imr_author", POLICE_AGENCY, by=COORDINATOR)
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, channel, text="request"))
    due = today() + timedelta(days=30)
    bot.slack.submit_view(COORDINATOR, view.id, {"agencies": [option_value(view, "agencies", POLICE_AGENCY)],
                                                 "items": ["chronology", "imr"], "due_on": due.isoformat()})
    text = home_text(bot, AUTHOR)
    assert "*Evidence requests to your agency* (1)" in text
    home = bot.fake.home_view(AUTHOR)
    told = block_text(modal(bot, AUTHOR, lambda: bot.slack.click(AUTHOR, "dhr.home_request", view_id=home.id)).blocks)
    assert "Individual Management Review for *Northshire Police*" in told and "Send me the IMR template" in told
    assert f"IMR, due {show(due)}" in text and "Chronology, due" not in text
