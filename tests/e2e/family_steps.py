"""Steps for the family's involvement the way the chair or coordinator takes them: `/dhr family`,
then a button in the form that swaps in another form."""
from tests.e2e.evidence_steps import form
from tests.e2e.journey import driver_of


def press(d, user, view, action):
    """A button inside the form: the bot swaps it for another form (same place, another purpose)."""
    d = driver_of(d)
    view = view if hasattr(view, "press") else d.form(user)   # Slack-only tests may pass the fake's view
    before = view.key
    return d.form_after(user, lambda: view.press(action), key=None, differs=before)


def step_form(d, user, space):
    return press(d, user, form(d, user, space, "family"), "dhr.family.open_step")


def record_step(d, user, space, values) -> dict:
    """Submit the step form; {} when saved, or {"errors": {field: message}}."""
    result = step_form(d, user, space).submit(values)
    return {"response_action": "errors", "errors": result.errors} if result.kind == "errors" else {}


def add_contact(d, user, space, relationship="mother"):
    contact = press(d, user, form(d, user, space, "family"), "dhr.family.add")
    contact.submit({"relationship": relationship, "advocacy_offered": "yes", "advocacy_accepted": "yes",
                    "wishes_to_take_part": "yes"})


def register_name(d, user, space, term):
    d = driver_of(d)
    d.command(user, "redact", space=space)
    return d.form(user, "dhr.redaction").submit({"kind": "name", "term": term})
