"""Block Kit validator reproducing the limits Slack enforces server-side.

Public API:
    validate_message_blocks(blocks) -> list[str]   pointers like /blocks/0/text/text
    validate_view(view) -> list[str]               pointers like /view/blocks/0/label/text
Each string reads "must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
`message_problems` / `view_problems` return structured problems for building Slack's error bodies.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Callable

from .bk_core import Checker, Problem, format_slack_messages
from .bk_elements import ACCESSORY_TYPES, ACTIONS_TYPES, INPUT_TYPES, check_element, check_image
from .ids import short_id

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
VIEW_MAX_BYTES = 250 * 1024
MARKDOWN_TOTAL = 12_000

_MESSAGE_ONLY = {"markdown", "table", "file"}
_VIEW_ONLY = {"input"}
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "header": ("text",),
    "section": ("text", "fields", "accessory", "expand"),
    "divider": (),
    "context": ("elements",),
    "actions": ("elements",),
    "input": ("label", "element", "dispatch_action", "hint", "optional"),
    "image": ("image_url", "slack_file", "alt_text", "title"),
    "rich_text": ("elements",),
    "markdown": ("text",),
    "table": ("rows", "column_settings"),
    "file": ("external_id", "source"),
    "video": (
        "alt_text", "author_name", "description", "provider_icon_url", "provider_name", "title", "title_url",
        "thumbnail_url", "video_url",
    ),
}
_MODAL_KEYS = (
    "type", "title", "blocks", "close", "submit", "private_metadata", "callback_id", "clear_on_close",
    "notify_on_close", "external_id", "submit_disabled",
)
_HOME_KEYS = ("type", "blocks", "private_metadata", "callback_id", "external_id")


# ---- public API ----------------------------------------------------------------------------


def validate_message_blocks(blocks: Any) -> list[str]:
    return [str(p) for p in message_problems(blocks)]


def validate_view(view: Any) -> list[str]:
    return [str(p) for p in view_problems(view)]


def message_problems(blocks: Any) -> list[Problem]:
    c = Checker("message")
    if c.is_type(blocks, list, "/blocks"):
        _check_blocks(c, blocks, "/blocks")
    return c.problems


def view_problems(view: Any) -> list[Problem]:
    if not isinstance(view, dict):
        return [Problem("must provide an object", "/view")]
    kind = view.get("type")
    c = Checker(kind if kind in ("modal", "home") else "modal")
    if "type" not in view:
        c.err("/view", "missing required field: type")
    elif kind not in ("modal", "home"):
        c.err("/view/type", f"unsupported type: {kind}")
        return c.problems
    if len(json.dumps(view)) > VIEW_MAX_BYTES:
        c.err("/view", "view_too_large: the view must be at most 250 kB of JSON")
    _check_view_fields(c, view)
    blocks = c.array(view, "blocks", "/view", required=True)
    if blocks is not None:
        _check_blocks(c, blocks, "/view/blocks")
        _require_submit_for_inputs(c, view, blocks)
    return c.problems


def view_is_too_large(view: Any) -> bool:
    return len(json.dumps(view)) > VIEW_MAX_BYTES


def message_error_body(problems: list[Problem]) -> dict[str, Any]:
    """Slack's answer to bad message blocks: invalid_blocks, with each problem also in response_metadata."""
    return {
        "ok": False,
        "error": "invalid_blocks",
        "errors": [str(p) for p in problems],
        "response_metadata": {"messages": format_slack_messages(problems)},
    }


def view_error_body(problems: list[Problem]) -> dict[str, Any]:
    """Slack's answer to a bad view: invalid_arguments, with the view union announced first."""
    return {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": format_slack_messages(problems, surface_union="/view")},
    }


# ---- views ---------------------------------------------------------------------------------


def _check_view_fields(c: Checker, view: dict[str, Any]) -> None:
    p = "/view"
    c.allowed_keys(view, _MODAL_KEYS if c.surface == "modal" else _HOME_KEYS, p)
    if c.surface == "modal":
        c.text(view, "title", p, max_len=24, plain_only=True, required=True)
        c.text(view, "submit", p, max_len=24, plain_only=True)
        c.text(view, "close", p, max_len=24, plain_only=True)
        for flag in ("clear_on_close", "notify_on_close", "submit_disabled"):
            c.boolean(view, flag, p)
    c.string(view, "private_metadata", p, max_len=3000)
    c.string(view, "callback_id", p, max_len=255)
    c.string(view, "external_id", p, max_len=255)


def _require_submit_for_inputs(c: Checker, view: dict[str, Any], blocks: list[Any]) -> None:
    if c.surface != "modal" or "submit" in view:
        return
    for i, block in enumerate(blocks):
        if isinstance(block, dict) and block.get("type") == "input":
            c.err(f"/view/blocks/{i}/input", "must define submit to use input block")
            return


# ---- blocks --------------------------------------------------------------------------------


def _check_blocks(c: Checker, blocks: list[Any], ptr: str) -> None:
    limit = MAX_BLOCKS[c.surface]
    if len(blocks) > limit:
        c.err(ptr, f"no more than {limit} items allowed")
    if c.surface != "message" and not blocks:
        c.err(ptr, "must provide at least 1 items")
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        bp = f"{ptr}/{i}"
        if not c.is_type(block, dict, bp):
            continue
        _check_block_id(c, block, bp, seen)
        _check_block(c, block, bp)
    if len(c.focus_pointers) > 1:
        c.err(c.focus_pointers[1], "only one element per view may set focus_on_load")
    if c.markdown_chars > MARKDOWN_TOTAL:
        c.err(ptr, f"markdown blocks must be less than {MARKDOWN_TOTAL + 1} characters in total")


def _check_block_id(c: Checker, block: dict[str, Any], ptr: str, seen: set[str]) -> None:
    """block_id is optional, but every one that is set (even "") must be unique on the surface."""
    block_id = c.string(block, "block_id", ptr, max_len=255)
    if block_id is None:
        return
    if block_id in seen:
        c.err(f"{ptr}/block_id", f"duplicate block_id: {block_id!r}")
    seen.add(block_id)


def _check_block(c: Checker, block: dict[str, Any], ptr: str) -> None:
    if not c.required(block, "type", ptr):
        return
    kind = block["type"]
    wrong_surface = ((kind in _MESSAGE_ONLY and c.surface != "message")
                     or (kind in _VIEW_ONLY and c.surface == "message"))
    if kind not in BLOCK_KEYS or wrong_surface:
        c.err(f"{ptr}/type", f"unsupported type: {kind}")
        return
    c.allowed_keys(block, ("type", "block_id") + BLOCK_KEYS[kind], ptr)
    _BLOCK_CHECKS[kind](c, block, ptr)


def _header(c: Checker, block: dict[str, Any], ptr: str) -> None:
    c.text(block, "text", ptr, max_len=150, plain_only=True, required=True)


def _section(c: Checker, block: dict[str, Any], ptr: str) -> None:
    if "text" not in block and "fields" not in block:
        c.err(ptr, "missing required field: text")
    c.text(block, "text", ptr, max_len=3000)
    fields = c.array(block, "fields", ptr, min_items=1, max_items=10) or []
    for i, item in enumerate(fields):
        if c.is_type(item, dict, f"{ptr}/fields/{i}"):
            c.text_object(item, f"{ptr}/fields/{i}", max_len=2000)
    if "accessory" in block:
        check_element(c, block["accessory"], f"{ptr}/accessory", ACCESSORY_TYPES)
    c.boolean(block, "expand", ptr)


def _context(c: Checker, block: dict[str, Any], ptr: str) -> None:
    for i, el in enumerate(c.array(block, "elements", ptr, min_items=1, max_items=10, required=True) or []):
        ep = f"{ptr}/elements/{i}"
        if not c.is_type(el, dict, ep):
            continue
        if el.get("type") == "image":
            check_element(c, el, ep, frozenset({"image"}))
        else:
            c.text_object(el, ep)


def _actions(c: Checker, block: dict[str, Any], ptr: str) -> None:
    elements = c.array(block, "elements", ptr, min_items=1, max_items=25, required=True) or []
    action_ids: set[str] = set()
    for i, el in enumerate(elements):
        ep = f"{ptr}/elements/{i}"
        check_element(c, el, ep, ACTIONS_TYPES)
        action_id = el.get("action_id") if isinstance(el, dict) else None
        if isinstance(action_id, str):
            if action_id in action_ids:
                c.err(f"{ep}/action_id", f"duplicate action_id: {action_id!r}")
            action_ids.add(action_id)


def _input(c: Checker, block: dict[str, Any], ptr: str) -> None:
    c.text(block, "label", ptr, max_len=2000, plain_only=True, required=True)
    c.text(block, "hint", ptr, max_len=2000, plain_only=True)
    c.boolean(block, "optional", ptr)
    c.boolean(block, "dispatch_action", ptr)
    if c.required(block, "element", ptr):
        check_element(c, block["element"], f"{ptr}/element", INPUT_TYPES)
        element = block["element"]
        if block.get("dispatch_action") and isinstance(element, dict) and element.get("type") == "file_input":
            c.err(f"{ptr}/element/type", "unsupported type: file_input")  # file_input cannot dispatch actions


def _image(c: Checker, block: dict[str, Any], ptr: str) -> None:
    check_image(c, block, ptr)
    c.text(block, "title", ptr, max_len=2000, plain_only=True)


def _rich_text(c: Checker, block: dict[str, Any], ptr: str) -> None:
    c.array(block, "elements", ptr, required=True)


def _markdown(c: Checker, block: dict[str, Any], ptr: str) -> None:
    text = c.string(block, "text", ptr, min_len=1, required=True)
    c.markdown_chars += len(text or "")


def _table(c: Checker, block: dict[str, Any], ptr: str) -> None:
    c.tables += 1
    if c.tables > 1:
        c.err(ptr, "only one table block is allowed per message")
    for i, row in enumerate(c.array(block, "rows", ptr, min_items=1, max_items=100, required=True) or []):
        if c.is_type(row, list, f"{ptr}/rows/{i}") and len(row) > 20:
            c.err(f"{ptr}/rows/{i}", "no more than 20 items allowed")


def _file(c: Checker, block: dict[str, Any], ptr: str) -> None:
    c.string(block, "external_id", ptr, required=True)
    c.string(block, "source", ptr, required=True)


def _video(c: Checker, block: dict[str, Any], ptr: str) -> None:
    c.string(block, "alt_text", ptr, required=True)
    c.text(block, "title", ptr, max_len=200, plain_only=True, required=True)
    c.string(block, "video_url", ptr, required=True)
    c.string(block, "thumbnail_url", ptr, required=True)


_BLOCK_CHECKS: dict[str, Callable[[Checker, dict[str, Any], str], None]] = {
    "header": _header,
    "section": _section,
    "divider": lambda c, b, p: None,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "image": _image,
    "rich_text": _rich_text,
    "markdown": _markdown,
    "table": _table,
    "file": _file,
    "video": _video,
}


# ---- ids Slack fills in --------------------------------------------------------------------


def fill_missing_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return a copy where every block has a block_id and every interactive element an action_id.

    Slack stores and returns blocks this way (random ids such as "2WGp9"), so state.values and
    block_actions payloads are keyed by them even when the app did not set any.
    """
    filled = copy.deepcopy(blocks)
    for block in filled:
        block.setdefault("block_id", short_id())
        for el in block_elements(block):
            if el.get("type") != "image":
                el.setdefault("action_id", short_id())
    return filled


def block_elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    kind = block.get("type")
    if kind == "actions":
        return [e for e in block.get("elements", []) if isinstance(e, dict)]
    if kind == "section" and isinstance(block.get("accessory"), dict):
        return [block["accessory"]]
    if kind == "input" and isinstance(block.get("element"), dict):
        return [block["element"]]
    return []
