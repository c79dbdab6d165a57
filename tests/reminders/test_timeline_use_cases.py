"""Pause, resume and extend as use cases: what each asks to happen (the notice in the review's
space, the card redrawn), and the refusal that names the command to run instead."""
from datetime import date

import pytest

from bot.workflow.clock import timeline_use_cases as clock
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.core.notices import ClockChanged
from bot.workflow.core.refs import SpaceRef
from messages.slack.render import mrkdwn
from tests.reminders.conftest import COORD, ENG, TEAM, at, make_review

pytestmark = pytest.mark.db
ON = date(2026, 10, 20)


@pytest.fixture
def review_id(db):
    return make_review(db, "DHR-2026-01", notified_on=date(2026, 10, 9), created_on=date(2026, 10, 19),
                       space_id="C0REVIEW1")


def test_pausing_posts_the_change_in_the_space_and_redraws_the_card(db, review_id):
    with db.session() as s:
        done = clock.pause(s, review_id, Actor(TEAM, COORD), {"kind": "inquest", "reason": "Inquest adjourned"},
                           now=at(ON, 10), today=ON)
    assert [p.space for p in done.posts] == [SpaceRef("C0REVIEW1")]
    assert done.posts[0].body == ClockChanged(COORD, "paused", "Inquest")
    assert done.refresh == (review_id,) and not done.dms


def test_pausing_a_paused_review_names_the_resume_command(db, review_id):
    with db.session() as s:
        clock.pause(s, review_id, Actor(TEAM, COORD), {"kind": "inquest", "reason": "Inquest adjourned"},
                    now=at(ON, 10), today=ON)
    with db.session() as s, pytest.raises(WorkflowError) as refused:
        clock.pause_form(s, "C0REVIEW1", Actor(TEAM, COORD))
    assert mrkdwn(refused.value.rich) == "DHR-2026-01 is already paused. Resume it with `/dhr resume` first."


def test_resuming_lists_the_moved_deadlines(db, review_id):
    with db.session() as s:
        clock.pause(s, review_id, Actor(TEAM, COORD), {"kind": "inquest", "reason": "Inquest adjourned"},
                    now=at(ON, 10), today=ON)
    later = date(2026, 11, 2)
    with db.session() as s:
        done = clock.resume(s, "C0REVIEW1", Actor(TEAM, COORD), now=at(later, 10), today=later, calendar=ENG)
    notice = done.posts[0].body
    assert (notice.what, notice.detail) == ("resumed", "13 days paused") and notice.deadlines
    assert done.refresh == (review_id,)
