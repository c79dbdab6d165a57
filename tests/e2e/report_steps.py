"""The report stages the way users take them: stage forms, the action plan, buttons in DMs."""
from sqlmodel import select

from storage.models import Review
from tests.e2e.driver import COORDINATOR
from tests.e2e.driver.slack import submitted
from tests.e2e.journey import driver_of, today, wait


def review_row(d, reference) -> Review:
    with driver_of(d).db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).one()


def decide(d, space, outcome="review", user=COORDINATOR):
    d = driver_of(d)
    d.command(user, "decide", space=space)
    form = d.form(user, "dhr.decide")
    values = {"outcome": outcome, "decided_on": today().isoformat(), "agencies_consulted_other": "Police",
              "home_office_told_on": today().isoformat(), "decided_by": COORDINATOR, "records_secured_on": today().isoformat()}
    if outcome == "no_review":
        values["no_review_reasons"] = "Suspected suicide with no agency contact."
    result = form.submit(values)
    assert result.kind == "closed", result.pair()


def agree_terms(d, space, reference, user=COORDINATOR) -> None:
    """`/dhr tor` with a date agreed, which moves a review with a chair from set-up to evidence."""
    d = driver_of(d)
    form = modal(d, user, lambda: d.command(user, "tor", space=space))
    values = {"scope_from": "2021-01-01", "scope_to": today().isoformat(), "lines": ["coercive_control"],
              "agencies": [value for _, value in form.field("agencies").options], "agreed_on": today().isoformat()}
    kind, text = form.submit(values).pair()
    assert kind == "notice" and "moved on to evidence gathering" in text, text
    assert review_row(d, reference).stage == "evidence"


def answer(result) -> tuple[str, object]:
    """What a submission did: ("closed", None), ("errors", {field: msg}) or ("notice", text); a form
    stacked on it or every form cleared count as closed, as before. Slack-only tests pass the raw answer."""
    kind, said = (result if hasattr(result, "pair") else submitted(result)).pair()
    return ("closed", None) if kind in ("stacked", "cleared") else (kind, said)


def modal(d, user, send):
    """The form shown after `send` (a command or a press), once it is no longer Loading."""
    return driver_of(d).form_after(user, send)


def choose_step(d, user, chooser, key: str):
    """The step's form, chosen in the stage chooser as the person sees it offered: its own button in a
    Slack modal, or one choice and the dialog's submit in Teams."""
    if chooser.has_field("step"):
        return modal(d, user, lambda: chooser.submit({"step": key}))
    return modal(d, user, lambda: chooser.press(f"dhr.stage_step.{key}"))


def step(d, user, space, key, values) -> tuple[str, object]:
    """`/dhr stage <key>`, fill in the form and submit it; a refusal before the form is ("refused", text)."""
    d = driver_of(d)
    form = modal(d, user, lambda: d.command(user, f"stage {key}", space=space))
    if form.key != "dhr.stage_step":
        return "refused", form.text
    return form.submit(values).pair()


def posts(d, space) -> str:
    return "\n".join(m.text for m in driver_of(d).messages(space))


def wait_post(d, space, words: str) -> str:
    return wait(lambda: words in posts(d, space) and posts(d, space), what=f"a post saying {words!r}")


def dm_with(d, user, words: str):
    return wait(lambda: next((m for m in reversed(driver_of(d).dms(user)) if words in m.text), None),
                what=f"DM {words!r}")


def channel_message_with(d, space, words: str):
    return wait(lambda: next((m for m in reversed(driver_of(d).messages(space)) if words in m.text), None),
                what=f"post {words!r}")


def option(form, key: str, starts: str) -> str:
    return form.option(key, starts, starts=True)


def home_after(d, user, send):
    """The person's home view once `send` (opening it, a press) has made the bot publish it again."""
    return driver_of(d).home_after(user, send)


def home_text(d, user) -> str:
    return driver_of(d).home(user).text


def metadata(form) -> dict:
    return form.metadata


# What a full publication puts out together: the overview report, the executive summary and the
# Home Office's QA letter alongside.
ALL_PUBLISHED = ["overview_report", "executive_summary", "qa_letter"]


# Submission to the Home Office waits for a passing check of the drafts or a reason to go anyway: the
# journeys that are not about the check give the reason (tests/e2e/test_report_check.py is about it).
SUBMIT_ANYWAY = "The drafts were checked by hand before the journey began."


def submission(on: str, **more) -> dict:
    """The submit step's values: its date, and the reason to go without the bot's check."""
    return {"submitted_on": on, "check_reason": SUBMIT_ANYWAY, **more}
