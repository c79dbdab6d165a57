"""Jinja2 environment for message text. User-entered values are escaped for Slack mrkdwn."""
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def escape(value) -> str:
    """Slack mrkdwn control characters; stops a pseudonym from forging a mention or link."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    autoescape=False,
)
_env.filters["e"] = escape
_env.filters["escape"] = escape


def render(name: str, **context) -> str:
    return _env.get_template(name).render(**context).strip()


def configure(templates_dir: str | None) -> None:
    """A CSP's own templates (e.g. its confidentiality statement) take precedence over ours."""
    loaders = [FileSystemLoader(templates_dir)] if templates_dir else []
    _env.loader = ChoiceLoader(loaders + [FileSystemLoader(TEMPLATES)])
    _env.cache.clear() if _env.cache is not None else None

