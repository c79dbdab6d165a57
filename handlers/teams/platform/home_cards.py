"""Teams has no App Home: a person's "My work" (Slack's Home tab, messages/views/home.py) is a card in
their 1:1 chat with the bot, updated in place.

`home` posts it anew at the foot of the chat (the copy before it says it is out of date); its
Previous / Show more buttons redraw it with another page of a list; and after any request that
changed a review (every change is audited), the cards of that review's people are redrawn in the
background, an unchanged card not sent again. The card's message id and the page of each list are
kept per person (storage.addresses.HomeCard), written only when the person acts: a redraw only
reads, so it never holds a write lock another request is waiting for. What each card last showed is
remembered by this process (another process, or a restart, just sends it once more). One person's
card is drawn by one thread at a time, from the database as it is then, so the last one sent is the
newest.
"""
import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.workflow.core.kernel import Actor
from bot.workflow.core.ports import NOT_IN_SPACE, PERSON_UNAVAILABLE, ChatError
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Command, text
from bot.workflow.views import board_use_cases as board
from bot.workflow.views import home
from bot.workflow.views import status_use_cases as status
from handlers.teams.platform.directory import TEAMS, Posted
from messages import tree
from messages.views import home as home_msgs
from messages.views import reviews
from storage.addresses import HomeCard
from storage.db import Database

log = logging.getLogger("dhr.teams.home")
GONE = frozenset({NOT_IN_SPACE, PERSON_UNAVAILABLE})   # the message, the chat or the person is no longer there

SUPERSEDED = text(Bold("My work"), ": this copy is out of date; the current one is further down. Type ",
                  Command("home"), " for a fresh one.")


@dataclass(frozen=True)
class Card:
    posted: Posted
    pages: dict[str, int]


class HomeCards:
    """Where each person's card is (SQL kept here, as the directory keeps its own)."""

    def __init__(self, db: Database, tenant_id: str):
        self._db, self.tenant_id = db, tenant_id
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._shown: dict[tuple[str, str], str] = {}    # (person, message id) -> digest of what it shows

    def shown(self, user_id: str, card: Card) -> str:
        with self._guard:
            return self._shown.get((user_id.lower(), card.posted.activity_id), "")

    def drew(self, user_id: str, card: Card, digest: str) -> None:
        with self._guard:
            if len(self._shown) > 50_000:
                self._shown.clear()
            self._shown[(user_id.lower(), card.posted.activity_id)] = digest

    def lock(self, user_id: str) -> threading.Lock:
        with self._guard:
            if len(self._locks) > 50_000:
                self._locks.clear()
            return self._locks.setdefault(user_id.lower(), threading.Lock())

    def get(self, user_id: str) -> Card | None:
        with self._db.session() as s:
            row = self._row(s, user_id)
            if row is None:
                return None
            return Card(Posted(row.conversation_id, row.activity_id), _pages(row.pages))

    def holders(self, user_ids) -> set[str]:
        """Those of these people who have a card to keep up to date."""
        wanted = sorted({u.lower() for u in user_ids})
        if not wanted:
            return set()
        with self._db.session() as s:
            return set(s.exec(select(HomeCard.user_id).where(
                HomeCard.platform == TEAMS, HomeCard.tenant_id == self.tenant_id,
                HomeCard.user_id.in_(wanted))).all())   # type: ignore[attr-defined]

    def save(self, user_id: str, card: Card) -> None:
        try:
            self._save(user_id, card)
        except IntegrityError:      # two first cards at once: the second updates the row the first made
            self._save(user_id, card)

    def forget(self, user_id: str) -> None:
        with self._db.session() as s:
            row = self._row(s, user_id)
            if row is not None:
                s.delete(row)

    def _save(self, user_id: str, card: Card) -> None:
        with self._db.session() as s:
            row = self._row(s, user_id) or HomeCard(platform=TEAMS, tenant_id=self.tenant_id, user_id=user_id.lower(),
                                                    conversation_id="", activity_id="",
                                                    updated_at=datetime.now(timezone.utc))
            row.conversation_id, row.activity_id = card.posted.conversation_id, card.posted.activity_id
            row.pages = json.dumps(card.pages, sort_keys=True)
            row.updated_at = datetime.now(timezone.utc)
            s.add(row)

    def _row(self, s, user_id: str) -> HomeCard | None:
        return s.exec(select(HomeCard).where(HomeCard.platform == TEAMS, HomeCard.tenant_id == self.tenant_id,
                                             HomeCard.user_id == user_id.lower())).first()


def _pages(stored: str) -> dict[str, int]:
    try:
        pages = json.loads(stored or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in pages.items() if k in home.SIZES and isinstance(v, int)} if isinstance(pages, dict) \
        else {}


def digest(view: tree.HomeView) -> str:
    return hashlib.sha256(repr(view).encode()).hexdigest()


# ---------------------------------------------------------------- drawing and sending

def view(teams, actor: Actor, pages: dict[str, int]) -> tree.HomeView:
    """The same view as Slack's Home tab, for this person, at these pages."""
    svc = teams.svc
    with svc.db.session() as s:
        mine = reviews.my_reviews(status.my_reviews(s, actor, teams.admins))
        data = home.home(s, actor, svc.clock.today(), svc.calendar, pages, env_admins=teams.admins,
                         withheld=svc.redactions.lazy_find() if svc.redactions is not None else lambda _text: False)
        timeliness = board.home_timeliness(s, actor, teams.admins, svc.clock.today())
    return home_msgs.home_view(data, mine, timeliness)


def post(teams, actor: Actor, service_url: str | None = None) -> Posted:
    """A new card at the foot of the person's 1:1 chat (at each list's first page); the one before it
    says it is out of date (its buttons would still work: every press is checked again)."""
    port, person = teams.port(service_url), PersonRef(actor.user_id)
    with teams.homes.lock(actor.user_id):
        before = teams.homes.get(actor.user_id)
        shown = view(teams, actor, {})
        posted = port.post_home(person, shown)
        card = Card(posted, {})
        teams.homes.save(actor.user_id, card)
        teams.homes.drew(actor.user_id, card, digest(shown))
    if before is not None and before.posted != posted:
        try:
            port.update_home(person, before.posted, SUPERSEDED)
        except ChatError as err:       # deleted by them, or Teams busy: the new card is what matters
            log.info("could not mark an older home card: %s", err.code)
    return posted


def turn_page(teams, actor: Actor, section: str, number: int, service_url: str | None = None) -> bool:
    """The person's card redrawn in place with another page of one list; False if they have none."""
    with teams.homes.lock(actor.user_id):
        card = teams.homes.get(actor.user_id)
        if card is None:
            return False
        pages = {**card.pages, section: max(0, number)}
        shown = view(teams, actor, pages)
        teams.port(service_url).update_home(PersonRef(actor.user_id), card.posted, shown)
        teams.homes.save(actor.user_id, Card(card.posted, pages))
        teams.homes.drew(actor.user_id, card, digest(shown))
    return True


def redraw(teams, user_id: str) -> None:
    """The person's card as their work is now, if it changed; a card Teams no longer has is forgotten."""
    with teams.homes.lock(user_id):
        card = teams.homes.get(user_id)
        if card is None:
            return
        shown = view(teams, Actor(tenant_id=teams.homes.tenant_id, user_id=user_id, platform=TEAMS), card.pages)
        now = digest(shown)
        if now == teams.homes.shown(user_id, card):
            return
        try:
            teams.port().update_home(PersonRef(user_id), card.posted, shown)
        except ChatError as err:
            if err.kind not in GONE:
                raise       # busy, refused (a redacted term): the card stays, redrawn after the next change
            teams.homes.forget(user_id)     # deleted, or the chat is gone: `home` posts a new one
            return
        teams.homes.drew(user_id, card, now)


def redraw_all(teams, user_ids) -> None:
    """Each person's card on its own: one that fails is logged (by type) and the rest still go."""
    for user_id in sorted(teams.homes.holders(user_ids)):
        try:
            redraw(teams, user_id)
        except Exception as err:  # noqa: BLE001 - a background job: nobody to tell but the log
            log.warning("could not redraw a home card: %s", getattr(err, "code", type(err).__name__))


def shown_on(teams, activity) -> bool:
    """Whether the button pressed is on the person's current "My work" card."""
    card = teams.homes.get(activity.user_id) if activity.user_id and activity.reply_to_id else None
    return card is not None and card.posted.activity_id == activity.reply_to_id


# ---------------------------------------------------------------- after a request

def mark(teams) -> int:
    with teams.svc.db.session() as s:
        return home.audit_mark(s)


def after(teams, since: int) -> None:
    """The cards of everyone on a review this request changed, and of those a change to the Strategic
    Action Plan concerns, redrawn in the background."""
    with teams.svc.db.session() as s:
        changed = home.reviews_changed_since(s, since)
        people = home.people_of(s, changed, TEAMS, teams.homes.tenant_id) if changed else set()
        strategic = home.strategic_people_since(s, since, TEAMS, teams.homes.tenant_id)
        people |= strategic | (set(teams.admins) if strategic else set())
    if people and teams.homes.holders(people):
        teams.svc.background.submit(redraw_all, teams, people)
