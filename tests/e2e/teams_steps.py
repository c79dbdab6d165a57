"""Steps for journeys on Microsoft Teams, as people do them in the fake Teams: a typed command's form opens
from the button the bot answers with in the person's 1:1 chat; dialogs are filled and submitted; what the
bot said is read back from the chats and the dialog it shows."""
import json

from bot.teamsfake import FakeTeams


def personal(fake: FakeTeams, user) -> str:
    return fake.personal_chat(user).id


def last_from_bot(fake: FakeTeams, chat_id: str, *, having: str = ""):
    return fake.wait_until(lambda: next((m for m in reversed(fake.bot_messages_in(chat_id))
                                         if having in json.dumps(m.activity)), None))


def bot_count(fake: FakeTeams, chat_id: str) -> int:
    return len(fake.bot_messages_in(chat_id))


def card_text(message) -> str:
    return json.dumps(message.activity)


def open_from_reply(t, user, title: str):
    """A typed command's form: the bot answers in the person's 1:1 chat with a button that opens it."""
    mine = personal(t.fake, user)
    offer = last_from_bot(t.fake, mine, having=f"Open: {title}")
    answer = t.platform.press(user, mine, offer.id, f"Open: {title}")
    assert answer.status == 200, answer.text
    dialog = t.platform.open_dialog(user)
    assert dialog is not None, answer.text
    return mine, dialog


def command_form(t, user, where: str, words: str, title: str):
    """`words` typed to the bot in `where` (a review's chat: after @DHR Bot), then its form opened."""
    said = words if where == personal(t.fake, user) else f"<at>DHR Bot</at> {words}"
    before = bot_count(t.fake, personal(t.fake, user))
    assert t.platform.say(user, where, said).status == 200
    t.fake.wait_until(lambda: bot_count(t.fake, personal(t.fake, user)) > before or None)
    return open_from_reply(t, user, title)


def review_chat(t, reference: str):
    return t.fake.wait_until(lambda: next((c for c in t.fake.chats.values() if c.topic == reference.lower()), None))


def open_review(t, user, reference: str, pseudonym: str):
    """A review opened in the person's 1:1 chat: its group chat, with the summary card in it."""
    mine, _ = command_form(t, user, personal(t.fake, user), "new", "New review")
    answer = t.platform.submit_dialog(user, mine, {
        "reference": reference, "notifying_agency": "Police", "victim_pseudonym": pseudonym, "victim_age": "34",
        "relationship": "current_partner", "suspected_suicide": "no", "confidentiality": "agreed"})
    assert answer.status == 200, answer.text
    chat = review_chat(t, reference)
    last_from_bot(t.fake, chat.id, having="review summary")
    t.platform.close_dialog(user)
    return chat


def set_agencies(t, user, names: list[str]) -> None:
    mine, _ = command_form(t, user, personal(t.fake, user), "agencies", "Agencies")
    assert t.platform.submit_dialog(user, mine, {"agencies": "\n".join(names)}).status == 200


def join_panel(t, chat, by, person, role: str, agency: str | None = None) -> None:
    """`by` adds `person` with `role` (for `agency`); they agree in their own chat and join the review's chat."""
    mine, dialog = command_form(t, by, chat.id, "panel", "Review panel")
    answer = {"change": "add", "person_1": person.aad_id, "role_1": role}
    if agency:
        answer["agency_1"] = choice(dialog.card, "agency_1", agency)
    sent = t.platform.submit_dialog(by, mine, answer)
    assert sent.status == 200 and not attention(sent.json()), sent.text
    invite = last_from_bot(t.fake, personal(t.fake, person), having="I agree")
    t.platform.press(person, personal(t.fake, person), invite.id, "I agree")
    t.fake.wait_until(lambda: chat.member(person.aad_id) is not None)


def inputs(node):
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Input."):
            yield node
        for value in node.values():
            yield from inputs(value)
    elif isinstance(node, list):
        for value in node:
            yield from inputs(value)


def choice(card: dict, input_id: str, title: str) -> str:
    """The value of the choice titled `title` in the card's input `input_id`."""
    found = next(i for i in inputs(card) if i["id"] == input_id)
    return next(c["value"] for c in found["choices"] if c["title"].startswith(title))


def textblocks(node):
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            yield node
        for value in node.values():
            yield from textblocks(value)
    elif isinstance(node, list):
        for value in node:
            yield from textblocks(value)


def attention(answer: dict) -> list[str]:
    """The error lines a dialog shows (under fields, or on top)."""
    return [b.get("text", "") for b in textblocks(answer) if b.get("color") == "attention"]


def error_under(answer: dict, input_id: str) -> str | None:
    """The error line right under input `input_id` in the dialog, if any."""
    body = answer["task"]["value"]["card"]["content"]["body"]
    for i, element in enumerate(body):
        if element.get("id") == input_id:
            after = body[i + 1] if i + 1 < len(body) else {}
            return after.get("text") if after.get("color") == "attention" else None
    raise AssertionError(f"the dialog has no input {input_id}")
