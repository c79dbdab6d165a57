"""The neutral tree (messages/tree.py) as Adaptive Card 1.5 elements, and a message as a card.

Every button in a message is an Action.Submit that opens a dialog (`msteams.type: task/fetch`):
the handler answers the fetch with a form or a short message. What the button means rides in
`data.dhr` ({action, value}), so one listener serves every button, as Slack's action ids do.
"""
from collections.abc import Callable, Iterable, Iterator, Mapping

from bot.workflow.core.form_spec import Field
from bot.workflow.core.text import Text
from messages import tree
from messages.teams.fit import fit, fit_text
from messages.teams.text import escape, markdown, mentions

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"
SELECT_PREFIX = "dhr_select_"       # a message menu's input id: the prefix, then its action
# A message's buttons carry the ids of its blocks, as Slack's press carries the message's blocks:
# a handler learns what the message it was pressed on lists (a request's items) without reading it back.
BLOCKS = "dhr_blocks"
CHOICES_MAX, FACTS_MAX, ACTIONS_MAX = 100, 50, 25
FALLBACK_MAX = 1000                 # the activity's own text beside the card: a preview line

Names = Mapping[str, str] | None
FieldRenderer = Callable[[Field], list[dict]]


# ---------------------------------------------------------------- elements

def elements(blocks: Iterable, names: Names = None, field: FieldRenderer | None = None) -> list[dict]:
    """Card elements for tree blocks; `field` renders a form's fields (dialogs only)."""
    out: list[dict] = []
    separate = False
    for block in blocks:
        if isinstance(block, tree.Divider):     # Adaptive Cards draw the line on the element after it
            separate = True
            continue
        made = _block(block, names, field)
        if made and separate:
            made[0] = {**made[0], "separator": True}
            separate = False
        out += made
    return out


def _block(block, names: Names, field: FieldRenderer | None) -> list[dict]:
    if isinstance(block, tree.Header):
        return [textblock(escape(block.text), size="Large", weight="Bolder")]
    if isinstance(block, tree.Paragraph):
        return _paragraph(block, names) if block.text else []
    if isinstance(block, tree.Quote):
        return ([{"type": "Container", "style": "emphasis", "items": [textblock(markdown(block.text, names))]}]
                if block.text else [])
    if isinstance(block, tree.Facts):
        facts = [{"title": escape(label, line_start=False), "value": markdown(value, names)}
                 for label, value in block.pairs[:FACTS_MAX]]
        return [{"type": "FactSet", "facts": facts}] if facts else []
    if isinstance(block, tree.Context):
        return [textblock(markdown(block.text, names), isSubtle=True, size="Small")] if block.text else []
    if isinstance(block, tree.Actions):
        return _actions(block.items[:ACTIONS_MAX])
    if isinstance(block, tree.Section):
        title = [textblock(escape(block.title), weight="Bolder")] if block.title else []
        return title + elements(block.blocks, names, field)
    if isinstance(block, Field) and field is not None:
        return field(block)
    raise TypeError(f"{type(block).__name__} has no place in a card")


def textblock(markdown_text: str, **style) -> dict:
    return {"type": "TextBlock", "text": markdown_text, "wrap": True, **style}


def _paragraph(block: tree.Paragraph, names: Names) -> list[dict]:
    words = textblock(markdown(block.text, names))
    if block.button is None:
        return [words]
    # The button sits beside its words, as a Slack section's accessory does.
    return [{"type": "ColumnSet", "columns": [
        {"type": "Column", "width": "stretch", "items": [words], "verticalContentAlignment": "Center"},
        {"type": "Column", "width": "auto", "items": [action_set([button(block.button)])],
         "verticalContentAlignment": "Center"}]}]


def _actions(items: Iterable[tree.Button | tree.Select]) -> list[dict]:
    """Buttons side by side; a menu is a drop-down with its own Go button."""
    out: list[dict] = []
    buttons: list[dict] = []
    for item in items:
        if isinstance(item, tree.Button):
            buttons.append(button(item))
            continue
        if buttons:
            out.append(action_set(buttons))
            buttons = []
        out += _select(item)
    return out + ([action_set(buttons)] if buttons else [])


def action_set(actions: list[dict]) -> dict:
    return {"type": "ActionSet", "actions": actions}


def button(item: tree.Button) -> dict:
    action = {"type": "Action.Submit", "title": item.label,
              "data": {"msteams": {"type": "task/fetch"}, "dhr": {"action": item.action, "value": item.value}}}
    style = {"primary": "positive", "danger": "destructive"}.get(item.style or "")
    return {**action, "style": style} if style else action


def _select(item: tree.Select) -> list[dict]:
    input_id = SELECT_PREFIX + item.action
    menu = {"type": "Input.ChoiceSet", "id": input_id, "style": "compact", "placeholder": item.placeholder,
            "choices": [{"title": label, "value": value} for value, label in item.options[:CHOICES_MAX]]}
    if item.initial is not None:
        menu["value"] = item.initial
    go = {"type": "Action.Submit", "title": "Go",
          "data": {"msteams": {"type": "task/fetch"}, "dhr": {"action": item.action, "select": input_id}}}
    return [menu, action_set([go])]


# ---------------------------------------------------------------- what a card mentions

def texts(blocks: Iterable) -> Iterator[Text]:
    """Every Text in the blocks (sections opened), for the mention entities."""
    for block in blocks:
        if isinstance(block, (tree.Paragraph, tree.Quote, tree.Context)):
            yield block.text
        elif isinstance(block, tree.Facts):
            yield from (value for _, value in block.pairs)
        elif isinstance(block, tree.Section):
            yield from texts(block.blocks)


# ---------------------------------------------------------------- surfaces

def adaptive_card(body: list[dict], actions: list[dict] | None = None, entities: list[dict] | None = None) -> dict:
    """A card that fits Teams' size limit, mentioning only the people its (cut) text still names."""
    return fit({"type": "AdaptiveCard", "version": VERSION, "$schema": SCHEMA, "body": body,
                **({"actions": actions} if actions else {})}, entities or [])


def card(msg: "tree.Message | tree.HomeView | Text", names: Names = None) -> dict:
    if isinstance(msg, tree.Message):
        ids = [block.id for block in msg.blocks if getattr(block, "id", None)]
        body = with_button_data(elements(msg.blocks, names), {BLOCKS: ids}) if ids else elements(msg.blocks, names)
        return adaptive_card(body, entities=mentions(*texts(msg.blocks), names=names))
    if isinstance(msg, tree.HomeView):
        return adaptive_card(elements(msg.blocks, names), entities=mentions(*texts(msg.blocks), names=names))
    return adaptive_card([textblock(markdown(msg, names))], entities=mentions(msg, names=names))


def with_button_data(node, extra: dict):
    """Every bot button under `node` (an Action.Submit with `data.dhr`) with `extra` in its data too."""
    if isinstance(node, list):
        return [with_button_data(item, extra) for item in node]
    if not isinstance(node, dict):
        return node
    made = {key: with_button_data(value, extra) for key, value in node.items()}
    data = made.get("data")
    if made.get("type") == "Action.Submit" and isinstance(data, dict) and isinstance(data.get("dhr"), dict):
        made["data"] = {**data, **extra}
    return made


def attachment(content: dict) -> dict:
    return {"contentType": ADAPTIVE, "content": content}


def activity(msg: "tree.Message | tree.HomeView | Text", names: Names = None) -> dict:
    """A Bot Framework message activity: a card, or for bare text just the text (mentions as entities)."""
    if isinstance(msg, Text):
        said, entities = fit_text(markdown(msg, names), mentions(msg, names=names))
        return _with_entities({"type": "message", "text": said, "textFormat": "markdown"}, entities)
    posted = {"type": "message", "attachments": [attachment(card(msg, names))]}
    if not isinstance(msg, tree.Message) or not msg.fallback:
        return posted
    preview = _clip(markdown(msg.fallback, names), FALLBACK_MAX)
    entities = [e for e in mentions(msg.fallback, names=names) if e["text"] in preview]
    return _with_entities({**posted, "text": preview, "textFormat": "markdown"}, entities)


def _with_entities(posted: dict, entities: list[dict]) -> dict:
    return {**posted, "entities": entities} if entities else posted


def _clip(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    cut = value.rfind("\n", 0, limit - 1)
    return value[:cut if cut > limit // 2 else limit - 1].rstrip() + "…"
