"""Reviews filled with content the way people fill them (retention, backup and restore tests).
Every free text carries a canary word, so a test can look for it anywhere afterwards."""
from sqlmodel import func, select

from storage.report import PlanAction
from tests.e2e.chronology_steps import add_entry
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, POLICE
from tests.e2e.evidence_steps import form
from tests.e2e.family_steps import press
from tests.e2e.journey import create_review, driver_of, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import channel_message_with, decide, modal, review_row, step, wait_post
from tests.e2e.test_report_and_plan import (
    add_action,
    add_recommendation,
    complete,
    completion,
    to_monitoring,
)

POLICE_AGENCY, HEALTH_AGENCY = "Northshire Police", "Northshire NHS Trust"
CANARIES = ("Zephyrine", "Quillonby", "marrowfat")
REAL_NAME = "Ottoline Brackenbury"      # registered on the redaction list: only its digest is stored


def prepare(bot, general) -> None:
    set_agencies(bot, COORDINATOR, general, [POLICE_AGENCY, HEALTH_AGENCY])


def review_with_content(bot, general, tag: str = "") -> tuple[str, str]:
    """A review in evidence gathering with pseudonyms, terms, a chronology entry, a family contact,
    a hold and a redaction term, each carrying a canary."""
    bot = driver_of(bot)
    reference, channel = create_review(bot, COORDINATOR, general, victim_pseudonym=f"Zephyrine{tag}",
                                       perpetrator_pseudonym=f"Quillonby{tag}")
    decide(bot, channel)
    join(bot, channel, CHAIR, "chair", by=COORDINATOR)
    join(bot, channel, POLICE, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    join(bot, channel, HEALTH, "panel_member", HEALTH_AGENCY, by=COORDINATOR)
    _terms(bot, channel, tag)
    assert review_row(bot, reference).stage == "evidence"
    _, result = add_entry(bot, POLICE, channel, {"date": "March 2025", "source": "Custody record",
                                                 "subject": f"Quillonby{tag}", "event": f"marrowfat call{tag}",
                                                 "action": "Released on bail"})
    assert result.kind == "closed", result.pair()
    _family(bot, channel, tag)
    _hold_and_lift(bot, channel, tag)
    _redact(bot, channel)
    return reference, channel


def _terms(bot, channel, tag) -> None:
    view = modal(bot, COORDINATOR, lambda: bot.command(COORDINATOR, "tor", space=channel))
    values = {"scope_from": "2021-01-01", "scope_to": today().isoformat(), "lines": ["coercive_control"],
              "agencies": [view.option("agencies", POLICE_AGENCY)], "agreed_on": today().isoformat(),
              "other_lines": f"marrowfat housing moves{tag}", "pseudonyms": f"Zephyrine{tag}: the victim"}
    kind, text = view.submit(values).pair()
    assert kind == "notice" and "moved on to evidence gathering" in text, text


def _family(bot, channel, tag) -> None:
    view = form(bot, CHAIR, channel, "family")
    contact = press(bot, CHAIR, view, "dhr.family.add")
    values = {"relationship": "mother", "advocacy_offered": "no", "wishes_to_take_part": "yes",
              "relationship_note": "marrowfat cousin"}
    result = contact.submit(values)
    assert result.kind != "errors", result.errors


def _hold_and_lift(bot, channel, tag) -> None:
    bot.command(COORDINATOR, "hold", space=channel)
    bot.form(COORDINATOR, "dhr.hold").submit({"activity": "witness_interviews", "agreed_by": "the CPS",
                                               "agreed_on": today().isoformat(), "until_event": "the trial",
                                               "reason": f"marrowfat trial listed{tag}"})
    wait_post(bot, channel, "recorded a hold")
    bot.command(COORDINATOR, "lift", space=channel)
    bot.form(COORDINATOR, "dhr.lift").submit({})
    wait_post(bot, channel, "lifted the hold")


def _redact(bot, channel) -> None:
    bot.command(COORDINATOR, "redact", space=channel)
    result = bot.form(COORDINATOR, "dhr.redaction").submit({"kind": "name", "term": REAL_NAME})
    assert result.kind != "errors", result.errors


def conclude_with_content(bot, reference, channel) -> None:
    """Drafting to conclusion: a recommendation, a SMART action completed and verified, the plan's
    audit, then `/dhr conclude` (channel renamed and archived)."""
    bot = driver_of(bot)
    to_monitoring(bot, reference, channel)
    assert add_recommendation(bot, channel, text="marrowfat: police and health should share DASH risk "
                                                 "assessments.") == ("closed", None)
    add_action(bot, channel, milestones="marrowfat course booked")
    view = complete(bot, POLICE, channel)
    assert view.submit(completion(evidence="marrowfat training records")).pair() == ("closed", None)
    post = channel_message_with(bot, channel, "marked action 1.1 complete")
    bot.press(CHAIR, post, "dhr.action_verify")
    wait(lambda: _verified(bot, reference), what="the action verified")
    assert step(bot, COORDINATOR, channel, "plan_audit", {
        "audited_on": today().isoformat(), "findings": "marrowfat: all actions evidenced."}) == ("closed", None)
    bot.command(COORDINATOR, "conclude", space=channel)
    wait(lambda: bot.archived(channel), what="the channel archived")


def _verified(bot, reference) -> bool:
    with bot.db.session() as s:
        return s.exec(select(func.count()).select_from(PlanAction).where(
            PlanAction.review_id == review_row(bot, reference).id, PlanAction.status == "verified")).one() == 1

