"""Retention's use case: a coordinator or CSP admin confirms deleting a concluded review's content.
Closing its space, if the conclusion left it open, follows on the platform (retention.close_space)."""
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.core.kernel import Actor
from bot.workflow.panel import panel
from bot.workflow.report import retention


def confirm_deletion(session: Session, actor: Actor, reference: str, *, admins: tuple[str, ...], now: datetime,
                     today: date) -> retention.Deleted:
    review = retention.review_by_reference(session, actor.tenant_id, reference)
    is_admin = actor.user_id in panel.admin_ids(session, actor.tenant_id, admins)
    return retention.confirm(session, review, actor, is_admin=is_admin, now=now, today=today)
