"""The set-up claim, on both databases, with an in-memory chat platform: one attempt at a time, an
attempt whose lease lapsed gives way, and what the sweep counts as abandoned."""
from datetime import timedelta

import pytest

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.chat_port import Capability
from bot.workflow.core.ports import SpaceNameTaken
from bot.workflow.core.refs import MessageRef, SpaceRef
from bot.workflow.views import provisioning
from tests.workflow.evidence.evidence_db import NOW, TODAY, db, empty_db, make_review  # noqa: F401 - fixtures

LEASE = timedelta(minutes=2)


class MemoryChat:
    """Spaces and posts in memory; `during_create` runs while a create is in flight."""

    capabilities = frozenset(Capability)
    platform = "slack"

    def __init__(self):
        self.spaces, self.posts, self.dms, self.pins = {}, [], [], []
        self.during_create = None

    def create_private_space(self, name, members=()):
        if any(s.name == name for s in self.spaces.values()):
            raise SpaceNameTaken()
        space = SpaceRef(f"C{len(self.spaces) + 1:08d}", name)
        self.spaces[space.id] = space
        if self.during_create:
            hook, self.during_create = self.during_create, None
            hook()
        return space

    def find_private_space(self, name):
        return next((s for s in self.spaces.values() if s.name == name), None)

    def invite(self, space, people):
        pass

    def post(self, space, notice, *, tag=None):
        self.posts.append((space.id, tag))
        return MessageRef(f"{len(self.posts)}.0")

    def find_post(self, space, tag):
        return next((MessageRef(f"{i + 1}.0") for i, p in enumerate(self.posts) if p == (space.id, tag)), None)

    def pin(self, space, message):
        self.pins.append(message.id)

    def dm(self, person, notice, *, tag=None):
        self.dms.append(person.id)

    def find_dm(self, person, tag):
        return False


def fresh_review(database) -> int:
    with database.session() as s:
        review = make_review(s, space_id=None)
        review.setup_state = "pending"
        return review.id


def run(database, review_id, chat, at=NOW):
    return provisioning.set_up(database, review_id, chat, now=lambda: at, today=lambda: TODAY,
                               calendar=WorkingCalendar("ENG"), lease=LEASE)


def test_a_second_attempt_while_the_first_runs_changes_nothing(empty_db):
    review_id, chat, inner = fresh_review(empty_db), MemoryChat(), []
    chat.during_create = lambda: inner.append(run(empty_db, review_id, chat))
    outcome = run(empty_db, review_id, chat)
    assert outcome.ok and inner[0].running and not inner[0].ok
    assert len(chat.spaces) == 1 and len(chat.posts) == 1 and chat.dms == ["U0COORD01"]


def test_an_attempt_whose_lease_lapsed_gives_way_to_the_one_that_took_over(empty_db):
    review_id, chat, inner = fresh_review(empty_db), MemoryChat(), []
    later = NOW + LEASE + timedelta(seconds=1)
    chat.during_create = lambda: inner.append(run(empty_db, review_id, chat, at=later))
    outcome = run(empty_db, review_id, chat)
    assert inner[0].ok and outcome.ok                    # the second finished with the space the first made
    assert len(chat.spaces) == 1 and len(chat.posts) == 1 and len(chat.dms) == 1


@pytest.mark.parametrize("state, claimed, age, listed", [
    ("running", -1, 10, True),      # its process died: the lease lapsed
    ("running", +60, 10, False),    # still running
    ("pending", None, 10, True),    # never started
    ("pending", None, 0, False),    # just opened
    ("failed", None, 10, False),    # its coordinator has the Try again button
    ("complete", None, 10, False),
])
def test_abandoned_set_ups(empty_db, state, claimed, age, listed):
    with empty_db.session() as s:
        review = make_review(s, space_id=None)
        review.setup_state, review.created_at = state, NOW - timedelta(minutes=age)
        review.setup_claimed_until = None if claimed is None else NOW + timedelta(seconds=claimed)
        review_id = review.id
    assert (review_id in provisioning.abandoned(empty_db, NOW, LEASE)) is listed
