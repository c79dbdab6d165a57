"""The house rules on layers and imports that code review alone would let slip."""
import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "jinja2", "flask", "waitress", "requests", "urllib", "http")
PACKAGES = ("bot", "handlers", "messages", "storage")

# The workflow's capability subpackages, lowest layer first: a module imports only its own
# subpackage or a lower one.
WORKFLOW_LAYERS = ("core", "clock", "intake", "evidence", "panel", "report", "reminders", "views")

# Function-level imports of our own modules, each with the reason it can't sit at the top.
LAZY_IMPORTS_ALLOWED = {
    # A migration is frozen history: it reads the code of its own day, only when it runs.
    "storage.migrations.versions.0003_panel_agreements_redaction_encryption": "frozen migration",
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for top in PACKAGES for p in (ROOT / top).rglob("*.py")}


MODULES = project_modules()


def imported_modules(path: Path, *, nested_only: bool = False) -> set[str]:
    """Our modules that `path` imports (`from pkg import mod` counts as mod), anywhere in the file
    or, with nested_only, inside functions only."""
    tree = ast.parse(path.read_text())
    nodes = ast.walk(tree)
    if nested_only:
        nodes = (n for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for n in ast.walk(f))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                if sub in MODULES:
                    found.add(sub)
                elif node.module in MODULES:
                    found.add(node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    return {name: imported_modules(path) - {name} for name, path in MODULES.items()}


def test_the_workflow_core_imports_no_chat_platform_template_or_http_code():
    for path in (ROOT / "bot" / "workflow").rglob("*.py"):
        bad = imports_of(path) & set(FORBIDDEN_IN_CORE)
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[:2] != ["bot", "workflow"] or len(parts) < 4:
        return None
    return WORKFLOW_LAYERS.index(parts[2])


def test_every_workflow_module_sits_in_a_layer():
    for name in MODULES:
        parts = name.split(".")
        if parts[:2] == ["bot", "workflow"] and len(parts) > 2:
            assert parts[2] in WORKFLOW_LAYERS, f"{name} is outside the workflow's capability subpackages"


def test_workflow_modules_import_only_their_own_or_lower_layers():
    for name, deps in import_graph().items():
        own = layer_of(name)
        if own is None:
            continue
        for dep in deps:
            layer = layer_of(dep)
            assert layer is None or layer <= own, \
                f"{name} ({WORKFLOW_LAYERS[own]}) imports {dep} ({WORKFLOW_LAYERS[layer]}), a higher layer"


def test_packages_import_only_downwards():
    rules = {  # importer prefix: prefixes it must not import
        "bot.workflow": ("handlers", "messages", "bot.web", "bot.runtime", "bot.scheduler", "bot.sandbox",
                         "bot.slackfake", "slack_bolt", "slack_sdk"),
        "messages": ("handlers",),
        "storage": ("bot", "handlers", "messages"),
    }
    for name, path in MODULES.items():
        for prefix, banned in rules.items():
            if name != prefix and not name.startswith(prefix + "."):
                continue
            deps = imported_modules(path) | imports_of(path)
            bad = {d for d in deps for b in banned if d == b or d.startswith(b + ".")}
            assert not bad, f"{name} imports {sorted(bad)}"


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):   # Tarjan's algorithm, iterative enough for a few hundred modules
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            found.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    graph = import_graph()
    # A package's __init__ is imported with any of its modules: only an explicit import is an edge.
    cycles = [sorted(c) for c in strongly_connected(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_no_function_level_imports_of_our_modules():
    for name, path in MODULES.items():
        if name in LAZY_IMPORTS_ALLOWED:
            continue
        nested = imported_modules(path, nested_only=True)
        assert not nested, f"{name} imports {sorted(nested)} inside a function"


def slack_handler_files():
    return sorted((ROOT / "handlers" / "slack").rglob("*.py"))


def handler_lengths(include_register: bool):
    for path in slack_handler_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and (include_register or node.name != "register"):
                yield path, node.name, node.end_lineno - node.lineno + 1


def test_handlers_stay_thin():
    for path, name, length in handler_lengths(include_register=False):
        assert length <= 40, f"{path.relative_to(ROOT)}:{name} is {length} lines"


def test_handlers_stay_thin_register_included():
    long = [f"{p.relative_to(ROOT)}:{n} is {length} lines" for p, n, length in handler_lengths(include_register=True)
            if length > 40]
    assert not long, long


def test_handlers_hold_no_sql():
    for path in slack_handler_files():
        if path.name == "context.py":  # holds the Database handle it passes to the workflow
            continue
        assert not ({"sqlmodel", "sqlalchemy", "storage"} & imports_of(path)), \
            f"{path.relative_to(ROOT)} talks to the database"


# Words and ids only Slack has. Names of stored data (a ledger column, an audit key already written)
# are identifiers, not wording, and are not scanned: only string literals, comments and docstrings are.
SLACK_WORDING = re.compile(r"<@|<#|/dhr|\bslack\b|\bchannels?\b|\bmrkdwn\b|block kit|\bmodals?\b|"
                           r"not_in_channel|channel_not_found|is_archived|ratelimited|invalid_auth|missing_scope|"
                           r"user_not_found|account_inactive|startswith\(.D.\)", re.IGNORECASE)
STORED_NAMES = {"channel", "slack_user_id", "channel_ready"}   # audit keys and actions written before


def _wording(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    found = [(tok.start[0], tok.string) for tok in tokenize.generate_tokens(io.StringIO(source).readline)
             if tok.type in (tokenize.STRING, tokenize.COMMENT)]
    found += [(n, line) for n, line in enumerate(source.splitlines(), 1) if "startswith(\"D\")" in line]
    return [(n, s) for n, s in found if SLACK_WORDING.search(s) and s.strip("\"' ") not in STORED_NAMES]


def test_the_workflow_says_nothing_only_slack_has():
    """Mentions, command hints and the word for a space are rendered per platform, never written here."""
    workflow = sorted((ROOT / "bot" / "workflow").rglob("*.py"))
    offending = [f"{p.relative_to(ROOT)}:{n}: {s.strip()[:80]}" for p in workflow for n, s in _wording(p)]
    assert not offending, "\n".join(offending)
