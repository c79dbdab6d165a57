"""Steps a user takes, through the fake Slack's client: the tests read like the journey."""
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.workflow.clock.timescales import add_months


def today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def wait(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def block_text(blocks) -> str:
    """Every piece of text in a list of blocks, for assertions on what a user reads."""
    out = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(out)


def open_view(bot, user: str, callback_id: str | None = None, timeout: float = 10.0):
    """The modal the user is looking at once the bot has replaced its Loading view."""
    def ready():
        view = bot.fake.open_view_for(user)
        if view is None or "Loading" in block_text(view.blocks):
            return None
        if callback_id and view.callback_id != callback_id:
            return None
        return view
    return wait(ready, timeout, f"a modal for {user}")


def new_review_values(ref: str, **overrides) -> dict:
    values = {"reference": ref, "notified_on": today().isoformat(), "notifying_agency": "Police",
              "victim_pseudonym": "Adult A", "perpetrator_pseudonym": "Adult B", "victim_age": "34",
              "relationship": "former_partner", "suspected_suicide": "no", "confidentiality": ["agreed"]}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def initial_value(view, block_id: str):
    for block in view.blocks:
        if block.get("block_id") == block_id:
            element = block["element"]
            return element.get("initial_value") or element.get("initial_date")
    raise AssertionError(f"no input {block_id}")


def start_new_review(bot, user: str, channel: str):
    response = bot.slack.command(user, channel, text="new")
    assert response.status == 200
    return open_view(bot, user, "dhr.new_review")


def create_review(bot, user: str, channel: str, **overrides) -> tuple[str, str]:
    """Runs the whole /dhr new journey; returns (reference, space_id)."""
    view = start_new_review(bot, user, channel)
    reference = overrides.pop("reference", None) or initial_value(view, "reference")
    response = bot.slack.submit_view(user, view.id, new_review_values(reference, **overrides))
    assert response.status == 200, response.text
    done = wait(lambda: _setup_finished(bot, view.id), what="set-up outcome")
    assert "is open in" in done, done
    with bot.db.session() as s:
        from sqlmodel import select

        from storage.models import Review
        review = s.exec(select(Review).where(Review.reference == reference)).one()
    return reference, review.space_id


def _setup_finished(bot, view_id: str):
    view = bot.fake.views.get(view_id)
    text = block_text(view.blocks) if view else ""
    return text if ("is open in" in text or "not ready" in text) else None


def decision_due(notified_on: date) -> date:
    return add_months(notified_on, 1)


def show(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"
