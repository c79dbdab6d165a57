"""Putting people on a review the way users do: invite through /dhr panel, agree in the DM."""
from tests.e2e.journey import block_text, open_view, wait


def option_value(view, block_id: str, label: str) -> str:
    block = next(b for b in view.blocks if b.get("block_id") == block_id)
    return next(o["value"] for o in block["element"]["options"] if o["text"]["text"] == label)


def set_agencies(bot, admin, channel, names: list[str]) -> None:
    bot.slack.command(admin, channel, text="agencies")
    view = open_view(bot, admin, "dhr.agencies")
    bot.slack.submit_view(admin, view.id, {"agencies": "\n".join(names)})


def invite(bot, space_id, user, role, agency=None, by=None):
    bot.slack.command(by, space_id, text="panel")
    view = open_view(bot, by)
    values = {"change": "add", "person_1": user, "role_1": role}
    if agency:
        values["agency_1"] = option_value(view, "agency_1", agency)
    return bot.slack.submit_view(by, view.id, values)


def invitation_for(bot, user):
    return wait(lambda: [m for m in bot.fake.dm_messages(user) if m.blocks and "I agree" in block_text(m.blocks)],
                what="invitation DM")[-1]


def join(bot, space_id, user, role, agency=None, by=None) -> None:
    before = len([m for m in bot.fake.dm_messages(user) if m.blocks])
    invite(bot, space_id, user, role, agency, by)
    wait(lambda: len([m for m in bot.fake.dm_messages(user) if m.blocks]) > before, what="invitation")
    dm = invitation_for(bot, user)
    thanked = len(_thanks(bot))
    bot.slack.click(user, "dhr.agree", message=(dm.channel, dm.ts))
    wait(lambda: user in bot.fake.channels[space_id].members, what=f"{user} joined")
    wait(lambda: len(_thanks(bot)) > thanked, what=f"{user}'s thank-you")  # so no later step reads it as its reply


def _thanks(bot) -> list:
    return [r for r in bot.fake.responses() if "You agreed to the confidentiality" in str(r.params.get("text"))]


def reply_text_since(bot, before: int, what: str = "a reply") -> str:
    """Text of the response_url replies sent after the first `before` ones, once there is one."""
    def replies():
        return " ".join(str(r.params.get("text") or "") for r in bot.fake.responses()[before:])
    return wait(lambda: len(bot.fake.responses()) > before and replies(), what=what)
