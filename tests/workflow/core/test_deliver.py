"""deliver: a fixed order, and one failed delivery does not lose the others."""
import pytest

from bot.workflow.core import outcome as o
from bot.workflow.core.chat_port import Capability
from bot.workflow.core.deliver import deliver
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import PersonRef, SpaceRef
from tests.workflow.core.fakes import RecordingChat

SPACE, ANN, BOB, CAT = SpaceRef("C1"), PersonRef("U1"), PersonRef("U2"), PersonRef("U3")


def everything():
    return (o.reply("Done.") + o.dm(ANN, "a") + o.refresh(4) + o.post(SPACE, "p")
            + o.upload(SPACE, "plan.xlsx", b"x", "plan"))


def test_posts_then_files_then_dms_then_the_card_then_the_reply():
    chat, cards, replies = RecordingChat(), [], []
    done = deliver(everything(), chat, refresh_card=lambda r: cards.append(r) or chat.sent.append(("card", r)),
                   reply=lambda r: replies.append(r) or chat.sent.append(("reply",)))
    assert chat.kinds() == ["post", "upload", "dm", "card", "reply"]
    assert done.sent == 5 and not done.failures and cards == [4]


def test_one_failed_dm_does_not_stop_the_others_and_is_raised_at_the_end():
    chat = RecordingChat(fail_for={"U2"})
    sent = o.dm(ANN, "a") + o.dm(BOB, "b") + o.dm(CAT, "c")
    with pytest.raises(ChatError) as err:
        deliver(sent, chat)
    assert err.value.code == "user_disabled"
    assert [s[1] for s in chat.sent] == ["U1", "U3"]
    done = deliver(sent, RecordingChat(fail_for={"U2"}), strict=False)
    assert done.sent == 2 and [what.person for what, _ in done.failures] == [BOB]


def test_without_the_interaction_the_reply_goes_to_the_actor_alone():
    chat = RecordingChat()
    deliver(o.reply("Only you."), chat, actor=ANN, space=SPACE)
    assert chat.kinds() == ["ephemeral"]
    no_ephemeral = RecordingChat(capabilities={Capability.PIN})
    deliver(o.reply("Only you."), no_ephemeral, actor=ANN, space=SPACE)
    assert no_ephemeral.kinds() == ["dm"]


def test_without_a_card_refresher_the_refresh_is_left_to_the_caller():
    chat = RecordingChat()
    assert deliver(o.refresh(1), chat).sent == 0
