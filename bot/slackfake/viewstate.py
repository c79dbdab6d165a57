"""What a person does in the Slack client: find the element they act on, build the typed values
Slack reports (view.state.values and block_actions), and the checks the client makes itself."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .blockkit import block_elements
from .errors import ClientSideValidation, NotShown
from .model import View

# Which key carries the value of each element type (SDK ViewStateValue).
STATE_KEY = {
    "plain_text_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "number_input": "value",
    "rich_text_input": "rich_text_value",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "overflow": "selected_option",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
    "file_input": "files",
}
_LIST_KEYS = {"selected_options", "selected_users", "selected_conversations", "selected_channels", "files"}
# The element property holding the initial value for each state key.
_INITIAL = {
    "value": "initial_value",
    "rich_text_value": "initial_value",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_conversation": "initial_conversation",
    "selected_conversations": "initial_conversations",
    "selected_channel": "initial_channel",
    "selected_channels": "initial_channels",
}


def find_element(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        for el in block_elements(block):
            if el.get("action_id") == action_id:
                return block, el
    where = f" in block {block_id!r}" if block_id else ""
    raise NotShown(f"no element with action_id {action_id!r}{where} is shown")


def input_blocks(view: View) -> list[dict[str, Any]]:
    return [b for b in view.blocks if b.get("type") == "input" and isinstance(b.get("element"), dict)]


# ---- values ----------------------------------------------------------------------------------


def options_of(el: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(el.get("options") or [])
    for group in el.get("option_groups") or []:
        found += group.get("options") or []
    return found


def option_for(el: dict[str, Any], choice: Any) -> dict[str, Any]:
    """The option object Slack reports for a choice given by value (external selects accept any)."""
    if el.get("type", "").endswith("external_select"):
        if isinstance(choice, dict):
            return choice
        return {"text": {"type": "plain_text", "text": str(choice)}, "value": str(choice)}
    for opt in options_of(el):
        if opt.get("value") == choice:
            return opt
    raise NotShown(f"option {choice!r} is not offered by {el.get('action_id')!r}")


def value_from_user(el: dict[str, Any], raw: Any) -> dict[str, Any]:
    """Typed state value for what the user entered/selected (tests pass plain Python values)."""
    kind = el.get("type", "")
    key = STATE_KEY.get(kind)
    if key is None:
        raise NotShown(f"{kind} elements hold no value")
    if key in _LIST_KEYS:
        items = raw if isinstance(raw, (list, tuple)) else ([] if raw is None else [raw])
        value: Any = [option_for(el, i) for i in items] if key == "selected_options" else [str(i) for i in items]
    elif raw is None or raw == "":
        value = None
    elif key == "selected_option":
        value = option_for(el, raw)
    elif key == "selected_date_time":
        value = int(raw)
    elif key == "rich_text_value":
        value = raw
    else:
        value = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
    return {"type": kind, key: value}


def initial_value(el: dict[str, Any]) -> dict[str, Any]:
    kind = el.get("type", "")
    key = STATE_KEY.get(kind, "value")
    default: Any = [] if key in _LIST_KEYS else None
    return {"type": kind, key: el.get(_INITIAL.get(key, ""), default)}


def is_empty(value: dict[str, Any]) -> bool:
    content = [v for k, v in value.items() if k != "type"]
    return not content or content[0] in (None, "", [])


def full_state(view: View, typed: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """state.values as Slack sends it: every input block (typed value, else its initial value),
    plus any other element the user has touched."""
    typed = view.state if typed is None else typed
    state = {bid: dict(actions) for bid, actions in typed.items()}
    for block in input_blocks(view):
        el = block["element"]
        if el.get("type") not in STATE_KEY:
            continue
        bid, aid = block["block_id"], el["action_id"]
        state.setdefault(bid, {}).setdefault(aid, initial_value(el))
    return state


# ---- the client's own validation -------------------------------------------------------------


def client_check(block: dict[str, Any], value: dict[str, Any]) -> None:
    """Raise ClientSideValidation for what the Slack client blocks before anything is sent."""
    el, bid = block["element"], block["block_id"]
    if is_empty(value):
        if not block.get("optional", False):
            raise ClientSideValidation(bid, "Please complete this required field.")
        return
    kind = el.get("type")
    text = value.get("value")
    if kind == "plain_text_input":
        _check_length(bid, el, text)
    elif kind == "number_input":
        _check_number(bid, el, text)
    elif kind == "email_text_input" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ClientSideValidation(bid, "Please enter a valid email address.")
    elif kind == "url_text_input" and not re.match(r"^https?://\S+$", text):
        raise ClientSideValidation(bid, "Please enter a valid URL.")
    limit = el.get("max_selected_items")
    listed = [v for k, v in value.items() if k in _LIST_KEYS]
    if limit and listed and len(listed[0]) > limit:
        raise ClientSideValidation(bid, f"Select no more than {limit} items.")


def _check_length(bid: str, el: dict[str, Any], text: str) -> None:
    if "min_length" in el and len(text) < el["min_length"]:
        raise ClientSideValidation(bid, f"Please enter at least {el['min_length']} characters.")
    if "max_length" in el and len(text) > el["max_length"]:
        raise ClientSideValidation(bid, f"Please enter no more than {el['max_length']} characters.")


def _check_number(bid: str, el: dict[str, Any], text: str) -> None:
    pattern = r"-?\d+(\.\d+)?" if el.get("is_decimal_allowed") else r"-?\d+"
    if not re.fullmatch(pattern, text):
        raise ClientSideValidation(bid, "Please enter a valid number.")
    number = float(text)
    if "min_value" in el and number < float(el["min_value"]):
        raise ClientSideValidation(bid, f"Please enter a number of at least {el['min_value']}.")
    if "max_value" in el and number > float(el["max_value"]):
        raise ClientSideValidation(bid, f"Please enter a number no greater than {el['max_value']}.")
