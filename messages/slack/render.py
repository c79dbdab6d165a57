"""The neutral tree (messages/tree.py) as Block Kit, and a submitted view back into {field key: value}.

Built on messages/slack/blocks.py (slack_sdk's models, which check Slack's limits in to_dict); what
Slack would refuse is cut to fit (text 3000, section fields 10 x 2000, 50 blocks in a message,
100 in a modal or Home view) rather than failing. An input's block id and action id are its
field key, so `response_action: errors` keyed by field keys lands beside the right input.
"""
import json
from collections.abc import Iterable

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ConfirmObject,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.workflow.core.form_spec import Field, Kind
from bot.workflow.core.text import (
    Bold,
    Command,
    Icon,
    Italic,
    Link,
    Mention,
    Plain,
    Refusal,
    SpaceLink,
    SpaceWord,
    text,
)
from messages import tree
from messages.core.text import escape
from messages.slack import blocks as bk
from messages.slack import words
from messages.slack.ids import COMMAND

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100


# ---------------------------------------------------------------- text

def mrkdwn(value) -> str:
    """Text as Slack mrkdwn; what people typed can't forge a mention or link (& < > escaped)."""
    return "".join(_inline(p) for p in text(value).parts)


def field_error(value) -> str:
    """An error beside a field: Slack shows it as plain text, so nothing is escaped."""
    return value if isinstance(value, str) else "".join(_inline(p, lambda s: s) for p in value.parts)


def _inline(part, escape=escape) -> str:
    if isinstance(part, Plain):
        return escape(part.text)
    if isinstance(part, (Bold, Italic)):
        inner = (escape(part.text) if isinstance(part.text, str)
                 else "".join(_inline(p, escape) for p in part.text.parts))
        mark = "*" if isinstance(part, Bold) else "_"
        return f"{mark}{inner}{mark}" if inner else ""
    if isinstance(part, Mention):
        return f"<@{part.person.id}>"
    if isinstance(part, SpaceLink):
        return f"<#{part.space.id}>"
    if isinstance(part, Link):
        return f"<{part.url}|{escape(part.label)}>"
    if isinstance(part, Command):
        hint = f"{COMMAND} {escape(part.name)}".strip()   # "<number>" in a hint is words, not a link
        return f"`{hint}`" if part.quoted else hint
    if isinstance(part, Icon):
        return f":{part.name}:"
    if isinstance(part, SpaceWord):
        return "channel"
    if isinstance(part, Refusal):
        return escape(words.refusal(part.kind, part.code, part.setup))
    raise TypeError(type(part).__name__)


# ---------------------------------------------------------------- blocks

def blocks(items: Iterable) -> list:
    out: list = []
    for item in items:
        out += _block(item)
    return out


def _block(item) -> list:
    if isinstance(item, tree.Header):
        return [bk.header(item.text)]
    if isinstance(item, tree.Paragraph):
        return [_paragraph(item)] if item.text else []
    if isinstance(item, tree.Quote):
        quoted = mrkdwn(item.text).replace("\n", "\n>")
        return [bk.section(">" + quoted)] if item.text else []
    if isinstance(item, tree.Facts):
        return [bk.fields_section([(escape(label), mrkdwn(value)) for label, value in item.pairs])]
    if isinstance(item, tree.Context):
        return [bk.context(mrkdwn(item.text))]
    if isinstance(item, tree.Divider):
        return [bk.divider()]
    if isinstance(item, tree.Actions):
        return [bk.actions(*(_element(e) for e in item.items[:25]), block_id=item.id)]
    if isinstance(item, tree.Section):
        return ([bk.section(f"*{escape(item.title)}*")] if item.title else []) + blocks(item.blocks)
    if isinstance(item, Field):
        return [input_block(item)]
    raise TypeError(type(item).__name__)


def _paragraph(item: tree.Paragraph):
    block = bk.section(mrkdwn(item.text), block_id=item.id)
    if item.button is not None:
        block.accessory = _element(item.button)
    return block


def _element(item):
    if isinstance(item, tree.Button):
        button = bk.button(item.label, item.action, item.value, style=item.style)
        if item.confirm is not None:
            c = item.confirm
            button.confirm = ConfirmObject(title=c.title, text=mrkdwn(c.text), confirm=c.yes, deny=c.no,
                                           style="danger" if item.style == "danger" else None)
        return button
    options = bk.options(dict(item.options[:100]))
    return StaticSelectElement(action_id=item.action, placeholder=bk.plain(item.placeholder, 150), options=options,
                               initial_option=_pick(options, item.initial))


def input_block(f: Field) -> InputBlock:
    return InputBlock(block_id=f.key, label=bk.plain(f.label, 2000), element=_input(f), optional=not f.required,
                      hint=bk.plain(f.hint, 2000) if f.hint else None)


def _input(f: Field):
    placeholder = bk.plain(f.placeholder, 150) if f.placeholder else None
    if f.kind in (Kind.TEXT, Kind.MULTILINE):
        return PlainTextInputElement(action_id=f.key, initial_value=f.initial, multiline=f.kind == Kind.MULTILINE,
                                     max_length=f.max_length, min_length=f.min, placeholder=placeholder)
    if f.kind == Kind.NUMBER:
        return NumberInputElement(action_id=f.key, is_decimal_allowed=False, min_value=f.min,
                                  initial_value=None if f.initial is None else str(f.initial), placeholder=placeholder)
    if f.kind == Kind.DATE:
        return DatePickerElement(action_id=f.key, initial_date=f.initial, placeholder=placeholder)
    if f.kind == Kind.PERSON:
        return UserSelectElement(action_id=f.key, initial_user=f.initial,
                                 placeholder=placeholder or bk.plain("Choose a person"))
    if f.kind == Kind.PEOPLE:
        return UserMultiSelectElement(action_id=f.key, initial_users=list(f.initial or []) or None,
                                      placeholder=placeholder or bk.plain("Choose people"))
    return _choice(f, placeholder)


def _choice(f: Field, placeholder):
    options = bk.options(dict(f.options[:100]), dict(f.descriptions))
    if f.kind == Kind.SELECT:
        return StaticSelectElement(action_id=f.key, options=options, initial_option=_pick(options, f.initial),
                                   placeholder=placeholder or bk.plain("Choose…"))
    if f.kind == Kind.RADIO:
        return RadioButtonsElement(action_id=f.key, options=options[:10], initial_option=_pick(options, f.initial))
    chosen = [o for o in options if o.value in set(f.initial or ())] or None
    if f.kind == Kind.MULTI_SELECT:
        return StaticMultiSelectElement(action_id=f.key, options=options, initial_options=chosen,
                                        placeholder=placeholder or bk.plain("Choose…"))
    return CheckboxesElement(action_id=f.key, options=options[:10], initial_options=chosen)


def _pick(options: list[Option], value) -> Option | None:
    return next((o for o in options if value is not None and o.value == value), None)


# ---------------------------------------------------------------- surfaces

def message(msg: tree.Message) -> dict:
    """chat.postMessage / chat.update / respond() arguments."""
    return bk.message(blocks(msg.blocks)[:MESSAGE_BLOCKS], mrkdwn(msg.fallback))


def body(value) -> dict:
    """A Text as a plain message, a Message as blocks."""
    return message(value) if isinstance(value, tree.Message) else {"text": bk.clip(mrkdwn(value), 3000)}


def modal(form: tree.Form) -> dict:
    metadata = json.dumps(dict(form.metadata)) if form.metadata else None
    return bk.modal(form.title, blocks(form.blocks)[:VIEW_BLOCKS], callback_id=form.callback, submit=form.submit,
                    close=form.close, private_metadata=metadata)


def home(view: tree.HomeView) -> dict:
    return View(type="home", blocks=blocks(view.blocks)[:VIEW_BLOCKS]).to_dict()


# ---------------------------------------------------------------- reading a submission

def read_state(view: dict) -> dict:
    """{field key: value} from a submitted view's state, whatever the element type: a list for
    checkboxes and multi-selects, the chosen value for a select, yyyy-mm-dd for a date, the
    person's id for a person picker, the text typed otherwise."""
    values = {}
    for block_id, elements in (view.get("state") or {}).get("values", {}).items():
        for element in elements.values():
            values[block_id] = _value(element)
    return values


def _value(element: dict):
    kind = element.get("type")
    if kind in ("checkboxes", "multi_static_select"):
        return [o.get("value") for o in element.get("selected_options") or []]
    if kind in ("static_select", "radio_buttons"):
        return (element.get("selected_option") or {}).get("value")
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "multi_users_select":
        return element.get("selected_users") or []
    return element.get("value")


def input_keys(view: dict) -> frozenset[str]:
    """The block ids of a view's input blocks: the only keys Slack accepts in an errors answer."""
    return frozenset(str(b.get("block_id")) for b in view.get("blocks") or []
                     if isinstance(b, dict) and b.get("type") == "input")


def metadata(view: dict) -> dict:
    """The view's private_metadata as the bot wrote it (a JSON object), or {} if missing or forged junk."""
    try:
        value = json.loads(view.get("private_metadata") or "{}")
    except (ValueError, RecursionError):   # "[[[…" deeper than the parser goes
        return {}
    return value if isinstance(value, dict) else {}
