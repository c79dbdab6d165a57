"""Steps a user takes, through the journeys' driver: the tests read like the journey.

Helpers take the driver (tests/e2e/driver). Slack-only tests may still hand them the `bot` fixture:
`driver_of` wraps it in the Slack driver."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.workflow.clock.timescales import add_months
from tests.e2e.driver import Driver, Space
from tests.e2e.driver.slack import SlackDriver, block_text, wait
from tests.e2e.server import Bot

__all__ = ["block_text", "wait"]  # re-exported for the Slack-only tests that read Block Kit


def driver_of(x) -> Driver:
    if isinstance(x, Bot):
        if getattr(x, "_driver", None) is None:
            x._driver = SlackDriver(x)
        return x._driver
    return x


def today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def open_view(d, user, callback_id: str | None = None, timeout: float = 10.0):
    """The form the person is looking at once the bot has replaced its Loading view."""
    return driver_of(d).form(user, callback_id, timeout)


def new_review_values(ref: str, **overrides) -> dict:
    values = {"reference": ref, "notified_on": today().isoformat(), "notifying_agency": "Police",
              "victim_pseudonym": "Adult A", "perpetrator_pseudonym": "Adult B", "victim_age": "34",
              "relationship": "former_partner", "suspected_suicide": "no", "confidentiality": ["agreed"]}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def initial_value(form, key: str):
    return form.initial(key)


def start_new_review(d, user, space):
    d = driver_of(d)
    response = d.command(user, "new", space=space)
    assert response.status == 200
    return d.form(user, "dhr.new_review")


def create_review(d, user, space, **overrides) -> tuple[str, Space]:
    """Runs the whole `new` journey; returns (reference, the review's space)."""
    d = driver_of(d)
    form = start_new_review(d, user, space)
    reference = overrides.pop("reference", None) or form.initial("reference")
    before = len(d.dms(user))
    result = form.submit(new_review_values(reference, **overrides))
    assert result.kind != "errors", result.errors
    done = wait(lambda: setup_outcome(form) or ready_later(d, user, before), what="set-up outcome")
    assert "is open in" in done or "is ready" in done, done
    return reference, d.space_of(reference)


def setup_outcome(form) -> str | None:
    """The words the new-review form ends with: open, or not ready and why."""
    text = form.text
    return text if ("is open in" in text or "not ready" in text) else None


def ready_later(d, user, before: int) -> str | None:
    """Teams: a dialog cannot change once answered, so set-up that outlasts the dialog's wait (Teams' send
    pacing slows it under a journey's pace) says it is ready in the person's 1:1 chat instead."""
    if d.platform != "teams":
        return None
    return next((m.text for m in d.dms(user)[before:] if "is ready" in m.text), None)


def decision_due(notified_on: date) -> date:
    return add_months(notified_on, 1)


def show(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"
