"""/dhr new and /dhr decide end to end through the journeys' driver. Tests marked slack_only inject
Slack Web API failures or read Slack's own calls (views.open, conversations.create, pins)."""
import json
from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.workflow.clock.timescales import add_months
from storage.models import AuditEntry, Decision, Membership, Review, StageChange
from tests.e2e.driver import CHAIR, COORDINATOR, OUTSIDER
from tests.e2e.evidence_steps import card_text
from tests.e2e.journey import (
    block_text,
    create_review,
    decision_due,
    driver_of,
    initial_value,
    new_review_values,
    show,
    start_new_review,
    today,
    wait,
)
from tests.e2e.panel_steps import reply_text_since
from tests.e2e.report_steps import home_text
from tests.e2e.server import COORDINATOR as S_COORDINATOR
from tests.e2e.server import OUTSIDER as S_OUTSIDER

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(driver):
    return driver.add_space("general", [COORDINATOR, CHAIR, OUTSIDER])


def count(driver, model, *where) -> int:
    with driver.db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def review_row(driver, reference: str) -> Review:
    with driver.db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).one()


def last_reply(driver, who) -> str:
    replies = driver.replies(who)
    return replies[-1].text if replies else ""


def test_someone_with_no_reviews_is_told_how_to_start(driver, general):
    assert driver.command(OUTSIDER, "", space=general).status == 200
    text = wait(lambda: last_reply(driver, OUTSIDER), what="a reply")
    assert "not part of any review" in text and driver.hint("new") in text


def test_someone_who_is_not_a_csp_admin_is_told_whom_to_ask(driver, general):
    user = driver.add_person("notadmin")
    driver.add_to_space(user, general)
    before = len(driver.replies(user))
    driver.command(user, "", space=general)
    text = reply_text_since(driver, before, what="a reply", user=user)
    for shown in (text, home_text(driver, user)):
        assert driver.hint("new") not in shown, shown
        assert "opened by the CSP admins" in shown and driver.mention(COORDINATOR) in shown, shown
    # and the bot agrees: only CSP admins open one
    assert "Only CSP admins can open a new review" in driver.open_form(user, "new", space=general).text


def test_help_lists_the_commands(driver, general):
    driver.command(OUTSIDER, "help", space=general)
    text = wait(lambda: driver.hint("decide") in last_reply(driver, OUTSIDER) and last_reply(driver, OUTSIDER),
                what="help")
    for command in ("new", "decide", "status"):
        assert driver.hint(command) in text


@pytest.mark.slack_only    # Slack's trigger ids expire in 3 s: a Loading modal first, then views.update
def test_new_opens_loading_then_a_form_with_the_next_free_reference(bot, general):
    bot.fake.reset_calls()
    view = start_new_review(bot, S_COORDINATOR, general)
    opened = bot.fake.calls("views.open")[0].params["view"]
    assert "Loading" in block_text(opened["blocks"])
    assert initial_value(view, "reference").startswith(f"DHR-{today().year}-")
    assert initial_value(view, "notified_on") == today().isoformat()


@pytest.mark.parametrize("overrides, field, words", [
    ({"notified_on": (today() + timedelta(days=1)).isoformat()}, "notified_on", "future"),
    ({"victim_age": "15"}, "victim_age", "outside the statutory definition"),
    ({"victim_pseudonym": "x" * 41}, "victim_pseudonym", "40 characters"),
    ({"victim_pseudonym": "y" * 10_000}, "victim_pseudonym", "40 characters"),
    ({"reference": "Jane Smith 1984"}, "reference", "DHR-2026-03"),
])
def test_bad_input_comes_back_inline_and_stores_nothing(driver, general, overrides, field, words):
    view = start_new_review(driver, COORDINATOR, general)
    reviews_before, spaces_before = count(driver, Review), driver.space_count()
    result = view.submit(new_review_values(view.initial("reference"), **overrides))
    assert result.kind == "errors"
    assert words in result.errors[field]
    assert count(driver, Review) == reviews_before
    assert driver.space_count() == spaces_before


def test_a_reference_already_used_is_refused(driver, general):
    reference, _ = create_review(driver, COORDINATOR, general)
    view = start_new_review(driver, COORDINATOR, general)
    assert "already used" in view.submit(new_review_values(reference)).errors["reference"]


def test_opening_a_review_sets_up_channel_card_and_dm(driver, general):
    reference, space = create_review(driver, COORDINATOR, general, victim_pseudonym="Adult C")
    review = review_row(driver, reference)
    assert review.stage == "notified" and review.setup_state == "complete"
    assert count(driver, AuditEntry, AuditEntry.review_id == review.id, AuditEntry.action == "review.opened") == 1

    assert driver.space_name(space) == reference.lower() and driver.private(space)
    assert driver.person(COORDINATOR) in driver.members(space)

    card = driver.card(space).text     # on Slack: the message pinned in the review's channel
    assert "Notified" in card and "Decision" in card
    assert show(decision_due(today())) in card

    ready = [m for m in driver.dms(COORDINATOR) if driver.link(space) in m.preview]
    assert len(ready) == 1
    assert "Adult" not in ready[0].preview and reference not in ready[0].preview
    assert "Adult C" not in driver.log_text()


@pytest.mark.slack_only    # Slack channel names are unique in a workspace, archived ones too
def test_a_taken_channel_name_gets_a_suffix(bot, general):
    view = start_new_review(bot, S_COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.add_channel(reference.lower(), is_private=True, archived=True)  # archived names stay taken
    bot.slack.submit_view(S_COORDINATOR, view.id, new_review_values(reference))
    wait(lambda: review_row(bot, reference).setup_state == "complete", what="set-up")
    assert review_row(bot, reference).space_name == f"{reference.lower()}-2"


def last_response_text(bot) -> str:
    if not bot.fake.responses():
        return ""
    response = bot.fake.responses()[-1]
    return response.params.get("text", "") + block_text(response.params.get("blocks", []))


@pytest.mark.slack_only    # Slack Web API failures injected during set-up
@pytest.mark.parametrize("method, failure", [
    ("conversations.create", {"error": "restricted_action"}),
    ("conversations.create", {"status": 500, "times": 3}),
    ("conversations.create", {"status": 429, "times": 4, "retry_after": 0}),
    ("pins.add", {"error": "restricted_action"}),
    ("pins.add", {"error": "not_in_channel"}),
    ("chat.postMessage", {"error": "not_in_channel"}),
    ("conversations.invite", {"error": "not_in_channel"}),
    ("conversations.invite", {"error": "user_not_found"}),
])
def test_slack_errors_during_setup_are_explained_and_retry_completes_once(bot, general, method, failure):
    view = start_new_review(bot, S_COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next(method, **failure)
    bot.slack.submit_view(S_COORDINATOR, view.id, new_review_values(reference))
    text = wait(lambda: "not ready" in block_text(bot.fake.views[view.id].blocks)
                and block_text(bot.fake.views[view.id].blocks), what="failure shown")
    assert "Try again" in text
    assert review_row(bot, reference).setup_state == "failed"
    wait(lambda: any("could not be set up" in m.text for m in bot.fake.dm_messages(S_COORDINATOR)), what="DM")

    bot.slack.click(S_COORDINATOR, "dhr.retry_setup", view_id=view.id)
    wait(lambda: review_row(bot, reference).setup_state == "complete", what="retry")
    review = review_row(bot, reference)
    named = [c for c in bot.fake.channels.values() if c.name.startswith(reference.lower())]
    assert len(named) == 1
    cards = [m for m in named[0].messages if m.user == bot.fake.bot_user_id and m.blocks]
    assert len(cards) == 1 and review.card_pinned


@pytest.mark.slack_only    # Slack Web API failures injected during set-up
@pytest.mark.parametrize("method", ["pins.add", "conversations.invite"])
def test_a_bot_outside_its_channel_is_not_reported_ready(bot, general, method):
    view = start_new_review(bot, S_COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next(method, error="not_in_channel")
    told = len([m for m in bot.fake.dm_messages(S_COORDINATOR) if "could not be set up" in m.text])
    bot.slack.submit_view(S_COORDINATOR, view.id, new_review_values(reference))
    text = wait(lambda: _outcome_text(bot, view.id), what="the set-up outcome")
    assert "not ready" in text and "is open in" not in text
    assert "no longer a member" in text and "add the app" in text
    failures = wait(lambda: [m for m in bot.fake.dm_messages(S_COORDINATOR) if "could not be set up" in m.text][told:],
                    what="DM")
    failure = failures[-1]
    assert "no longer a member" in failure.text and "Try again" in block_text(failure.blocks)
    assert review_row(bot, reference).setup_state == "failed"


def _outcome_text(bot, view_id):
    text = block_text(bot.fake.views[view_id].blocks)
    return text if ("is open in" in text or "not ready" in text) else None


@pytest.mark.slack_only    # Slack error codes that mean "already done"
@pytest.mark.parametrize("code", ["already_in_channel", "cant_invite_self"])
def test_an_invite_slack_answers_as_already_done_completes_the_set_up(bot, general, code):
    view = start_new_review(bot, S_COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next("conversations.invite", error=code)
    bot.slack.submit_view(S_COORDINATOR, view.id, new_review_values(reference))
    assert "is open in" in wait(lambda: _outcome_text(bot, view.id), what="the set-up outcome")
    assert review_row(bot, reference).setup_state == "complete"


def failed_setup(bot, user, general) -> str:
    view = start_new_review(bot, user, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next("conversations.create", error="restricted_action")
    bot.slack.submit_view(user, view.id, new_review_values(reference))
    wait(lambda: review_row(bot, reference).setup_state == "failed", what="failure")
    return reference


@pytest.mark.slack_only    # needs a set-up failed by an injected Slack error
def test_a_forged_retry_button_cannot_touch_someone_elses_review(bot, general):
    theirs = failed_setup(bot, S_COORDINATOR, general)
    failed_setup(bot, S_OUTSIDER, general)
    own_button = wait(lambda: [m for m in bot.fake.dm_messages(S_OUTSIDER) if m.blocks], what="DM")[-1]
    creates = len(bot.fake.calls("conversations.create"))
    bot.slack.click(S_OUTSIDER, "dhr.retry_setup", message=(own_button.channel, own_button.ts),
                    forged_value=str(review_row(bot, theirs).id))
    text = wait(lambda: bot.fake.responses() and last_response_text(bot), what="refusal")
    assert "not a member" in text
    assert len(bot.fake.calls("conversations.create")) == creates
    assert review_row(bot, theirs).setup_state == "failed"


@pytest.mark.slack_only    # needs a set-up failed by an injected Slack error
@pytest.mark.parametrize("forged", ["\u00b2", "\u0661"], ids=["superscript two", "Arabic-Indic one"])
def test_a_button_value_in_other_digits_is_refused_in_words(bot, general, forged):
    failed_setup(bot, S_OUTSIDER, general)
    own_button = wait(lambda: [m for m in bot.fake.dm_messages(S_OUTSIDER) if m.blocks], what="DM")[-1]
    before, creates = len(bot.fake.responses()), len(bot.fake.calls("conversations.create"))
    bot.slack.click(S_OUTSIDER, "dhr.retry_setup", message=(own_button.channel, own_button.ts), forged_value=forged)
    wait(lambda: len(bot.fake.responses()) > before, what="refusal")
    texts = [r.params.get("text", "") for r in bot.fake.responses()[before:]]
    assert any("no longer points at a review" in t for t in texts), texts
    assert not any("Something went wrong" in t for t in texts), texts
    assert len(bot.fake.calls("conversations.create")) == creates


def decide_form(driver, user, space):
    return driver_of(driver).open_form(user, "decide", space=space)


def decision_values(**overrides) -> dict:
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted_other": "Police\nNHS trust",
              "concerns": ["marac"], "parallel_processes": ["inquest"], "home_office_told_on": today().isoformat(),
              "decided_by": COORDINATOR, "records_secured_on": today().isoformat()}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def test_decide_review_moves_to_setup_and_shows_the_overview_deadline(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    view = decide_form(driver, COORDINATOR, space)
    assert view.key == "dhr.decide"
    assert view.submit(decision_values()).kind == "closed"
    review = review_row(driver, reference)
    assert review.stage == "setup"
    assert count(driver, StageChange, StageChange.review_id == review.id, StageChange.to_stage == "setup") == 1
    card = wait(lambda: "Overview report" in (text := card_text(driver, reference)) and text, what="card update")
    assert show(add_months(today(), 6)) in card
    assert "Set-up" in card


@pytest.mark.slack_only    # a Slack error injected on the post
def test_a_decision_the_bot_cannot_post_is_explained_not_an_error_id(bot, general):
    reference, space_id = create_review(bot, S_COORDINATOR, general)
    view = decide_form(bot, S_COORDINATOR, space_id)
    told = len(bot.fake.dm_messages(S_COORDINATOR))
    bot.fake.fail_next("chat.postMessage", error="not_in_channel")
    bot.slack.submit_view(S_COORDINATOR, view.id, decision_values(decided_by=S_COORDINATOR))
    dms = wait(lambda: bot.fake.dm_messages(S_COORDINATOR)[told:], what="a DM")
    assert "not a member of that channel" in dms[-1].text and "error id" not in dms[-1].text
    assert review_row(bot, reference).stage == "setup"


def test_the_decision_record_names_who_decided_the_records_secured_the_criteria_and_the_lead_csp(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    view = decide_form(driver, COORDINATOR, space)
    future = (today() + timedelta(days=1)).isoformat()
    refused = view.submit(decision_values(records_secured_on=future, joint_with="Southshire CSP"))
    assert set(refused.errors) == {"records_secured_on", "joint_lead"}, refused.errors
    assert "can't be in the future" in refused.errors["records_secured_on"]
    assert "which CSP leads" in refused.errors["joint_lead"]
    assert review_row(driver, reference).stage == "notified"
    assert view.submit(decision_values(
        criteria=["aged_16", "violence_abuse_neglect"], usual_residence="Northshire",
        lead_csp="Northshire CSP", joint_with="Southshire CSP", joint_lead="this")).kind == "closed"
    with driver_of(driver).db.session() as s:
        made = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert made.records_secured_on == today() and made.criteria == ["aged_16", "violence_abuse_neglect"]
    assert (made.lead_csp, made.joint_with, made.joint_lead) == ("Northshire CSP", "Southshire CSP", "this")
    card = wait(lambda: "Joint review" in (t := card_text(driver, reference)) and t, what="the decision on the card")
    assert "(CSP chair)" in card and f"secure their records {show(today())}" in card
    assert "criteria considered met: 2 of 3" in card and "not met: by a person they were related to" in card
    assert "lead CSP: Northshire CSP" in card and "Joint review with Southshire CSP (this CSP leads)" in card
    assert "Terms of reference agreed (a local target)" in card


def test_decide_no_review_says_the_home_office_reply_is_awaited(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    view = decide_form(driver, COORDINATOR, space)
    assert "no_review_reasons" in view.submit(decision_values(outcome="no_review")).errors
    view.submit(decision_values(outcome="no_review", no_review_reasons="Death from natural causes"))
    assert review_row(driver, reference).stage == "not_commissioned"
    wait(lambda: "Home Office's reply" in card_text(driver, reference), what="card says reply awaited")


def test_a_late_decision_needs_a_reason(driver, general):
    notified = today() - timedelta(days=45)
    reference, space = create_review(driver, COORDINATOR, general, notified_on=notified.isoformat())
    view = decide_form(driver, COORDINATOR, space)
    assert "QA panel" in view.submit(decision_values()).errors["delay_reason"]
    assert review_row(driver, reference).stage == "notified"
    view.submit(decision_values(delay_reason="Police file arrived late"))
    with driver.db.session() as s:
        made = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert made.delay_reason == "Police file arrived late"


def test_someone_outside_the_review_cannot_decide_or_see_status(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    driver.add_to_space(OUTSIDER, space)  # added by a person, not through the bot
    assert "not a member" in decide_form(driver, OUTSIDER, space).text
    before = len(driver.replies(OUTSIDER))
    driver.command(OUTSIDER, "status", space=space)
    text = wait(lambda: len(driver.replies(OUTSIDER)) > before and last_reply(driver, OUTSIDER), what="refusal")
    assert "not a member" in text and reference not in text


@pytest.mark.slack_only("the words name Slack's channel: Teams says the review's own chat")
def test_decide_outside_a_review_channel_says_where_to_go(driver, general):
    assert "review's own channel" in decide_form(driver, COORDINATOR, general).text


def test_a_decision_form_copied_from_another_review_is_refused(driver, general):
    mine, mine_space = create_review(driver, COORDINATOR, general)
    other_ref, _ = create_review(driver, CHAIR, general)  # CHAIR coordinates this one; COORDINATOR is not in it
    view = decide_form(driver, COORDINATOR, mine_space)
    other_id = review_row(driver, other_ref).id
    result = view.forge(decision_values(), metadata=json.dumps({"review_id": other_id}))
    assert "not a member" in json.dumps(result.errors) + result.text
    assert review_row(driver, other_ref).stage == "notified"


def test_status_shows_the_card_to_members(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    driver.command(COORDINATOR, "status", space=space)
    text = wait(lambda: reference in last_reply(driver, COORDINATOR) and last_reply(driver, COORDINATOR), what="card")
    assert "Notified" in text


def test_my_reviews_lists_what_i_am_part_of(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    driver.command(COORDINATOR, "", space=general)
    text = wait(lambda: reference in last_reply(driver, COORDINATOR) and last_reply(driver, COORDINATOR), what="list")
    assert driver.link(space) in text


def test_membership_is_stored_for_the_coordinator(driver, general):
    reference, _ = create_review(driver, COORDINATOR, general)
    review = review_row(driver, reference)
    assert count(driver, Membership, Membership.review_id == review.id, Membership.role == "coordinator") == 1
