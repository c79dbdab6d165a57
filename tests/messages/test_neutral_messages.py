"""Messages are written once, as the neutral tree; only messages/slack/ speaks Block Kit.

STILL_BLOCK_KIT lists the modules not converted yet: it only shrinks (an entry for a module that no
longer imports Block Kit fails, so it is taken out when its conversion lands)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "messages"
BLOCK_KIT = ("slack_sdk", "messages.slack.blocks", "messages.slack.render")

SLACK_SIDE = {   # Slack's own, by design: not builders
    "messages/render.py": "the table that renders each workflow notice for Slack",
}
STILL_BLOCK_KIT: dict[str, str] = {   # builders still writing Block Kit: convert, then delete the entry
}


def slack_imports(path: Path) -> set[str]:
    """The Slack rendering modules `path` imports (`from messages.slack import blocks` counts as
    messages.slack.blocks)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found |= {n for n in names for b in BLOCK_KIT if n == b or n.startswith(b + ".")}
    return found


def builders() -> dict[str, Path]:
    return {str(p.relative_to(ROOT)): p for p in MESSAGES.rglob("*.py")
            if not p.is_relative_to(MESSAGES / "slack")}


def test_no_builder_outside_messages_slack_writes_block_kit():
    writing = {name for name, path in builders().items() if slack_imports(path)}
    extra = writing - set(SLACK_SIDE) - set(STILL_BLOCK_KIT)
    assert not extra, f"{sorted(extra)} write Block Kit: build the neutral tree (messages/tree.py) instead"


def test_the_list_of_builders_still_in_block_kit_only_shrinks():
    converted = {name for name in STILL_BLOCK_KIT if not slack_imports(ROOT / name)}
    assert not converted, f"converted to the tree: take {sorted(converted)} out of STILL_BLOCK_KIT"
