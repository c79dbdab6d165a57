"""Text that reads differently from what it holds: a registered name disguised with invisible or look-alike
characters or written right to left, bidi overrides, non-ASCII references, control characters.

Slack only for now: it reads every Web API call the bot made to Slack."""
import hmac
import json
from datetime import datetime, timezone

import pytest
from sqlmodel import func, select

from bot.workflow.core.unicode_text import BIDI_CONTROLS, skeleton
from bot.workflow.panel.redaction_list import REFUSED_FIELD
from storage.models import Review
from storage.panel import RedactionTerm
from tests.e2e.journey import create_review, initial_value, new_review_values, open_view, start_new_review, today, wait
from tests.e2e.server import COORDINATOR, HMAC_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]

NAME = "Rosalind Featherstone"
DISGUISES = {
    "zero-width space": "Rosa\u200blind Feather\u200bstone",
    "soft hyphen": "Rosa\u00adlind Feather\u00adstone",
    "Cyrillic look-alikes": "R\u043es\u0430lind F\u0435\u0430th\u0435rst\u043en\u0435",
    "typed right to left": "enotsrehtaeF dnilasoR",
    "right-to-left override": "\u202eenotsrehtaeF dnilasoR\u202c",
    "surname first": "Featherstone, Rosalind",
    "run together": "RosalindFeatherstone",
    "in an e-mail address": "featherstonerosalind@example.org",
    "Cherokee small letters": "\uaba2osa\uabaeind Featherstone",   # they case-fold to capitals
    "small capitals": "\u0280\u1d0f\ua731\u1d00\u029f\u026a\u0274\u1d05 "
                      "\ua730\u1d07\u1d00\u1d1b\u029c\u1d07\u0280\ua731\u1d1b\u1d0f\u0274\u1d07",
}


def register(bot, space_id, kind, term):
    bot.slack.command(COORDINATOR, space_id, text="redact")
    view = open_view(bot, COORDINATOR, "dhr.redaction")
    assert bot.slack.submit_view(COORDINATOR, view.id, {"kind": kind, "term": term}).json()["response_action"] \
        == "update"


def slack_saw(bot, since: int = 0) -> str:
    """Every call the bot made since `since`, as one string with its characters as sent."""
    return json.dumps([[c.method, c.params] for c in bot.fake.calls()[since:]], ensure_ascii=False, default=str)


def review_count(bot) -> int:
    with bot.db.session() as s:
        return s.exec(select(func.count()).select_from(Review)).one()


@pytest.fixture(scope="module")
def review(bot):
    general = bot.fake.add_channel("general-disguise", members=[COORDINATOR]).id
    reference, space_id = create_review(bot, COORDINATOR, general)
    register(bot, space_id, "name", NAME)
    register(bot, space_id, "name", "Smithson")
    return general, space_id


@pytest.mark.parametrize("how", DISGUISES)
def test_a_disguised_registered_name_in_a_form_is_refused_without_echo(bot, review, how):
    general, _channel_id = review
    disguised = DISGUISES[how]
    view = start_new_review(bot, COORDINATOR, general)
    before, reviews = len(bot.fake.calls()), review_count(bot)
    response = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(
        initial_value(view, "reference"), perpetrator_pseudonym="Adult B", notifying_agency=disguised))
    body = response.json()
    assert body["errors"] == {"notifying_agency": REFUSED_FIELD}
    assert disguised not in response.text and "featherstone" not in skeleton(response.text)
    assert review_count(bot) == reviews
    assert "featherstone" not in skeleton(slack_saw(bot, before))


@pytest.mark.parametrize("how", DISGUISES)
def test_a_disguised_registered_name_in_a_command_is_refused_and_never_reaches_the_channel(bot, review, how):
    _general, space_id = review
    before = len(bot.fake.calls())
    response = bot.slack.command(COORDINATOR, space_id, text=f"hold trial of {DISGUISES[how]}")
    assert response.text == REFUSED_FIELD
    bot.slack.command(COORDINATOR, space_id, text="status")  # something the bot does post, after it
    wait(lambda: [c for c in bot.fake.calls()[before:] if c.method == "response_url"], what="the status reply")
    seen = skeleton(slack_saw(bot, before))
    assert "featherstone" not in seen and "enotsrehtaef" not in seen
    assert not any("featherstone" in skeleton(json.dumps(m.blocks or m.text, ensure_ascii=False))
                   for m in bot.fake.messages(space_id, include_system=True))


def test_an_unknown_command_is_not_quoted_back(bot, review):
    _general, space_id = review
    assert bot.slack.command(COORDINATOR, space_id, text="Smi\u200bthson").text == REFUSED_FIELD
    before = len(bot.fake.calls())
    bot.slack.command(COORDINATOR, space_id, text="Zebedee-Quint")
    reply = wait(lambda: [c for c in bot.fake.calls()[before:] if c.method == "response_url"], what="reply")[-1]
    assert "isn't a `/dhr` command I know" in reply.params["text"]
    assert "zebedee" not in slack_saw(bot, before).casefold()


def test_bidi_overrides_are_removed_from_what_the_bot_posts(bot):
    general = bot.fake.add_channel("general-bidi", members=[COORDINATOR]).id
    before = len(bot.fake.calls())
    pseudonym = "Adult \u202eC\u202c \u2067D\u2069\u200f"
    _reference, space_id = create_review(bot, COORDINATOR, general, victim_pseudonym=pseudonym)
    sent = slack_saw(bot, before)
    assert "Adult C D" in sent  # the card shows the pseudonym...
    assert not any(ch in sent for ch in BIDI_CONTROLS)  # ...without the controls that reorder it
    pinned = [m for m in bot.fake.messages(space_id) if "Adult C D" in json.dumps(m.blocks or [])]
    assert pinned


@pytest.mark.parametrize("reference", ["DHR-\uff12\uff10\uff12\uff16-03", "DHR-\u0662\u0660\u0662\u0666-\u0660\u0663"])
def test_a_reference_in_other_digits_is_refused_with_a_clear_inline_error(bot, reference):
    general = bot.fake.add_channel(f"general-ref-{len(reference)}-{ord(reference[4])}", members=[COORDINATOR]).id
    view = start_new_review(bot, COORDINATOR, general)
    reviews, channels = review_count(bot), len(bot.fake.calls("conversations.create"))
    response = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(reference))
    error = response.json()["errors"]["reference"]
    assert "0-9" in error and "DHR-2026-03" in error and reference not in error
    assert review_count(bot) == reviews and len(bot.fake.calls("conversations.create")) == channels


@pytest.mark.parametrize("age", ["\u00b3\u2074", "\u0663\u0664"], ids=["superscript", "Arabic-Indic"])
def test_an_age_in_other_digits_is_refused_with_a_clear_inline_error(bot, age):
    general = bot.fake.add_channel(f"general-age-{ord(age[0])}", members=[COORDINATOR]).id
    view = start_new_review(bot, COORDINATOR, general)
    reviews = review_count(bot)
    response = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(
        initial_value(view, "reference"), victim_age=age))
    assert response.status == 200 and response.json()["errors"]["victim_age"].startswith("Enter the age")
    assert review_count(bot) == reviews


@pytest.mark.parametrize("field", ["victim_pseudonym", "perpetrator_pseudonym"])
def test_a_nul_byte_in_a_pseudonym_gives_an_inline_error_and_stores_nothing(bot, field):
    general = bot.fake.add_channel(f"general-nul-{field[:4]}", members=[COORDINATOR]).id
    view = start_new_review(bot, COORDINATOR, general)
    before, reviews = len(bot.fake.calls()), review_count(bot)
    response = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(
        initial_value(view, "reference"), **{field: "Adult\x00Z"}))
    assert response.status == 200
    errors = response.json()["errors"]
    assert list(errors) == [field] and "control character" in errors[field] and "pseudonym" in errors[field]
    assert review_count(bot) == reviews
    assert "\\u0000" not in json.dumps([c.params for c in bot.fake.calls()[before:]])
    # Corrected, the same form goes through.
    response = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(
        initial_value(view, "reference"), **{field: "Adult Z"}))
    assert response.status == 200 and "errors" not in response.text
    wait(lambda: review_count(bot) == reviews + 1, what="the corrected review")


def test_a_control_character_in_a_multi_line_field_is_refused_but_new_lines_are_not(bot, review):
    _general, space_id = review
    bot.slack.command(COORDINATOR, space_id, text="decide")
    decide = open_view(bot, COORDINATOR, "dhr.decide")
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted_other": "Police\nHealth",
              "home_office_told_on": today().isoformat(), "delay_reason": "File\x1b[31m late",
              "decided_by": COORDINATOR, "records_secured_on": today().isoformat()}
    errors = bot.slack.submit_view(COORDINATOR, decide.id, values).json()["errors"]
    assert list(errors) == ["delay_reason"] and "control character" in errors["delay_reason"]
    values["delay_reason"] = "Police file\n\tarrived late"
    assert bot.slack.submit_view(COORDINATOR, decide.id, values).text in ("", "{}")


def test_a_term_registered_before_the_folding_still_matches(bot, review):
    """A digest stored by the old normalisation (HMAC of the case-folded, accent-free words) of a name
    registered in Cyrillic: the text is also read the old way, invisible characters dropped."""
    general, space_id = review
    with bot.db.session() as s:
        reviewed = s.exec(select(Review).where(Review.space_id == space_id)).one()
        old = hmac.new(HMAC_KEY.encode(), "\u0434\u043c\u0438\u0442\u0440\u0438\u0438".encode(), "sha256")
        s.add(RedactionTerm(review_id=reviewed.id, token_count=1, digest=old.hexdigest(), kind="name", entry=99,
                            added_by=COORDINATOR, added_at=datetime.now(timezone.utc)))
        s.commit()
    view = start_new_review(bot, COORDINATOR, general)
    for typed in ("\u0414\u043c\u0438\u0442\u0440\u0438\u0439", "\u0414\u043c\u0438\u200b\u0442\u0440\u0438\u0439"):
        body = bot.slack.submit_view(COORDINATOR, view.id, new_review_values(
            initial_value(view, "reference"), notifying_agency=typed)).json()
        assert body["errors"] == {"notifying_agency": REFUSED_FIELD}


@pytest.mark.parametrize("metadata", ["[" * 3000, "[1]", "null"], ids=["nested too deep", "a list", "null"])
def test_a_form_whose_metadata_is_not_ours_is_refused_in_words(bot, review, metadata):
    _general, space_id = review
    bot.slack.command(COORDINATOR, space_id, text="redact")
    view = open_view(bot, COORDINATOR, "dhr.redaction")
    response = bot.slack.forge_submission(COORDINATOR, view.id, {"kind": "name", "term": "Quentin Blakeway"},
                                          private_metadata=metadata)
    assert response.status == 200 and "Something went wrong" not in response.text, response.text
    assert "Added" not in response.text


def test_a_control_character_in_a_command_is_refused(bot, review):
    _general, space_id = review
    before = len(bot.fake.calls())
    response = bot.slack.command(COORDINATOR, space_id, text="hold trial\x00of Adult A")
    assert "control character" in response.text
    assert not [c for c in bot.fake.calls()[before:] if c.method in ("views.open", "chat.postMessage")]
