"""Reading Slack payloads into plain values for the workflow validators."""
import json

from messages.slack.render import read_state as state_values  # noqa: F401  (one reader of a submitted view)


def metadata(view: dict) -> dict:
    """The view's private_metadata as the bot wrote it (a JSON object), or {} if missing or forged junk."""
    try:
        value = json.loads(view.get("private_metadata") or "{}")
    except (ValueError, RecursionError):   # "[[[…" deeper than the parser goes
        return {}
    return value if isinstance(value, dict) else {}


def metadata_id(view: dict, key: str = "review_id") -> int | None:
    """The review id carried in private_metadata, or None if it is missing or forged junk."""
    value = metadata(view).get(key)
    return value if isinstance(value, int) and value > 0 else None


def metadata_channel(view: dict) -> str | None:
    """The channel a form was opened from (for a private reply there), or None if missing or junk."""
    value = metadata(view).get("channel_id")
    return value if isinstance(value, str) and value.isalnum() and len(value) < 40 else None


def int_value(raw) -> int | None:
    """A positive id from a button's value, or None. ASCII digits only: "²" passes isdigit() but
    not int(), and "١" would read as 1."""
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def input_fields(view: dict) -> tuple[dict[str, str], set[str]]:
    """({block_id: label as shown}, {block_ids of multi-line text inputs}) of a submitted view."""
    labels, multiline = {}, set()
    for block in view.get("blocks") or []:
        if not isinstance(block, dict) or block.get("type") != "input":
            continue
        block_id = block.get("block_id")
        labels[block_id] = "field \u201c" + str((block.get("label") or {}).get("text") or block_id) + "\u201d"
        if (block.get("element") or {}).get("multiline"):
            multiline.add(block_id)
    return labels, multiline
