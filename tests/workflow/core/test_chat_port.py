"""Where a platform lacks a capability, the workflow's fallback."""
from bot.workflow.core.chat_port import Capability, close_space, find_tagged, show_card
from bot.workflow.core.refs import MessageRef, PersonRef, SpaceRef
from tests.workflow.core.fakes import RecordingChat

SPACE = SpaceRef("C1", "dhr-1")
PEOPLE = [PersonRef("U1"), PersonRef("U2"), PersonRef("U3")]
TEAMS_LIKE = {Capability.RENAME}


def test_the_card_is_pinned_where_pins_exist_and_else_only_posted_then_updated_in_place():
    slack = RecordingChat()
    ref = show_card(slack, SPACE, "card", None)
    assert slack.kinds() == ["post", "pin"]
    teams = RecordingChat(TEAMS_LIKE)
    ref = show_card(teams, SPACE, "card", None)
    assert teams.kinds() == ["post"]
    assert show_card(teams, SPACE, "card v2", ref) == ref and teams.kinds() == ["post", "update"]


def test_a_concluded_space_is_archived_or_else_emptied_even_when_one_member_cannot_be_removed():
    slack = RecordingChat()
    assert close_space(slack, SPACE, "dhr-1-concluded", PEOPLE) == "dhr-1-concluded"
    assert slack.kinds() == ["rename", "archive"]
    teams = RecordingChat(TEAMS_LIKE, fail_for={"U2"})
    close_space(teams, SPACE, "dhr-1-concluded", PEOPLE)
    assert teams.sent == [("rename", "C1", "dhr-1-concluded"), ("remove", "C1", "U1"), ("remove", "C1", "U3")]


def test_without_history_a_tagged_post_is_not_looked_for():
    assert find_tagged(RecordingChat(TEAMS_LIKE), SPACE, "card") is None
    slack = RecordingChat()
    find_tagged(slack, SPACE, "card")
    assert slack.kinds() == ["find_post"]
    assert MessageRef("1") == MessageRef("1") and SpaceRef("C1", "a") == SpaceRef("C1", "b")
