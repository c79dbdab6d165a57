"""Block elements and composition objects (options, option groups, confirm dialogs) for the validator."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from .bk_core import Checker

_COMMON = ("type", "action_id")
_SELECT = ("confirm", "focus_on_load", "placeholder")
_TEXT_INPUT = ("initial_value", "dispatch_action_config", "focus_on_load", "placeholder")

# Every property Slack's schema allows per element type; anything else is "invalid additional property".
ELEMENT_KEYS: dict[str, tuple[str, ...]] = {
    "button": _COMMON + ("text", "url", "value", "style", "confirm", "accessibility_label"),
    "checkboxes": _COMMON + ("options", "initial_options", "confirm", "focus_on_load"),
    "radio_buttons": _COMMON + ("options", "initial_option", "confirm", "focus_on_load"),
    "datepicker": _COMMON + ("initial_date",) + _SELECT,
    "timepicker": _COMMON + ("initial_time", "timezone") + _SELECT,
    "datetimepicker": _COMMON + ("initial_date_time", "confirm", "focus_on_load"),
    "static_select": _COMMON + ("options", "option_groups", "initial_option") + _SELECT,
    "multi_static_select": _COMMON + ("options", "option_groups", "initial_options", "max_selected_items") + _SELECT,
    "external_select": _COMMON + ("initial_option", "min_query_length") + _SELECT,
    "multi_external_select": _COMMON + ("initial_options", "min_query_length", "max_selected_items") + _SELECT,
    "users_select": _COMMON + ("initial_user",) + _SELECT,
    "multi_users_select": _COMMON + ("initial_users", "max_selected_items") + _SELECT,
    "conversations_select": _COMMON
    + ("initial_conversation", "default_to_current_conversation", "response_url_enabled", "filter")
    + _SELECT,
    "multi_conversations_select": _COMMON
    + ("initial_conversations", "default_to_current_conversation", "max_selected_items", "filter")
    + _SELECT,
    "channels_select": _COMMON + ("initial_channel", "response_url_enabled") + _SELECT,
    "multi_channels_select": _COMMON + ("initial_channels", "max_selected_items") + _SELECT,
    "overflow": _COMMON + ("options", "confirm"),
    "plain_text_input": _COMMON + ("multiline", "min_length", "max_length") + _TEXT_INPUT,
    "number_input": _COMMON + ("is_decimal_allowed", "min_value", "max_value") + _TEXT_INPUT,
    "email_text_input": _COMMON + _TEXT_INPUT,
    "url_text_input": _COMMON + _TEXT_INPUT,
    "rich_text_input": _COMMON + _TEXT_INPUT,
    "file_input": _COMMON + ("filetypes", "max_files"),
    "workflow_button": _COMMON + ("text", "workflow", "style", "accessibility_label"),
    "image": ("type", "image_url", "slack_file", "alt_text"),
}

_SELECTS = (
    "static_select", "multi_static_select", "external_select", "multi_external_select", "users_select",
    "multi_users_select", "conversations_select", "multi_conversations_select", "channels_select",
    "multi_channels_select",
)
_PICKERS = ("checkboxes", "radio_buttons", "datepicker", "timepicker", "datetimepicker")
ACCESSORY_TYPES = frozenset(("button", "overflow", "image", "workflow_button") + _SELECTS + _PICKERS)
ACTIONS_TYPES = frozenset(("button", "overflow", "workflow_button", "rich_text_input") + _SELECTS + _PICKERS)
INPUT_TYPES = frozenset(
    ("plain_text_input", "number_input", "email_text_input", "url_text_input", "rich_text_input", "file_input")
    + _SELECTS + _PICKERS
)


def check_element(c: Checker, el: Any, ptr: str, allowed: frozenset[str]) -> None:
    if not c.is_type(el, dict, ptr) or not c.required(el, "type", ptr):
        return
    kind = el["type"]
    if kind not in ELEMENT_KEYS or kind not in allowed:
        c.err(f"{ptr}/type", f"unsupported type: {kind}")
        return
    if kind == "file_input" and c.surface != "modal":
        c.err(f"{ptr}/type", "file_input is only supported in modals")
    c.allowed_keys(el, ELEMENT_KEYS[kind], ptr)
    if kind != "image":
        c.string(el, "action_id", ptr, max_len=255)
    c.focus(el, ptr)
    if "placeholder" in el:
        c.text(el, "placeholder", ptr, max_len=150, plain_only=True)
    if "confirm" in el:
        _confirm(c, el, ptr)
    _CHECKS.get(kind, _no_extra)(c, el, ptr)


def _no_extra(c: Checker, el: dict[str, Any], ptr: str) -> None:
    return None


# ---- composition objects --------------------------------------------------------------------


def _confirm(c: Checker, el: dict[str, Any], ptr: str) -> None:
    conf = c.field(el, "confirm", dict, ptr)
    if conf is None:
        return
    p = f"{ptr}/confirm"
    c.allowed_keys(conf, ("title", "text", "confirm", "deny", "style"), p)
    c.text(conf, "title", p, max_len=100, plain_only=True, required=True)
    c.text(conf, "text", p, max_len=300, required=True)
    c.text(conf, "confirm", p, max_len=30, plain_only=True, required=True)
    c.text(conf, "deny", p, max_len=30, plain_only=True, required=True)
    c.enum(conf, "style", ("primary", "danger"), p)


def _option(c: Checker, opt: Any, ptr: str, *, plain_only: bool, allow_url: bool) -> tuple[str, str] | None:
    """Check one option object; return (text, value) used to compare initial options."""
    if not c.is_type(opt, dict, ptr):
        return None
    keys = ("text", "value", "description") + (("url",) if allow_url else ())
    c.allowed_keys(opt, keys, ptr)
    text = c.text(opt, "text", ptr, max_len=75, plain_only=plain_only, required=True)
    value = c.string(opt, "value", ptr, max_len=150, required=True)
    c.text(opt, "description", ptr, max_len=75, plain_only=plain_only)
    if allow_url:
        c.string(opt, "url", ptr, max_len=3000)
    return ((text or {}).get("text", ""), value or "")


def _options(
    c: Checker, el: dict[str, Any], key: str, ptr: str, *, max_items: int, plain_only: bool = True,
    allow_url: bool = False, required: bool = True,
) -> list[tuple[str, str]]:
    items = c.array(el, key, ptr, min_items=1, max_items=max_items, required=required) or []
    found = [
        _option(c, opt, f"{ptr}/{key}/{i}", plain_only=plain_only, allow_url=allow_url) for i, opt in enumerate(items)
    ]
    return [f for f in found if f is not None]


def _option_groups(c: Checker, el: dict[str, Any], ptr: str) -> list[tuple[str, str]]:
    groups = c.array(el, "option_groups", ptr, min_items=1, max_items=100) or []
    found: list[tuple[str, str]] = []
    for i, group in enumerate(groups):
        gp = f"{ptr}/option_groups/{i}"
        if c.is_type(group, dict, gp):
            c.allowed_keys(group, ("label", "options"), gp)
            c.text(group, "label", gp, max_len=75, plain_only=True, required=True)
            found += _options(c, group, "options", gp, max_items=100)
    return found


def _initial_options(c: Checker, el: dict[str, Any], ptr: str, known: list[tuple[str, str]], many: bool) -> None:
    """initial_option(s) must be one of the element's options (same text and value)."""
    key = "initial_options" if many else "initial_option"
    if key not in el:
        return
    chosen = c.field(el, key, list, ptr) if many else [c.field(el, key, dict, ptr)]
    for i, opt in enumerate(chosen or []):
        if opt is None:
            continue
        p = f"{ptr}/{key}/{i}" if many else f"{ptr}/{key}"
        pair = _option(c, opt, p, plain_only=False, allow_url=False)
        if pair is not None and pair not in known:
            c.err(p, "must match one of the provided options")


# ---- per-element rules ----------------------------------------------------------------------


def _button(c: Checker, el: dict[str, Any], ptr: str) -> None:
    c.text(el, "text", ptr, max_len=75, plain_only=True, required=True)
    c.string(el, "value", ptr, max_len=2000)
    c.string(el, "url", ptr, max_len=3000)
    c.enum(el, "style", ("primary", "danger"), ptr)
    c.string(el, "accessibility_label", ptr, max_len=75)


def _workflow_button(c: Checker, el: dict[str, Any], ptr: str) -> None:
    c.text(el, "text", ptr, max_len=75, plain_only=True, required=True)
    c.field(el, "workflow", dict, ptr, required=True)
    c.enum(el, "style", ("primary", "danger"), ptr)
    c.string(el, "accessibility_label", ptr, max_len=75)


def _static_select(c: Checker, el: dict[str, Any], ptr: str) -> None:
    has_opts, has_groups = "options" in el, "option_groups" in el
    if has_opts == has_groups:
        c.err(ptr, "must provide exactly one of options or option_groups")
    known = _options(c, el, "options", ptr, max_items=100, required=False) if has_opts else []
    known += _option_groups(c, el, ptr) if has_groups else []
    many = el.get("type") == "multi_static_select"
    _initial_options(c, el, ptr, known, many)
    if many:
        c.integer(el, "max_selected_items", ptr, minimum=1)


def _external_select(c: Checker, el: dict[str, Any], ptr: str) -> None:
    c.integer(el, "min_query_length", ptr, minimum=0)
    many = el.get("type") == "multi_external_select"
    if many:
        c.integer(el, "max_selected_items", ptr, minimum=1)
    for key, kind in (("initial_option", dict), ("initial_options", list)):
        c.field(el, key, kind, ptr)


def _entity_select(single: str, multi: str) -> Callable[[Checker, dict[str, Any], str], None]:
    """users/conversations/channels selects: initial value is an id (single) or list of ids (multi)."""

    def check(c: Checker, el: dict[str, Any], ptr: str) -> None:
        if el.get("type", "").startswith("multi_"):
            for i, item in enumerate(c.field(el, multi, list, ptr) or []):
                c.is_type(item, str, f"{ptr}/{multi}/{i}")
            c.integer(el, "max_selected_items", ptr, minimum=1)
        else:
            c.string(el, single, ptr)
            c.boolean(el, "response_url_enabled", ptr)
        c.boolean(el, "default_to_current_conversation", ptr)
        _conversation_filter(c, el, ptr)

    return check


def _conversation_filter(c: Checker, el: dict[str, Any], ptr: str) -> None:
    flt = c.field(el, "filter", dict, ptr)
    if flt is None:
        return
    p = f"{ptr}/filter"
    c.allowed_keys(flt, ("include", "exclude_external_shared_channels", "exclude_bot_users"), p)
    for i, item in enumerate(c.array(flt, "include", p, min_items=1) or []):
        if item not in ("im", "mpim", "private", "public"):
            c.err(f"{p}/include/{i}", "must be one of: im, mpim, private, public")
    c.boolean(flt, "exclude_external_shared_channels", p)
    c.boolean(flt, "exclude_bot_users", p)


def _overflow(c: Checker, el: dict[str, Any], ptr: str) -> None:
    _options(c, el, "options", ptr, max_items=5, allow_url=True)


def _choice(c: Checker, el: dict[str, Any], ptr: str) -> None:
    """checkboxes and radio buttons: up to 10 options, which may use mrkdwn."""
    known = _options(c, el, "options", ptr, max_items=10, plain_only=False)
    _initial_options(c, el, ptr, known, many=el.get("type") == "checkboxes")


def _datepicker(c: Checker, el: dict[str, Any], ptr: str) -> None:
    value = c.string(el, "initial_date", ptr)
    if value is not None and not _is_date(value):
        c.err(f"{ptr}/initial_date", "must match format YYYY-MM-DD")


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _timepicker(c: Checker, el: dict[str, Any], ptr: str) -> None:
    value = c.string(el, "initial_time", ptr)
    if value is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        c.err(f"{ptr}/initial_time", "must match format HH:mm")
    c.string(el, "timezone", ptr)


def _datetimepicker(c: Checker, el: dict[str, Any], ptr: str) -> None:
    value = c.integer(el, "initial_date_time", ptr, minimum=0)
    if value is not None and len(str(value)) != 10:
        c.err(f"{ptr}/initial_date_time", "must be a 10-digit Unix timestamp")


def _plain_text_input(c: Checker, el: dict[str, Any], ptr: str) -> None:
    c.string(el, "initial_value", ptr)
    c.boolean(el, "multiline", ptr)
    low = c.integer(el, "min_length", ptr, minimum=0, maximum=3000)
    high = c.integer(el, "max_length", ptr, minimum=1, maximum=3000)
    if low is not None and high is not None and low > high:
        c.err(f"{ptr}/min_length", "must be less than or equal to max_length")
    _dispatch_config(c, el, ptr)


def _number_input(c: Checker, el: dict[str, Any], ptr: str) -> None:
    decimal = c.boolean(el, "is_decimal_allowed", ptr, required=True)
    bounds = {}
    for key in ("initial_value", "min_value", "max_value"):
        raw = c.string(el, key, ptr)
        if raw is not None:
            bounds[key] = _number(c, raw, f"{ptr}/{key}", bool(decimal))
    low, high = bounds.get("min_value"), bounds.get("max_value")
    if low is not None and high is not None and low > high:
        c.err(f"{ptr}/min_value", "must be less than or equal to max_value")
    _dispatch_config(c, el, ptr)


def _number(c: Checker, raw: str, ptr: str, decimal: bool) -> float | None:
    pattern = r"-?\d+(\.\d+)?" if decimal else r"-?\d+"
    if not re.fullmatch(pattern, raw):
        c.err(ptr, "must be a decimal number" if decimal else "must be an integer")
        return None
    return float(raw)


def _text_input(c: Checker, el: dict[str, Any], ptr: str) -> None:
    c.string(el, "initial_value", ptr)
    _dispatch_config(c, el, ptr)


def _rich_text_input(c: Checker, el: dict[str, Any], ptr: str) -> None:
    c.field(el, "initial_value", dict, ptr)
    _dispatch_config(c, el, ptr)


def _dispatch_config(c: Checker, el: dict[str, Any], ptr: str) -> None:
    cfg = c.field(el, "dispatch_action_config", dict, ptr)
    if cfg is None:
        return
    p = f"{ptr}/dispatch_action_config"
    c.allowed_keys(cfg, ("trigger_actions_on",), p)
    for i, item in enumerate(c.array(cfg, "trigger_actions_on", p, min_items=1) or []):
        if item not in ("on_enter_pressed", "on_character_entered"):
            c.err(f"{p}/trigger_actions_on/{i}", "must be one of: on_enter_pressed, on_character_entered")


def _file_input(c: Checker, el: dict[str, Any], ptr: str) -> None:
    c.integer(el, "max_files", ptr, minimum=1, maximum=10)
    for i, item in enumerate(c.field(el, "filetypes", list, ptr) or []):
        c.is_type(item, str, f"{ptr}/filetypes/{i}")


def check_image(c: Checker, node: dict[str, Any], ptr: str) -> None:
    """Image element or image block: a URL or a slack_file, plus alt text."""
    if "image_url" not in node and "slack_file" not in node:
        c.err(ptr, "missing required field: image_url")
    c.string(node, "image_url", ptr, max_len=3000, min_len=1)
    c.field(node, "slack_file", dict, ptr)
    c.string(node, "alt_text", ptr, max_len=2000, min_len=1, required=True)


_CHECKS: dict[str, Callable[[Checker, dict[str, Any], str], None]] = {
    "button": _button,
    "workflow_button": _workflow_button,
    "static_select": _static_select,
    "multi_static_select": _static_select,
    "external_select": _external_select,
    "multi_external_select": _external_select,
    "users_select": _entity_select("initial_user", "initial_users"),
    "multi_users_select": _entity_select("initial_user", "initial_users"),
    "conversations_select": _entity_select("initial_conversation", "initial_conversations"),
    "multi_conversations_select": _entity_select("initial_conversation", "initial_conversations"),
    "channels_select": _entity_select("initial_channel", "initial_channels"),
    "multi_channels_select": _entity_select("initial_channel", "initial_channels"),
    "overflow": _overflow,
    "checkboxes": _choice,
    "radio_buttons": _choice,
    "datepicker": _datepicker,
    "timepicker": _timepicker,
    "datetimepicker": _datetimepicker,
    "plain_text_input": _plain_text_input,
    "number_input": _number_input,
    "email_text_input": _text_input,
    "url_text_input": _text_input,
    "rich_text_input": _rich_text_input,
    "file_input": _file_input,
    "image": check_image,
}
