"""What the statutory guidance and the 2004 Act ask of the clock and the copies, end to end through
Slack's signed request path against the fake Slack."""
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.workflow.clock.timescales import add_months
from bot.workflow.report.commissioner import SEND_WITHIN
from storage.evidence import EvidenceItem
from storage.models import AuditEntry
from storage.panel import Agency
from tests.e2e.chronology_steps import ready_review, text_of
from tests.e2e.journey import block_text, create_review, open_view, show, today, wait
from tests.e2e.panel_steps import join, option_value, set_agencies
from tests.e2e.report_steps import agree_terms, answer, decide, modal, option, posts, review_row, step, wait_post
from tests.e2e.server import AUTHOR, CHAIR, COORDINATOR, HEALTH, POLICE
from tests.e2e.test_imr import complete_imr, upload_imr, versions
from tests.e2e.test_report_and_plan import agency_id, to_monitoring
from tests.e2e.test_timeline import ENG, card_text, on_the_day, sweep

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(bot):
    general = bot.fake.add_channel("general-statutory", members=[COORDINATOR, CHAIR, POLICE, HEALTH]).id
    set_agencies(bot, COORDINATOR, general, ["Northshire Police", "Northshire NHS Trust"])
    return general


def decide_no_review(bot, space_id, decided_on):
    bot.slack.command(COORDINATOR, space_id, text="decide")
    view = open_view(bot, COORDINATOR, "dhr.decide")
    values = {"outcome": "no_review", "decided_on": decided_on.isoformat(),
              "agencies_consulted": [option_value(view, "agencies_consulted", "Northshire Police")],
              "home_office_told_on": decided_on.isoformat(),
              "no_review_reasons": "Partners found no domestic abuse in the relationship."}
    assert answer(bot.slack.submit_view(COORDINATOR, view.id, values)) == ("closed", None)


# ---------------------------------------------------------------- a review the Home Office directs

def test_a_directed_review_gets_deadlines_from_the_day_the_direction_arrived(bot, general):
    notified, refused = today() - timedelta(days=40), today() - timedelta(days=30)
    reference, space_id = create_review(bot, COORDINATOR, general, notified_on=notified.isoformat())
    decide_no_review(bot, space_id, refused)

    early = {"reply": "review_directed", "reply_on": (refused - timedelta(days=1)).isoformat()}
    kind, errors = step(bot, COORDINATOR, space_id, "home_office_reply", early)
    assert kind == "errors" and "can't be before" in errors["reply_on"], errors
    assert review_row(bot, reference).stage == "not_commissioned"

    received = today() - timedelta(days=3)
    assert step(bot, COORDINATOR, space_id, "home_office_reply",
                {"reply": "review_directed", "reply_on": received.isoformat()}) == ("closed", None)
    assert review_row(bot, reference).stage == "setup"
    tor_due, report_due = add_months(received, 1), add_months(received, 6)
    wait(lambda: "Overview report to the Home Office" in card_text(bot, reference), what="the directed clock")
    card = card_text(bot, reference)
    assert "Terms of reference agreed" in card and show(tor_due) in card and show(report_due) in card
    assert "The Home Office directed a review" in card

    before = len(bot.fake.dm_messages(COORDINATOR))
    sweep(bot, on_the_day(tor_due))
    new = wait(lambda: [m for m in bot.fake.dm_messages(COORDINATOR)[before:]
                        if "Terms of reference agreed" in (m.text or "") + str(m.blocks)], what="the ToR reminder")
    assert reference in new[0].text + str(new[0].blocks)


# ---------------------------------------------------------------- the Domestic Abuse Commissioner's copy

def review_in_evidence(bot, general, notified):
    reference, space_id = create_review(bot, COORDINATOR, general, notified_on=notified.isoformat())
    decide(bot, space_id)
    join(bot, space_id, CHAIR, "chair", by=COORDINATOR)
    agree_terms(bot, space_id, reference)
    return reference, space_id


def dms_saying(bot, user, words, since) -> list:
    return [m for m in bot.fake.dm_messages(user)[since:] if words in (m.text or "") + block_text(m.blocks or [])]


def test_the_commissioners_copy_goes_from_completion_is_reminded_and_never_holds_monitoring(bot, general):
    reference, space_id = review_in_evidence(bot, general, today() - timedelta(days=20))
    day = lambda n: (today() - timedelta(days=n)).isoformat()  # noqa: E731
    assert step(bot, COORDINATOR, space_id, "start_drafting", {}) == ("closed", None)
    assert step(bot, COORDINATOR, space_id, "send_for_sign_off",
                {"drafted": ["overview_report", "executive_summary", "action_plan"],
                 "family_shared_on": day(5)}) == ("closed", None)
    assert step(bot, COORDINATOR, space_id, "panel_sign_off", {"signed_on": day(3)}) == ("closed", None)
    kind, text = step(bot, COORDINATOR, space_id, "dac_copy", {"sent_on": day(3)})
    assert kind == "refused" and "when the CSP signs it off" in text, text
    assert step(bot, COORDINATOR, space_id, "csp_sign_off", {"signed_on": day(2)}) == ("closed", None)
    kind, errors = step(bot, COORDINATOR, space_id, "dac_copy", {"sent_on": day(3)})
    assert kind == "errors" and "the CSP signed it off" in errors["sent_on"], errors

    for key, values in (("submit", {"submitted_on": day(1)}),
                        ("qa_outcome", {"outcome": "publish_once_amended", "letter_on": day(0)}),
                        ("publish", {"published_on": day(0), "published_where": "CSP website",
                                     "family_not_told_reason": "The family asked not to be contacted."}),
                        ("start_monitoring", {})):
        assert step(bot, COORDINATOR, space_id, key, values) == ("closed", None), key
    assert review_row(bot, reference).stage == "monitoring"

    due = ENG.add_working_days(today() - timedelta(days=2), SEND_WITHIN)
    before = len(bot.fake.dm_messages(COORDINATOR))
    sweep(bot, on_the_day(due))
    (reminder,) = wait(lambda: dms_saying(bot, COORDINATOR, "Domestic Abuse Commissioner", before),
                       what="the Commissioner's copy reminder")
    assert reference in reminder.text + block_text(reminder.blocks or [])

    assert step(bot, COORDINATOR, space_id, "dac_copy", {"sent_on": day(0)}) == ("closed", None)
    kind, text = step(bot, COORDINATOR, space_id, "dac_copy", {"sent_on": day(0)})
    assert kind == "refused" and "already recorded" in text
    before = len(bot.fake.dm_messages(COORDINATOR))
    sweep(bot, on_the_day(ENG.add_working_days(due, 5)))
    assert not dms_saying(bot, COORDINATOR, "Domestic Abuse Commissioner", before)


# ---------------------------------------------------------------- old buttons and settled facts

def request_items(bot, space_id, agency, items):
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, space_id, text="request"))
    values = {"agencies": [option(view, "agencies", agency)], "items": list(items)}
    assert bot.slack.submit_view(COORDINATOR, view.id, values).status == 200


def request_dm(bot, user, reference):
    return wait(lambda: next((m for m in reversed(bot.fake.dm_messages(user))
                              if reference in (m.text or "") and "dhr.evidence.open_scoping" in str(m.blocks)), None),
                what="the request DM")


def message(bot, user, dm):
    return next(m for m in bot.fake.dm_messages(user) if m.ts == dm.ts)


def old_request(bot, user, item):
    return bot.fake.ws.post_as_bot(bot.fake.ws.im_for(user), text="Evidence requested", blocks=[{
        "type": "section", "block_id": f"item-{item}", "text": {"type": "mrkdwn", "text": "• *Scoping answer*"},
        "accessory": {"type": "button", "action_id": "dhr.evidence.open_scoping", "value": str(item),
                      "text": {"type": "plain_text", "text": "Answer"}}}])


def press_answer(bot, user, dm):
    return modal(bot, user, lambda: bot.slack.click(user, "dhr.evidence.open_scoping", message=(dm.channel, dm.ts)))


def mark(bot, space_id, item_id, status):
    view = modal(bot, COORDINATOR, lambda: bot.slack.command(COORDINATOR, space_id, text="evidence mark"))
    assert answer(bot.slack.submit_view(COORDINATOR, view.id, {"item": str(item_id), "status": status}))[0] == "notice"


def item_id(bot, reference, agency, kind) -> int:
    with bot.db.session() as s:
        return s.exec(select(EvidenceItem.id).join(Agency, Agency.id == EvidenceItem.agency_id).where(
            EvidenceItem.review_id == review_row(bot, reference).id, Agency.name == agency,
            EvidenceItem.kind == kind)).one()


def scoping_answers(bot, reference) -> list[tuple]:
    """(agency id, answered by, whether a revision reason is stored) of the review's scoping answers, oldest
    first. Raw SQL: the reason is encrypted, and the column is newer than some installed models."""
    with bot.db.session() as s:
        return [tuple(row) for row in s.execute(text(
            "SELECT agency_id, answered_by, revision_reason IS NOT NULL FROM scopinganswer "
            "WHERE review_id = :r ORDER BY id"), {"r": review_row(bot, reference).id})]


def test_an_old_answer_button_shows_the_recorded_answer_and_only_an_audited_revise_changes_it(bot, general):
    reference, space_id = review_in_evidence(bot, general, today() - timedelta(days=20))
    join(bot, space_id, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    join(bot, space_id, HEALTH, "agency_lead", "Northshire NHS Trust", by=COORDINATOR)
    request_items(bot, space_id, "Northshire Police", ["scoping", "imr"])
    police_dm = request_dm(bot, POLICE, reference)
    form = press_answer(bot, POLICE, police_dm)
    assert form.callback_id == "dhr.scoping"
    assert answer(bot.slack.submit_view(POLICE, form.id, {"victim": "yes", "perpetrator": "yes",
                                                          "children": "no"}))[0] == "notice"
    redrawn = wait(lambda: "dhr.evidence.open_scoping" not in str(message(bot, POLICE, police_dm).blocks)
                   and message(bot, POLICE, police_dm), what="the request DM re-drawn")
    assert "submitted" in block_text(redrawn.blocks) and "dhr.evidence.open_imr" in str(redrawn.blocks)
    imr = item_id(bot, reference, "Northshire Police", "imr")
    mark(bot, space_id, imr, "submitted")
    mark(bot, space_id, imr, "accepted")

    # A form opened before its item settled, submitted after, changes nothing.
    request_items(bot, space_id, "Northshire NHS Trust", ["scoping"])
    health_dm = request_dm(bot, HEALTH, reference)
    stale = press_answer(bot, HEALTH, health_dm)
    mark(bot, space_id, item_id(bot, reference, "Northshire NHS Trust", "scoping"), "submitted")
    kind, text = answer(bot.slack.submit_view(HEALTH, stale.id, {"victim": "no", "perpetrator": "no",
                                                                 "children": "no"}))
    assert kind == "notice" and "already recorded" in text and "changed nothing" in text, text
    assert [a[0] for a in scoping_answers(bot, reference)].count(agency_id(bot, "Northshire NHS Trust")) == 0

    to_monitoring(bot, reference, space_id)
    shown = press_answer(bot, HEALTH, health_dm)      # the old DM, still with its button, months later
    assert shown.callback_id != "dhr.scoping" and "already recorded (submitted)" in block_text(shown.blocks)
    # A copy of the police request from before it was re-drawn (say Slack failed to update it).
    old = old_request(bot, POLICE, item_id(bot, reference, "Northshire Police", "scoping"))
    shown = press_answer(bot, POLICE, old)
    assert "already recorded" in block_text(shown.blocks) and "contact with the victim yes" in block_text(shown.blocks)
    revise = modal(bot, POLICE, lambda: bot.slack.click(POLICE, "dhr.evidence.revise_scoping", view_id=shown.id))
    no_contact = {"victim": "no", "perpetrator": "no", "children": "no"}
    kind, errors = answer(bot.slack.submit_view(POLICE, revise.id, {**no_contact, "reason": "   "}))
    assert kind == "errors" and "reason" in errors
    kind, _ = answer(bot.slack.submit_view(POLICE, revise.id, {**no_contact, "reason": "Wrong force area checked."}))
    assert kind == "notice"
    wait_post(bot, space_id, "revised Northshire Police's scoping answer")
    assert "Why: Wrong force area checked." in posts(bot, space_id)
    assert scoping_answers(bot, reference)[-1][1:] == (POLICE, True)
    with bot.db.session() as s:
        assert s.get(EvidenceItem, imr).status == "accepted"      # the settled IMR stays accepted
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "scoping.revised",
                                               AuditEntry.actor == POLICE)).first()


def test_an_old_drafts_declarations_button_is_refused_once_a_later_version_is_submitted(bot):
    general = bot.fake.add_channel("general-imr-old", members=[COORDINATOR, CHAIR, POLICE, HEALTH, AUTHOR]).id
    reference, channel = ready_review(bot, general)
    first = upload_imr(bot, AUTHOR, complete_imr())
    second = upload_imr(bot, AUTHOR, complete_imr())
    assert "IMR version 2" in text_of(second)
    bot.slack.click(AUTHOR, "dhr.imr.open_declare", message=(second.channel, second.ts))
    form = open_view(bot, AUTHOR, "dhr.imr.declare")
    assert answer(bot.slack.submit_view(AUTHOR, form.id, {"declarations": ["not_involved", "not_line_manager"],
                                                          "senior_manager": "A. Senior",
                                                          "feedback_held": "no"})) == ("closed", None)
    old = modal(bot, AUTHOR, lambda: bot.slack.click(AUTHOR, "dhr.imr.open_declare",
                                                      message=(first.channel, first.ts)))
    assert old.callback_id != "dhr.imr.declare"
    assert "Version 2 of this IMR is already submitted" in block_text(old.blocks)
    assert [(v.version, v.status) for v in versions(bot, reference)] == [(1, "draft"), (2, "submitted")]
