"""Hold, lift and extend as use cases: what each asks to happen (the notice in the review's space, the
card redrawn), and the old pause and resume words naming the commands to run instead."""
from datetime import date

import pytest

from bot.workflow.clock import timeline_use_cases as clock
from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import Actor
from bot.workflow.core.refs import SpaceRef
from messages.slack.render import mrkdwn
from tests.reminders.conftest import COORD, ENG, TEAM, at, make_review

pytestmark = pytest.mark.db
ON = date(2026, 10, 20)
HOLD = {"activity": "publication", "agreed_by": "the coroner", "agreed_on": "2026-10-19",
        "until_event": "the end of the inquest", "reason": "Inquest adjourned"}


@pytest.fixture
def review_id(db):
    return make_review(db, "DHR-2026-01", notified_on=date(2026, 10, 9), created_on=date(2026, 10, 19),
                       space_id="C0REVIEW1")


def test_a_hold_posts_the_change_in_the_space_and_redraws_the_card(db, review_id):
    with db.session() as s:
        done = clock.hold(s, review_id, Actor(TEAM, COORD), HOLD, now=at(ON, 10), today=ON)
    assert [p.space for p in done.posts] == [SpaceRef("C0REVIEW1")]
    notice = done.posts[0].body
    assert (notice.what, notice.detail) == ("held", "Publication of the report: held, agreed by the coroner on "
                                                    "Mon 19 Oct 2026, until the end of the inquest")
    assert done.refresh == (review_id,) and not done.dms


def test_pause_and_resume_name_the_commands_that_replaced_them():
    with pytest.raises(WorkflowError) as refused:
        clock.pause_retired()
    said = mrkdwn(refused.value.rich)
    assert "no longer pauses as a whole" in said and "`/dhr hold`" in said and "`/dhr lift`" in said
    assert "`/dhr extend`" in said


def test_lifting_posts_what_may_go_ahead(db, review_id):
    with db.session() as s:
        clock.hold(s, review_id, Actor(TEAM, COORD), HOLD, now=at(ON, 10), today=ON)
    later = date(2026, 11, 2)
    with db.session() as s:
        form = clock.lift_form(s, Actor(TEAM, COORD), space_id="C0REVIEW1")
        done = clock.lift(s, review_id, Actor(TEAM, COORD), {"hold": str(form.holds[0].id)}, now=at(later, 10),
                          today=later)
    notice = done.posts[0].body
    assert (notice.what, notice.detail) == ("lifted", "Publication of the report")
    assert done.refresh == (review_id,)


def test_an_extension_says_who_agreed_it_and_when(db, review_id):
    raw = {"deadline": "decision", "new_due": "2026-12-04", "reason": "Partners need the police summary",
           "agreed_by": "CSP chair", "agreed_on": "2026-10-19"}
    with db.session() as s:
        done = clock.extend(s, review_id, Actor(TEAM, COORD), raw, now=at(ON, 10), today=ON, calendar=ENG)
    notice = done.posts[0].body
    assert notice.detail == "agreed by CSP chair on Mon 19 Oct 2026"
    assert "moved by a timescale agreed by CSP chair on Mon 19 Oct 2026" in notice.deadlines[0].note
