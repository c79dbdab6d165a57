"""Every role against every operation, through the journeys' driver, against the one permission table."""
import pytest
from sqlmodel import select

from bot.workflow.core.permissions import PERMISSIONS, Operation, Role
from storage.models import Review
from tests.e2e.driver import AUTHOR, CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE
from tests.e2e.journey import create_review, wait
from tests.e2e.panel_steps import join, set_agencies

pytestmark = pytest.mark.e2e

PEOPLE = {Role.COORDINATOR: COORDINATOR, Role.CHAIR: CHAIR, Role.AGENCY_LEAD: POLICE,
          Role.PANEL_MEMBER: HEALTH, Role.IMR_AUTHOR: AUTHOR, Role.OBSERVER: OBSERVER}


@pytest.fixture(scope="module")
def review(driver):
    general = driver.add_space("general-matrix", list(PEOPLE.values()) + [OUTSIDER])
    set_agencies(driver, COORDINATOR, general, ["Northshire Police", "Northshire NHS Trust"])
    reference, space = create_review(driver, COORDINATOR, general)
    join(driver, space, CHAIR, "chair", by=COORDINATOR)
    join(driver, space, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    join(driver, space, HEALTH, "panel_member", "Northshire NHS Trust", by=COORDINATOR)
    join(driver, space, AUTHOR, "imr_author", "Northshire Police", by=COORDINATOR)
    join(driver, space, OBSERVER, "observer", by=COORDINATOR)
    driver.add_to_space(OUTSIDER, space)  # in the space by hand, never joined the review
    return reference, space


def reply_after(driver, user, send) -> str:
    before = len(driver.replies(user))
    send()
    return wait(lambda: driver.replies(user)[before:] and "\n".join(r.text for r in driver.replies(user)[before:]),
                what="a reply")


def form_after(driver, user, send) -> str:
    send()
    form = driver.form(user)
    return form.key + " " + form.text


def command_reply(word):
    def check(driver, user, review):
        return reply_after(driver, user, lambda: driver.command(user, word, space=review[1]))
    return check


def opens(word, key):
    def check(driver, user, review):
        return form_after(driver, user, lambda: driver.command(user, word, space=review[1])).startswith(key)
    return check


def status(driver, user, review):
    return "review summary" in command_reply("status")(driver, user, review)


def audit_view(driver, user, review):
    return "Audit log of" in command_reply("audit")(driver, user, review)


def export_audit(driver, user, review):
    """A forged press: a signed press naming the review, from someone shown no button."""
    reference, space = review
    with driver.db.session() as s:
        review_id = s.exec(select(Review.id).where(Review.reference == reference)).one()
    to = space if driver.files_in_spaces else driver.dm(user)     # Teams: to the one who asked
    exports = len(driver.files(to))
    text = reply_after(driver, user, lambda: driver.press_unshown(user, "dhr.export_audit", str(review_id),
                                                                  space=space))
    done = "audit" in text and ("is in" in text or "I've sent" in text)
    assert done == (len(driver.files(to)) > exports)
    return done


CHECKS = {Operation.VIEW_REVIEW: status, Operation.VIEW_AUDIT: audit_view,
          Operation.RECORD_DECISION: opens("decide", "dhr.decide"), Operation.MANAGE_PANEL: opens("panel", "dhr.panel"),
          Operation.MANAGE_REDACTIONS: opens("redact", "dhr.redaction"), Operation.EXPORT_AUDIT: export_audit,
          Operation.EDIT_TERMS_OF_REFERENCE: opens("tor", "dhr.tor"),
          Operation.REQUEST_EVIDENCE: opens("request", "dhr.request"),
          Operation.RECORD_FAMILY_CONTACT: opens("family", "dhr.family")}


# On Teams: what needs a command it does not serve yet.
TEAMS = {Operation.VIEW_AUDIT: pytest.mark.teams_needs("audit"),
         Operation.EDIT_TERMS_OF_REFERENCE: pytest.mark.teams_needs("tor"),
         Operation.REQUEST_EVIDENCE: pytest.mark.teams_needs("request"),
         Operation.RECORD_FAMILY_CONTACT: pytest.mark.teams_needs("family")}


@pytest.mark.parametrize("operation", [pytest.param(op, marks=TEAMS.get(op, ()), id=op.value) for op in CHECKS])
def test_each_role_gets_exactly_what_the_table_allows(driver, review, operation):
    for role, user in PEOPLE.items():
        allowed = role in PERMISSIONS[operation]
        assert CHECKS[operation](driver, user, review) == allowed, f"{role.value} / {operation.value}"
    assert CHECKS[operation](driver, OUTSIDER, review) is False, f"never joined / {operation.value}"


def test_refusals_say_who_can(driver, review):
    text = form_after(driver, OBSERVER, lambda: driver.command(OBSERVER, "decide", space=review[1]))
    assert "coordinator or chair" in text
