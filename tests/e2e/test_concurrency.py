"""Two coordinators racing: one review per reference, one decision per review."""
import json
import threading
from datetime import datetime, timezone

import pytest
from sqlmodel import func, select

from bot.workflow.core.kernel import person_for
from storage.models import Decision, Membership, Review
from tests.e2e.driver import CHAIR, COORDINATOR
from tests.e2e.journey import create_review, initial_value, new_review_values, start_new_review, today

pytestmark = pytest.mark.e2e


def submit_together(submissions):
    results, barrier = [None] * len(submissions), threading.Barrier(len(submissions))

    def run(i, form, values):
        barrier.wait()
        results[i] = form.submit(values)

    threads = [threading.Thread(target=run, args=(i, *s)) for i, s in enumerate(submissions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_coordinators_submitting_the_same_reference_get_one_review(driver):
    general = driver.add_space("race", [COORDINATOR, CHAIR])
    first = start_new_review(driver, COORDINATOR, general)
    second = start_new_review(driver, CHAIR, general)
    reference = initial_value(first, "reference")
    assert initial_value(second, "reference") == reference
    values = new_review_values(reference)
    results = submit_together([(first, values), (second, values)])
    assert sorted(r.kind for r in results) == ["errors", "notice"]
    refused = next(r for r in results if r.kind == "errors")
    assert "taken" in refused.errors["reference"] or "already used" in refused.errors["reference"]
    with driver.db.session() as s:
        assert s.exec(select(func.count()).select_from(Review).where(Review.reference == reference)).one() == 1


def add_coordinator(driver, reference: str, space, user) -> None:
    """Arrange a second coordinator in storage (panel management is its own feature)."""
    with driver.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == reference)).one()
        person = person_for(s, review.tenant_id, driver.person(user), datetime.now(timezone.utc), review.platform)
        s.add(Membership(review_id=review.id, person_id=person.id, role="coordinator", added_by="test",
                         added_at=datetime.now(timezone.utc)))
    driver.add_to_space(user, space)


def test_two_coordinators_deciding_at_once_record_one_decision(driver):
    general = driver.add_space("race-decide", [COORDINATOR, CHAIR])
    reference, space = create_review(driver, COORDINATOR, general)
    add_coordinator(driver, reference, space, CHAIR)
    forms = []
    for user in (COORDINATOR, CHAIR):
        driver.command(user, "decide", space=space)
        forms.append(driver.form(user, "dhr.decide"))
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted_other": "Police",
              "home_office_told_on": today().isoformat(), "decided_by": COORDINATOR, "records_secured_on": today().isoformat()}
    results = submit_together([(forms[0], values), (forms[1], values)])
    assert all(r is not None and r.kind != "failed" for r in results)
    refused = [r for r in results if r.kind != "closed"]
    assert len(refused) == 1 and "already" in json.dumps(refused[0].errors) + refused[0].text
    with driver.db.session() as s:
        review = s.exec(select(Review).where(Review.reference == reference)).one()
        assert s.exec(select(func.count()).select_from(Decision).where(Decision.review_id == review.id)).one() == 1
    assert review.stage == "setup"
