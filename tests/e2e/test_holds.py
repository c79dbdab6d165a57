"""/dhr hold, /dhr lift and /dhr extend end to end, on Slack and (--platform teams) Teams: a review goes on
during a trial; only the held activity waits; a deadline moves only by a timescale the CSP agreed."""
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.workflow.clock.timescales import add_months
from bot.workflow.clock.workdays import WorkingCalendar
from storage.timeline import ActivityHold, DeadlineExtension
from tests.e2e.chronology_steps import ready_review
from tests.e2e.driver import AUTHOR, CHAIR, COORDINATOR, HEALTH, OUTSIDER, POLICE
from tests.e2e.evidence_steps import AGENCIES, card_text, dms_with, staffed_review
from tests.e2e.journey import open_view, show, today, wait
from tests.e2e.panel_steps import set_agencies
from tests.e2e.report_steps import modal, step
from tests.e2e.test_confidentiality import register
from tests.e2e.test_evidence import request
from tests.e2e.test_imr import complete_imr, imr_cell, upload_imr
from tests.e2e.test_publication import to_amending
from tests.e2e.test_statutory import dms_saying, review_in_evidence
from tests.e2e.test_timeline import errors_shown, last_post, on_the_day, sweep

pytestmark = pytest.mark.e2e
ENG = WorkingCalendar("ENG")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def general(driver):
    space = driver.add_space("general-holds", [COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER])
    set_agencies(driver, COORDINATOR, space, AGENCIES)
    return space


def held(activity="witness_interviews", **over) -> dict:
    values = {"activity": activity, "agreed_by": "SIO, Northshire Police", "agreed_on": today().isoformat(),
              "until_event": "the end of the criminal trial", "reason": "Witnesses give evidence at the trial first"}
    values.update(over)
    return {k: v for k, v in values.items() if v is not None}


def hold_form(driver, space, user=COORDINATOR):
    return modal(driver, user, lambda: driver.command(user, "hold", space=space))


def card_with_lift(driver, space):
    """The summary card once redrawn with its "Lift a hold" button."""
    return wait(lambda: next((c for c in [driver.card(space)] if "Lift a hold" in [b.label for b in c.buttons]), None),
                what="the card's Lift button")


def stored_holds(driver) -> int:
    with driver.db.session() as s:
        return len(s.exec(select(ActivityHold)).all())


def test_a_hold_without_its_agreement_is_refused_by_field_and_nothing_is_stored(driver, general):
    reference, space = staffed_review(driver, general, panel=False)
    before = stored_holds(driver)
    view = hold_form(driver, space)
    assert view.key == "dhr.hold"
    assert "Say who agreed the hold" in errors_shown(view, held(agreed_by=" "))["agreed_by"]
    assert set(errors_shown(view, held(agreed_on=""))) == {"agreed_on"}
    neither = view.submit(held(until_event=" ")).errors
    assert "until when" in neither["until_on"] and "event" in neither["until_event"]
    early = view.submit(held(until_event=None, agreed_on=today().isoformat(),
                             until_on=(today() - timedelta(days=1)).isoformat())).errors
    assert "can't end before" in early["until_on"]
    future = view.submit(held(agreed_on=(today() + timedelta(days=1)).isoformat())).errors
    assert "in the future" in future["agreed_on"]
    assert stored_holds(driver) == before
    assert "Only the review's coordinator or chair can hold an activity" in hold_form(driver, space, POLICE).text


def test_witness_interviews_held_during_a_trial_leave_evidence_requests_and_their_reminders_going(driver, general):
    reference, space = staffed_review(driver, general, panel=False)
    assert hold_form(driver, space).submit(held()).kind != "failed"
    wait(lambda: "recorded a hold" in last_post(driver, space), what="the hold notice")
    card = wait(lambda: "On hold" in card_text(driver, reference) and card_text(driver, reference), what="the card")
    assert "Interviews with witnesses: held, agreed by SIO, Northshire Police" in card
    assert "until the end of the criminal trial" in card and show(add_months(today(), 1)) in card
    due = ENG.add_working_days(today(), 3)
    request(driver, space, agencies=["Northshire Police"], items=("chronology",), due_on=due.isoformat())
    wait(lambda: [m for m in dms_with(driver, POLICE, "asked *Northshire Police*") if reference in m.text],
         what="the request DM")
    before = len(driver.dms(POLICE))
    sweep(driver, datetime(due.year, due.month, due.day, 9, 30, tzinfo=LONDON))
    mine = [m.text for m in driver.dms(POLICE)[before:] if reference in m.text]
    assert len(mine) == 1 and "Chronology from Northshire Police" in mine[0]


def test_an_imr_is_submitted_while_witness_interviews_are_held(driver):
    general = driver.add_space("general-holds-imr", [COORDINATOR, CHAIR, POLICE, HEALTH, AUTHOR])
    reference, space = ready_review(driver, general)
    assert hold_form(driver, space).submit(held()).kind != "failed"
    ready = upload_imr(driver, AUTHOR, complete_imr())
    driver.press(AUTHOR, ready, "dhr.imr.open_declare")
    declared = open_view(driver, AUTHOR, "dhr.imr.declare").submit({
        "declarations": ["not_involved", "not_line_manager"], "senior_manager": "A. Senior, Chief Superintendent",
        "feedback_held": "yes"})
    assert declared.kind == "closed", declared.pair()
    wait(lambda: imr_cell(driver, reference) == "submitted", what="the IMR submitted during the hold")


def test_a_hold_naming_someone_on_the_redaction_list_is_refused_and_not_stored(driver, general):
    reference, space = staffed_review(driver, general, panel=False)
    assert register(driver, COORDINATOR, space, "name", "Ottoline Quarrie").kind == "notice"
    before = stored_holds(driver)
    refused = hold_form(driver, space).submit(held(reason="Ottoline Quarrie gives evidence at the trial"))
    assert "redaction list" in refused.errors["reason"]
    assert stored_holds(driver) == before


def test_one_agencys_evidence_held_stops_only_that_agencys_reminders(driver, general):
    reference, space = staffed_review(driver, general, panel=False)
    due = ENG.add_working_days(today(), 3)
    request(driver, space, agencies=["Northshire Police", "Northshire NHS Trust"], items=("chronology",),
            due_on=due.isoformat())
    wait(lambda: [m for m in dms_with(driver, HEALTH, "asked *Northshire NHS Trust*") if reference in m.text],
         what="the request DM")
    view = hold_form(driver, space)
    police = view.option("agency", "Northshire Police")
    assert view.submit(held("agency_evidence", agency=police, agreed_by="the CPS")).kind != "failed"
    wait(lambda: "Northshire Police's chronology and IMR" in card_text(driver, reference), what="the card")
    # The open deadlines name the hold as the On hold section does: the agency's name and "IMR" keep their capitals.
    assert "held meanwhile: Northshire Police's chronology and IMR" in card_text(driver, reference)
    assert "on hold: Northshire Police's chronology and IMR" in driver.home(COORDINATOR).text
    before = {u: len(driver.dms(u)) for u in (POLICE, HEALTH)}
    sweep(driver, datetime(due.year, due.month, due.day, 9, 45, tzinfo=LONDON))
    assert not [m for m in driver.dms(POLICE)[before[POLICE]:] if reference in m.text]
    assert [m for m in driver.dms(HEALTH)[before[HEALTH]:] if reference in m.text and "Chronology" in m.text]


def test_publication_held_refuses_recording_publication_and_its_reminder_until_lifted(driver, general):
    reference, space = review_in_evidence(driver, general, today() - timedelta(days=30))
    to_amending(driver, space)
    assert hold_form(driver, space).submit(held("publication", agreed_by="the coroner",
                                                until_event="the end of the inquest")).kind != "failed"
    kind, said = step(driver, COORDINATOR, space, "publish", {})
    assert kind == "refused" and "publication of the report is held, agreed by the coroner" in said
    assert "until the end of the inquest" in said
    revisit = today() + timedelta(days=40)       # deferring is what the hold asks for: it goes on
    assert step(driver, COORDINATOR, space, "defer_publication",
                {"reason": "The inquest resumes in the spring.", "revisit_on": revisit.isoformat()}) == ("closed", None)
    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(revisit))
    assert not dms_saying(driver, COORDINATOR, "Deferred publication", before), "no reminder while held"
    lift = modal(driver, COORDINATOR, lambda: driver.press(COORDINATOR, card_with_lift(driver, space),
                                                                 "dhr.open_lift"))
    assert lift.key == "dhr.lift"
    # Slack cuts an option to 75 characters: the hold's end comes before who agreed it, so it is not cut off.
    chosen = lift.option("hold", "Publication of the report, until the end of the inquest", starts=True)
    assert lift.submit({"hold": chosen}).kind != "failed"
    wait(lambda: "lifted the hold on publication of the report" in last_post(driver, space), what="the lift notice")
    sweep(driver, on_the_day(ENG.add_working_days(revisit, 1)))
    wait(lambda: dms_saying(driver, COORDINATOR, "Deferred publication", before), what="the revisit reminder")
    form = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "stage publish", space=space))
    assert form.key == "dhr.stage_step"


def test_a_forged_lift_or_one_from_outside_the_review_changes_nothing(driver, general):
    reference, space = staffed_review(driver, general, panel=False)
    other, other_space = staffed_review(driver, general, panel=False)
    assert hold_form(driver, space).submit(held()).kind != "failed"
    assert hold_form(driver, other_space).submit(held("family_contact")).kind != "failed"
    with driver.db.session() as s:
        theirs = s.exec(select(ActivityHold).where(ActivityHold.activity == "family_contact")
                        .order_by(ActivityHold.id.desc())).first()
    lift = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "lift", space=space))
    mine = lift.option("hold", "Interviews with witnesses", starts=True)
    # this review's hold, sent as if for the other review (the form's hidden review id forged)
    forged = lift.forge({"hold": mine}, metadata=json.dumps({"review_id": theirs.review_id}))
    assert "isn't open" in forged.errors["hold"]
    driver.add_to_space(OUTSIDER, space)
    outsider = modal(driver, OUTSIDER, lambda: driver.press(OUTSIDER, card_with_lift(driver, space),
                                                                 "dhr.open_lift"))
    assert "not a member of this review" in outsider.text
    with driver.db.session() as s:
        assert s.get(ActivityHold, theirs.id).lifted_on is None
        assert s.get(ActivityHold, int(mine)).lifted_on is None


def test_pause_and_resume_point_to_hold_lift_and_extend(driver, general):
    _, space = staffed_review(driver, general, panel=False)
    before = len(driver.replies(COORDINATOR))
    driver.command(COORDINATOR, "pause trial", space=space)
    said = wait(lambda: next((r.preview for r in driver.replies(COORDINATOR)[before:] if "no longer pauses" in
                              r.preview), None), what="the answer to pause")
    assert "hold" in said and "lift" in said and "extend" in said


def test_a_deadline_moves_only_by_a_timescale_agreed_on_a_date(driver, general):
    reference, space = staffed_review(driver, general, panel=False)

    def count() -> int:
        with driver.db.session() as s:
            return len(s.exec(select(DeadlineExtension)).all())
    before = count()
    view = modal(driver, COORDINATOR, lambda: driver.command(COORDINATOR, "extend", space=space))
    new_due = today() + timedelta(days=60)
    values = {"deadline": "decision", "new_due": new_due.isoformat(), "reason": "Police disclosure is late",
              "agreed_by": "the CSP chair"}
    assert set(errors_shown(view, values)) == {"agreed_on"}
    future = view.submit({**values, "agreed_on": (today() + timedelta(days=2)).isoformat()}).errors
    assert "in the future" in future["agreed_on"]
    assert count() == before and show(new_due) not in card_text(driver, reference)
    assert view.submit({**values, "agreed_on": today().isoformat()}).kind != "failed"
    card = wait(lambda: show(new_due) in card_text(driver, reference) and card_text(driver, reference),
                what="the card to show the new date")
    assert f"moved by a timescale agreed by the CSP chair on {show(today())}" in card


def test_who_agreed_a_hold_made_of_invisible_characters_is_refused_and_nothing_is_stored(driver, general):
    """Zero-width spaces read as nothing: the card would say "agreed by  on ..."."""
    reference, space = staffed_review(driver, general, panel=False)
    before = stored_holds(driver)
    view = hold_form(driver, space)
    assert "who agreed the hold" in errors_shown(view, held(agreed_by="\u200b\u200b\u2060"))["agreed_by"]
    assert "reason" in errors_shown(view, held(reason="\u200b \ufeff"))["reason"]
    assert stored_holds(driver) == before


def test_the_reminder_that_a_dated_hold_ends_names_the_agency(driver, general):
    reference, space = staffed_review(driver, general, panel=False)
    view = hold_form(driver, space)
    police = view.option("agency", "Northshire Police")
    ends = ENG.add_working_days(today(), 5)
    assert view.submit(held("agency_evidence", agency=police, until_event=None,
                            until_on=ends.isoformat())).kind != "failed"
    before = len(driver.dms(COORDINATOR))
    sweep(driver, on_the_day(ends))
    said = [m.text for m in dms_saying(driver, COORDINATOR, reference, before)]
    assert any("Hold on Northshire Police's chronology and IMR ends: lift it or agree it again" in t for t in said), said
