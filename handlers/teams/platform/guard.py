"""What comes in from Teams is checked before any handler sees it, as on Slack: no control character
(a NUL byte is refused by PostgreSQL and garbles a message; only multi-line fields keep new lines and
tabs), and no term on a review's redaction list, in a typed command or in any field of a dialog."""
from bot.workflow.core.fields import COMMAND_CONTROL, control_errors
from bot.workflow.core.form_spec import Kind
from bot.workflow.core.unicode_text import control_character
from bot.workflow.panel.redaction_list import REFUSED_FIELD, Redactions
from messages import tree
from messages.slack.ids import CallbackId


def command_refusal(words: str, redactions: Redactions | None) -> str | None:
    if control_character(words, multiline=True):
        return COMMAND_CONTROL
    if redactions is not None and redactions.hit(words):
        return REFUSED_FIELD
    return None


def field_errors(form: tree.Form, values: dict, redactions: Redactions | None) -> dict[str, str]:
    """Control characters first (every form, the redaction list's too), then registered terms."""
    labels = {f.key: f"field \u201c{f.label}\u201d" for f in form.fields}
    multiline = {f.key for f in form.fields if f.kind == Kind.MULTILINE}
    errors = control_errors(values, labels, multiline)
    if errors or form.callback == CallbackId.REDACTION or redactions is None:
        return errors
    return redactions.field_errors(values)
