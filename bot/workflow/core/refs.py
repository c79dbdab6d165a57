"""Opaque references to a person, a space and a message on whichever platform holds them.

The workflow passes them around and compares them; only the platform's adapter reads `id`.
`address` is what a platform needs to reach the person or space unprompted (a Teams
conversation reference, as JSON text); some platforms need none. It never takes part in equality.
"""
import re
from dataclasses import dataclass, field

# A person's id as each platform we serve gives it, checked before it is stored: an id of one
# workspace (U0…, W0…) or a directory object id (a GUID, in lower case as the adapter hands it on).
PERSON_ID_RE = re.compile(r"^(?:[UW][A-Z0-9]{2,30}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


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
