"""Two coordinators racing: one review per reference, one decision per review."""
import threading

import pytest
from sqlmodel import func, select

from storage.models import Decision, Membership, Review
from tests.e2e.journey import create_review, initial_value, new_review_values, open_view, start_new_review, today
from tests.e2e.server import CHAIR, COORDINATOR

pytestmark = pytest.mark.e2e


def submit_together(bot, submissions):
    results, barrier = [None] * len(submissions), threading.Barrier(len(submissions))

    def run(i, user, view_id, values):
        barrier.wait()
        results[i] = bot.slack.submit_view(user, view_id, values)

    threads = [threading.Thread(target=run, args=(i, *s)) for i, s in enumerate(submissions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_coordinators_submitting_the_same_reference_get_one_review(bot):
    general = bot.fake.add_channel("race", members=[COORDINATOR, CHAIR]).id
    first = start_new_review(bot, COORDINATOR, general)
    second = start_new_review(bot, CHAIR, general)
    reference = initial_value(first, "reference")
    assert initial_value(second, "reference") == reference
    values = new_review_values(reference)
    results = submit_together(bot, [(COORDINATOR, first.id, values), (CHAIR, second.id, values)])
    outcomes = sorted(r.json().get("response_action") for r in results)
    assert outcomes == ["errors", "update"]
    refused = next(r.json() for r in results if r.json().get("response_action") == "errors")
    assert "taken" in refused["errors"]["reference"] or "already used" in refused["errors"]["reference"]
    with bot.db.session() as s:
        assert s.exec(select(func.count()).select_from(Review).where(Review.reference == reference)).one() == 1


def add_coordinator(bot, reference: str, user: str) -> None:
    """Arrange a second coordinator in storage (panel management is its own feature)."""
    from datetime import datetime, timezone

    from bot.workflow.core.kernel import person_for
    with bot.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == reference)).one()
        person = person_for(s, review.tenant_id, user, datetime.now(timezone.utc))
        s.add(Membership(review_id=review.id, person_id=person.id, role="coordinator", added_by="test",
                         added_at=datetime.now(timezone.utc)))
        bot.fake.channels[review.space_id].members.append(user)


def test_two_coordinators_deciding_at_once_record_one_decision(bot):
    general = bot.fake.add_channel("race-decide", members=[COORDINATOR, CHAIR]).id
    reference, space_id = create_review(bot, COORDINATOR, general)
    add_coordinator(bot, reference, CHAIR)
    views = []
    for user in (COORDINATOR, CHAIR):
        bot.slack.command(user, space_id, text="decide")
        views.append(open_view(bot, user, "dhr.decide"))
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted_other": "Police",
              "home_office_told_on": today().isoformat()}
    results = submit_together(bot, [(COORDINATOR, views[0].id, values), (CHAIR, views[1].id, values)])
    assert all(r is not None and r.status == 200 for r in results)
    refused = [r for r in results if r.text not in ("", "{}")]
    assert len(refused) == 1 and "already" in refused[0].text
    with bot.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == reference)).one()
        assert s.exec(select(func.count()).select_from(Decision).where(Decision.review_id == review.id)).one() == 1
    assert review.stage == "setup"
