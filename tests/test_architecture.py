"""The house rules in architecture.md that code review alone would let slip."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "jinja2", "flask", "waitress", "requests", "urllib", "http")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_workflow_core_imports_no_chat_platform_template_or_http_code():
    for path in (ROOT / "bot" / "workflow").glob("*.py"):
        bad = imports_of(path) & set(FORBIDDEN_IN_CORE)
        assert not bad, f"{path.name} imports {bad}"


def test_handlers_stay_thin():
    for path in (ROOT / "handlers" / "slack").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name != "register":  # a list of listeners
                length = node.end_lineno - node.lineno + 1
                assert length <= 40, f"{path.name}:{node.name} is {length} lines"


def test_handlers_hold_no_sql():
    for path in (ROOT / "handlers" / "slack").glob("*.py"):
        if path.name == "context.py":  # holds the Database handle it passes to the workflow
            continue
        assert not ({"sqlmodel", "sqlalchemy", "storage"} & imports_of(path)), f"{path.name} talks to the database"
