"""Outcomes and neutral text: what a use case hands back, with no platform syntax in it."""
import pytest

from bot.workflow.core import outcome as o
from bot.workflow.core.errors import PermissionDenied, ValidationFailed
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Mention, Plain, Text, join, text

SPACE, ANN = SpaceRef("C1", "dhr-1"), PersonRef("U1")


def test_text_reads_as_words_with_mentions_and_command_hints_kept_apart_from_the_words():
    t = text(Bold("DHR-1"), ": ", Mention(ANN), " added an action. See ", Command("actions"), ".")
    assert t.words() == "DHR-1: @U1 added an action. See actions."
    assert (t + " More.").parts[-1] == Plain(" More.")
    assert ("Note: " + text("x")).words() == "Note: x"
    assert join(", ", ["a", Bold("b")]).words() == "a, b"
    assert not text("") and not Text()
    with pytest.raises(TypeError):
        text(3)


def test_outcomes_add_up_in_order_and_a_string_body_becomes_text():
    both = o.post(SPACE, "Posted.") + o.dm(ANN, "Yours.") + o.refresh(7) + o.refresh(7) + o.reply("Done.")
    assert [p.body for p in both.posts] == [text("Posted.")]
    assert [d.person for d in both.dms] == [ANN]
    assert both.refresh == (7,) and both.reply.body == text("Done.")
    assert not both.refused
    assert o.post(None, "No space yet.") == o.NOTHING


def test_one_reply_per_outcome():
    with pytest.raises(ValueError):
        o.reply("a") + o.reply("b")


def test_a_refusal_keeps_field_errors_and_the_message():
    refused = o.refused(ValidationFailed({"scope": "Choose the scope."}))
    assert refused.refused and dict(refused.field_errors) == {"scope": "Choose the scope."}
    assert refused.form_message.words() == "Choose the scope."
    denied = o.refused(PermissionDenied("Only the coordinator can do that."))
    assert not denied.field_errors and denied.form_message.words() == "Only the coordinator can do that."
