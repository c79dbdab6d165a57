"""Reading an Adaptive Card the way the Teams client shows it: its actions and its inputs, and what
the client sends when an action is pressed (the action's data with every input's value merged in)."""

from __future__ import annotations

import re
from typing import Any, Iterator

ACTION_TYPES = ("Action.Submit", "Action.Execute")


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Submit and Execute actions anywhere in the card (actions, ActionSets, selectActions, ShowCards)."""
    return [n for n in _walk(card) if n.get("type") in ACTION_TYPES]


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in _walk(card) if str(n.get("type", "")).startswith("Input.") and "id" in n}


def find_action(card: dict[str, Any], wanted: dict[str, Any] | str | None) -> dict[str, Any] | None:
    """By its data (a dict), its title or verb (a str), or the first Submit/Execute when None."""
    for action in actions(card):
        if wanted is None or (isinstance(wanted, dict) and action.get("data") == wanted) or (
                isinstance(wanted, str) and wanted in (action.get("title"), action.get("verb"))):
            return action
    return None


def typed_values(card: dict[str, Any], typed: dict[str, Any]) -> tuple[dict[str, Any], list[str], dict[str, str]]:
    """Every input's value as the client sends it (typed, else the card's default, else ""), the ids
    that are not inputs of this card, and the client-side validation errors by input id."""
    fields = inputs(card)
    unknown = [key for key in typed if key not in fields]
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for input_id, spec in fields.items():
        value = typed.get(input_id, spec.get("value", ""))
        value = "" if value is None else value
        values[input_id] = value
        problem = _client_check(spec, value)
        if problem:
            errors[input_id] = spec.get("errorMessage") or problem
    return values, unknown, errors


def _client_check(spec: dict[str, Any], value: Any) -> str | None:
    """The Adaptive Cards renderer's own checks. A required input is set when its value is not the empty
    string (`isSet(): this.value ? true : false` in the JS renderer Teams uses): one space is set, and
    passes; only what the bot then does with it can refuse it."""
    text = str(value)
    if spec.get("isRequired") and text == "":
        return "required"
    max_length = spec.get("maxLength")
    if isinstance(max_length, int) and max_length > 0 and len(text) > max_length:
        return f"longer than {max_length} characters"
    regex = spec.get("regex")
    if regex and text and not re.fullmatch(regex, text):
        return "does not match the expected format"
    return None


def submitted_data(action: dict[str, Any], values: dict[str, Any]) -> Any:
    """Action data with the inputs merged in at the top level (a non-object data is sent alone)."""
    data = action.get("data")
    if data is None:
        return dict(values)
    if isinstance(data, dict):
        return {**data, **values}
    return data
