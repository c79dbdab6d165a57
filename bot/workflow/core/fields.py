"""Parsing helpers shared by the form validators. Each returns a value or an error message."""
from collections.abc import Container, Iterable
from datetime import date
from typing import Any

from bot.workflow.core.unicode_text import control_character, invisible_only

MAX_SHORT = 100
COMMAND_CONTROL = "That command contains a control character (such as a NUL byte); type it again without it."


def control_error(label: str) -> str:
    return (f"The {label} contains a control character (such as a NUL byte) that can't be saved; "
            "type it again without it.")


def control_errors(values: dict[str, Any], labels: dict[str, str], multiline: set[str]) -> dict[str, str]:
    """{field: error} for every submitted value holding a control character: checked for every form
    before its own validator runs, since a NUL byte is refused by PostgreSQL and garbles a message.
    Only multi-line fields may hold a new line or a tab."""
    errors = {}
    for key, value in values.items():
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and control_character(t, key in multiline) for t in texts):
            errors[key] = control_error(labels.get(key) or "field")
    return errors


def text(raw: str | None, *, label: str, max_len: int, required: bool = True,
         single_line: bool = False) -> tuple[str | None, str | None]:
    """Trimmed text; a single-line field also refuses the new lines and tabs a multi-line one may hold. Text
    of invisible characters only (zero-width spaces) is empty: nobody could read it."""
    value = (raw or "").strip()
    if not value or invisible_only(value):
        return None, (f"Enter the {label}." if required else None)
    if control_character(value, multiline=not single_line):
        return None, control_error(label)
    if len(value) > max_len:
        return None, f"Keep the {label} to {max_len} characters or fewer (it has {len(value)})."
    return value, None


def iso_date(raw: object, *, label: str, required: bool = True) -> tuple[date | None, str | None]:
    if not raw:
        return None, (f"Choose the {label}." if required else None)
    try:
        return date.fromisoformat(str(raw)), None
    except ValueError:
        return None, f"The {label} isn't a date the bot could read; pick it from the calendar."


def choice(raw: str | None, options: Container[str], *, label: str) -> tuple[str | None, str | None]:
    if raw in options:
        return raw, None
    return None, f"Choose the {label} from the list."


def choices(raw: Iterable[str] | None, options: Iterable[str], *, label: str) -> tuple[list[str], str | None]:
    values = list(raw or [])
    unknown = [v for v in values if v not in options]
    if unknown:
        return [], f"Choose the {label} from the list."
    return [v for v in options if v in values], None  # keep the form's order


def lines(raw: str | None, *, label: str, max_items: int, max_len: int = MAX_SHORT) -> tuple[list[str], str | None]:
    if control_character(raw or "", multiline=True):
        return [], control_error(label)
    items = [line.strip(" \t-•*") for line in (raw or "").splitlines()]
    items = [i for i in items if i]
    if len(items) > max_items:
        return [], f"List at most {max_items} {label}, one per line."
    too_long = [i for i in items if len(i) > max_len]
    if too_long:
        return [], f"Keep each of the {label} to {max_len} characters (one per line)."
    return items, None


def sentence_start(text: str) -> str:
    """Lower-cases a label's first letter to run on in a sentence, keeping acronyms (CSP, QA)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return text
    return text[:1].lower() + text[1:]
