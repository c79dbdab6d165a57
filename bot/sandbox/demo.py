"""`python -m bot sandbox --demo`: a fictional review half way through, made the way people make
it, through the bot's own request path (signed slash commands, form submissions and clicks).

To show a new feature in the demo, add a step: a function taking the Demo and one line in STEPS.
Helpers: demo.command(person, channel, text) runs a /dhr command and returns the modal it opens;
demo.submit(person, view, values) submits it ({block_id: value}); demo.agree(person) presses
"I agree" on their invitation; demo.channel is the review's channel once the review exists.
"""
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

from bot.sandbox.people import ADMIN, AGENCIES, AUTHOR, CHAIR, COORDINATOR, HEALTH, POLICE
from bot.slackfake.viewstate import options_of

NOTIFIED_DAYS_AGO = 12


class DemoFailed(RuntimeError):
    """A step did not have the effect it should (the message says which)."""


@dataclass
class Demo:
    sandbox: object
    channel: str = ""
    reference: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def fake(self):
        return self.sandbox.fake

    def today(self):
        return self.sandbox.clock.today()

    def wait(self, condition, what: str, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.fake.ws.lock:
                value = condition()
            if value:
                return value
            time.sleep(0.05)
        raise DemoFailed(f"the demo timed out waiting for {what}")

    def command(self, person, channel: str, text: str, callback_id: str | None = None):
        resp = self.sandbox.platform.command(person.id, channel, text=text)
        if resp.status != 200:
            raise DemoFailed(f"/dhr {text} answered HTTP {resp.status}")
        return self.wait(lambda: self._ready_modal(person.id, callback_id), f"the form of /dhr {text}")

    def _ready_modal(self, user_id: str, callback_id: str | None):
        view = self.fake.open_view_for(user_id)
        if view is None or view.callback_id in ("dhr.loading", "") or (callback_id and view.callback_id != callback_id):
            return None
        return view

    def submit(self, person, view, values: dict) -> None:
        resp = self.sandbox.platform.submit_view(person.id, view.id, values)
        if resp.outcome == "errors":
            raise DemoFailed(f"the form {view.callback_id} was refused: {view.errors}")
        if resp.outcome == "generic_error":
            raise DemoFailed(f"the form {view.callback_id} failed")

    def option(self, view, block_id: str, label: str) -> str:
        block = next(b for b in view.blocks if b.get("block_id") == block_id)
        return next(o["value"] for o in options_of(block["element"]) if o["text"]["text"] == label)

    def invitation(self, person):
        def found():
            return next((m for m in reversed(self.fake.dm_messages(person.id))
                         if any(e.get("action_id") == "dhr.agree" for b in m.blocks or [] for e in b.get("elements", []))),
                        None)
        return self.wait(found, f"{person.name}'s invitation")

    def agree(self, person) -> None:
        dm = self.invitation(person)
        self.sandbox.platform.click(person.id, "dhr.agree", message=(dm.channel, dm.ts))
        self.wait(lambda: person.id in self.fake.channels[self.channel].members, f"{person.name} joining")

    def add_to_panel(self, person, role: str, agency: str | None = None, by=ADMIN) -> None:
        view = self.command(by, self.channel, "panel", "dhr.panel")
        values = {"change": "add", "person": person.id, "role": role}
        if agency:
            values["agency"] = self.option(view, "agency", agency)
        self.submit(by, view, values)
        self.invitation(person)


def set_agencies(demo: Demo) -> None:
    view = demo.command(ADMIN, demo.sandbox.general_id, "agencies", "dhr.agencies")
    demo.submit(ADMIN, view, {"agencies": "\n".join(AGENCIES)})


def open_review(demo: Demo) -> None:
    view = demo.command(ADMIN, demo.sandbox.general_id, "new", "dhr.new_review")
    notified = demo.today() - timedelta(days=NOTIFIED_DAYS_AGO)
    block = next(b for b in view.blocks if b.get("block_id") == "reference")
    demo.reference = block["element"].get("initial_value") or f"DHR-{demo.today().year}-90"
    demo.submit(ADMIN, view, {
        "reference": demo.reference, "notified_on": notified.isoformat(), "notifying_agency": "Police",
        "victim_pseudonym": "Adult A", "perpetrator_pseudonym": "Adult B", "victim_age": "41",
        "relationship": "former_partner", "suspected_suicide": "no", "confidentiality": ["agreed"]})
    channel = demo.wait(lambda: demo.fake.channel_by_name(demo.reference.lower()), "the review channel")
    demo.wait(lambda: channel.pins, "the pinned summary card")
    demo.channel = channel.id
    demo.sandbox.platform.close_view(ADMIN.id, view.id)


def record_decision(demo: Demo) -> None:
    view = demo.command(ADMIN, demo.channel, "decide", "dhr.decide")
    decided = demo.today() - timedelta(days=3)
    demo.submit(ADMIN, view, {
        "outcome": "review", "decided_on": decided.isoformat(), "agencies_consulted": "\n".join(AGENCIES[:4]),
        "concerns": ["marac"], "parallel_processes": ["inquest", "criminal"],
        "home_office_told_on": decided.isoformat()})


def build_panel(demo: Demo) -> None:
    for person, role, agency in ((COORDINATOR, "coordinator", None), (CHAIR, "chair", None),
                                 (POLICE, "agency_lead", "Police"), (AUTHOR, "imr_author", "Police")):
        demo.add_to_panel(person, role, agency)
        demo.agree(person)
    # The health lead is invited but has not agreed yet: the card shows them as pending.
    demo.add_to_panel(HEALTH, "agency_lead", "NHS Trust")


@dataclass(frozen=True)
class Step:
    what: str
    run: Callable[[Demo], None]


STEPS = [
    Step("CSP admin lists the partnership's agencies", set_agencies),
    Step("CSP admin opens a review (/dhr new)", open_review),
    Step("CSP records the decision to hold a review (/dhr decide)", record_decision),
    Step("Panel: coordinator, chair, police lead and IMR author agree; the health lead's agreement is pending",
         build_panel),
]


def load_demo(sandbox, steps=STEPS, say=print) -> Demo:
    demo = Demo(sandbox)
    for step in steps:
        say(f"  - {step.what}", flush=True) if say is print else say(step.what)
        step.run(demo)
    return demo
