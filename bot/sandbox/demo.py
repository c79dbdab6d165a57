"""`python -m bot sandbox --demo`: fictional reviews made the way people make them, through the
bot's own request path (signed slash commands, form submissions and clicks).

The first review is half way through evidence gathering: terms of reference agreed, evidence
requested from the police and the NHS trust, the police lead's scoping answer and two chronology
entries in, a family contact with advocacy offered, the health lead's agreement still pending.
The second is further on: drafting, with a recommendation and an action the police lead owns.

To show a new feature in the demo, add a step: a function taking the Demo and one line in STEPS.
Helpers: demo.command(person, channel, text) runs a /dhr command and returns the modal it opens;
demo.submit(person, view, values) submits it ({block_id: value}) and closes what it shows after;
demo.press(person, view, action_id) presses a button inside a modal and returns the next form;
demo.click_dm(person, action_id) presses a button in the bot's DM to them and returns the form it
opens; demo.agree(person) presses "I agree" on their invitation; demo.channel and demo.reference
are the current review's (demo.reviews lists every review made, oldest first); demo.general is where
a CSP admin types commands that belong to no review (#general in Slack).

The steps are the same on both platforms: Demo does them in Slack, demo_teams.TeamsDemo in Teams
(typed messages, "Open: ..." buttons, dialogs), each through that platform's own request path.
"""
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from bot.sandbox.people import ADMIN, AGENCIES, AUTHOR, CHAIR, COORDINATOR, HEALTH, POLICE
from bot.slackfake.viewstate import options_of
from bot.workflow.intake.decision import CRITERIA
from storage.models import Review

NOTIFIED_DAYS_AGO = 12


class DemoFailed(RuntimeError):
    """A step did not have the effect it should (the message says which)."""


@dataclass
class Demo:
    sandbox: object
    channel: str = ""
    reference: str = ""
    notes: list[str] = field(default_factory=list)
    reviews: list[tuple[str, str]] = field(default_factory=list)   # (reference, stage shown), oldest first
    notified_on: date | None = None          # the current review's
    pseudonyms: tuple[str, str] = ("Adult A", "Adult B")

    platform = "Slack"

    @property
    def fake(self):
        return self.sandbox.fake

    @property
    def lock(self):
        return self.fake.ws.lock

    @property
    def general(self) -> str:
        return self.sandbox.general_id

    def today(self):
        return self.sandbox.clock.today()

    def wait(self, condition, what: str, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
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

    def submit(self, person, view, values: dict, close: bool = True) -> None:
        callback_id = view.callback_id
        resp = self.sandbox.platform.submit_view(person.id, view.id, values)
        if resp.outcome == "errors":
            raise DemoFailed(f"the form {callback_id} was refused: {view.errors}")
        if resp.outcome == "generic_error":
            raise DemoFailed(f"the form {callback_id} failed")
        if close:
            self.close(person, view)

    def close(self, person, view) -> None:
        """Close the form's result (the bot may answer a submission with a view saying what it did)."""
        with self.fake.ws.lock:
            still_open = (shown := self.fake.open_view_for(person.id)) is not None and shown.id == view.id
        if still_open:
            self.sandbox.platform.close_view(person.id, view.id)

    def press(self, person, view, action_id: str, callback_id: str):
        """A button inside an open modal; returns the form the bot shows next."""
        self.sandbox.platform.click(person.id, action_id, view_id=view.id)
        return self.wait(lambda: self._ready_modal(person.id, callback_id), f"the form after {action_id}")

    def click_dm(self, person, action_id: str, callback_id: str):
        """A button in the bot's latest DM to `person` that has one; returns the form it opens."""
        def found():
            return next((m for m in reversed(self.fake.dm_messages(person.id))
                         if self.reference in (m.text or "") and _has_button(m, action_id)), None)
        dm = self.wait(found, f"{person.name}'s DM with {action_id}")
        self.sandbox.platform.click(person.id, action_id, message=(dm.channel, dm.ts))
        return self.wait(lambda: self._ready_modal(person.id, callback_id), f"the form of {action_id}")

    def expect_stage(self, stage: str, shown: str) -> None:
        """The current review has reached `stage` (a form's refusal is a view, not an error)."""
        from sqlmodel import select

        with self.sandbox.svc.db.session() as s:
            now = s.exec(select(Review.stage).where(Review.reference == self.reference)).first()
        if now != stage:
            raise DemoFailed(f"{self.reference} is at {now!r}, not {stage!r}")
        self.reviews[-1] = (self.reference, shown)

    def initial(self, view, block_id: str):
        block = next(b for b in view.blocks if b.get("block_id") == block_id)
        return block["element"].get("initial_value")

    def review_space(self) -> str:
        """The current review's channel, once it is made and its summary card pinned."""
        channel = self.wait(lambda: self.fake.channel_by_name(self.reference.lower()), "the review channel")
        self.wait(lambda: channel.pins, "the pinned summary card")
        return channel.id

    def option(self, view, block_id: str, label: str, starts: bool = False) -> str:
        block = next(b for b in view.blocks if b.get("block_id") == block_id)
        return next(o["value"] for o in options_of(block["element"])
                    if o["text"]["text"] == label or starts and o["text"]["text"].startswith(label))

    def invitation(self, person):
        def found():
            return next((m for m in reversed(self.fake.dm_messages(person.id))
                         if self.reference in (m.text or "") and _has_button(m, "dhr.agree")), None)
        return self.wait(found, f"{person.name}'s invitation")

    def agree(self, person) -> None:
        dm = self.invitation(person)
        self.sandbox.platform.click(person.id, "dhr.agree", message=(dm.channel, dm.ts))
        self.wait(lambda: person.id in self.fake.channels[self.channel].members, f"{person.name} joining")

    def add_to_panel(self, person, role: str, agency: str | None = None, by=ADMIN) -> None:
        view = self.command(by, self.channel, "panel", "dhr.panel")
        values = {"change": "add", "person_1": person.id, "role_1": role}
        if agency:
            values["agency_1"] = self.option(view, "agency_1", agency)
        self.submit(by, view, values)
        self.invitation(person)


def _has_button(message, action_id: str) -> bool:
    for block in message.blocks or []:
        shown = list(block.get("elements") or []) + ([block["accessory"]] if block.get("accessory") else [])
        if any(e.get("action_id") == action_id for e in shown):
            return True
    return False


def set_agencies(demo: Demo) -> None:
    view = demo.command(ADMIN, demo.general, "agencies", "dhr.agencies")
    demo.submit(ADMIN, view, {"agencies": "\n".join(AGENCIES)})


def open_review(demo: Demo, victim: str = "Adult A", perpetrator: str = "Adult B", age: str = "41",
                notified_days_ago: int = NOTIFIED_DAYS_AGO) -> None:
    view = demo.command(ADMIN, demo.general, "new", "dhr.new_review")
    notified = demo.notified_on = demo.today() - timedelta(days=notified_days_ago)
    demo.pseudonyms = (victim, perpetrator)
    demo.reference = demo.initial(view, "reference") or f"DHR-{demo.today().year}-{90 + len(demo.reviews)}"
    demo.submit(ADMIN, view, {
        "reference": demo.reference, "notified_on": notified.isoformat(), "notifying_agency": "Police",
        "victim_pseudonym": victim, "perpetrator_pseudonym": perpetrator, "victim_age": age,
        "relationship": "former_partner", "suspected_suicide": "no", "confidentiality": ["agreed"]}, close=False)
    demo.channel = demo.review_space()
    demo.close(ADMIN, view)
    demo.reviews.append((demo.reference, "set-up"))


def record_decision(demo: Demo, days_ago: int = 3) -> None:
    view = demo.command(ADMIN, demo.channel, "decide", "dhr.decide")
    decided = demo.today() - timedelta(days=days_ago)
    demo.submit(ADMIN, view, {
        "outcome": "review", "decided_on": decided.isoformat(),
        "agencies_consulted": [demo.option(view, "agencies_consulted", name) for name in AGENCIES[:4]],
        "concerns": ["marac"], "parallel_processes": ["inquest", "criminal"],
        "home_office_told_on": decided.isoformat(), "decided_by": ADMIN.id, "criteria": list(CRITERIA),
        "records_secured_on": decided.isoformat()})


def build_panel(demo: Demo) -> None:
    for person, role, agency in ((COORDINATOR, "coordinator", None), (CHAIR, "chair", None),
                                 (POLICE, "agency_lead", "Police"), (AUTHOR, "imr_author", "Police")):
        demo.add_to_panel(person, role, agency)
        demo.agree(person)
    # The health lead is invited but has not agreed yet: the card shows them as pending.
    demo.add_to_panel(HEALTH, "agency_lead", "NHS Trust")


def agree_terms(demo: Demo, agreed_days_ago: int = 1) -> None:
    """The chair records the terms of reference as agreed: the review moves on to evidence gathering."""
    view = demo.command(CHAIR, demo.channel, "tor", "dhr.tor")
    today = demo.today()
    demo.submit(CHAIR, view, {
        "scope_from": date(today.year - 5, 1, 1).isoformat(),
        "scope_to": demo.notified_on.isoformat(),
        "agencies": [demo.option(view, "agencies", a) for a in AGENCIES[:4]],
        "lines": ["coercive_control", "risk_marac", "barriers"],
        "other_lines": "How agencies shared information about repeat call-outs to the address",
        "pseudonyms": f"{demo.pseudonyms[0]}: the victim\n{demo.pseudonyms[1]}: the perpetrator",
        "agreed_on": (today - timedelta(days=agreed_days_ago)).isoformat()})
    demo.expect_stage("evidence", "evidence gathering")


def request_evidence(demo: Demo, agencies=("Police", "NHS Trust"), items=("scoping", "chronology", "imr")) -> None:
    view = demo.command(COORDINATOR, demo.channel, "request", "dhr.request")
    demo.submit(COORDINATOR, view, {"agencies": [demo.option(view, "agencies", a) for a in agencies],
                                    "items": list(items)})


def police_scoping_answer(demo: Demo) -> None:
    view = demo.click_dm(POLICE, "dhr.evidence.open_scoping", "dhr.scoping")
    demo.submit(POLICE, view, {"victim": "yes", "perpetrator": "yes", "children": "no"})


CHRONOLOGY = (
    # One approximate date (the month only), one exact date and time.
    {"date": "March {last}", "time": "", "source": "Incident log", "subject": "{victim}",
     "event": "A neighbour called about shouting at {victim}'s flat. Officers attended; {perpetrator} had left.",
     "action": "DASH risk assessment completed: standard risk. Leaflet for the local domestic abuse service given.",
     "comment": "The second call-out to the address in four months; the first was not linked to it."},
    {"date": "{last}-06-14", "time": "22:40", "source": "Custody record", "subject": "{perpetrator}",
     "event": "{perpetrator} arrested for criminal damage at {victim}'s flat.",
     "action": "Released under investigation; no bail conditions.", "comment": ""},
)


def police_chronology(demo: Demo, entries=CHRONOLOGY) -> None:
    last = str(demo.today().year - 1)
    for entry in entries:
        view = demo.command(POLICE, demo.channel, "chronology add", "dhr.chronology.entry")
        demo.submit(POLICE, view, {k: v.format(last=last, victim=demo.pseudonyms[0], perpetrator=demo.pseudonyms[1])
                                   for k, v in entry.items()})


def family_contact(demo: Demo) -> None:
    view = demo.command(CHAIR, demo.channel, "family", "dhr.family")
    form = demo.press(CHAIR, view, "dhr.family.add", "dhr.family.contact")
    demo.submit(CHAIR, form, {
        "relationship": "sister", "relationship_note": "older sister", "leaflet": "family",
        "leaflet_sent_on": (demo.today() - timedelta(days=2)).isoformat(), "advocacy_offered": "yes",
        "advocacy_accepted": "undecided", "wishes_to_take_part": "yes"})


# The second review, further on: drafting, with the action plan begun.
LATER_NOTIFIED_DAYS_AGO = 150


def open_later_review(demo: Demo) -> None:
    open_review(demo, victim="Adult C", perpetrator="Adult D", age="57", notified_days_ago=LATER_NOTIFIED_DAYS_AGO)
    record_decision(demo, days_ago=LATER_NOTIFIED_DAYS_AGO - 20)
    for person, role, agency in ((COORDINATOR, "coordinator", None), (CHAIR, "chair", None),
                                 (POLICE, "agency_lead", "Police")):
        demo.add_to_panel(person, role, agency)
        demo.agree(person)
    agree_terms(demo, agreed_days_ago=LATER_NOTIFIED_DAYS_AGO - 25)


def later_evidence_in(demo: Demo) -> None:
    request_evidence(demo, agencies=("Police",), items=("scoping", "chronology"))
    police_scoping_answer(demo)
    police_chronology(demo, CHRONOLOGY[:1])


def later_drafting_and_plan(demo: Demo) -> None:
    view = demo.command(COORDINATOR, demo.channel, "stage start_drafting", "dhr.stage_step")
    demo.submit(COORDINATOR, view, {})
    demo.expect_stage("drafting", "drafting")
    view = demo.command(COORDINATOR, demo.channel, "recommend", "dhr.recommend")
    demo.submit(COORDINATOR, view, {
        "text": "Police and health should share DASH risk assessments for repeat call-outs within one working day.",
        "scope": "local", "source": "overview"})
    view = demo.command(COORDINATOR, demo.channel, "action", "dhr.action")
    demo.submit(COORDINATOR, view, {
        "recommendation": demo.option(view, "recommendation", "1.", starts=True),
        "action": "Deliver DASH refresher training to every front-desk officer",
        "lead_agency": demo.option(view, "lead_agency", "Police"), "owner": POLICE.id,
        "outcome_measure": "95% of front-desk officers trained, shown by training records",
        "target_on": (demo.today() + timedelta(days=90)).isoformat(), "milestones": "Course booked"})


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
    Step("The chair records the terms of reference as agreed (/dhr tor): evidence gathering", agree_terms),
    Step("The coordinator requests scoping, chronology and IMR from the police and the NHS trust (/dhr request)",
         request_evidence),
    Step("The police lead answers the scoping questions (the Answer button in their DM)", police_scoping_answer),
    Step("The police lead adds two chronology entries, one with an approximate date (/dhr chronology add)",
         police_chronology),
    Step("The chair records a family contact, with specialist advocacy offered (/dhr family)", family_contact),
    Step("A second review, further on: opened, decided, panel agreed, terms agreed", open_later_review),
    Step("Its police evidence is in (scoping answer and chronology)", later_evidence_in),
    Step("It moves to drafting (/dhr stage) with a recommendation and an action the police lead owns",
         later_drafting_and_plan),
]


def load_demo(sandbox, steps=STEPS, say=print, kind: type[Demo] = Demo) -> Demo:
    demo = kind(sandbox)
    for step in steps:
        say(f"  - {step.what}", flush=True) if say is print else say(step.what)
        step.run(demo)
    return demo
