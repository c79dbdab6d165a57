"""The quarterly reminder to produce the board report: on a quarter's first working day, each CSP admin and
review coordinator is reminded, in their daily digest, to produce the report for the quarter just ended.

It belongs to no one review, but the ledger's rows do (its UNIQUE key is what sends a reminder at most
once): a row is filed under the CSP's first review, and its key names the CSP, the quarter and the person.
A tick that misses the first working day (the bot was down) still sends it on one of the next few."""
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from bot.workflow.clock.quarters import quarter_of
from bot.workflow.core.kernel import ACTIVE
from bot.workflow.core.permissions import Role
from bot.workflow.panel.panel import admin_ids
from bot.workflow.reminders.reminders import WorkdayIndex
from storage.ledger import PENDING, USER
from storage.models import Membership, Person, Review

BOARD = "board_report"          # the ledger's item kind
REFERENCE = "CSP board report"  # what the digest heads its line with (no review is named)
CATCH_UP = 5                    # working days after the quarter's first on which a missed reminder still goes


def board_rows(s: Session, today: date, now: datetime, idx: WorkdayIndex, platforms: Iterable[str],
               admins_by: Mapping[str, tuple[str, ...]]) -> list[dict]:
    """Ledger rows for this quarter's reminder, for every CSP with a review on a platform being swept."""
    first = idx.add(quarter_of(today).start, 0)
    if not first <= today <= idx.add(first, CATCH_UP):
        return []
    quarter = quarter_of(today).previous().label
    rows = []
    for platform, tenant, review_id in s.exec(
            select(Review.platform, Review.tenant_id, func.min(Review.id))
            .where(Review.platform.in_(list(platforms))).group_by(Review.platform, Review.tenant_id)).all():
        admins = admin_ids(s, tenant, admins_by.get(platform, ()))
        for user in sorted(set(admins) | coordinators(s, platform, tenant)):
            rows.append(dict(
                idempotency_key=f"{BOARD}|{platform}|{tenant}|{quarter}|{user}"[:255], platform=platform,
                review_id=review_id, item_kind=BOARD, item_key=quarter, recipient=user, recipient_kind=USER,
                due_on=first, point="quarter", point_on=first, send_on=today, escalated=False, reference=REFERENCE,
                label=f"Quarterly board report for {quarter}", link_channel=None, detail={"quarter": quarter},
                status=PENDING, attempts=0, next_attempt_at=now, created_at=now))
    return rows


def coordinators(s: Session, platform: str, tenant: str) -> set[str]:
    """Active coordinators of the CSP's reviews that are not concluded."""
    return set(s.exec(select(Person.user_id).join(Membership, Membership.person_id == Person.id)
                      .join(Review, Review.id == Membership.review_id)
                      .where(Review.platform == platform, Review.tenant_id == tenant, Person.platform == platform,
                             Membership.role == Role.COORDINATOR.value, Membership.status == ACTIVE,
                             Review.stage != "concluded").distinct()))
