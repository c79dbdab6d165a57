"""Report steps the way users take them: /dhr stage forms, the action plan, buttons in DMs."""
import json

from sqlmodel import select

from storage.models import Review
from tests.e2e.journey import block_text, open_view, today, wait
from tests.e2e.server import COORDINATOR


def review_row(bot, reference) -> Review:
    with bot.db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).one()


def decide(bot, space_id, outcome="review", user=COORDINATOR):
    bot.slack.command(user, space_id, text="decide")
    view = open_view(bot, user, "dhr.decide")
    values = {"outcome": outcome, "decided_on": today().isoformat(), "agencies_consulted_other": "Police",
              "home_office_told_on": today().isoformat()}
    if outcome == "no_review":
        values["no_review_reasons"] = "Suspected suicide with no agency contact."
    response = bot.slack.submit_view(user, view.id, values)
    assert response.text in ("", "{}"), response.text


def agree_terms(bot, space_id, reference, user=COORDINATOR) -> None:
    """`/dhr tor` with a date agreed, which moves a review with a chair from set-up to evidence."""
    view = modal(bot, user, lambda: bot.slack.command(user, space_id, text="tor"))
    agencies = next(b for b in view.blocks if b.get("block_id") == "agencies")["element"]["options"]
    values = {"scope_from": "2021-01-01", "scope_to": today().isoformat(), "lines": ["coercive_control"],
              "agencies": [o["value"] for o in agencies], "agreed_on": today().isoformat()}
    kind, text = answer(bot.slack.submit_view(user, view.id, values))
    assert kind == "notice" and "moved on to evidence gathering" in text, text
    assert review_row(bot, reference).stage == "evidence"


def answer(response) -> tuple[str, object]:
    """What a view_submission ack did: ("closed", None), ("errors", {field: msg}) or ("notice", text)."""
    body = response.json() if response.text not in ("", "{}") else {}
    if body.get("response_action") == "errors":
        return "errors", body["errors"]
    if body.get("response_action") == "update":
        return "notice", block_text(body["view"]["blocks"])
    return "closed", None


def modal(bot, user, send):
    """The modal shown after `send` (a command or a click), once it is no longer Loading."""
    old = bot.fake.open_view_for(user)
    seen = (old.id, old.hash) if old is not None else None
    send()
    return wait(lambda: (v := bot.fake.open_view_for(user)) is not None and (v.id, v.hash) != seen
                and "Loading" not in block_text(v.blocks) and v, what=f"a modal for {user}")


def step(bot, user, space_id, key, values) -> tuple[str, object]:
    """`/dhr stage <key>`, fill in the form and submit it; a refusal before the form is ("refused", text)."""
    view = modal(bot, user, lambda: bot.slack.command(user, space_id, text=f"stage {key}"))
    if view.callback_id != "dhr.stage_step":
        return "refused", block_text(view.blocks)
    return answer(bot.slack.submit_view(user, view.id, values))


def posts(bot, space_id) -> str:
    return "\n".join((m.text or "") + " " + block_text(m.blocks or []) for m in bot.fake.messages(space_id))


def wait_post(bot, space_id, words: str) -> str:
    return wait(lambda: words in posts(bot, space_id) and posts(bot, space_id), what=f"a post saying {words!r}")


def dm_with(bot, user, words: str):
    return wait(lambda: next((m for m in reversed(bot.fake.dm_messages(user))
                              if words in (m.text or "") + block_text(m.blocks or [])), None), what=f"DM {words!r}")


def channel_message_with(bot, space_id, words: str):
    return wait(lambda: next((m for m in reversed(bot.fake.messages(space_id))
                              if words in (m.text or "") + block_text(m.blocks or [])), None), what=f"post {words!r}")


def option(view, block_id: str, starts: str) -> str:
    block = next(b for b in view.blocks if b.get("block_id") == block_id)
    return next(o["value"] for o in block["element"]["options"] if o["text"]["text"].startswith(starts))


def published(bot, user) -> int:
    return len([c for c in bot.fake.calls("views.publish") if c.params.get("user_id") == user and c.ok])


def home_after(bot, user, send):
    """The user's Home view once `send` (opening the tab, a click) has made the bot publish it again."""
    before = published(bot, user)
    send()
    wait(lambda: published(bot, user) > before, what="the Home tab")
    return bot.fake.home_view(user)


def home_text(bot, user) -> str:
    return block_text(home_after(bot, user, lambda: bot.slack.event(
        {"type": "app_home_opened", "user": user, "tab": "home"})).blocks)


def metadata(view) -> dict:
    return json.loads(view.private_metadata or "{}")
