"""The "My work" card on Microsoft Teams (Slack's Home tab), through Teams' real request path against the
fake Teams: `home` posts it in the person's 1:1 chat; a change to their work redraws that same message
in place (the same activity id, new content), and only for people on the review changed; typing `home`
again posts a fresh card and the old one says it is out of date; with hundreds of items each list is
paged with Previous / Show more on the same card, every version inside Teams' message size."""
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from handlers.teams.platform.directory import TEAMS
from storage.addresses import HomeCard
from storage.report import PlanAction
from tests.e2e.bulk import seed_portfolio
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE
from tests.e2e.driver.teams import TeamsDriver
from tests.e2e.journey import create_review, today, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.report_steps import agree_terms, decide, dm_with, modal, option

pytestmark = pytest.mark.e2e
POLICE_AGENCY = "Northshire Police"
TEAMS_MESSAGE_BYTES = 28_000     # Teams refuses an activity over about 28 KB


@pytest.fixture(scope="module")
def teams(teams_bot):
    return TeamsDriver(teams_bot)


@pytest.fixture(scope="module")
def general(teams):
    general = teams.add_space("general-home", [COORDINATOR, CHAIR, POLICE, HEALTH, OUTSIDER, OBSERVER])
    set_agencies(teams, COORDINATOR, general, [POLICE_AGENCY, "Northshire NHS Trust"])
    return general


def versions(teams, seen) -> int:
    return len(teams.reread(seen).raw.versions)


def sent_size(seen) -> int:
    return len(json.dumps(seen.raw.activity))


def portfolio(seen) -> str:
    """The coordinator's list of reviews on the card (not the list of their reviews at its top)."""
    return seen.text.split("Reviews you coordinate", 1)[1]


def test_the_card_is_redrawn_in_place_when_the_persons_work_changes(teams, general):
    reference, space = create_review(teams, COORDINATOR, general)
    decide(teams, space)
    join(teams, space, CHAIR, "chair", by=COORDINATOR)
    join(teams, space, POLICE, "agency_lead", POLICE_AGENCY, by=COORDINATOR)
    agree_terms(teams, space, reference)
    card = teams.home(POLICE)
    assert "*Actions you own*: none open." in card.text and reference in card.text
    outsider = teams.home(OUTSIDER)

    # The coordinator gives the police lead an action: their card changes where it is.
    form = modal(teams, COORDINATOR, lambda: teams.command(COORDINATOR, "recommend", space=space))
    form.submit({"text": "Police and health should share DASH risk assessments.", "scope": "local",
                 "source": "overview"})
    form = modal(teams, COORDINATOR, lambda: teams.command(COORDINATOR, "action", space=space))
    values = {"recommendation": option(form, "recommendation", "1."),
              "action": "Deliver DASH refresher training to every front-desk officer",
              "lead_agency": option(form, "lead_agency", POLICE_AGENCY), "owner": POLICE,
              "outcome_measure": "95% of officers trained, shown by training records",
              "target_on": (today() + timedelta(days=90)).isoformat(), "milestones": "Course booked"}
    assert form.submit(values).pair() == ("closed", None)
    dm_with(teams, POLICE, "is yours")
    after = wait(lambda: (now := teams.home_now(POLICE)) and "action 1.1" in now.text and now, what="the redraw")
    assert after.ref == card.ref and versions(teams, after) > 1     # the same message, drawn again
    assert "*Actions you own* (1)" in after.text and after.has_button("Mark complete")
    assert [m.ref for m in teams.messages(teams.dm(POLICE)) if "Actions you own" in m.text] == [card.ref]
    # Someone on no panel of this review: their card was not touched.
    assert versions(teams, outsider) == 1 and reference not in teams.reread(outsider).text

    # From the card, the owner marks it complete: the card says so, the coordinator's lists it to verify.
    coordinator = teams.home(COORDINATOR)
    with teams.db.session() as s:
        action_id = s.exec(select(PlanAction.id).where(PlanAction.owner_user == teams.person(POLICE))).one()
    done = modal(teams, POLICE, lambda: teams.press(POLICE, after, "dhr.action_complete", value=str(action_id)))
    assert done.submit({"completed_on": today().isoformat(), "evidence": "Training records."}).pair() \
        == ("closed", None)
    wait(lambda: "completed, awaiting verification" in teams.home_now(POLICE).text, what="the owner's card")
    mine = wait(lambda: (now := teams.home_now(COORDINATOR)) and "Verifications due" in now.text and now,
                what="the coordinator's card")
    assert mine.ref == coordinator.ref
    # ...and verifies it from there: the review's chat is told, the card no longer lists it.
    verified = teams.home_after(COORDINATOR, lambda: teams.press(COORDINATOR, mine, "dhr.action_verify",
                                                                value=str(action_id)))
    wait(lambda: "Verifications due" not in teams.home_now(COORDINATOR).text, what="verified")
    assert verified.ref == coordinator.ref
    assert any("was completed and verified by" in m.text for m in teams.messages(space))


def test_typing_home_again_posts_a_fresh_card_and_the_old_one_says_so(teams, general):
    old = teams.home(HEALTH)
    new = teams.home(HEALTH)
    assert new.ref != old.ref
    stale = teams.reread(old)
    assert "out of date" in stale.text and not stale.buttons
    with teams.db.session() as s:
        rows = s.exec(select(HomeCard).where(HomeCard.user_id == teams.person(HEALTH).lower())).all()
    assert [r.activity_id for r in rows] == [new.ref]
    # "my work" is the same command
    again = teams.home_after(HEALTH, lambda: teams.command(HEALTH, "my work"))
    assert again.ref not in (old.ref, new.ref) and "My work" in again.text


def test_hundreds_of_items_are_paged_on_the_same_card_within_teams_message_size(teams, general):
    coordinator, owner = teams.add_person("bulk.coordinator"), teams.add_person("bulk.owner")
    seed_portfolio(teams.db, coordinator.lower(), owner.lower(), reviews=60, actions=500,
                   tenant=teams.fake.tenant_id.lower(), platform=TEAMS)
    first = teams.home(coordinator)
    assert "Reviews you coordinate (60)" in first.text and sent_size(first) < TEAMS_MESSAGE_BYTES
    assert "BULK-000" in portfolio(first) and "BULK-010" not in portfolio(first) and "more than fits" not in first.text
    page2 = teams.home_after(coordinator, lambda: teams.press(coordinator, first, "dhr.home_page",
                                                              value="portfolio:1"))
    assert page2.ref == first.ref and "BULK-010" in portfolio(page2) and "BULK-000" not in portfolio(page2)
    assert page2.has_button("Previous") and sent_size(page2) < TEAMS_MESSAGE_BYTES
    back = teams.home_after(coordinator, lambda: teams.press(coordinator, page2, "dhr.home_page_back",
                                                             value="portfolio:0"))
    assert back.ref == first.ref and "BULK-000" in portfolio(back) and not back.has_button("Previous")

    mine = teams.home(owner)
    assert "*Actions you own* (500)" in mine.text and sent_size(mine) < TEAMS_MESSAGE_BYTES
    shown = [line for line in mine.text.splitlines() if ": action " in line]
    later = teams.home_after(owner, lambda: teams.press(owner, mine, "dhr.home_page", value="actions:1"))
    assert later.ref == mine.ref and sent_size(later) < TEAMS_MESSAGE_BYTES
    assert [line for line in later.text.splitlines() if ": action " in line] != shown
    # A page past the end (a tampered value) shows the last one; a list the card does not have is refused
    # and changes nothing.
    last = teams.home_after(owner, lambda: teams.press(owner, later, "dhr.home_page", forged_value="actions:999"))
    assert "(0 more)" not in last.text and last.has_button("Previous")
    assert "Show more" not in "\n".join(b.label for b in last.buttons if b.value and b.value.startswith("actions"))
    drawn = versions(teams, last)
    refused = teams.press(owner, last, "dhr.home_page_back", forged_value="nonsense:1")
    assert "out of date" in refused.text
    assert versions(teams, last) == drawn
