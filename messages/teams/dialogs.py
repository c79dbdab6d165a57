"""A neutral form (tree.Form) as a Teams dialog: the task-module answer to task/fetch or task/submit.

An input's id is its field key, so what Teams sends back reads as {field key: value}. Teams has
no server-side field errors (reference/teams-platform.md 2.3): a refused submission is answered
with the same card again, what was typed kept, and an attention line under each bad field.
"""
import datetime as dt
from collections.abc import Mapping

from bot.workflow.core.form_spec import Field, Kind
from messages import tree
from messages.teams.cards import ADAPTIVE, adaptive_card, elements, textblock, texts, with_button_data
from messages.teams.text import display_name, escape, markdown, mentions, plain

LISTS = frozenset({Kind.MULTI_SELECT, Kind.CHECKBOX, Kind.PEOPLE})      # come back as "a,b,c"
PEOPLE_SEARCH = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}
CHOICES_MAX = 100

Names = Mapping[str, str] | None


def dialog(form: tree.Form, *, errors: Mapping | None = None, message=None, values: Mapping | None = None,
           names: Names = None) -> dict:
    """The task module showing `form`; `values` (a previous submission) win over the fields' initial values."""
    errors, values = dict(errors or {}), dict(values or {})
    unknown = set(errors) - form.keys
    if unknown:
        raise ValueError(f"form {form.callback} has no field {sorted(unknown)}: an error there would show nowhere")
    said = [textblock(markdown(message, names), color="attention", weight="Bolder")] if message else []

    def field(f: Field) -> list[dict]:
        value = values[f.key] if f.key in values else f.initial
        return field_elements(f, value, errors.get(f.key), names)

    body = said + elements(form.blocks, names, field)
    if form.metadata:   # a button in a dialog arrives with the dialog's metadata, as one in a Slack modal does
        body = with_button_data(body, {"dhr_meta": dict(form.metadata)})
    if not form.submit and body:     # no submit to carry the form's id: its first element does (it has no inputs)
        body[0] = {**body[0], "id": form.callback}
    lists = sorted(f.key for f in form.fields if f.kind in LISTS)
    submit = [{"type": "Action.Submit", "title": form.submit,
               "data": {"dhr_form": form.callback, "dhr_meta": dict(form.metadata), "dhr_lists": lists}}]
    # an error may name someone too ("R (realistic): <person> is not on the panel")
    entities = mentions(*texts(form.blocks), *([message] if message else []), *errors.values(), names=names)
    content = adaptive_card(body, submit if form.submit else None, entities)
    return {"task": {"type": "continue", "value": {"title": form.title, "card": {"contentType": ADAPTIVE,
                                                                                  "content": content}}}}


def dialog_message(said) -> dict:
    """Closes the dialog with a short message (plain words: Teams shows no markup there)."""
    return {"task": {"type": "message", "value": plain(said)}}


def field_elements(f: Field, value, error, names: Names) -> list[dict]:
    """The input, then its error (attention), then its hint (subtle)."""
    out = [input_element(f, value, names)]
    if error:
        out.append(textblock(markdown(error, names), color="attention", spacing="Small"))
    if f.hint:
        out.append(textblock(escape(f.hint), isSubtle=True, size="Small", spacing="Small"))
    return out


def input_element(f: Field, value, names: Names) -> dict:
    common: dict = {"id": f.key, "label": f.label, "isRequired": f.required}
    if f.required or (f.min and f.kind in (Kind.TEXT, Kind.MULTILINE, Kind.NUMBER)):
        common["errorMessage"] = _client_error(f)
    if f.kind in (Kind.TEXT, Kind.MULTILINE):
        return {"type": "Input.Text", **common, **_text(f, value)}
    if f.kind == Kind.NUMBER:
        return {"type": "Input.Number", **common, **_number(f, value)}
    if f.kind == Kind.DATE:
        day = value.isoformat() if isinstance(value, dt.date) else value
        return {"type": "Input.Date", **common, **_some(value=day if isinstance(day, str) else None,
                                                          placeholder=f.placeholder)}
    if f.kind in (Kind.PERSON, Kind.PEOPLE):
        return {"type": "Input.ChoiceSet", **common, **_people(f, value, names)}
    return {"type": "Input.ChoiceSet", **common, **_choices(f, value)}


def _client_error(f: Field) -> str:
    """What Teams shows under the field when its own checks stop the submit."""
    if f.kind in (Kind.TEXT, Kind.MULTILINE):
        return f"Write at least {f.min} characters." if f.min else "Please fill this in."
    if f.kind == Kind.NUMBER:
        return f"Enter a whole number, {f.min} or more." if f.min is not None else "Enter a number."
    if f.kind == Kind.DATE:
        return "Choose a date."
    return "Choose at least one." if f.kind in LISTS else "Choose one."


def _text(f: Field, value) -> dict:
    return _some(isMultiline=f.kind == Kind.MULTILINE or None, maxLength=f.max_length, placeholder=f.placeholder,
                 regex=f"^[\\s\\S]{{{f.min},}}$" if f.min else None,
                 value=value if isinstance(value, str) and value else None)


def _number(f: Field, value) -> dict:
    try:
        number = None if value is None or isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        number = None
    return _some(min=f.min, value=number, placeholder=f.placeholder)


def _choices(f: Field, value) -> dict:
    many = f.kind in (Kind.MULTI_SELECT, Kind.CHECKBOX)
    expanded = f.kind in (Kind.RADIO, Kind.CHECKBOX)
    about = dict(f.descriptions)
    choices = [{"title": f"{label} – {about[v]}" if about.get(v) else label, "value": v}
               for v, label in f.options[:CHOICES_MAX]]
    return _some(style="expanded" if expanded else "compact", isMultiSelect=many or None, wrap=True,
                 placeholder=None if expanded else (f.placeholder or "Choose…"), choices=choices,
                 value=_joined(value, many))


def _people(f: Field, value, names: Names) -> dict:
    many = f.kind == Kind.PEOPLE
    chosen = _joined(value, many)
    # The people already chosen are offered as choices, so Teams shows their names, not bare ids.
    choices = [{"title": display_name(person, names or {}), "value": person}
               for person in (chosen or "").split(",") if person]
    return {"choices": choices, "choices.data": dict(PEOPLE_SEARCH),
            **_some(isMultiSelect=many or None, value=chosen,
                    placeholder=f.placeholder or ("Type names" if many else "Type a name"))}


def _joined(value, many: bool) -> str | None:
    if isinstance(value, str):
        return value or None
    if many and isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(str(v) for v in value if isinstance(v, str) and v) or None
    return None


def _some(**properties) -> dict:
    return {k: v for k, v in properties.items() if v is not None}
