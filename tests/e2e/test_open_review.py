"""/dhr new and /dhr decide end to end: the real server, signed requests, the fake Slack."""
import json
from datetime import timedelta

import pytest
from sqlmodel import func, select

from storage.models import AuditEntry, Decision, Membership, Review, StageChange
from tests.e2e.journey import (
    block_text,
    create_review,
    decision_due,
    initial_value,
    new_review_values,
    open_view,
    show,
    start_new_review,
    today,
    wait,
)
from tests.e2e.server import CHAIR, COORDINATOR, OUTSIDER

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def general(bot):
    return bot.fake.add_channel("general", is_private=False, members=[COORDINATOR, CHAIR, OUTSIDER]).id


def count(bot, model, *where) -> int:
    with bot.db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def review_row(bot, reference: str) -> Review:
    with bot.db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).one()


def last_response_text(bot) -> str:
    if not bot.fake.responses():
        return ""
    response = bot.fake.responses()[-1]
    return response.params.get("text", "") + block_text(response.params.get("blocks", []))


def test_someone_with_no_reviews_is_told_how_to_start(bot, general):
    assert bot.slack.command(OUTSIDER, general, text="").status == 200
    text = wait(lambda: bot.fake.responses() and last_response_text(bot), what="a reply")
    assert "not part of any review" in text and "/dhr new" in text


def test_someone_who_is_not_a_csp_admin_is_told_whom_to_ask(bot, general):
    from tests.e2e.report_steps import home_text
    user = "U0NOADMIN1"
    bot.fake.add_user(user, "notadmin")
    bot.fake.channels[general].members.append(user)
    before = len(bot.fake.responses())
    bot.slack.command(user, general, text="")
    text = wait(lambda: len(bot.fake.responses()) > before and last_response_text(bot), what="a reply")
    for shown in (text, home_text(bot, user)):
        assert "/dhr new" not in shown, shown
        assert "opened by the CSP admins" in shown and f"<@{COORDINATOR}>" in shown, shown
    bot.slack.command(user, general, text="new")     # and the bot agrees: only CSP admins open one
    assert "Only CSP admins can open a new review" in block_text(open_view(bot, user).blocks)


def test_help_lists_the_commands(bot, general):
    bot.slack.command(OUTSIDER, general, text="help")
    text = wait(lambda: "/dhr decide" in last_response_text(bot) and last_response_text(bot), what="help")
    for command in ("/dhr new", "/dhr decide", "/dhr status"):
        assert command in text


def test_new_opens_loading_then_a_form_with_the_next_free_reference(bot, general):
    bot.fake.reset_calls()
    view = start_new_review(bot, COORDINATOR, general)
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
def test_bad_input_comes_back_inline_and_stores_nothing(bot, general, overrides, field, words):
    view = start_new_review(bot, COORDINATOR, general)
    reviews_before, creates_before = count(bot, Review), len(bot.fake.calls("conversations.create"))
    values = new_review_values(initial_value(view, "reference"), **overrides)
    response = bot.slack.submit_view(COORDINATOR, view.id, values)
    body = response.json()
    assert body["response_action"] == "errors"
    assert words in body["errors"][field]
    assert count(bot, Review) == reviews_before
    assert len(bot.fake.calls("conversations.create")) == creates_before


def test_a_reference_already_used_is_refused(bot, general):
    reference, _ = create_review(bot, COORDINATOR, general)
    view = start_new_review(bot, COORDINATOR, general)
    body = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference)).json()
    assert "already used" in body["errors"]["reference"]


def test_opening_a_review_sets_up_channel_card_and_dm(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general, victim_pseudonym="Adult C")
    review = review_row(bot, reference)
    assert review.stage == "notified" and review.setup_state == "complete"
    assert count(bot, AuditEntry, AuditEntry.review_id == review.id, AuditEntry.action == "review.opened") == 1

    channel = bot.fake.channels[space_id]
    assert channel.name == reference.lower() and channel.is_private
    assert COORDINATOR in channel.members

    card = channel.message(review.card_ref)
    card_text = block_text(card.blocks)
    assert review.card_ref in channel.pins
    assert "Notified" in card_text and "Decision" in card_text
    assert show(decision_due(today())) in card_text

    dms = bot.fake.dm_messages(COORDINATOR)
    ready = [m for m in dms if f"<#{space_id}>" in m.text]
    assert len(ready) == 1
    assert "Adult" not in ready[0].text and reference not in ready[0].text
    assert "Adult C" not in bot.log_text()


def test_a_taken_channel_name_gets_a_suffix(bot, general):
    view = start_new_review(bot, COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.add_channel(reference.lower(), is_private=True, archived=True)  # archived names stay taken
    bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference))
    wait(lambda: review_row(bot, reference).setup_state == "complete", what="set-up")
    assert review_row(bot, reference).space_name == f"{reference.lower()}-2"


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
    view = start_new_review(bot, COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next(method, **failure)
    bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference))
    text = wait(lambda: "not ready" in block_text(bot.fake.views[view.id].blocks)
                and block_text(bot.fake.views[view.id].blocks), what="failure shown")
    assert "Try again" in text
    assert review_row(bot, reference).setup_state == "failed"
    wait(lambda: any("could not be set up" in m.text for m in bot.fake.dm_messages(COORDINATOR)), what="DM")

    bot.slack.click(COORDINATOR, "dhr.retry_setup", view_id=view.id)
    wait(lambda: review_row(bot, reference).setup_state == "complete", what="retry")
    review = review_row(bot, reference)
    named = [c for c in bot.fake.channels.values() if c.name.startswith(reference.lower())]
    assert len(named) == 1
    cards = [m for m in named[0].messages if m.user == bot.fake.bot_user_id and m.blocks]
    assert len(cards) == 1 and review.card_pinned


@pytest.mark.parametrize("method", ["pins.add", "conversations.invite"])
def test_a_bot_outside_its_channel_is_not_reported_ready(bot, general, method):
    view = start_new_review(bot, COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next(method, error="not_in_channel")
    told = len([m for m in bot.fake.dm_messages(COORDINATOR) if "could not be set up" in m.text])
    bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference))
    text = wait(lambda: _outcome_text(bot, view.id), what="the set-up outcome")
    assert "not ready" in text and "is open in" not in text
    assert "no longer a member" in text and "add the app" in text
    failures = wait(lambda: [m for m in bot.fake.dm_messages(COORDINATOR) if "could not be set up" in m.text][told:],
                    what="DM")
    failure = failures[-1]
    assert "no longer a member" in failure.text and "Try again" in block_text(failure.blocks)
    assert review_row(bot, reference).setup_state == "failed"


def _outcome_text(bot, view_id):
    text = block_text(bot.fake.views[view_id].blocks)
    return text if ("is open in" in text or "not ready" in text) else None


@pytest.mark.parametrize("code", ["already_in_channel", "cant_invite_self"])
def test_an_invite_slack_answers_as_already_done_completes_the_set_up(bot, general, code):
    view = start_new_review(bot, COORDINATOR, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next("conversations.invite", error=code)
    bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference))
    assert "is open in" in wait(lambda: _outcome_text(bot, view.id), what="the set-up outcome")
    assert review_row(bot, reference).setup_state == "complete"


def failed_setup(bot, user, general) -> str:
    view = start_new_review(bot, user, general)
    reference = initial_value(view, "reference")
    bot.fake.fail_next("conversations.create", error="restricted_action")
    bot.slack.submit_view(user, view.id, new_review_values(reference))
    wait(lambda: review_row(bot, reference).setup_state == "failed", what="failure")
    return reference


def test_a_forged_retry_button_cannot_touch_someone_elses_review(bot, general):
    theirs = failed_setup(bot, COORDINATOR, general)
    failed_setup(bot, OUTSIDER, general)
    own_button = wait(lambda: [m for m in bot.fake.dm_messages(OUTSIDER) if m.blocks], what="DM")[-1]
    creates = len(bot.fake.calls("conversations.create"))
    bot.slack.click(OUTSIDER, "dhr.retry_setup", message=(own_button.channel, own_button.ts),
                    forged_value=str(review_row(bot, theirs).id))
    text = wait(lambda: bot.fake.responses() and last_response_text(bot), what="refusal")
    assert "not a member" in text
    assert len(bot.fake.calls("conversations.create")) == creates
    assert review_row(bot, theirs).setup_state == "failed"


@pytest.mark.parametrize("forged", ["\u00b2", "\u0661"], ids=["superscript two", "Arabic-Indic one"])
def test_a_button_value_in_other_digits_is_refused_in_words(bot, general, forged):
    failed_setup(bot, OUTSIDER, general)
    own_button = wait(lambda: [m for m in bot.fake.dm_messages(OUTSIDER) if m.blocks], what="DM")[-1]
    before, creates = len(bot.fake.responses()), len(bot.fake.calls("conversations.create"))
    bot.slack.click(OUTSIDER, "dhr.retry_setup", message=(own_button.channel, own_button.ts), forged_value=forged)
    wait(lambda: len(bot.fake.responses()) > before, what="refusal")
    texts = [r.params.get("text", "") for r in bot.fake.responses()[before:]]
    assert any("no longer points at a review" in t for t in texts), texts
    assert not any("Something went wrong" in t for t in texts), texts
    assert len(bot.fake.calls("conversations.create")) == creates


def decide_form(bot, user, space_id):
    bot.slack.command(user, space_id, text="decide")
    return open_view(bot, user)


def decision_values(**overrides) -> dict:
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted_other": "Police\nNHS trust",
              "concerns": ["marac"], "parallel_processes": ["inquest"], "home_office_told_on": today().isoformat()}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def test_decide_review_moves_to_setup_and_shows_the_overview_deadline(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    view = decide_form(bot, COORDINATOR, space_id)
    assert view.callback_id == "dhr.decide"
    response = bot.slack.submit_view(COORDINATOR, view.id, decision_values())
    assert response.status == 200 and response.text in ("", "{}")
    review = review_row(bot, reference)
    assert review.stage == "setup"
    assert count(bot, StageChange, StageChange.review_id == review.id, StageChange.to_stage == "setup") == 1
    card = wait(lambda: "Overview report" in block_text(
        bot.fake.channels[space_id].message(review.card_ref).blocks) and
        block_text(bot.fake.channels[space_id].message(review.card_ref).blocks), what="card update")
    from bot.workflow.clock.timescales import add_months
    assert show(add_months(today(), 6)) in card
    assert "Set-up" in card


def test_a_decision_the_bot_cannot_post_is_explained_not_an_error_id(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    view = decide_form(bot, COORDINATOR, space_id)
    told = len(bot.fake.dm_messages(COORDINATOR))
    bot.fake.fail_next("chat.postMessage", error="not_in_channel")
    bot.slack.submit_view(COORDINATOR, view.id, decision_values())
    dms = wait(lambda: bot.fake.dm_messages(COORDINATOR)[told:], what="a DM")
    assert "not a member of that channel" in dms[-1].text and "error id" not in dms[-1].text
    assert review_row(bot, reference).stage == "setup"


def test_decide_no_review_says_the_home_office_reply_is_awaited(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    view = decide_form(bot, COORDINATOR, space_id)
    body = bot.slack.submit_view(COORDINATOR, view.id, decision_values(outcome="no_review")).json()
    assert "no_review_reasons" in body["errors"]
    bot.slack.submit_view(COORDINATOR, view.id, decision_values(outcome="no_review",
                                                                no_review_reasons="Death from natural causes"))
    review = review_row(bot, reference)
    assert review.stage == "not_commissioned"
    wait(lambda: "Home Office's reply" in block_text(bot.fake.channels[space_id].message(review.card_ref).blocks),
         what="card says reply awaited")


def test_a_late_decision_needs_a_reason(bot, general):
    notified = today() - timedelta(days=45)
    reference, space_id = create_review(bot, COORDINATOR, general, notified_on=notified.isoformat())
    view = decide_form(bot, COORDINATOR, space_id)
    body = bot.slack.submit_view(COORDINATOR, view.id, decision_values()).json()
    assert "QA panel" in body["errors"]["delay_reason"]
    assert review_row(bot, reference).stage == "notified"
    bot.slack.submit_view(COORDINATOR, view.id, decision_values(delay_reason="Police file arrived late"))
    with bot.db.session() as s:
        made = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert made.delay_reason == "Police file arrived late"


def test_someone_outside_the_review_cannot_decide_or_see_status(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    bot.fake.channels[space_id].members.append(OUTSIDER)  # added by a person, not through the bot
    view = decide_form(bot, OUTSIDER, space_id)
    assert "not a member" in block_text(view.blocks)
    before = len(bot.fake.responses())
    bot.slack.command(OUTSIDER, space_id, text="status")
    text = wait(lambda: len(bot.fake.responses()) > before and last_response_text(bot), what="refusal")
    assert "not a member" in text and reference not in text


def test_decide_outside_a_review_channel_says_where_to_go(bot, general):
    view = decide_form(bot, COORDINATOR, general)
    assert "review's own channel" in block_text(view.blocks)


def test_a_decision_form_copied_from_another_review_is_refused(bot, general):
    mine, mine_channel = create_review(bot, COORDINATOR, general)
    other_ref, _ = create_review(bot, CHAIR, general)  # CHAIR coordinates this one; COORDINATOR is not in it
    view = decide_form(bot, COORDINATOR, mine_channel)
    other_id = review_row(bot, other_ref).id
    bot.fake.views[view.id].content["private_metadata"] = json.dumps({"review_id": other_id})
    response = bot.slack.submit_view(COORDINATOR, view.id, decision_values())
    assert "not a member" in json.dumps(response.json())
    assert review_row(bot, other_ref).stage == "notified"


def test_status_shows_the_card_to_members(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    bot.slack.command(COORDINATOR, space_id, text="status")
    text = wait(lambda: reference in last_response_text(bot) and last_response_text(bot), what="card")
    assert "Notified" in text


def test_my_reviews_lists_what_i_am_part_of(bot, general):
    reference, space_id = create_review(bot, COORDINATOR, general)
    bot.slack.command(COORDINATOR, general, text="")
    text = wait(lambda: reference in last_response_text(bot) and last_response_text(bot), what="list")
    assert f"<#{space_id}>" in text


def test_membership_is_stored_for_the_coordinator(bot, general):
    reference, _ = create_review(bot, COORDINATOR, general)
    review = review_row(bot, reference)
    assert count(bot, Membership, Membership.review_id == review.id, Membership.role == "coordinator") == 1
