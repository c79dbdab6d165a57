"""Steps for the evidence journeys: a staffed review, the forms, the DMs."""
from sqlmodel import select

from storage.models import Review
from tests.e2e.driver import CHAIR, COORDINATOR, HEALTH, OBSERVER, POLICE
from tests.e2e.journey import block_text, create_review, driver_of, wait
from tests.e2e.panel_steps import join

AGENCIES = ["Northshire Police", "Northshire NHS Trust", "Northshire Probation"]


def staffed_review(d, general, *, panel=True) -> tuple[str, str]:
    """Coordinator; chair; POLICE leads Northshire Police, HEALTH leads the NHS trust; OBSERVER sits on the
    panel for the police. Probation has no lead."""
    reference, space = create_review(d, COORDINATOR, general)
    join(d, space, CHAIR, "chair", by=COORDINATOR)
    join(d, space, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    join(d, space, HEALTH, "agency_lead", "Northshire NHS Trust", by=COORDINATOR)
    if panel:
        join(d, space, OBSERVER, "panel_member", "Northshire Police", by=COORDINATOR)
    return reference, space


def form(d, user, space, word):
    """The form `/dhr <word>` opens (a fresh one: the command closes any open form first)."""
    return driver_of(d).open_form(user, word, space=space)


def view_text(d, view) -> str:
    """What a form shows now (it may have changed since it opened). Slack-only tests pass a view id."""
    return view.text if hasattr(view, "text") else block_text(driver_of(d).fake.views[view].blocks)


def review_row(d, reference) -> Review:
    with driver_of(d).db.session() as s:
        return s.exec(select(Review).where(Review.reference == reference)).one()


def card_text(d, reference) -> str:
    """The summary card as the review's members read it in its space."""
    d = driver_of(d)
    return d.card(d.space_of(reference)).text


def channel_texts(d, space) -> str:
    return "\n".join(m.text for m in driver_of(d).messages(space))


def dms_with(d, user, words) -> list:
    return [m for m in driver_of(d).dms(user) if words in m.text]


def buttons(message) -> dict[str, str]:
    """action id -> value of every button in a message."""
    out = {}
    for b in message.buttons:
        out.setdefault(b.action, b.value)
    return out


def all_buttons(message) -> list[tuple[str, str]]:
    return [(b.action, b.value) for b in message.buttons]


def wait_text(fn, words: str, what: str):
    return wait(lambda: words in (t := fn()) and t, what=what)
