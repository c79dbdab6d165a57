"""Where a platform lacks a capability, the workflow's fallback."""
from bot.workflow.core.chat_port import Capability, find_tagged, show_card
from bot.workflow.core.refs import MessageRef, SpaceRef
from tests.workflow.core.fakes import RecordingChat

SPACE = SpaceRef("C1", "dhr-1")
TEAMS_LIKE = {Capability.RENAME}


def test_the_card_is_pinned_where_pins_exist_and_else_only_posted_then_updated_in_place():
    slack = RecordingChat()
    ref = show_card(slack, SPACE, "card", None)
    assert slack.kinds() == ["post", "pin"]
    teams = RecordingChat(TEAMS_LIKE)
    ref = show_card(teams, SPACE, "card", None)
    assert teams.kinds() == ["post"]
    assert show_card(teams, SPACE, "card v2", ref) == ref and teams.kinds() == ["post", "update"]


def test_without_history_a_tagged_post_is_not_looked_for():
    assert find_tagged(RecordingChat(TEAMS_LIKE), SPACE, "card") is None
    slack = RecordingChat()
    find_tagged(slack, SPACE, "card")
    assert slack.kinds() == ["find_post"]
    assert MessageRef("1") == MessageRef("1") and SpaceRef("C1", "a") == SpaceRef("C1", "b")
