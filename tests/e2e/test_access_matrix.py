"""Every role against every operation, through Slack's real request path, against the one permission table."""
import json
import time
from urllib.parse import quote

import pytest

from bot.workflow.core.permissions import PERMISSIONS, Operation, Role
from tests.e2e.journey import block_text, create_review, open_view, wait
from tests.e2e.panel_steps import join, set_agencies
from tests.e2e.server import AUTHOR, CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE

pytestmark = pytest.mark.e2e

PEOPLE = {Role.COORDINATOR: COORDINATOR, Role.CHAIR: CHAIR, Role.AGENCY_LEAD: POLICE,
          Role.PANEL_MEMBER: HEALTH, Role.IMR_AUTHOR: AUTHOR, Role.OBSERVER: OBSERVER}


@pytest.fixture(scope="module")
def review(bot):
    general = bot.fake.add_channel("general-matrix", members=list(PEOPLE.values()) + [OUTSIDER]).id
    set_agencies(bot, COORDINATOR, general, ["Northshire Police", "Northshire NHS Trust"])
    reference, space_id = create_review(bot, COORDINATOR, general)
    join(bot, space_id, CHAIR, "chair", by=COORDINATOR)
    join(bot, space_id, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    join(bot, space_id, HEALTH, "panel_member", "Northshire NHS Trust", by=COORDINATOR)
    join(bot, space_id, AUTHOR, "imr_author", "Northshire Police", by=COORDINATOR)
    join(bot, space_id, OBSERVER, "observer", by=COORDINATOR)
    bot.fake.channels[space_id].members.append(OUTSIDER)  # in the channel by hand, never joined the review
    return reference, space_id


def reply_after(bot, send) -> str:
    before = len(bot.fake.responses())
    send()
    return wait(lambda: len(bot.fake.responses()) > before
                and json.dumps([r.params for r in bot.fake.responses()[before:]]), what="a reply")


def modal_after(bot, user, send) -> str:
    send()
    view = open_view(bot, user)
    return view.callback_id + " " + block_text(view.blocks)


def status(bot, user, channel):
    return reference_shown(reply_after(bot, lambda: bot.slack.command(user, channel, text="status")))


def audit_view(bot, user, channel):
    return "Audit log of" in reply_after(bot, lambda: bot.slack.command(user, channel, text="audit"))


def decide(bot, user, channel):
    return modal_after(bot, user, lambda: bot.slack.command(user, channel, text="decide")).startswith("dhr.decide")


def panel(bot, user, channel):
    return modal_after(bot, user, lambda: bot.slack.command(user, channel, text="panel")).startswith("dhr.panel")


def redact(bot, user, channel):
    return modal_after(bot, user, lambda: bot.slack.command(user, channel, text="redact")).startswith("dhr.redaction")


def terms(bot, user, channel):
    return modal_after(bot, user, lambda: bot.slack.command(user, channel, text="tor")).startswith("dhr.tor")


def request_evidence(bot, user, channel):
    return modal_after(bot, user, lambda: bot.slack.command(user, channel, text="request")).startswith("dhr.request")


def family(bot, user, channel):
    return modal_after(bot, user, lambda: bot.slack.command(user, channel, text="family")).startswith("dhr.family")


def export_audit(bot, user, channel):
    """A forged click: a signed block_actions request naming the review, from someone shown no button."""
    from sqlmodel import select

    from storage.models import Review
    with bot.db.session() as s:
        review_id = s.exec(select(Review.id).where(Review.space_id == channel)).one()
    uploads = len(bot.fake.calls("files.completeUploadExternal"))
    payload = {"type": "block_actions", "team": {"id": "T0DHR0001"}, "user": {"id": user},
               "api_app_id": "A0001", "token": "x", "trigger_id": bot.fake.issue_trigger(user),
               "container": {"type": "message", "channel_id": channel, "message_ts": "1.2"},
               "channel": {"id": channel}, "response_url": bot.fake.issue_response_url(channel, user),
               "actions": [{"type": "button", "action_id": "dhr.export_audit", "block_id": "x",
                            "value": str(review_id), "action_ts": str(time.time())}]}
    text = reply_after(bot, lambda: bot.slack.raw_post(("payload=" + quote(json.dumps(payload))).encode(),
                                                       "application/x-www-form-urlencoded"))
    done = "audit log" in text and "is in" in text
    assert done == (len(bot.fake.calls("files.completeUploadExternal")) > uploads)
    return done


def reference_shown(text: str) -> bool:
    return "review summary" in text


CHECKS = {Operation.VIEW_REVIEW: status, Operation.VIEW_AUDIT: audit_view, Operation.RECORD_DECISION: decide,
          Operation.MANAGE_PANEL: panel, Operation.MANAGE_REDACTIONS: redact, Operation.EXPORT_AUDIT: export_audit,
          Operation.EDIT_TERMS_OF_REFERENCE: terms, Operation.REQUEST_EVIDENCE: request_evidence,
          Operation.RECORD_FAMILY_CONTACT: family}


@pytest.mark.parametrize("operation", list(CHECKS), ids=lambda op: op.value)
def test_each_role_gets_exactly_what_the_table_allows(bot, review, operation):
    _, channel = review
    for role, user in PEOPLE.items():
        allowed = role in PERMISSIONS[operation]
        assert CHECKS[operation](bot, user, channel) == allowed, f"{role.value} / {operation.value}"
    assert CHECKS[operation](bot, OUTSIDER, channel) is False, f"never joined / {operation.value}"


def test_refusals_say_who_can(bot, review):
    _, channel = review
    text = modal_after(bot, OBSERVER, lambda: bot.slack.command(OBSERVER, channel, text="decide"))
    assert "coordinator or chair" in text
