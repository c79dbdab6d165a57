"""The Strategic Action Plan on a person's Home / "My work": their own open strategic actions, and for
CSP admins and strategic leads the plan's counts by RAG and how many await verification.

Drawn on every Home redraw, so two queries whoever looks: the person's own actions (the only texts
decrypted), and the plan's unencrypted columns, returned only to a lead or CSP admin (the role is
checked inside that query)."""
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_, true
from sqlmodel import Session, select

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.kernel import Actor
from bot.workflow.report import action_plan as plan
from bot.workflow.report.action_plan import COMPLETED, OPEN
from bot.workflow.report.learning import WITHHELD
from storage.learning import StrategicAction, StrategicLead
from storage.panel import WorkspaceAdmin

SHOWN = 5       # the owner's actions listed; the rest are counted ("and N more")


@dataclass(frozen=True)
class MyStrategic:
    action_id: int
    ref: str
    text: str               # the action's words, or WITHHELD when they hold a registered term of any review
    target_on: date
    rag: str
    status: str


@dataclass(frozen=True)
class StrategicHome:
    mine: list[MyStrategic]          # the first SHOWN
    mine_total: int
    lead: bool                       # a CSP admin or strategic lead with open actions to count
    rag_counts: dict[str, int]       # open actions by RAG (leads only)
    awaiting: int                    # marked complete, awaiting verification (leads only)


def strategic_home(session: Session, actor: Actor, env_admins: tuple[str, ...], today: date,
                   calendar: WorkingCalendar, withheld: Callable[[str], bool]) -> StrategicHome | None:
    """None when the person owns no open strategic action and has no plan to oversee."""
    mine = session.exec(
        select(StrategicAction.id, StrategicAction.number, StrategicAction.action, StrategicAction.target_on,
               StrategicAction.status, StrategicAction.last_update_on, StrategicAction.created_at)
        .where(StrategicAction.platform == actor.platform, StrategicAction.tenant_id == actor.tenant_id,
               StrategicAction.owner_user == actor.user_id,
               StrategicAction.status.in_([OPEN, COMPLETED]))        # type: ignore[attr-defined]
        .order_by(StrategicAction.target_on, StrategicAction.number)).all()
    plan_rows = session.exec(
        select(StrategicAction.status, StrategicAction.target_on, StrategicAction.last_update_on,
               StrategicAction.created_at)
        .where(StrategicAction.platform == actor.platform, StrategicAction.tenant_id == actor.tenant_id,
               StrategicAction.status.in_([OPEN, COMPLETED]), _oversees(actor, env_admins))).all()  # type: ignore
    if not mine and not plan_rows:
        return None
    shown = [MyStrategic(r.id, f"S{r.number}", WITHHELD if withheld(r.action) else r.action, r.target_on,
                         plan.rag(r, today, calendar), r.status) for r in mine[:SHOWN]]
    counts = Counter(plan.rag(r, today, calendar) for r in plan_rows if r.status == OPEN)
    return StrategicHome(shown, len(mine), bool(plan_rows), {k: counts.get(k, 0) for k in ("red", "amber", "green")},
                         sum(1 for r in plan_rows if r.status == COMPLETED))


def _oversees(actor: Actor, env_admins: tuple[str, ...]):
    """A CSP admin (in the settings or added with the admins command) or a strategic lead, as SQL."""
    if actor.user_id in env_admins:
        return true()
    return or_(exists().where(StrategicLead.platform == actor.platform, StrategicLead.tenant_id == actor.tenant_id,
                              StrategicLead.user_id == actor.user_id),
               exists().where(WorkspaceAdmin.tenant_id == actor.tenant_id, WorkspaceAdmin.user_id == actor.user_id))
