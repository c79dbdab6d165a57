"""The report, the action plan, the timeline and the audit log on Microsoft Teams, through Teams' real
request path (signed activities to POST /api/messages) against the fake Teams, on SQLite and
PostgreSQL. One review, as a coordinator runs it: opened and decided, its panel agreed, an activity
held and lifted (no deadline moves), taken through the report's stages to monitoring, a recommendation and
a SMART action owned by a panel member, who reports progress and completes it from the buttons in
their 1:1 chat; the chair verifies it, the plan's audit is recorded, and the review is concluded:
its chat renamed "(closed)" and left to its coordinator alone, since a bot cannot archive a Teams chat. Bad input (a malformed date,
an oversized field, a forged button, someone outside the review) is refused and changes nothing.
The tests are one journey on one bot, in order; a test run on its own (or on another worker) first
takes the journey's earlier steps it needs (JOURNEY, at the end)."""
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from bot.teamsfake import FakeTeams
from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.kernel import Actor
from bot.workflow.evidence import terms
from storage.models import Review
from storage.report import ActionUpdate, PlanAction, Recommendation, ReportStep, ReviewClosure
from storage.timeline import ActivityHold
from tests.e2e.report_steps import submission
from tests.e2e.teams_server import running_teams, sweep

REFERENCE = "DHR-2026-01"
CLOSED = f"{REFERENCE.lower()} (closed)"      # the concluded review's chat topic
LONDON, ENG = ZoneInfo("Europe/London"), WorkingCalendar("ENG")
PSEUDONYM = "Robin Teamsley"
AGENCY = "Northshire Police"
SECRET_WORDS = {
    "recommendation": "Police and health should share DASH risk assessments within a day.",
    "action": "Deliver DASH refresher training to every front-desk officer",
    "update": "Course booked for the spring term with the training college.",
    "evidence": "Training records for 48 of 50 officers, kept by HR.",
    "reason": "Inquest listed for the spring at the coroner's court",
    "findings": "All actions evidenced; training embedded in induction.",
}


def today() -> date:
    return datetime.now(LONDON).date()


@pytest.fixture(scope="module")
def teams(database_url, tmp_path_factory):
    yield from running_teams(database_url, tmp_path_factory.mktemp("teams-report"))


# ---------------------------------------------------------------- what a Teams user does and sees

def personal(fake: FakeTeams, user) -> str:
    return fake.personal_chat(user).id


def review_chat(t):
    return next(c for c in t.fake.chats.values() if c.topic in (REFERENCE.lower(), CLOSED))


def said(message) -> str:
    return json.dumps(message.activity, ensure_ascii=False)


def new_from_bot(t, chat_id: str, before: int, having: str = ""):
    """The bot's first message in the chat after the `before`-th that says `having`."""
    return t.fake.wait_until(lambda: next((m for m in t.fake.bot_messages_in(chat_id)[before:]
                                           if having in said(m)), None))


def last_from_bot(t, chat_id: str, having: str):
    return t.fake.wait_until(lambda: next((m for m in reversed(t.fake.bot_messages_in(chat_id))
                                           if having in said(m)), None))


def command(t, user, words: str, chat_id: str | None = None) -> str:
    """Typed to the bot: after @DHR Bot in a review's chat, or in the person's 1:1 chat. Returns the 1:1 chat."""
    mine = personal(t.fake, user)
    where = chat_id or mine
    answer = t.platform.say(user, where, f"<at>DHR Bot</at> {words}" if chat_id else words)
    assert answer.status == 200, answer.text
    return mine


def open_form(t, user, words: str, title: str, chat_id: str | None = None):
    """A typed command's form: the bot answers in the 1:1 chat with a button that opens the dialog."""
    mine = personal(t.fake, user)
    before = len(t.fake.bot_messages_in(mine))
    command(t, user, words, chat_id)
    offer = new_from_bot(t, mine, before, f"Open: {title}")
    answer = t.platform.press(user, mine, offer.id, f"Open: {title}")
    assert answer.status == 200, answer.text
    return mine, t.platform.open_dialog(user), answer


def reply_after(t, user, before: int, having: str = "") -> str:
    return said(new_from_bot(t, personal(t.fake, user), before, having))


def submit(t, user, conversation_id: str, values: dict, action: str | None = None) -> tuple[str, str]:
    """("closed", what the dialog said as it closed) or ("dialog", the card shown instead)."""
    answer = t.platform.submit_dialog(user, conversation_id, values, action)
    assert answer.status == 200, answer.text
    task = answer.json()["task"]
    if task["type"] == "message":
        return "closed", task["value"]
    return "dialog", json.dumps(task["value"]["card"])


def errors_under(card_json: str) -> dict[str, str]:
    """Each attention line under an input, by the input's id (what Teams shows beside the field)."""
    found, last_input = {}, None
    for node in _nodes(json.loads(card_json)):
        if str(node.get("type", "")).startswith("Input."):
            last_input = node["id"]
        elif node.get("type") == "TextBlock" and node.get("color") == "attention" and last_input:
            found[last_input] = node["text"]
    return found


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def choice(card: dict, input_id: str, starts: str) -> str:
    spec = next(n for n in _nodes(card) if n.get("id") == input_id)
    return next(c["value"] for c in spec["choices"] if c["title"].startswith(starts))


def invoke(t, user, conversation_id: str, name: str, data: dict, reply_to: str | None = None):
    """An invoke a Teams client would never send as it is: forged data, sent signed all the same."""
    activity = t.platform.message_activity(user, conversation_id, "x")
    activity.update(type="invoke", name=name, value={"data": data, "context": {"theme": "default"}})
    activity.pop("text", None)
    if reply_to:
        activity["replyToId"] = reply_to
    return t.platform.send(activity)


def forge_submit(t, user, callback: str, meta: dict, values: dict) -> str:
    """A dialog's submission sent past the Teams client's own checks; the card the bot answers with."""
    answer = invoke(t, user, personal(t.fake, user), "task/submit", {"dhr_form": callback, "dhr_meta": meta, **values})
    assert answer.status == 200, answer.text
    task = answer.json()["task"]
    return json.dumps(task["value"]["card"]) if task["type"] == "continue" else task["value"]


def review_row(t) -> Review:
    with t.db.session() as s:
        return s.exec(select(Review).where(Review.reference == REFERENCE)).one()


def count(t, model, *where) -> int:
    with t.db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def step(t, user, key: str, values: dict) -> tuple[str, str]:
    """`stage <key>` typed in the review's chat, the step's dialog filled in and submitted."""
    mine, dialog, _ = open_form(t, user, f"stage {key}", "Review stage", review_chat(t).id)
    assert dialog is not None
    if "Record" not in json.dumps(dialog.card):
        return "refused", json.dumps(dialog.card)
    return submit(t, user, mine, values)


def show(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def needs(t, step) -> None:
    """The journey's steps up to `step`, each taken unless this bot's review shows it done already."""
    for taken, done in JOURNEY:
        if not done(t):
            taken(t)
        if taken is step:
            return


# ---------------------------------------------------------------- the journey

def test_a_review_is_opened_decided_and_its_panel_agreed(teams):
    t, coord, chair, police = teams, teams.people["coordinator"], teams.people["chair"], teams.people["police"]
    mine, _, _ = open_form(t, coord, "agencies", "Agencies")
    assert submit(t, coord, mine, {"agencies": f"{AGENCY}\nNorthshire NHS Trust"})[0] == "closed"
    mine, _, _ = open_form(t, coord, "new", "New review")
    kind, _ = submit(t, coord, mine, {
        "reference": REFERENCE, "notifying_agency": "Police", "victim_pseudonym": PSEUDONYM, "victim_age": "41",
        "relationship": "current_partner", "suspected_suicide": "no", "confidentiality": "agreed"})
    chat = t.fake.wait_until(lambda: next((c for c in t.fake.chats.values() if c.topic == REFERENCE.lower()), None))
    card = last_from_bot(t, chat.id, "Record decision")
    assert t.platform.press(coord, chat.id, card.id, "Record decision").status == 200
    kind, shown = submit(t, coord, chat.id, {
        "outcome": "review", "decided_on": today().isoformat(), "home_office_told_on": today().isoformat(),
        "decided_by": coord.aad_id, "records_secured_on": today().isoformat(),
        "agencies_consulted": choice(t.platform.open_dialog(coord).card, "agencies_consulted", AGENCY)})
    assert kind == "closed", shown
    mine, dialog, _ = open_form(t, coord, "panel", "Review panel", chat.id)
    agency = choice(dialog.card, "agency_1", AGENCY)
    assert submit(t, coord, mine, {"change": "add", "person_1": chair.aad_id, "role_1": "chair",
                                   "person_2": police.aad_id, "role_2": "panel_member",
                                   "agency_2": agency})[0] == "closed"
    for person in (chair, police):
        invite = last_from_bot(t, personal(t.fake, person), "I agree")
        t.platform.press(person, personal(t.fake, person), invite.id, "I agree")
        t.fake.wait_until(lambda who=person: chat.member(who.aad_id) is not None)
    assert review_row(t).stage == "setup"
    agree_terms(t)     # the card shows it once redrawn (by the hold, next)


def test_a_hold_asks_who_agreed_it_moves_no_deadline_and_lift_ends_it(teams):
    needs(teams, test_a_review_is_opened_decided_and_its_panel_agreed)
    t, coord, chair, police = teams, teams.people["coordinator"], teams.people["chair"], teams.people["police"]
    chat = review_chat(t)
    mine, dialog, _ = open_form(t, police, "hold", "Hold an activity", chat.id)
    assert "coordinator or chair" in json.dumps(dialog.card) and "Record hold" not in [
        a.get("title") for a in _nodes(dialog.card) if a.get("type") == "Action.Submit"]
    mine, dialog, _ = open_form(t, coord, f"hold {SECRET_WORDS['reason']}", "Hold an activity", chat.id)
    assert SECRET_WORDS["reason"] in json.dumps(dialog.card), "the words typed are the reason's first answer"
    values = {"activity": "witness_interviews", "agency": "0", "agreed_by": "the coroner",
              "agreed_on": today().isoformat(), "until_event": "the end of the inquest",
              "reason": SECRET_WORDS["reason"]}
    blank = forge_submit(t, coord, "dhr.hold", {"review_id": review_row(t).id}, {**values, "agreed_by": " "})
    assert "agreed_by" in errors_under(blank), "past the client's own check, the bot refuses it under the field"
    undated = forge_submit(t, coord, "dhr.hold", {"review_id": review_row(t).id}, {**values, "agreed_on": ""})
    assert "agreed_on" in errors_under(undated)
    assert count(t, ActivityHold) == 0
    assert submit(t, coord, mine, values)[0] == "closed"
    last_from_bot(t, chat.id, "recorded a hold")
    card = t.fake.wait_until(lambda: (c := said(last_from_bot(t, chat.id, "review summary"))) and "On hold" in c and c)
    assert "agreed by the coroner" in card and show(add_months(today(), 1)) in card, "no deadline moved"
    _, dialog, _ = open_form(t, coord, "stage", "Review stage", chat.id)
    assert "Start drafting" in json.dumps(dialog.card, ensure_ascii=False), "stage moves go on during a hold"
    t.platform.close_dialog(coord)
    mine, dialog, _ = open_form(t, chair, "lift", "Lift a hold", chat.id)
    hold_id = next(n for n in _nodes(dialog.card) if n.get("id") == "hold")["choices"][0]["value"]
    before = len(t.fake.bot_messages_in(chat.id))
    assert submit(t, chair, mine, {"hold": hold_id})[0] == "closed"
    said(new_from_bot(t, chat.id, before, "lifted the hold on interviews with witnesses"))
    t.fake.wait_until(lambda: (c := said(last_from_bot(t, chat.id, "review summary"))) and "On hold" not in c and c)


def test_a_malformed_date_in_an_extension_is_shown_under_its_field(teams):
    needs(teams, test_a_review_is_opened_decided_and_its_panel_agreed)
    t, coord = teams, teams.people["coordinator"]
    mine, dialog, _ = open_form(t, coord, "extend", "Another timescale", review_chat(t).id)
    deadline = next(n for n in _nodes(dialog.card) if n.get("id") == "deadline")["choices"][0]["value"]
    kind, card = submit(t, coord, mine, {"deadline": deadline, "new_due": "31/02/2027",
                                         "reason": "Agreed with the Home Office", "agreed_by": "CSP chair",
                                         "agreed_on": today().isoformat()})
    assert kind == "dialog" and "new_due" in errors_under(card)
    assert "Agreed with the Home Office" in card, "what was typed is kept"
    later = today() + timedelta(days=200)
    assert submit(t, coord, mine, {"deadline": deadline, "new_due": later.isoformat(),
                                   "reason": "Agreed with the Home Office", "agreed_by": "CSP chair",
                                   "agreed_on": today().isoformat()})[0] == "closed"
    told = said(last_from_bot(t, review_chat(t).id, "recorded another timescale"))
    assert f"agreed by CSP chair on {show(today())}" in told and show(later) in told


def agree_terms(t) -> None:
    """Stand-in for `tor` on Teams (the evidence capability's): the terms agreed, so the review gathers evidence."""
    coord = t.people["coordinator"]
    with t.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == REFERENCE)).one()
        agencies = [str(a.id) for a in terms.workspace_agencies(s, review)]
        terms.save(s, review, Actor(tenant_id=review.tenant_id, user_id=coord.aad_id, platform="teams"), {
            "scope_from": "2021-01-01", "scope_to": today().isoformat(), "agencies": agencies,
            "lines": ["coercive_control"], "agreed_on": today().isoformat()},
            now=datetime.now(LONDON), today=today())
    assert review_row(t).stage == "evidence"


def test_the_report_moves_through_its_stages_from_the_card_and_typed_steps(teams):
    needs(teams, test_a_hold_asks_who_agreed_it_moves_no_deadline_and_lift_ends_it)
    t, coord = teams, teams.people["coordinator"]
    chat = review_chat(t)
    card = last_from_bot(t, chat.id, "review summary")
    stage_button = next(a["title"] for a in _nodes(card.activity) if isinstance(a, dict)
                        and a.get("type") == "Action.Submit" and (a.get("data") or {}).get("dhr", {}).get(
                            "action") == "dhr.open_stage")
    assert t.platform.press(coord, chat.id, card.id, stage_button).status == 200
    chooser = t.platform.open_dialog(coord)
    assert chooser.title == "Review stage" and "Start drafting" in json.dumps(chooser.card)
    (offered,) = [i for i in _nodes(chooser.card) if isinstance(i, dict) and i.get("id") == "step"]
    assert offered["type"] == "Input.ChoiceSet" and [c["value"] for c in offered["choices"]] == ["start_drafting"]
    assert [a["data"]["dhr_form"] for a in chooser.card["actions"]] == ["dhr.stage"], "the dialog's own submit"
    forged = forge_submit(t, coord, "dhr.stage", {"review_id": review_row(t).id}, {"step": "publish"})
    assert "Choose one of the steps offered" in errors_under(forged)["step"], "a step not offered now"
    assert submit(t, coord, chat.id, {"step": "start_drafting"})[0] == "dialog", "the step's own dialog"
    assert t.platform.open_dialog(coord).title == "Start drafting"
    assert submit(t, coord, chat.id, {}) == ("closed", "Recorded.")
    assert review_row(t).stage == "drafting"
    last_from_bot(t, chat.id, "moves to \u201cDrafting\u201d")
    kind, card = step(t, coord, "send_for_sign_off", {"drafted": "overview_report"})
    assert kind == "dialog" and "executive summary draft" in card and review_row(t).stage == "drafting"
    t.platform.close_dialog(coord)
    drafts = {"drafted": "overview_report,executive_summary,action_plan", "family_shared_on": today().isoformat()}
    assert step(t, coord, "send_for_sign_off", drafts)[0] == "closed"
    kind, card = step(t, coord, "panel_sign_off", {"signed_on": "2026-13-45"})
    assert kind == "dialog" and "signed_on" in errors_under(card), "a malformed date, under its field"
    t.platform.close_dialog(coord)
    assert count(t, ReportStep, ReportStep.step == "panel_sign_off") == 0
    iso = today().isoformat()
    for key, values in (("panel_sign_off", {"signed_on": iso}), ("csp_sign_off", {"signed_on": iso}),
                        ("submit", submission(iso)),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": iso}),
                        ("publish", {"published_on": iso, "published_where": "CSP website",
                                     "published": "overview_report,executive_summary,qa_letter",
                                     "family_not_told_reason": "The family asked not to be contacted."}),
                        ("dac_copy", {"sent_on": iso}), ("start_monitoring", {})):
        assert step(t, coord, key, values)[0] == "closed", key
    assert review_row(t).stage == "monitoring"


def test_a_panel_member_cannot_move_the_stage_nor_can_someone_outside_the_review(teams):
    needs(teams, test_the_report_moves_through_its_stages_from_the_card_and_typed_steps)
    t, police, outsider = teams, teams.people["police"], teams.people["outsider"]
    kind, card = step(t, police, "plan_audit", {})
    assert kind == "refused" and "coordinator or chair" in card
    forged = {"dhr_form": "dhr.stage_step", "dhr_meta": {"review_id": review_row(t).id, "step": "plan_audit"},
              "audited_on": today().isoformat(), "findings": "Forged"}
    answer = invoke(t, outsider, personal(t.fake, outsider), "task/submit", forged)
    task = answer.json()["task"]       # the dialog stays, saying why nothing was saved (as Slack's modal does)
    assert answer.status == 200 and task["type"] == "continue" and task["value"]["title"] == "Not saved"
    assert "not a member of this review" in answer.text and "actions" not in json.dumps(task["value"]["card"])
    assert REFERENCE not in answer.text and PSEUDONYM not in answer.text
    assert count(t, ReportStep, ReportStep.step == "plan_audit") == 0
    before = len(t.fake.bot_messages_in(personal(t.fake, outsider)))
    command(t, outsider, "audit")
    assert "isn't a review chat" in reply_after(t, outsider, before)
    for words in ("audit", "actions", "conclude", "lift"):     # as if typed in the review's chat
        reopen = {"msteams": {"type": "task/fetch"},
                  "dhr": {"action": "dhr.open_form", "value": json.dumps({"words": words, "space": review_chat(t).id})}}
        answer = invoke(t, outsider, personal(t.fake, outsider), "task/fetch", reopen)
        assert "not a member of this review" in answer.text, words
    assert review_row(t).stage == "monitoring"


def test_a_recommendation_and_a_smart_action_owned_by_a_panel_member(teams):
    needs(teams, test_the_report_moves_through_its_stages_from_the_card_and_typed_steps)
    t, coord, police = teams, teams.people["coordinator"], teams.people["police"]
    chat = review_chat(t)
    mine, _, _ = open_form(t, coord, "recommend", "Add recommendation", chat.id)
    kind, card = submit(t, coord, mine, {"text": SECRET_WORDS["recommendation"], "scope": "local",
                                         "source": "overview", "national_body": "Home Office"})
    assert kind == "dialog" and "national_body" in errors_under(card)
    assert submit(t, coord, mine, {"text": SECRET_WORDS["recommendation"], "scope": "local",
                                   "source": "overview", "national_body": ""})[0] == "closed"
    last_from_bot(t, chat.id, "added recommendation 1")
    mine, dialog, _ = open_form(t, coord, "action", "Add action", chat.id)
    values = {"recommendation": choice(dialog.card, "recommendation", "1."), "action": SECRET_WORDS["action"],
              "lead_agency": choice(dialog.card, "lead_agency", AGENCY), "owner": police.aad_id,
              "outcome_measure": "95% of officers trained, shown by training records",
              "target_on": (today() + timedelta(days=90)).isoformat()}
    assert submit(t, coord, mine, values)[0] == "closed"
    told = last_from_bot(t, personal(t.fake, police), "Mark complete")
    assert REFERENCE in said(told) and SECRET_WORDS["action"] in said(told)
    assert count(t, PlanAction, PlanAction.status == "open") == 1


def test_an_oversized_field_is_refused_under_it_and_stores_nothing(teams):
    needs(teams, test_a_recommendation_and_a_smart_action_owned_by_a_panel_member)
    t, coord = teams, teams.people["coordinator"]
    forged = {"dhr_form": "dhr.recommend", "dhr_meta": {"review_id": review_row(t).id},
              "text": "x" * 10_000, "scope": "local", "source": "overview"}
    card = forge_submit(t, coord, forged.pop("dhr_form"), forged.pop("dhr_meta"), forged)
    assert "text" in errors_under(card)
    assert count(t, Recommendation) == 1


def test_the_owner_reports_progress_and_completes_from_their_chat_but_cannot_verify_it(teams):
    needs(teams, test_a_recommendation_and_a_smart_action_owned_by_a_panel_member)
    t, police, outsider = teams, teams.people["police"], teams.people["outsider"]
    chat, mine = review_chat(t), personal(teams.fake, police)
    told = last_from_bot(t, mine, "Mark complete")
    assert t.platform.press(police, mine, told.id, "Add a progress update").status == 200
    assert t.platform.open_dialog(police).title == "Progress update"
    assert submit(t, police, mine, {"update": SECRET_WORDS["update"]})[0] == "closed"
    last_from_bot(t, chat.id, "added a progress update to action 1.1")
    with t.db.session() as s:
        action_id = s.exec(select(PlanAction.id)).one()
    forged = {"msteams": {"type": "task/fetch"}, "dhr": {"action": "dhr.action_complete", "value": str(action_id)}}
    answer = invoke(t, outsider, personal(t.fake, outsider), "task/fetch", forged)
    assert "not a member of this review" in answer.text and SECRET_WORDS["action"] not in answer.text
    assert "dhr_form" not in answer.text, "a refusal, not the form"
    assert t.platform.press(police, mine, told.id, "Mark complete").status == 200
    card = forge_submit(t, police, "dhr.action_complete", {"action_id": action_id},
                        {"completed_on": today().isoformat(), "evidence": " "})
    assert "evidence" in errors_under(card), "past the client's check, refused under the field"
    assert submit(t, police, mine, {"completed_on": today().isoformat(),
                                    "evidence": SECRET_WORDS["evidence"]})[0] == "closed"
    post = last_from_bot(t, chat.id, "marked action 1.1 complete")
    refused = t.platform.press(police, chat.id, post.id, "Verify")
    assert "Only the review's coordinator or chair can verify" in refused.json()["task"]["value"]
    assert count(t, PlanAction, PlanAction.status == "verified") == 0


def test_the_coordinator_sends_it_back_the_owner_completes_again_and_the_chair_verifies(teams):
    needs(teams, test_the_owner_reports_progress_and_completes_from_their_chat_but_cannot_verify_it)
    t, coord, chair, police = teams, teams.people["coordinator"], teams.people["chair"], teams.people["police"]
    chat, mine = review_chat(t), personal(teams.fake, police)
    post = last_from_bot(t, chat.id, "marked action 1.1 complete")
    assert t.platform.press(coord, chat.id, post.id, "Send back").status == 200
    assert t.platform.open_dialog(coord).title == "Send back"
    before = len(t.fake.bot_messages_in(mine))
    assert submit(t, coord, chat.id, {"reason": "Two officers still to train."})[0] == "closed"
    last_from_bot(t, chat.id, "sent action 1.1 back: Two officers still to train.")
    told = new_from_bot(t, mine, before, "was sent back")
    assert t.platform.press(police, mine, told.id, "Mark complete").status == 200
    assert submit(t, police, mine, {"completed_on": today().isoformat(),
                                    "evidence": SECRET_WORDS["evidence"]})[0] == "closed"
    post = t.fake.wait_until(lambda: [m for m in t.fake.bot_messages_in(chat.id)
                                      if "marked action 1.1 complete" in said(m)][1:] or None)[-1]
    forged = {"msteams": {"type": "task/fetch"}, "dhr": {"action": "dhr.action_verify", "value": "9999"}}
    assert invoke(t, chair, chat.id, "task/fetch", forged, post.id).json()["task"]["type"] == "message"
    assert count(t, PlanAction, PlanAction.status == "verified") == 0
    assert t.platform.press(chair, chat.id, post.id, "Verify").status == 200
    assert count(t, PlanAction, PlanAction.status == "verified") == 1
    t.fake.wait_until(lambda: "completed and verified by" in said(t.fake.chat(chat.id).message(post.id)))
    assert count(t, ActionUpdate, ActionUpdate.kind == "completed") == 2


def test_the_plan_and_the_audit_log_are_read_privately_and_exported_by_consent_card_in_the_1to1_chat(teams):
    needs(teams, test_a_recommendation_and_a_smart_action_owned_by_a_panel_member)
    t, coord = teams, teams.people["coordinator"]
    chat, mine = review_chat(t), personal(teams.fake, coord)
    before, in_chat = len(t.fake.bot_messages_in(mine)), len(t.fake.bot_messages_in(chat.id))
    command(t, coord, "actions", chat.id)
    listing = reply_after(t, coord, before, "1.1")
    assert "action plan" in listing and "exported" not in listing
    assert sorted(n.rsplit(".", 1)[-1] for n in _offered(t, mine, before, 2)) == ["docx", "xlsx"]
    before = len(t.fake.bot_messages_in(mine))
    command(t, coord, "audit", chat.id)
    log = new_from_bot(t, mine, before, "Audit log of")
    answer = t.platform.press(coord, mine, log.id, "Export the full log as CSV")
    assert answer.status == 200, answer.text
    assert _offered(t, mine, before, 1)[0].startswith(f"{REFERENCE.lower()}-audit-")
    assert len(t.fake.bot_messages_in(chat.id)) == in_chat, "nothing in the review's chat"


def _offered(t, mine: str, before: int, count: int) -> list[str]:
    """The names of the files offered by consent card in the 1:1 chat since the `before`-th message."""
    consent = "application/vnd.microsoft.teams.card.file.consent"
    cards = t.fake.wait_until(lambda: (found := [a["name"] for m in t.fake.bot_messages_in(mine)[before:]
                                                 for a in m.attachments_of(consent)]) and len(found) >= count
                              and found)
    return cards


def test_conclusion_renames_the_chat_and_removes_everyone_but_the_coordinator(teams):
    needs(teams, test_the_coordinator_sends_it_back_the_owner_completes_again_and_the_chair_verifies)
    t, coord, chair = teams, teams.people["coordinator"], teams.people["chair"]
    chat = review_chat(t)
    before = len(t.fake.bot_messages_in(personal(t.fake, chair)))
    command(t, chair, "conclude", chat.id)
    assert "action plan audit" in reply_after(t, chair, before)
    assert review_row(t).stage == "monitoring"
    assert step(t, coord, "plan_audit", {"audited_on": today().isoformat(),
                                          "findings": SECRET_WORDS["findings"]})[0] == "closed"
    command(t, chair, "conclude", chat.id)
    t.fake.wait_until(lambda: chat.topic == CLOSED and set(chat.members) == {coord.aad_id}, timeout=15)
    assert chat.installed, "the bot stays in the chat beside the coordinator"
    posts = " ".join(said(m) for m in t.fake.bot_messages_in(chat.id))
    assert f"{REFERENCE} is concluded" in posts and "Reminders for this review have stopped" in posts
    assert "The chat is renamed and everyone but the coordinator removed from it" in posts
    assert "archiv" not in posts, "said as Teams does it"
    assert "is removing everyone but the coordinator now" in posts
    assert review_row(t).stage == "concluded"
    assert "Concluded" in said(last_from_bot(t, chat.id, "review summary")), "the card, updated in place"
    with t.db.session() as s:
        closure = s.exec(select(ReviewClosure)).one()
        assert closure.archived and closure.renamed_to == CLOSED


def test_retention_deletes_the_content_only_after_its_period_and_a_dialog_asks_first(teams):
    needs(teams, test_conclusion_renames_the_chat_and_removes_everyone_but_the_coordinator)
    t, coord = teams, teams.people["coordinator"]
    mine = personal(t.fake, coord)
    before = len(t.fake.bot_messages_in(mine))
    command(t, coord, f"retention confirm {REFERENCE}")
    assert "its content can be deleted after that date" in reply_after(t, coord, before)
    before = len(t.fake.bot_messages_in(mine))
    command(t, coord, "retention please")
    assert "retention confirm DHR-YYYY-NN" in reply_after(t, coord, before)
    with t.db.session() as s:     # arrange: the retention period is over
        s.execute(update(ReviewClosure).values(retain_until=today() - timedelta(days=2)))
    day = today() if ENG.is_working_day(today()) else ENG.add_working_days(today(), 1)
    before = len(t.fake.bot_messages_in(mine))
    sweep(t.fake, [coord], t.url, datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON))
    reminder = new_from_bot(t, mine, before, f"Delete {REFERENCE}'s content")
    assert t.platform.press(coord, mine, reminder.id, f"Delete {REFERENCE}'s content").status == 200
    asked = t.platform.open_dialog(coord)
    assert asked.title == "Delete the content?" and "for good" in json.dumps(asked.card)
    assert review_row(t).victim_pseudonym == PSEUDONYM, "nothing is deleted before the dialog's Delete"
    before = len(t.fake.bot_messages_in(mine))
    assert submit(t, coord, mine, {}, action="Delete") == ("closed", "Deleted.")
    reply_after(t, coord, before, f"The content of {REFERENCE} is deleted under the retention policy")
    with t.db.session() as s:
        assert s.exec(select(ReviewClosure)).one().content_deleted_at is not None
    assert count(t, Recommendation) == 0 and review_row(t).victim_pseudonym != PSEUDONYM


def test_nothing_typed_into_the_review_reaches_the_log(teams):
    log = teams.log_path.read_text(errors="replace")
    for words in (PSEUDONYM, *SECRET_WORDS.values(), "x" * 100, "Forged"):
        assert words not in log


def stage_is(*stages):
    return lambda t: count(t, Review, Review.reference == REFERENCE, Review.stage.in_(stages)) > 0


JOURNEY = [     # (a step of the journey, whether this bot's review shows it taken)
    (test_a_review_is_opened_decided_and_its_panel_agreed, lambda t: count(t, Review) > 0),
    (test_a_hold_asks_who_agreed_it_moves_no_deadline_and_lift_ends_it,
     lambda t: count(t, ActivityHold, ActivityHold.lifted_on.is_not(None)) > 0),
    (test_the_report_moves_through_its_stages_from_the_card_and_typed_steps, stage_is("monitoring", "concluded")),
    (test_a_recommendation_and_a_smart_action_owned_by_a_panel_member, lambda t: count(t, PlanAction) > 0),
    (test_the_owner_reports_progress_and_completes_from_their_chat_but_cannot_verify_it,
     lambda t: count(t, ActionUpdate, ActionUpdate.kind == "completed") > 0),
    (test_the_coordinator_sends_it_back_the_owner_completes_again_and_the_chair_verifies,
     lambda t: count(t, PlanAction, PlanAction.status == "verified") > 0),
    (test_conclusion_renames_the_chat_and_removes_everyone_but_the_coordinator, stage_is("concluded")),
]
