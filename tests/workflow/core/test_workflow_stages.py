import ast
from pathlib import Path

import pytest

from bot.workflow.core import errors
from bot.workflow.core.stages import STAGE_ORDER, Stage, is_open, next_step_text, stage_label
from messages.slack.render import mrkdwn


def test_stage_values_and_order():
    assert [s.value for s in STAGE_ORDER] == [
        "notified", "not_commissioned", "setup", "evidence", "drafting", "sign_off", "submitted",
        "amending", "published", "monitoring", "concluded"]


def test_labels():
    assert stage_label(Stage.SUBMITTED) == "With Home Office QA panel"
    assert stage_label("amending") == "Amending for publication"
    assert Stage.SETUP.label == "Set-up"
    assert len({s.label for s in Stage}) == len(Stage)


def test_next_step_texts():
    assert mrkdwn(next_step_text(Stage.NOTIFIED)) == (
        "The CSP chair decides with partner agencies whether to hold a review (use /dhr decide).")
    assert all(next_step_text(s).words().endswith(".") for s in Stage)
    assert len({next_step_text(s) for s in Stage}) == len(Stage)


@pytest.mark.parametrize("stage", list(Stage))
def test_only_concluded_is_closed(stage):
    assert is_open(stage) is (stage is not Stage.CONCLUDED)


def test_error_messages():
    assert errors.WorkflowError("Do X.").message == "Do X."
    failed = errors.ValidationFailed({"reason": "Say why."})
    assert failed.field_errors == {"reason": "Say why."} and failed.message == "Say why."
    assert errors.ValidationFailed("Bad file.").field_errors == {}
    refused = errors.TransitionRefused("No.", missing=("a",), transition="publish")
    assert (refused.missing, refused.transition, refused.reason) == (["a"], "publish", "missing_facts")
    assert issubclass(errors.PermissionDenied, errors.WorkflowError)
    assert issubclass(errors.NotFound, errors.WorkflowError)


MODULES = ["core/stages", "clock/transitions", "clock/timescales", "clock/workdays", "core/permissions", "core/errors"]
FORBIDDEN = {"slack_bolt", "slack_sdk", "jinja2", "sqlalchemy", "sqlmodel", "requests", "httpx", "urllib",
             "http", "aiohttp", "flask", "storage", "handlers", "messages"}


@pytest.mark.parametrize("name", MODULES)
def test_core_modules_stay_pure(name):
    """No chat platform, templates, database, HTTP or clock in the process core."""
    path = Path(__file__).parents[3] / "bot" / "workflow" / f"{name}.py"
    tree = ast.parse(path.read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m.split(".")[0] for m in imported} & FORBIDDEN
    source = path.read_text()
    assert "date.today(" not in source and "datetime.now(" not in source and "utcnow(" not in source
