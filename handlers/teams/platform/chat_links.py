"""Links to review chats, by the chat's name, on Teams.

The neutral text links a space by its id alone: Slack draws the channel from the id, but Teams shows
nothing a person can read for a chat id. So before a message or a dialog is drawn, each link to a
review's chat gets the name the bot gave that chat (its reference); a chat it does not know stays
"the review chat".
"""
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from bot.workflow.core.text import SpaceLink

NamesOf = Callable[[Iterable[str]], Mapping[str, str]]


def named(value: Any, names_of: NamesOf) -> Any:
    """`value` (a Text, message or form) with its unnamed chat links named; `names_of(chat ids)` looks them up."""
    linked = set(_unnamed(value))
    names = names_of(linked) if linked else {}
    return _named(value, names) if names else value


def _parts(node: Any) -> Iterable[Any]:
    if isinstance(node, (tuple, list)):
        return node
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [getattr(node, f.name) for f in dataclasses.fields(node)]
    return ()


def _unnamed(node: Any) -> Iterator[str]:
    if isinstance(node, SpaceLink):
        if node.space.id and not node.space.name:
            yield node.space.id
        return
    for part in _parts(node):
        yield from _unnamed(part)


def _named(node: Any, names: Mapping[str, str]) -> Any:
    """The same node where nothing changed, so only the way down to a link is rebuilt."""
    if isinstance(node, SpaceLink):
        name = names.get(node.space.id)
        return SpaceLink(dataclasses.replace(node.space, name=name)) if name and not node.space.name else node
    if isinstance(node, (tuple, list)):
        parts = [_named(part, names) for part in node]
        return node if all(a is b for a, b in zip(parts, node)) else type(node)(parts)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changed = {}
        for f in dataclasses.fields(node):
            if f.init and (new := _named(getattr(node, f.name), names)) is not getattr(node, f.name):
                changed[f.name] = new
        return dataclasses.replace(node, **changed) if changed else node
    return node
