"""Every modal title the bot can show fits Slack's 24 characters as written: none is cut mid-word.

Titles are literals passed to the modal builders (or TITLE / title constants), plus the report
steps' titles; the builder refuses a longer one rather than cutting it."""
import ast
from pathlib import Path

import pytest

from bot.workflow.report import report
from messages.report import plan as plan_msgs
from messages.slack import blocks as bk
from messages.slack import render

ROOT = Path(__file__).resolve().parents[1]
# builder name -> the indexes its title argument may have (the neutral Form, and the Slack builders)
TITLE_ARG = {"modal": (0,), "notice": (0,), "loading": (0,), "result": (0,), "open_loading": (2,), "open_built": (3,),
             "open_form": (2, 3), "refused": (1,), "_submission": (1,), "Form": (1,),
             "submit": (1,), "submitted": (2,)}


def _literal_titles() -> list[tuple[str, str]]:
    found = []
    for path in list((ROOT / "messages").rglob("*.py")) + list((ROOT / "handlers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                for index in TITLE_ARG.get(name, ()):
                    if len(node.args) > index and isinstance(node.args[index], ast.Constant) \
                            and isinstance(node.args[index].value, str):
                        found.append((f"{path.name}:{node.lineno}", node.args[index].value))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                    any(isinstance(t, ast.Name) and t.id in ("TITLE", "title") for t in node.targets):
                found.append((f"{path.name}:{node.lineno}", node.value.value))
    return found


def test_every_literal_modal_title_fits():
    titles = _literal_titles()
    assert len(titles) > 30      # the scan finds the forms (a renamed builder would otherwise pass silently)
    too_long = [(where, t) for where, t in titles if not 0 < len(t) <= bk.TITLE_MAX]
    assert too_long == []


@pytest.mark.parametrize("key", list(report.STEPS))
def test_every_stage_step_form_has_its_whole_title(key):
    step = report.STEPS[key]
    view = render.modal(plan_msgs.step_form(1, "DHR-2026-01", step, "2026-01-05"))
    assert view["title"]["text"] == step.title and len(step.title) <= bk.TITLE_MAX
    assert not view["title"]["text"].endswith("…")


def test_a_title_too_long_is_refused_not_cut():
    with pytest.raises(ValueError):
        bk.modal("Copy sent to the DA Commissioner", [bk.section("x")], callback_id="x")
