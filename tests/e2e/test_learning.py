"""Learning across reviews end to end: theme tags on recommendations and lessons of two reviews, the CSP
view of themes for a strategic lead (refused to a review's panel member), the redaction lists of every
review applied to it, and the Strategic Action Plan (SMART, progress, completion, verification, export)."""
import io
import json
import re
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from storage.learning import Lesson, StrategicAction, StrategicCitation, StrategicLead, ThemeTag
from storage.models import AuditEntry
from storage.report import PlanAction, Recommendation
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE
from tests.e2e.journey import today, wait
from tests.e2e.panel_steps import reply_text_since, set_agencies
from tests.e2e.report_steps import modal, option
from tests.e2e.test_report_and_plan import POLICE_AGENCY, add_action, add_recommendation, review_in_evidence
from tests.e2e.test_statutory import dms_saying
from tests.e2e.test_timeline import ENG, on_the_day, sweep

pytestmark = pytest.mark.e2e
LEAD = OBSERVER             # named strategic lead by a CSP admin; on no review's panel here
REC_A = "Police and health should share DASH risk assessments before every MARAC."
REC_B = "Every agency should train staff to recognise coercive control in older couples."
LESSON_B = "Professional curiosity about controlling behaviour was missing at every contact."
CANARY = "Quentin Marlowe"   # a real name registered on review B after review A's text was stored
REC_CANARY = f"Agencies should follow up the concerns {CANARY} raised with the surgery."


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-learning", [COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER, OBSERVER])
    set_agencies(driver, COORDINATOR, general, [POLICE_AGENCY, "Northshire NHS Trust"])
    return general


@pytest.fixture(scope="module")
def two_reviews(driver, general):
    """Two reviews with tagged recommendations and a lesson, an action on one, and LEAD named strategic lead."""
    ref_a, space_a = review_in_evidence(driver, general)
    ref_b, space_b = review_in_evidence(driver, general)
    assert add_recommendation(driver, space_a, text=REC_A, themes=["risk-assessment-and-dash", "marac"]) == \
        ("closed", None)
    assert add_recommendation(driver, space_a, text=REC_CANARY, themes=["marac"]) == ("closed", None)
    assert add_recommendation(driver, space_b, text=REC_B, themes=["coercive-control", "older-victims"]) == \
        ("closed", None)
    add_action(driver, space_a)
    lesson = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "lesson", space=space_b))
    assert lesson.key == "dhr.lesson"
    assert lesson.submit({"text": LESSON_B, "themes": ["professional-curiosity", "coercive-control"]}).pair() == \
        ("closed", None)
    driver.command(COORDINATOR, "redact", space=space_b)
    assert driver.form(COORDINATOR, "dhr.redaction").submit({"kind": "name", "term": CANARY}).pair()[0] == "notice"
    driver.command(COORDINATOR, "leads", space=general)
    assert driver.form(COORDINATOR, "dhr.leads").submit({"leads": [LEAD]}).pair()[0] in ("closed", "notice")
    wait(lambda: _leads(driver) == 1, what="the strategic lead stored")
    return (ref_a, space_a), (ref_b, space_b)


def _leads(driver) -> int:
    with driver.db.session() as s:
        return len(s.exec(select(StrategicLead)).all())


def themes_reply(driver, user, space) -> str:
    before = len(driver.replies(user))
    driver.command(user, "themes", space=space)
    return reply_text_since(driver, before, what=f"{user}'s themes", user=user)


def test_tags_on_two_reviews_appear_together_for_the_strategic_lead(driver, general, two_reviews):
    (ref_a, _), (ref_b, _) = two_reviews
    said = themes_reply(driver, LEAD, general)
    assert "Themes across reviews" in said
    assert REC_A in said and REC_B in said and LESSON_B in said, said
    assert f"{ref_a} rec 1" in said and f"{ref_b} rec 1" in said and f"{ref_b} lesson 1" in said
    coercive = said.split("Coercive control")[1].split("\n\n")[0]
    assert "1 review, 1 recommendation, 1 lesson" in coercive and REC_B in coercive and LESSON_B in coercive, said
    assert re.search(r"MARAC\W*: 1 review, 2 recommendations, 0 lessons", said), said
    assert f"Agencies: {POLICE_AGENCY}. Actions done: 0 of 1." in said


def test_a_text_holding_another_reviews_registered_name_is_withheld(driver, general, two_reviews):
    since = driver.traffic_count()
    said = themes_reply(driver, LEAD, general)
    assert "[withheld: contains a registered name]" in said and CANARY not in said
    assert REC_A in said                      # only the text holding the name is withheld
    assert CANARY.split()[0] not in driver.traffic(since)


def test_the_view_is_refused_to_a_panel_member_and_to_anyone_not_a_lead(driver, general, two_reviews):
    (_, space_a), _ = two_reviews
    with driver.db.session() as s:
        audits = len(s.exec(select(AuditEntry)).all())
    for who, where in ((POLICE, space_a), (HEALTH, general)):
        said = themes_reply(driver, who, where)
        assert "Only CSP admins and strategic leads can see the themes across reviews" in said, said
        assert REC_A not in said and REC_B not in said
    assert REC_A not in "\n".join(m.text for m in driver.messages(space_a))   # never posted in a space
    with driver.db.session() as s:
        assert len(s.exec(select(AuditEntry)).all()) == audits


def test_a_tag_can_be_changed_later(driver, general, two_reviews):
    _, (ref_b, space_b) = two_reviews
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "themes tag", space=space_b))
    assert form.key == "dhr.themes_tag"
    # A lesson longer than a choice may be is cut with an ellipsis, so it reads as cut.
    assert option(form, "item", f"Lesson 1: {LESSON_B[:64]}\u2026")
    assert form.submit({"item": option(form, "item", "Lesson 1"), "themes": ["professional-curiosity"]}).pair() == \
        ("closed", None)
    with driver.db.session() as s:
        lesson = next(x for x in s.exec(select(Lesson)) if x.text == LESSON_B)     # stored encrypted
        assert {t.theme for t in s.exec(select(ThemeTag).where(ThemeTag.lesson_id == lesson.id))} == \
            {"professional-curiosity"}
    forged = modal(driver, POLICE, lambda: driver.command(POLICE, "themes tag", space=space_b))
    assert "Only the review's coordinator or chair can change the action plan" in forged.text


def _strategic_values(form, rec_ids, **overrides):
    values = {"recommendations": [str(i) for i in rec_ids],
              "action": "Commission joint DASH and coercive control training for every partner agency",
              "lead_agency": option(form, "lead_agency", POLICE_AGENCY), "owner": HEALTH,
              "outcome_measure": "90% of front-line staff trained, shown by training records",
              "target_on": (today() + timedelta(days=120)).isoformat(), "milestones": "Trainer commissioned"}
    values.update(overrides)
    return values


def _rec_ids(driver) -> list[int]:
    with driver.db.session() as s:
        recs = s.exec(select(Recommendation)).all()
        return [r.id for r in recs if r.text in (REC_A, REC_B)]


def _strategic(driver) -> list[StrategicAction]:
    with driver.db.session() as s:
        return list(s.exec(select(StrategicAction).order_by(StrategicAction.number)))


def test_linking_an_action_before_the_csp_has_a_strategic_action_says_so(driver, general, two_reviews):
    """The form explains there is nothing to link to yet, rather than failing with an error id."""
    (_, space_a), _ = two_reviews
    assert _strategic(driver) == []
    link = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "action link", space=space_a))
    assert link.key == "dhr.action_link"
    assert "The CSP has no strategic action open" in link.text


def test_a_strategic_command_without_its_number_says_how_to_give_it(driver, general, two_reviews):
    form = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic update", space=general))
    assert "Say which strategic action, by its number" in form.text


def test_a_strategic_action_answers_two_reviews_and_is_progressed_completed_verified(driver, general, two_reviews):
    _, (_, space_b) = two_reviews
    rec_ids = _rec_ids(driver)
    assert len(rec_ids) == 2
    form = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic add", space=general))
    assert form.key == "dhr.strategic"
    vague = form.submit(_strategic_values(form, rec_ids, action="Consider training"))
    kind, errors = vague.pair()
    assert kind == "errors" and "S (specific)" in errors["action"], errors
    assert _strategic(driver) == []
    form = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic add", space=general))
    past = form.submit(_strategic_values(form, rec_ids, target_on=today().isoformat())).pair()
    assert past[0] == "errors" and "T (timed)" in past[1]["target_on"]
    form = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic add", space=general))
    assert form.submit(_strategic_values(form, rec_ids)).pair()[0] in ("closed", "notice")
    action = wait(lambda: _strategic(driver) and _strategic(driver)[0], what="the strategic action")
    with driver.db.session() as s:
        cited = {c.recommendation_id for c in s.exec(select(StrategicCitation))}
    assert cited == set(rec_ids)
    wait(lambda: any("strategic action S1" in m.text for m in driver.dms(HEALTH)), what="the owner's DM")

    before = len(driver.replies(LEAD))
    driver.command(LEAD, "strategic list", space=general)
    listing = reply_text_since(driver, before, what="the plan", user=LEAD)
    assert "S1" in listing and "Commission joint DASH" in listing and "Answers" in listing, listing
    assert "strategic edit N" in listing

    link = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "action link", space=space_b))
    assert link.key == "dhr.action_link"
    assert link.submit({"recommendation": option(link, "recommendation", "1."),
                        "strategic": option(link, "strategic", "S1")}).pair() == ("closed", None)
    linked = wait(lambda: _linked(driver), what="the review action answered by S1")
    assert linked.status == "open" and linked.owner_user == _strategic(driver)[0].owner_user

    update = modal(driver, HEALTH, lambda: driver.command(HEALTH, "strategic update 1", space=general))
    assert update.key == "dhr.strategic_progress"
    assert update.submit({"update": "Trainer chosen; dates set for March."}).pair()[0] in ("closed", "notice")
    wait(lambda: _strategic(driver)[0].last_update_on == today(), what="the progress update")

    done = modal(driver, HEALTH, lambda: driver.command(HEALTH, "strategic complete 1", space=general))
    assert done.key == "dhr.strategic_complete"
    assert done.submit({"completed_on": today().isoformat(), "evidence": "Training records kept by the CSP."}
                       ).pair()[0] in ("closed", "notice")
    wait(lambda: _strategic(driver)[0].status == "completed", what="completion")

    back = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic return 1", space=general))
    assert back.key == "dhr.strategic_return"
    had = len(driver.dms(HEALTH))
    assert back.submit({"reason": "Attach the training records, please."}).pair()[0] in ("closed", "notice")
    wait(lambda: _strategic(driver)[0].status == "open", what="the action open again")
    wait(lambda: dms_saying(driver, HEALTH, "Attach the training records", had), what="the owner told why")
    done = modal(driver, HEALTH, lambda: driver.command(HEALTH, "strategic complete 1", space=general))
    assert done.submit({"completed_on": today().isoformat(), "evidence": "Training records attached."}
                       ).pair()[0] in ("closed", "notice")
    wait(lambda: _strategic(driver)[0].status == "completed", what="completion, again")

    before = len(driver.replies(HEALTH))
    driver.command(HEALTH, "strategic verify 1", space=general)     # the owner is not a lead
    assert "Only CSP admins and strategic leads can verify" in reply_text_since(driver, before, user=HEALTH)
    assert _strategic(driver)[0].status == "completed"
    before = len(driver.replies(LEAD))
    driver.command(LEAD, "strategic verify 1", space=general)
    assert "verified" in reply_text_since(driver, before, user=LEAD)
    assert _strategic(driver)[0].status == "verified" and action.id == _strategic(driver)[0].id
    assert _linked(driver).status == "verified"          # the review's action is done with it


def _linked(driver):
    with driver.db.session() as s:
        return s.exec(select(PlanAction).where(PlanAction.strategic_action_id.is_not(None))).first()


def test_people_who_are_not_leads_change_nothing(driver, general, two_reviews):
    (_, space_a), _ = two_reviews
    had = len(_strategic(driver))
    refused = modal(driver, POLICE, lambda: driver.command(POLICE, "strategic add", space=space_a))
    assert "Only CSP admins and strategic leads can add to the Strategic Action Plan" in refused.text
    form = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic add", space=general))
    values = _strategic_values(form, _rec_ids(driver))
    kind, errors = form.forge({**values, "recommendations": []}).pair()     # a tampered client: nothing cited
    assert kind == "errors" and "recommendations" in errors
    assert len(_strategic(driver)) == had
    form = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic add", space=general))
    assert form.submit(_strategic_values(form, _rec_ids(driver)[:1])).pair()[0] in ("closed", "notice")
    wait(lambda: len(_strategic(driver)) == had + 1, what="a second strategic action")
    number = _strategic(driver)[-1].number
    refused = modal(driver, POLICE, lambda: driver.command(POLICE, f"strategic update {number}", space=space_a))
    assert f"Only the owner of strategic action S{number}, the CSP admins and the strategic leads" in refused.text
    before = len(driver.replies(POLICE))
    driver.command(POLICE, f"strategic verify {number}", space=space_a)
    assert "Only CSP admins and strategic leads can verify" in reply_text_since(driver, before, user=POLICE)
    assert _strategic(driver)[-1].status == "open" and _strategic(driver)[-1].last_update_on is None


def test_the_board_export_opens_with_the_right_rows(driver, general, two_reviews):
    (ref_a, _), (ref_b, _) = two_reviews
    if not _strategic(driver):
        pytest.skip("needs the strategic action of the journey above")
    dm = driver.dm(LEAD)
    had = len(driver.files(dm))
    before = len(driver.replies(LEAD))
    driver.command(LEAD, "strategic export", space=general)
    count = len(_strategic(driver))
    assert f"({count} action{'' if count == 1 else 's'}) is in your direct messages as XLSX and DOCX" in \
        reply_text_since(driver, before, user=LEAD)
    wait(lambda: len(driver.files(dm)) >= had + 2, what="the export in the lead's DM")
    files = {f.name.rsplit(".", 1)[-1]: f for f in driver.files(dm)[had:]}
    sheet = load_workbook(io.BytesIO(files["xlsx"].content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Ref" and len(rows) == 1 + len(_strategic(driver))
    assert rows[1][0] == "S1" and f"{ref_a} rec 1" in rows[1][2] and f"{ref_b} rec 1" in rows[1][2]
    doc = Document(io.BytesIO(files["docx"].content))
    assert doc.tables[0].rows[1].cells[0].text == "S1"
    assert driver.files(general) == []


def test_the_reminder_sweep_reminds_the_owner_and_then_the_leads(driver, general, two_reviews):
    open_actions = [a for a in _strategic(driver) if a.status == "open"]
    if not open_actions:
        pytest.skip("needs the open strategic action of the journey above")
    action = open_actions[0]
    label = f"Strategic action S{action.number}"
    before = len(driver.dms(HEALTH))
    sweep(driver, on_the_day(action.target_on))
    (reminder,) = wait(lambda: dms_saying(driver, HEALTH, label, before), what="the owner's reminder")
    assert "Commission joint DASH" not in reminder.text          # the label only, never the action's words
    before = len(driver.dms(LEAD))
    sweep(driver, on_the_day(ENG.add_working_days(action.target_on, 5)))
    wait(lambda: dms_saying(driver, LEAD, label, before), what="the strategic lead told it is overdue")


def test_a_lesson_that_is_too_long_or_names_someone_is_refused_and_nothing_is_stored(driver, general, two_reviews):
    _, (_, space_b) = two_reviews
    with driver.db.session() as s:
        had = len(s.exec(select(Lesson)).all())
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "lesson", space=space_b))
    kind, errors = form.forge({"text": "x" * 10_000}).pair()
    assert kind == "errors" and "text" in errors, errors
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "lesson", space=space_b))
    kind, errors = form.submit({"text": f"Nobody asked {CANARY} about the injuries."}).pair()
    assert kind == "errors" and "redaction list" in errors["text"], errors
    refused = modal(driver, POLICE, lambda: driver.command(POLICE, "lesson", space=space_b))
    assert "Only the review's coordinator or chair can change the action plan" in refused.text
    with driver.db.session() as s:
        assert len(s.exec(select(Lesson)).all()) == had


# ---------------------------------------------------------------- editing a strategic action

EDITED = "Commission joint coercive control training for every partner agency's front desk"


def _add_strategic(driver, general, **overrides) -> StrategicAction:
    had = len(_strategic(driver))
    form = modal(driver, LEAD, lambda: driver.command(LEAD, "strategic add", space=general))
    assert form.submit(_strategic_values(form, _rec_ids(driver), **overrides)).pair()[0] in ("closed", "notice")
    return wait(lambda: len(_strategic(driver)) == had + 1 and max(_strategic(driver), key=lambda a: a.id),
                what="a new strategic action")


def _edit_form(driver, who, general, number):
    return modal(driver, who, lambda: driver.command(who, f"strategic edit {number}", space=general))


def _audits(driver, action: str) -> list[AuditEntry]:
    with driver.db.session() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_lead_edits_a_strategic_action_its_owner_is_told_and_linked_review_actions_follow(driver, general,
                                                                                            two_reviews):
    _, (_, space_b) = two_reviews
    action = _add_strategic(driver, general)
    n = action.number
    link = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "action link", space=space_b))
    assert link.submit({"recommendation": option(link, "recommendation", "1."),
                        "strategic": option(link, "strategic", f"S{n}")}).pair() == ("closed", None)
    wait(lambda: _linked_to(driver, action.id), what="the review action answered by it")

    refused = _edit_form(driver, POLICE, general, n)                  # not a lead: no form, nothing changed
    assert "Only CSP admins and strategic leads can edit a strategic action" in refused.text, refused.text

    form = _edit_form(driver, LEAD, general, n)
    assert form.key == "dhr.strategic_edit"
    assert form.initial("action") == action.action and form.initial("target_on") == action.target_on.isoformat()
    assert "90% of front-line staff trained" in form.all_text
    kind, errors = form.submit({"action": "Consider training"}).pair()
    assert kind == "errors" and "S (specific)" in errors["action"], errors
    form = _edit_form(driver, LEAD, general, n)
    kind, errors = form.submit({"target_on": today().isoformat()}).pair()
    assert kind == "errors" and "T (timed)" in errors["target_on"], errors
    form = _edit_form(driver, LEAD, general, n)
    kind, errors = form.forge({"action": "Deliver training " + "x" * 10_000}).pair()
    assert kind == "errors" and "Keep the action to" in errors["action"], errors
    assert _strategic(driver)[n - 1].action == action.action and not _audits(driver, "strategic.action_edited")

    moved = action.target_on + timedelta(days=60)
    had = len(driver.dms(HEALTH))
    form = _edit_form(driver, LEAD, general, n)
    assert form.submit({"action": EDITED, "target_on": moved.isoformat()}).pair()[0] in ("closed", "notice")
    wait(lambda: _strategic(driver)[n - 1].target_on == moved, what="the target moved")
    (told,) = wait(lambda: dms_saying(driver, HEALTH, f"moved the target date of strategic action S{n}", had),
                   what="the owner told the target moved")
    assert f"{moved:%b %Y}" in told.text
    (entry,) = _audits(driver, "strategic.action_edited")
    assert entry.actor == driver.person(LEAD) or entry.actor
    assert entry.detail["target_from"] == action.target_on.isoformat() and entry.detail["target_to"] == \
        moved.isoformat()
    assert "coercive" not in str(entry.detail).lower()                 # no narrative in the audit
    linked = _linked_to(driver, action.id)
    assert linked.target_on == moved and EDITED in linked.action

    had = len(driver.dms(POLICE))
    form = _edit_form(driver, LEAD, general, n)
    assert form.initial("action") == EDITED
    assert form.submit({"owner": POLICE}).pair()[0] in ("closed", "notice")
    wait(lambda: dms_saying(driver, POLICE, f"gave you strategic action S{n}", had), what="the new owner told")
    assert _linked_to(driver, action.id).owner_user == _strategic(driver)[n - 1].owner_user != action.owner_user


def _linked_to(driver, strategic_id: int):
    with driver.db.session() as s:
        return s.exec(select(PlanAction).where(PlanAction.strategic_action_id == strategic_id)).first()


def test_a_verified_a_forged_or_another_csps_strategic_action_is_not_edited(driver, general, two_reviews):
    verified = [a for a in _strategic(driver) if a.status == "verified"]
    if not verified:
        pytest.skip("needs the verified strategic action of the journey above")
    refused = _edit_form(driver, LEAD, general, verified[0].number)
    assert "settled" in refused.text and not refused.can_submit, refused.text
    with driver.db.session() as s:
        other = StrategicAction(platform=verified[0].platform, tenant_id="T0THERCSP", number=97,
                                action="Another CSP's action", owner_agency="Elsewhere", owner_user=verified[0].owner_user,
                                outcome_measure="Theirs", target_on=today() + timedelta(days=30), created_by="U0X",
                                created_at=verified[0].created_at, updated_at=verified[0].created_at)
        s.add(other)
    for forged in ("97", "abc", "9" * 10_000, "S-1"):
        refused = _edit_form(driver, LEAD, general, forged)
        assert "There is no strategic action with that number" in refused.text, (forged[:10], refused.text)
    mine = next(a for a in _strategic(driver) if a.status == "open" and a.tenant_id != "T0THERCSP")
    form = _edit_form(driver, LEAD, general, mine.number)       # the form's hidden id forged: another CSP's action
    with driver.db.session() as s:
        other_id = s.exec(select(StrategicAction.id).where(StrategicAction.number == 97)).one()
    forged = form.forge({"action": EDITED + " forged"}, metadata=json.dumps({"action_id": other_id}))
    assert forged.pair()[0] != "closed" and "no longer exists" in str(forged.pair()[1]), forged.pair()
    with driver.db.session() as s:
        assert s.exec(select(StrategicAction).where(StrategicAction.number == 97)).one().action == \
            "Another CSP's action"
    assert all("forged" not in a.action for a in _strategic(driver))


# ---------------------------------------------------------------- Home / "My work"

def test_home_shows_the_owner_their_strategic_actions_and_a_lead_the_plans_counts(driver, general, two_reviews):
    action = _add_strategic(driver, general, action="Publish a joint MARAC referral pathway for every agency",
                            owner=HEALTH)
    home = driver.home(HEALTH)
    assert "Strategic actions you own" in home.text and f"S{action.number}" in home.text, home.text
    assert "Publish a joint MARAC referral pathway" in home.text
    assert "The CSP's plan" not in home.text                   # the owner is not a lead
    lead_home = driver.home(LEAD)
    assert "The CSP's plan" in lead_home.text and "awaiting verification" in lead_home.text, lead_home.text
    assert "Publish a joint MARAC" not in lead_home.text       # not the lead's own action
    assert "Strategic Action Plan" not in driver.home(POLICE).text or \
        "Publish a joint MARAC" not in driver.home(POLICE).text

    others = [a for a in _strategic(driver) if a.owner_user != action.owner_user and a.status == "open"]
    if others:      # a tampered client pressing for someone else's action: refused, no form
        refused = driver.form_after(HEALTH, lambda: driver.press(HEALTH, home, "dhr.strategic.open_progress",
                                                                 value=str(action.id), forged_value=str(others[0].id)))
        assert f"Only the owner of strategic action S{others[0].number}" in refused.text, refused.text
    form = driver.form_after(HEALTH, lambda: driver.press(HEALTH, home, "dhr.strategic.open_progress",
                                                          value=str(action.id)))
    assert form.key == "dhr.strategic_progress" and "Publish a joint MARAC" in form.text
    assert form.submit({"update": "Draft pathway shared with agencies."}).pair()[0] in ("closed", "notice")
    wait(lambda: _strategic(driver)[action.number - 1].last_update_on == today(), what="the progress update")
    if driver.platform == "teams":      # "My work" is redrawn in place when a lead moves the owner's target
        moved = _strategic(driver)[action.number - 1].target_on + timedelta(days=30)
        form = _edit_form(driver, LEAD, general, action.number)
        assert form.submit({"target_on": moved.isoformat()}).pair()[0] in ("closed", "notice")
        wait(lambda: f"target {moved:%a} {moved.day} {moved:%b %Y}" in driver.home_now(HEALTH).text,
             what="the owner's card redrawn with the new target")


def test_a_strategic_text_holding_a_name_registered_later_is_withheld_on_home(driver, general, two_reviews):
    _, (_, space_b) = two_reviews
    late = "Ophelia Brackenbury"
    action = _add_strategic(driver, general, action=f"Review the housing referral {late} made to every agency",
                            owner=HEALTH)
    driver.command(COORDINATOR, "redact", space=space_b)
    assert driver.form(COORDINATOR, "dhr.redaction").submit({"kind": "name", "term": late}).pair()[0] == "notice"
    since = driver.traffic_count()
    home = driver.home(HEALTH)
    assert f"S{action.number}" in home.text and "[withheld: contains a registered name]" in home.text, home.text
    assert late.split()[1] not in driver.traffic(since)
