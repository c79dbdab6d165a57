"""What a form asks, written once beside the validator that reads it.

A FormSpec subclass declares its fields as class attributes; a field's key is its attribute name,
so the validator (`raw[Spec.scope.key]`, `errors[Spec.scope.key] = ...`), the neutral form
(messages/, which lays the fields out with text between them) and the inline errors all use the
same key. Options that come from the database are given when the form is built: `field.but(...)`.
"""
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.workflow.core.errors import ValidationFailed


class Kind(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    DATE = "date"                # ISO yyyy-mm-dd
    NUMBER = "number"
    SELECT = "select"            # one option, from a list
    RADIO = "radio"              # one option, all shown
    MULTI_SELECT = "multi_select"
    CHECKBOX = "checkbox"        # any of the options, all shown
    PERSON = "person"            # a person reference
    PEOPLE = "people"


CHOICES = frozenset({Kind.SELECT, Kind.RADIO, Kind.MULTI_SELECT, Kind.CHECKBOX})


@dataclass(frozen=True)
class Field:
    label: str
    kind: Kind = Kind.TEXT
    hint: str | None = None
    required: bool = True
    max_length: int | None = None
    min: int | None = None                      # least number (NUMBER) or length (text)
    options: Any = ()                           # {value: label} or ((value, label), ...)
    descriptions: Any = ()                      # {value: a line under the option}
    placeholder: str | None = None
    initial: Any = None                         # str, list of values, a person's id
    key: str = ""

    def __post_init__(self) -> None:
        for name in ("options", "descriptions"):
            value = getattr(self, name)
            object.__setattr__(self, name, tuple(value.items()) if isinstance(value, Mapping) else tuple(value))
        if self.kind in CHOICES and not self.options and self.key:
            raise ValueError(f"field {self.key} ({self.kind}) needs options")

    def __set_name__(self, owner: type, name: str) -> None:
        if not self.key:
            object.__setattr__(self, "key", name)

    @property
    def choices(self) -> dict[str, str]:
        return dict(self.options)

    def but(self, **changes: Any) -> "Field":
        """The same field (same key) with other options, initial value, hint...: for one showing."""
        return dataclasses.replace(self, **changes)

    def of(self, raw: Mapping[str, Any]) -> Any:
        """This field's submitted value."""
        return raw.get(self.key)


class FormSpec:
    """Subclass with Field attributes. The spec is never instantiated."""

    @classmethod
    def fields(cls) -> list[Field]:
        seen: dict[str, Field] = {}
        for klass in reversed(cls.__mro__):
            for value in vars(klass).values():
                if isinstance(value, Field):
                    seen[value.key] = value
        return list(seen.values())

    @classmethod
    def keys(cls) -> frozenset[str]:
        return frozenset(f.key for f in cls.fields())

    @classmethod
    def invalid(cls, errors: Mapping[str, str], message: str | None = None) -> ValidationFailed:
        """The refusal to raise; every key must be one of this form's fields (a typo would send
        the platform an error for no input, which leaves the person at a dead end)."""
        unknown = set(errors) - cls.keys()
        if unknown:
            raise KeyError(f"{cls.__name__} has no field {sorted(unknown)}")
        return ValidationFailed(dict(errors), message)
