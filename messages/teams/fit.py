"""Keeping a card under the size Teams accepts.

Teams refuses an activity over about 28 KB (reference/teams-platform.md), so a long listing is cut
rather than lost: first the longest texts lose their last lines, then the last elements that hold
no input go, replaced by one line saying there was more. Inputs are never dropped (a dialog
without one of its fields could not be submitted as the validator expects).
"""
import json

CARD_BYTES = 26_000     # the card; the activity or dialog around it and its preview line need the rest
TEXT_FLOOR = 300        # a text is never cut shorter than this; past that, whole elements go
MORE_ID = "dhr_more"
MORE = "… more than fits in one message; ask me for the rest in smaller parts."


def size(value) -> int:
    """Bytes of JSON as sent, counting every non-ASCII character as its longest escape."""
    return len(json.dumps(value))


def fit(card: dict, entities: list[dict], budget: int = CARD_BYTES) -> dict:
    """`card` with root `msteams` (full width, mention entities that its text still holds), cut to `budget`."""
    card = json.loads(json.dumps(card))     # a private copy to cut
    while True:
        done = _with_entities(card, entities)
        over = size(done) - budget
        if over <= 0 or not (_cut_longest_text(card["body"], over) or _drop_one(card["body"])):
            return done


def _with_entities(card: dict, entities: list[dict]) -> dict:
    said = json.dumps([card.get("body"), card.get("actions")])
    kept = [e for e in entities if json.dumps(e["text"])[1:-1] in said]
    return {**card, "msteams": {"entities": kept, "width": "Full"}}


def _strings(node, found: list[tuple[dict, str]]) -> list[tuple[dict, str]]:
    """(holder, key) for every TextBlock text and fact value, however deep."""
    if isinstance(node, list):
        for item in node:
            _strings(item, found)
    elif isinstance(node, dict):
        if node.get("type") == "TextBlock" and isinstance(node.get("text"), str):
            found.append((node, "text"))
        if node.get("type") == "FactSet":
            found += [(fact, "value") for fact in node.get("facts", []) if isinstance(fact.get("value"), str)]
        for value in node.values():
            if isinstance(value, (list, dict)):
                _strings(value, found)
    return found


def _cut_longest_text(body: list, over: int) -> bool:
    holders = _strings(body, [])
    if not holders:
        return False
    holder, key = max(holders, key=lambda h: len(h[0][h[1]]))
    if len(holder[key]) <= TEXT_FLOOR:
        return False
    holder[key] = shorter(holder[key], over)
    return True


def shorter(value: str, over: int) -> str:
    """`value` less about half of `over` characters, cut at a line end (not half a name or a mark)."""
    # Half at a time: cutting text also drops the mention entities it held.
    keep = max(TEXT_FLOOR, len(value) - max(over // 2, 100))
    cut = value.rfind("\n", 0, keep)
    return value[:cut if cut > keep // 2 else keep].rstrip() + "\n\n…"


def fit_text(said: str, entities: list[dict], budget: int = CARD_BYTES) -> tuple[str, list[dict]]:
    """A message's text, cut to `budget` with the mention entities it still holds."""
    while True:
        kept = [e for e in entities if e["text"] in said]
        over = size([said, kept]) - budget
        if over <= 0 or len(said) <= TEXT_FLOOR:
            return said, kept
        said = shorter(said, over)


def _holds_input(element) -> bool:
    return '"Input.' in json.dumps(element)


def _drop_one(body: list) -> bool:
    """Drops the last element that holds no input and is no row of buttons, leaving the note."""
    note = next((i for i, e in enumerate(body) if e.get("id") == MORE_ID), None)
    for i in reversed(range(len(body) if note is None else note)):
        element = body[i]
        if element.get("type") != "ActionSet" and not _holds_input(element):
            del body[i]
            if note is None:
                body.insert(i, {"type": "TextBlock", "id": MORE_ID, "text": MORE, "wrap": True, "isSubtle": True})
            return True
    return False
