"""Opaque references to a person, a space and a message on whichever platform holds them.

The workflow passes them around and compares them; only the platform's adapter reads `id`.
`address` is what a platform needs to reach the person or space unprompted (a Teams
conversation reference, as JSON text); some platforms need none. It never takes part in equality.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PersonRef:
    id: str
    address: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SpaceRef:
    id: str
    name: str = field(default="", compare=False)
    address: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class MessageRef:
    id: str
