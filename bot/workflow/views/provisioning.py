"""Setting a new review up on the chat platform, one claimed, resumable step at a time.

One attempt at a time: an attempt claims the set-up with a conditional UPDATE (a lease that lapses
if the process dies; the attempt count fences an attempt whose lease lapsed), so two presses of
*Try again* cannot both run. Each step stores its result before the next begins, and what could
have happened without being stored (a crash after the platform made the space or the card, before
the answer arrived) is looked for before it is made again: the space's name is recorded before it
is created, and the card and the coordinator's DM carry a tag. So a retry, or the sweep's resume, never makes a second
space or card.
"""
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import or_, update
from sqlmodel import Session, select

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import outcome as out
from bot.workflow.core.chat_port import Capability, ChatPort, can, find_tagged
from bot.workflow.core.kernel import audit, get_review, reviews_for
from bot.workflow.core.notices import SetupFailed, SpaceReady
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.ports import NAME_TAKEN, ChatError, SpaceNameTaken
from bot.workflow.core.refs import MessageRef, PersonRef, SpaceRef
from bot.workflow.views.summary_card import summary_card
from storage.db import Database
from storage.models import Review
from storage.types import SLACK

log = logging.getLogger("dhr.provisioning")

MAX_NAME_TRIES = 20
LEASE = timedelta(minutes=2)
COMPLETE, FAILED, RUNNING = "complete", "failed", "running"


@dataclass(frozen=True)
class SetupOutcome:
    ok: bool
    review_id: int
    reference: str
    space_id: str | None
    error: str | None = None     # a ports kind (NOT_IN_SPACE, BUSY...) when not ok
    code: str | None = None      # the platform's own code, for an unexpected error
    running: bool = False        # another attempt holds the set-up right now


@dataclass(frozen=True)
class _Claim:
    review_id: int
    attempt: int
    lease: timedelta

    @property
    def resuming(self) -> bool:
        """An earlier attempt may have done a step without recording it."""
        return self.attempt > 1


class _ClaimLost(Exception):
    """This attempt's lease lapsed and another attempt took the set-up over."""


def space_names(reference: str):
    """dhr-2026-03, then dhr-2026-03-2, -3 ... (archived spaces keep their names).

    A name always carries the reference's year and number: a reference that is not ASCII
    letters, year and number (as intake checks) raises ValueError rather than yield "dhr", "dhr-2".
    """
    if not re.fullmatch(r"[A-Za-z]{2,10}-[0-9]{4}-[0-9]{2,4}", reference or "", re.ASCII):
        raise ValueError("a review space is named from an ASCII case reference such as DHR-2026-03")
    base = reference.lower()
    yield base
    for n in range(2, MAX_NAME_TRIES + 1):
        yield f"{base}-{n}"


def set_up(db: Database, review_id: int, chat: ChatPort, *, now: Callable[[], datetime],
           today: Callable[[], date], calendar: WorkingCalendar, lease: timedelta = LEASE) -> SetupOutcome:
    claim = _claim(db, review_id, now(), lease)
    if claim is None:
        return current_outcome(db, review_id)
    try:
        for step in (_space, _invite, _card, _pin, _dm):
            _renew(db, claim, now())
            step(db, claim, chat, today(), calendar)
    except ChatError as err:
        return _failed(db, claim, err, now())
    except _ClaimLost:
        return current_outcome(db, review_id)
    return _complete(db, claim, now())


def current_outcome(db: Database, review_id: int) -> SetupOutcome:
    """Where the set-up stands, for an attempt that could not claim it."""
    with db.session() as s:
        r = get_review(s, review_id)
        if r.setup_state == COMPLETE:
            return SetupOutcome(True, r.id, r.reference, r.space_id)
        return SetupOutcome(False, r.id, r.reference, r.space_id, running=True)


def platform_of(db: Database, review_id: int) -> str | None:
    with db.session() as s:
        return s.exec(select(Review.platform).where(Review.id == review_id)).first()


def abandoned(db: Database, now: datetime, lease: timedelta = LEASE, platform: str = SLACK) -> list[int]:
    """Set-ups on `platform` whose attempt died (its lease lapsed) or never started, oldest first. A
    failed set-up is not here: its coordinator was told and has the button."""
    with db.session() as s:
        rows = s.exec(select(Review.id).where(
            Review.platform == platform, Review.setup_state.in_(("pending", RUNNING)),
            or_(Review.setup_claimed_until < now,
                Review.setup_claimed_until.is_(None) & (Review.created_at < now - lease)),
        ).order_by(Review.id)).all()
    return list(rows)


def unfinished_setups(session: Session, actor) -> list[Review]:
    """The actor's reviews whose set-up has not finished."""
    return [r for r in reviews_for(session, actor) if r.setup_state != COMPLETE]


def _claim(db, review_id: int, now: datetime, lease: timedelta) -> _Claim | None:
    with db.session() as s:
        claimed = s.execute(update(Review).where(
            Review.id == review_id, Review.setup_state != COMPLETE,
            or_(Review.setup_claimed_until.is_(None), Review.setup_claimed_until < now),
        ).values(setup_claimed_until=now + lease, setup_state=RUNNING,
                 setup_attempts=Review.setup_attempts + 1).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            return None
        # Read inside the claiming transaction: the row is ours until commit.
        attempt = s.exec(select(Review.setup_attempts).where(Review.id == review_id)).one()
    return _Claim(review_id, attempt, lease)


def _renew(db, claim: _Claim, now: datetime) -> None:
    with db.session() as s:
        renewed = s.execute(update(Review).where(
            Review.id == claim.review_id, Review.setup_attempts == claim.attempt, Review.setup_state == RUNNING,
        ).values(setup_claimed_until=now + claim.lease).execution_options(synchronize_session=False))
        if renewed.rowcount != 1:
            raise _ClaimLost()


def _finish(s, claim: _Claim) -> Review | None:
    review = get_review(s, claim.review_id)
    if review.setup_attempts != claim.attempt:
        return None
    review.setup_claimed_until = None
    return review


def _complete(db, claim: _Claim, now: datetime) -> SetupOutcome:
    with db.session() as s:
        review = _finish(s, claim)
        if review is None:
            return current_outcome(db, claim.review_id)
        review.setup_state, review.setup_error = COMPLETE, None
        audit(s, review.created_by, "review.channel_ready", now, review.id, channel=review.space_id)
        return SetupOutcome(True, review.id, review.reference, review.space_id)


def _failed(db, claim: _Claim, err: ChatError, now: datetime) -> SetupOutcome:
    with db.session() as s:
        review = _finish(s, claim)
        if review is None:
            return current_outcome(db, claim.review_id)
        review.setup_state, review.setup_error = FAILED, err.code[:64]
        audit(s, review.created_by, "review.setup_failed", now, review.id, error=err.code, kind=err.kind)
        return SetupOutcome(False, review.id, review.reference, review.space_id, error=err.kind,
                            code=err.code)


def _load(db, review_id) -> Review:
    with db.session() as s:
        return get_review(s, review_id)


def _save(db, claim: _Claim, **values) -> None:
    with db.session() as s:
        review = get_review(s, claim.review_id)
        if review.setup_attempts != claim.attempt:
            raise _ClaimLost()
        for key, value in values.items():
            setattr(review, key, value)


def _space(db, claim, chat, today, calendar):
    review = _load(db, claim.review_id)
    if review.space_id:
        return
    if claim.resuming and review.space_name and _adopt(db, claim, chat, review.space_name):
        return
    for name in space_names(review.reference):
        _save(db, claim, space_name=name)   # the intent, so a crash after the create can find it
        try:
            space = chat.create_private_space(name, [PersonRef(review.created_by)])
        except SpaceNameTaken:
            # An earlier attempt whose answer was lost may hold the name: that space is ours.
            if claim.resuming and _adopt(db, claim, chat, name):
                return
            continue
        _save(db, claim, space_id=space.id, space_name=space.name)
        return
    raise ChatError(NAME_TAKEN, kind=NAME_TAKEN)


def _adopt(db, claim: _Claim, chat, name: str) -> bool:
    """Takes the space of that name this bot made, unless another review already has it."""
    found = chat.find_private_space(name)
    if found is None:
        return False
    with db.session() as s:
        if s.exec(select(Review.id).where(Review.space_id == found.id, Review.id != claim.review_id)).first():
            return False
    _save(db, claim, space_id=found.id, space_name=found.name)
    return True


def _invite(db, claim, chat, today, calendar):
    review = _load(db, claim.review_id)
    chat.invite(SpaceRef(review.space_id), [PersonRef(review.created_by)])


def _card(db, claim, chat, today, calendar):
    review = _load(db, claim.review_id)
    if review.card_ref:
        return
    tag = f"summary_card:{review.id}"
    found = find_tagged(chat, SpaceRef(review.space_id), tag) if claim.resuming else None
    if found is None:
        with db.session() as s:
            card = summary_card(s, get_review(s, claim.review_id), today, calendar)
        found = chat.post(SpaceRef(review.space_id), card, tag=tag)
    _save(db, claim, card_ref=found.id)


def _pin(db, claim, chat, today, calendar):
    review = _load(db, claim.review_id)
    if not review.card_pinned:
        if can(chat, Capability.PIN):    # elsewhere the card stays where it was posted, updated in place
            chat.pin(SpaceRef(review.space_id), MessageRef(review.card_ref))
        _save(db, claim, card_pinned=True)


def _dm(db, claim, chat, today, calendar):
    review = _load(db, claim.review_id)
    if review.coordinator_dm_sent:
        return
    tag = f"channel_ready:{review.id}"
    person = PersonRef(review.created_by)
    if not (claim.resuming and can(chat, Capability.HISTORY) and chat.find_dm(person, tag)):
        chat.dm(person, SpaceReady(space_id=review.space_id), tag=tag)
    _save(db, claim, coordinator_dm_sent=True)


def failure_notice(outcome: SetupOutcome) -> SetupFailed:
    return SetupFailed(outcome.review_id, outcome.error, outcome.code)


def tell_coordinator(session: Session, outcome: SetupOutcome) -> Outcome:
    """A failed set-up is told to the review's coordinator by DM (the form they opened it from may be gone)."""
    if outcome.ok or outcome.running:
        return Outcome()
    return out.dm(PersonRef(get_review(session, outcome.review_id).created_by), failure_notice(outcome))


def refresh_card(db: Database, review_id: int, chat: ChatPort, *, today: date, calendar: WorkingCalendar) -> None:
    """Re-render the pinned card after a change. Best effort: the stored facts are the truth."""
    with db.session() as s:
        review = get_review(s, review_id)
        card = summary_card(s, review, today, calendar)
    if review.space_id and review.card_ref:
        try:
            chat.update(SpaceRef(review.space_id), MessageRef(review.card_ref), card)
        except ChatError as err:
            log.warning("summary card not refreshed: %s", err.kind)
