"""A submitted dialog (task/submit `value.data`) back into {field key: value}.

Teams sends each input's id with a string: a multi-select as "a,b,c", a people picker as the
chosen people's ids. The values come back typed as the Slack reader gives them: a list for the
multi-valued kinds, a string otherwise, None when empty. The data is whatever the client sent, so
a value that is not a string is taken as missing, never trusted.
"""
from collections.abc import Mapping

from messages import tree
from messages.teams.dialogs import LISTS

RESERVED = ("dhr_", "msteams")


def read_submission(data: Mapping, form: tree.Form | None = None) -> dict:
    """With `form`: every field's key (and no other). Without: what was sent, minus the bot's own keys,
    lists named by the `dhr_lists` the dialog put in its submit data."""
    if not isinstance(data, Mapping):
        return {}
    if form is not None:
        return {f.key: _value(data.get(f.key), f.kind in LISTS) for f in form.fields}
    lists = data.get("dhr_lists")
    lists = {k for k in lists if isinstance(k, str)} if isinstance(lists, list) else set()
    return {key: _value(value, key in lists) for key, value in data.items()
            if isinstance(key, str) and not key.startswith(RESERVED)}


def _value(value, many: bool):
    said = value if isinstance(value, str) else ""
    if many:
        return [v.strip() for v in said.split(",") if v.strip()]
    return said if said.strip() else None     # what was typed, as typed; blank is nothing


def form_callback(data: Mapping) -> str | None:
    """Which form was submitted (the dialog's `dhr_form`)."""
    callback = data.get("dhr_form") if isinstance(data, Mapping) else None
    return callback if isinstance(callback, str) and callback else None


def form_metadata(data: Mapping) -> dict:
    """The form's metadata as the bot wrote it (ids, never case content), or {} if missing or junk."""
    meta = data.get("dhr_meta") if isinstance(data, Mapping) else None
    if not isinstance(meta, dict):
        return {}
    scalar = (str, int, float, bool, type(None))
    return dict(meta) if all(isinstance(k, str) and isinstance(v, scalar) for k, v in meta.items()) else {}
