"""What the statutory guidance and the 2004 Act ask of the clock and the copies, end to end through
the journeys' driver."""
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.slackfake import SlackPlatform
from bot.workflow.clock.timescales import add_months
from bot.workflow.report.commissioner import SEND_WITHIN
from storage.db import Database
from storage.evidence import EvidenceItem
from storage.models import AuditEntry
from storage.panel import Agency
from tests.e2e.chronology_steps import ready_review, text_of
from tests.e2e.driver import AUTHOR, CHAIR, COORDINATOR, HEALTH, POLICE
from tests.e2e.journey import (
    create_review,
    driver_of,
    new_review_values,
    open_view,
    show,
    start_new_review,
    today,
    wait,
)
from tests.e2e.panel_steps import join, option_value, set_agencies
from tests.e2e.report_steps import (
    ALL_PUBLISHED,
    agree_terms,
    answer,
    decide,
    modal,
    option,
    posts,
    review_row,
    step,
    submission,
    wait_post,
)
from tests.e2e.server import COORDINATOR as S_COORDINATOR
from tests.e2e.server import SECRET, TEAM, Bot, start_bot
from tests.e2e.test_imr import complete_imr, upload_imr, versions
from tests.e2e.test_report_and_plan import agency_id, to_monitoring
from tests.e2e.test_timeline import ENG, card_text, on_the_day, sweep

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(driver):
    general = driver.add_space("general-statutory", [COORDINATOR, CHAIR, POLICE, HEALTH])
    set_agencies(driver, COORDINATOR, general, ["Northshire Police", "Northshire NHS Trust"])
    return general


def decide_no_review(driver, space_id, decided_on):
    driver.command(COORDINATOR, "decide", space=space_id)
    view = open_view(driver, COORDINATOR, "dhr.decide")
    values = {"outcome": "no_review", "decided_on": decided_on.isoformat(),
              "agencies_consulted": [option_value(view, "agencies_consulted", "Northshire Police")],
              "home_office_told_on": decided_on.isoformat(), "decided_by": COORDINATOR, "records_secured_on": decided_on.isoformat(),
              "no_review_reasons": "Partners found no domestic abuse in the relationship."}
    assert answer(view.submit(values)) == ("closed", None)


# ---------------------------------------------------------------- a review the Home Office directs

def test_a_directed_review_gets_deadlines_from_the_day_the_direction_arrived(driver, general):
    notified, refused = today() - timedelta(days=40), today() - timedelta(days=30)
    reference, space_id = create_review(driver, COORDINATOR, general, notified_on=notified.isoformat())
    decide_no_review(driver, space_id, refused)

    early = {"reply": "review_directed", "reply_on": (refused - timedelta(days=1)).isoformat()}
    kind, errors = step(driver, COORDINATOR, space_id, "home_office_reply", early)
    assert kind == "errors" and "can't be before" in errors["reply_on"], errors
    assert review_row(driver, reference).stage == "not_commissioned"

    received = today() - timedelta(days=3)
    assert step(driver, COORDINATOR, space_id, "home_office_reply",
                {"reply": "review_directed", "reply_on": received.isoformat()}) == ("closed", None)
    assert review_row(driver, reference).stage == "setup"
    tor_due, report_due = add_months(received, 1), add_months(received, 6)
    wait(lambda: "Overview report to the Home Office" in card_text(driver, reference), what="the directed clock")
    card = card_text(driver, reference)
    assert "Terms of reference agreed" in card and show(tor_due) in card and show(report_due) in card
    assert "The Home Office directed a review" in card

    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(tor_due))
    new = wait(lambda: [m for m in driver.dms(COORDINATOR)[before:]
                        if "Terms of reference agreed" in m.text], what="the ToR reminder")
    assert reference in new[0].text


# ---------------------------------------------------------------- the Domestic Abuse Commissioner's copy

def review_in_evidence(driver, general, notified):
    reference, space_id = create_review(driver, COORDINATOR, general, notified_on=notified.isoformat())
    decide(driver, space_id)
    join(driver, space_id, CHAIR, "chair", by=COORDINATOR)
    agree_terms(driver, space_id, reference)
    return reference, space_id


def dms_saying(driver, user, words, since) -> list:
    return [m for m in driver.dms(user)[since:] if words in m.text]


def test_the_commissioners_copy_goes_from_completion_is_reminded_and_never_holds_monitoring(driver, general):
    reference, space_id = review_in_evidence(driver, general, today() - timedelta(days=20))
    day = lambda n: (today() - timedelta(days=n)).isoformat()  # noqa: E731
    assert step(driver, COORDINATOR, space_id, "start_drafting", {}) == ("closed", None)
    assert step(driver, COORDINATOR, space_id, "send_for_sign_off",
                {"drafted": ["overview_report", "executive_summary", "action_plan"],
                 "family_shared_on": day(5)}) == ("closed", None)
    assert step(driver, COORDINATOR, space_id, "panel_sign_off", {"signed_on": day(3)}) == ("closed", None)
    kind, text = step(driver, COORDINATOR, space_id, "dac_copy", {"sent_on": day(3)})
    assert kind == "refused" and "when the CSP signs it off" in text, text
    assert step(driver, COORDINATOR, space_id, "csp_sign_off", {"signed_on": day(2)}) == ("closed", None)
    kind, errors = step(driver, COORDINATOR, space_id, "dac_copy", {"sent_on": day(3)})
    assert kind == "errors" and "the CSP signed it off" in errors["sent_on"], errors

    for key, values in (("submit", submission(day(1))),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": day(0)}),
                        ("publish", {"published_on": day(0), "published_where": "CSP website", "published": ALL_PUBLISHED,
                                     "family_not_told_reason": "The family asked not to be contacted."}),
                        ("start_monitoring", {})):
        assert step(driver, COORDINATOR, space_id, key, values) == ("closed", None), key
    assert review_row(driver, reference).stage == "monitoring"

    due = ENG.add_working_days(today() - timedelta(days=2), SEND_WITHIN)
    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(due))
    (reminder,) = wait(lambda: dms_saying(driver, COORDINATOR, "Domestic Abuse Commissioner", before),
                       what="the Commissioner's copy reminder")
    assert reference in reminder.text + reminder.text

    assert step(driver, COORDINATOR, space_id, "dac_copy", {"sent_on": day(0)}) == ("closed", None)
    kind, text = step(driver, COORDINATOR, space_id, "dac_copy", {"sent_on": day(0)})
    assert kind == "refused" and "already recorded" in text
    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(ENG.add_working_days(due, 5)))
    assert not dms_saying(driver, COORDINATOR, "Domestic Abuse Commissioner", before)


# ---------------------------------------------------------------- old buttons and settled facts

def request_items(driver, space_id, agency, items):
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "request", space=space_id))
    values = {"agencies": [option(view, "agencies", agency)], "items": list(items)}
    assert view.submit(values).kind != "failed"


def request_dm(driver, user, reference):
    return wait(lambda: next((m for m in reversed(driver.dms(user))
                              if reference in m.preview and m.has_button("dhr.evidence.open_scoping")), None),
                what="the request DM")


def message(driver, user, dm):
    return driver.reread(dm)


def old_request(driver, bot, user, item):
    """A copy of a request DM from before it was re-drawn, posted straight into the fake Slack."""
    bot.fake.ws.post_as_bot(bot.fake.ws.im_for(driver.person(user)), text="Evidence requested", blocks=[{
        "type": "section", "block_id": f"item-{item}", "text": {"type": "mrkdwn", "text": "• *Scoping answer*"},
        "accessory": {"type": "button", "action_id": "dhr.evidence.open_scoping", "value": str(item),
                      "text": {"type": "plain_text", "text": "Answer"}}}])
    return driver.dms(user)[-1]


def press_answer(driver, user, dm):
    return modal(driver, user, lambda: driver.press(user, dm, "dhr.evidence.open_scoping"))


def mark(driver, space_id, item_id, status):
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "evidence mark", space=space_id))
    assert answer(view.submit({"item": str(item_id), "status": status}))[0] == "notice"


def item_id(driver, reference, agency, kind) -> int:
    with driver.db.session() as s:
        return s.exec(select(EvidenceItem.id).join(Agency, Agency.id == EvidenceItem.agency_id).where(
            EvidenceItem.review_id == review_row(driver, reference).id, Agency.name == agency,
            EvidenceItem.kind == kind)).one()


def scoping_answers(driver, reference) -> list[tuple]:
    """(agency id, answered by, whether a revision reason is stored) of the review's scoping answers, oldest
    first. Raw SQL: the reason is encrypted, and the column is newer than some installed models."""
    with driver.db.session() as s:
        return [tuple(row) for row in s.execute(text(
            "SELECT agency_id, answered_by, revision_reason IS NOT NULL FROM scopinganswer "
            "WHERE review_id = :r ORDER BY id"), {"r": review_row(driver, reference).id})]


@pytest.mark.slack_only    # posts a copy of an old request DM straight into the fake Slack
def test_an_old_answer_button_shows_the_recorded_answer_and_only_an_audited_revise_changes_it(driver, bot, general):
    reference, space_id = review_in_evidence(driver, general, today() - timedelta(days=20))
    join(driver, space_id, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    join(driver, space_id, HEALTH, "agency_lead", "Northshire NHS Trust", by=COORDINATOR)
    request_items(driver, space_id, "Northshire Police", ["scoping", "imr"])
    police_dm = request_dm(driver, POLICE, reference)
    form = press_answer(driver, POLICE, police_dm)
    assert form.key == "dhr.scoping"
    assert answer(form.submit({"victim": "yes", "perpetrator": "yes",
                                                          "children": "no"}))[0] == "notice"
    redrawn = wait(lambda: not message(driver, POLICE, police_dm).has_button("dhr.evidence.open_scoping")
                   and message(driver, POLICE, police_dm), what="the request DM re-drawn")
    assert "submitted" in redrawn.text and redrawn.has_button("dhr.evidence.open_imr")
    imr = item_id(driver, reference, "Northshire Police", "imr")
    mark(driver, space_id, imr, "submitted")
    mark(driver, space_id, imr, "accepted")

    # A form opened before its item settled, submitted after, changes nothing.
    request_items(driver, space_id, "Northshire NHS Trust", ["scoping"])
    health_dm = request_dm(driver, HEALTH, reference)
    stale = press_answer(driver, HEALTH, health_dm)
    mark(driver, space_id, item_id(driver, reference, "Northshire NHS Trust", "scoping"), "submitted")
    kind, text = answer(stale.submit({"victim": "no", "perpetrator": "no",
                                                                 "children": "no"}))
    assert kind == "notice" and "already recorded" in text and "changed nothing" in text, text
    assert [a[0] for a in scoping_answers(driver, reference)].count(agency_id(driver, "Northshire NHS Trust")) == 0

    to_monitoring(driver, reference, space_id)
    shown = press_answer(driver, HEALTH, health_dm)      # the old DM, still with its button, months later
    assert shown.key != "dhr.scoping" and "already recorded (submitted)" in shown.text
    # A copy of the police request from before it was re-drawn (say Slack failed to update it).
    old = old_request(driver, bot, POLICE, item_id(driver, reference, "Northshire Police", "scoping"))
    shown = press_answer(driver, POLICE, old)
    assert "already recorded" in shown.text and "contact with the victim yes" in shown.text
    revise = modal(driver, POLICE, lambda: shown.press("dhr.evidence.revise_scoping"))
    no_contact = {"victim": "no", "perpetrator": "no", "children": "no"}
    kind, errors = answer(revise.submit({**no_contact, "reason": "   "}))
    assert kind == "errors" and "reason" in errors
    kind, _ = answer(revise.submit({**no_contact, "reason": "Wrong force area checked."}))
    assert kind == "notice"
    wait_post(driver, space_id, "revised Northshire Police's scoping answer")
    assert "Why: Wrong force area checked." in posts(driver, space_id)
    assert scoping_answers(driver, reference)[-1][1:] == (driver.person(POLICE), True)
    with driver.db.session() as s:
        assert s.get(EvidenceItem, imr).status == "accepted"      # the settled IMR stays accepted
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "scoping.revised",
                                               AuditEntry.actor == driver.person(POLICE))).first()


def test_an_old_drafts_declarations_button_is_refused_once_a_later_version_is_submitted(driver):
    general = driver.add_space("general-imr-old", [COORDINATOR, CHAIR, POLICE, HEALTH, AUTHOR])
    reference, channel = ready_review(driver, general)
    first = upload_imr(driver, AUTHOR, complete_imr())
    second = upload_imr(driver, AUTHOR, complete_imr())
    assert "IMR version 2" in text_of(second)
    driver.press(AUTHOR, second, "dhr.imr.open_declare")
    form = open_view(driver, AUTHOR, "dhr.imr.declare")
    assert answer(form.submit({"declarations": ["not_involved", "not_line_manager"],
                                                          "senior_manager": "A. Senior",
                                                          "feedback_held": "no"})) == ("closed", None)
    old = modal(driver, AUTHOR, lambda: driver.press(AUTHOR, first, "dhr.imr.open_declare"))
    assert old.key != "dhr.imr.declare"
    assert "Version 2 of this IMR is already submitted" in old.text
    assert [(v.version, v.status) for v in versions(driver, reference)] == [(1, "draft"), (2, "submitted")]


@pytest.mark.slack_only    # a second server with the other name and basis (the settings are the same on Teams)
def test_a_csp_that_says_dardr_under_the_2024_act_sees_that_name_and_wording(bot, general, tmp_path):
    url = f"sqlite:///{tmp_path / 'dardr.db'}"
    proc, bot_url = start_bot(bot.fake, url, tmp_path / "dardr.log",
                              extra_env={"DHR_REVIEW_NAME": "dardr", "DHR_STATUTORY_BASIS": "2024"})
    other = Bot(bot_url, bot.fake, SlackPlatform(bot.fake, bot_url=f"{bot_url}/slack/events", signing_secret=SECRET,
                                                 team_id=TEAM), Database(url), tmp_path / "dardr.log", proc)
    try:
        form = start_new_review(other, S_COORDINATOR, general)
        assert "this Domestic Abuse Related Death Review" in form.text
        refused = form.submit(new_review_values("DHR-2026-950", victim_age="15"))
        assert "a DARDR reviews the death of a person aged 16 or over" in refused.errors["victim_age"]
        reference, space = create_review(other, S_COORDINATOR, general, reference="DHR-2026-951")
        driver_of(other).command(S_COORDINATOR, "decide", space=space)
        decision = open_view(other, S_COORDINATOR, "dhr.decide")
        assert "personally connected to them" in decision.text and "Victims and Prisoners Act 2024" in decision.text
        assert "intimate personal relationship" not in decision.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        other.db.engine.dispose()
