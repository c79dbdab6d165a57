"""Small Block Kit helpers on slack_sdk's models (which validate Slack's limits in to_dict)."""
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

TEXT_MAX = 3000
HEADER_MAX = 150
FIELD_MAX = 2000
TITLE_MAX = 24      # a modal's title: Slack refuses longer ones, and a cut title reads as a typo


def clip(text: str, limit: int) -> str:
    """Slack rejects over-long text with invalid_blocks; cut with an ellipsis instead."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = TEXT_MAX) -> PlainTextObject:
    return PlainTextObject(text=clip(text, limit), emoji=True)


def md(text: str, limit: int = TEXT_MAX) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text, limit))


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=plain(text, HEADER_MAX))


def section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=md(text), block_id=block_id)


def fields_section(pairs: list[tuple[str, str]]) -> SectionBlock:
    return SectionBlock(fields=[md(f"*{k}*\n{v}", FIELD_MAX) for k, v in pairs[:10]])


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[md(text)])


def divider() -> DividerBlock:
    return DividerBlock()


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> ButtonElement:
    return ButtonElement(text=plain(text, 75), action_id=action_id, value=value or None, style=style)


def actions(*buttons: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(buttons), block_id=block_id)


def options(choices: dict[str, str], descriptions: dict[str, str] | None = None) -> list[Option]:
    descriptions = descriptions or {}
    return [Option(value=k, text=plain(v, 75),
                   description=plain(descriptions[k], 75) if k in descriptions else None)
            for k, v in choices.items()]


def text_input(block_id: str, label: str, *, initial: str | None = None, multiline: bool = False,
               max_length: int | None = None, optional: bool = False, hint: str | None = None,
               placeholder: str | None = None) -> InputBlock:
    element = PlainTextInputElement(action_id=block_id, initial_value=initial, multiline=multiline,
                                    max_length=max_length,
                                    placeholder=plain(placeholder, 150) if placeholder else None)
    return _input(block_id, label, element, optional, hint)


def date_input(block_id: str, label: str, *, initial: str | None = None, optional: bool = False,
               hint: str | None = None) -> InputBlock:
    return _input(block_id, label, DatePickerElement(action_id=block_id, initial_date=initial), optional, hint)


def select_input(block_id: str, label: str, choices: dict[str, str], *, optional: bool = False,
                 hint: str | None = None) -> InputBlock:
    element = StaticSelectElement(action_id=block_id, options=options(choices),
                                  placeholder=plain("Choose…"))
    return _input(block_id, label, element, optional, hint)


def radio_input(block_id: str, label: str, choices: dict[str, str], *, optional: bool = False,
                hint: str | None = None) -> InputBlock:
    return _input(block_id, label, RadioButtonsElement(action_id=block_id, options=options(choices)), optional, hint)


def checkbox_input(block_id: str, label: str, choices: dict[str, str], *, descriptions=None,
                   optional: bool = True, hint: str | None = None) -> InputBlock:
    element = CheckboxesElement(action_id=block_id, options=options(choices, descriptions))
    return _input(block_id, label, element, optional, hint)


def _input(block_id, label, element, optional, hint) -> InputBlock:
    return InputBlock(block_id=block_id, label=plain(label, 2000), element=element, optional=optional,
                      hint=plain(hint, 2000) if hint else None)


def modal(title: str, blocks: list, *, callback_id: str, submit: str | None = None,
          close: str = "Close", private_metadata: str | None = None) -> dict:
    if not 0 < len(title) <= TITLE_MAX:
        raise ValueError(f"a modal title must be 1 to {TITLE_MAX} characters; write a shorter one: {title!r}")
    view = View(type="modal", title=plain(title, TITLE_MAX), blocks=blocks, callback_id=callback_id,
                submit=plain(submit, 24) if submit else None, close=plain(close, 24),
                private_metadata=private_metadata)
    return view.to_dict()


def message(blocks: list, fallback: str) -> dict:
    """Blocks plus the notification text Slack shows in previews."""
    return {"blocks": [b.to_dict() for b in blocks[:50]], "text": clip(fallback, 3000)}
