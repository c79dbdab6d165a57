"""The partnership's Strategic Action Plan: SMART actions that answer recommendations of one or more
reviews, owned by an agency and a person, progressed, completed and verified like a review's actions.

CSP admins and strategic leads add, verify and export; the owner (or a lead) records progress and
completion. The SMART checks and RAG are the review action plan's (action_plan.smart_errors, rag).
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, func, select

from bot.workflow.clock.due import DueItem, DueWindow, due_source, is_fixed
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import fields
from bot.workflow.core.errors import NotFound, PermissionDenied, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit, show_date
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, join, text
from bot.workflow.report import action_plan as plan
from bot.workflow.report.action_plan import COMPLETED, OPEN, STATUS_LABELS, TEXT_MAX, VERIFIED
from bot.workflow.report.learning import WITHHELD, check_strategic, is_strategic
from storage.learning import StrategicAction, StrategicCitation, StrategicLead, StrategicUpdate
from storage.models import Review
from storage.panel import Agency, WorkspaceAdmin
from storage.report import Recommendation, ReviewClosure

MAX_CITED = 100      # a form's menu holds at most 100 options


class StrategicForm(FormSpec):
    """The review action form's SMART fields (same keys, so the same checks), citing several recommendations."""

    recommendations = Field("Review recommendations it answers", Kind.MULTI_SELECT,
                            hint="One or more, from any of the CSP's reviews.")
    action = plan.ActionForm.action
    lead_agency = Field("Owner agency", Kind.SELECT)
    owner = plan.ActionForm.owner
    outcome_measure = plan.ActionForm.outcome_measure
    target_on = plan.ActionForm.target_on
    milestones = plan.ActionForm.milestones


class StrategicProgressForm(FormSpec):
    update = Field("Progress update", Kind.MULTILINE, max_length=TEXT_MAX)


class StrategicCompleteForm(FormSpec):
    completed_on = Field("Date completed", Kind.DATE)
    evidence = Field("Evidence of completion", Kind.MULTILINE, max_length=TEXT_MAX)


class StrategicReturnForm(FormSpec):
    reason = Field("Why it is not complete yet", Kind.MULTILINE, max_length=TEXT_MAX)


@dataclass(frozen=True)
class Citable:
    recommendation_id: int
    label: str          # "DHR-2026-01 recommendation 2: ..." (the text withheld when it names anyone)


def citable(session: Session, actor: Actor, withheld) -> list[Citable]:
    """The newest recommendations of the CSP's reviews whose content is still held, for the form."""
    deleted = select(ReviewClosure.review_id).where(ReviewClosure.content_deleted_at.is_not(None))
    rows = session.exec(
        select(Recommendation.id, Recommendation.number, Recommendation.text, Review.reference)
        .join(Review, Review.id == Recommendation.review_id)
        .where(Review.platform == actor.platform, Review.tenant_id == actor.tenant_id,
               Recommendation.review_id.not_in(deleted))
        .order_by(Recommendation.id.desc()).limit(MAX_CITED)).all()
    return [Citable(r.id, f"{r.reference} rec {r.number}: {WITHHELD if withheld(r.text) else r.text}"[:75])
            for r in sorted(rows, key=lambda r: (r.reference, r.number))]


def agencies_of(session: Session, actor: Actor) -> dict[str, str]:
    return {str(a.id): a.name for a in session.exec(select(Agency).where(
        Agency.platform == actor.platform, Agency.tenant_id == actor.tenant_id, Agency.active).order_by(Agency.name))}


def add(session: Session, actor: Actor, raw: dict, *, env_admins: tuple[str, ...], now: datetime, today: date,
        withheld) -> StrategicAction:
    _require_lead(session, actor, env_admins, "add to the Strategic Action Plan")
    f = StrategicForm
    agencies = agencies_of(session, actor)
    errors = plan.smart_errors(raw, recommendation_ids=None, agency_ids=set(agencies), members=None, today=today)
    offered = {str(c.recommendation_id) for c in citable(session, actor, withheld)}
    cited = raw.get(f.recommendations.key)
    cited = [cited] if isinstance(cited, str) else list(cited or [])
    if not cited or any(c not in offered for c in cited):
        errors[f.recommendations.key] = "Choose the review recommendations this action answers, from the list."
    if errors:
        raise f.invalid(errors, text("This strategic action is not SMART yet: ", join(" ", errors.values())))
    number = 1 + session.exec(select(func.count()).select_from(StrategicAction).where(
        StrategicAction.platform == actor.platform, StrategicAction.tenant_id == actor.tenant_id)).one()
    row = StrategicAction(platform=actor.platform, tenant_id=actor.tenant_id, number=number,
                          action=" ".join(f.action.of(raw).split()), owner_agency=agencies[f.lead_agency.of(raw)],
                          owner_user=f.owner.of(raw), outcome_measure=f.outcome_measure.of(raw).strip(),
                          target_on=date.fromisoformat(f.target_on.of(raw)),
                          milestones=(f.milestones.of(raw) or "").strip() or None,
                          created_by=actor.user_id, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    session.add_all(StrategicCitation(strategic_action_id=row.id, recommendation_id=int(c)) for c in sorted(set(cited)))
    audit(session, actor.user_id, "strategic.action_added", now, action_id=row.id, number=number,
          owner=row.owner_user, target_on=row.target_on.isoformat(), cited=len(set(cited)))
    return row


def _require_lead(session: Session, actor: Actor, env_admins: tuple[str, ...], doing: str) -> None:

    check_strategic(session, actor, env_admins, doing)


def by_number(session: Session, actor: Actor, number: str) -> StrategicAction:
    """The CSP's strategic action by its number ("S3" or "3")."""
    digits = (number or "").strip().upper().removeprefix("S")
    if not digits:
        raise NotFound(text("Say which strategic action, by its number after the command (1 for S1); ",
                            Command("strategic list"), " shows them."))
    row = session.exec(select(StrategicAction).where(
        StrategicAction.platform == actor.platform, StrategicAction.tenant_id == actor.tenant_id,
        StrategicAction.number == int(digits))).first() if digits.isdigit() and len(digits) < 9 else None
    if row is None:
        raise NotFound(text("There is no strategic action with that number: see them with ", Command("strategic list"),
                            "."))
    return row


def load(session: Session, actor: Actor, action_id: int) -> StrategicAction:
    row = session.get(StrategicAction, action_id)
    if row is None or row.platform != actor.platform or row.tenant_id != actor.tenant_id:
        raise NotFound("That strategic action no longer exists.")
    return row


def ref(row: StrategicAction) -> str:
    return f"S{row.number}"


def authorize_owner(session: Session, row: StrategicAction, actor: Actor, env_admins: tuple[str, ...]) -> None:
    if actor.user_id != row.owner_user and not is_strategic(session, actor, env_admins):
        raise PermissionDenied(f"Only the owner of strategic action {ref(row)}, the CSP admins and the strategic "
                               "leads can update it.")


def check_open(row: StrategicAction) -> None:
    if row.status == VERIFIED:
        raise WorkflowError(f"Strategic action {ref(row)} was completed and verified; nothing more to record.")
    if row.status == COMPLETED:
        raise WorkflowError(f"Strategic action {ref(row)} was marked complete on {show_date(row.completed_on)} "
                            "and awaits verification.")


def progress(session: Session, row: StrategicAction, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
             now: datetime, today: date) -> StrategicAction:
    authorize_owner(session, row, actor, env_admins)
    check_open(row)
    value, error = fields.text(StrategicProgressForm.update.of(raw), label="progress update", max_len=TEXT_MAX)
    if error:
        raise StrategicProgressForm.invalid({StrategicProgressForm.update.key: error})
    session.add(StrategicUpdate(strategic_action_id=row.id, kind="progress", text=value, by=actor.user_id, at=now))
    row.last_update_on, row.updated_at = today, now
    session.add(row)
    audit(session, actor.user_id, "strategic.action_progress", now, action_id=row.id)
    return row


def complete(session: Session, row: StrategicAction, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
             now: datetime, today: date) -> StrategicAction:
    authorize_owner(session, row, actor, env_admins)
    f, errors = StrategicCompleteForm, {}
    evidence, e = fields.text(f.evidence.of(raw), label="evidence of completion", max_len=TEXT_MAX)
    if e:
        errors[f.evidence.key] = e
    done_on, e = fields.iso_date(f.completed_on.of(raw), label="completion date")
    if e:
        errors[f.completed_on.key] = e
    elif done_on > today:
        errors[f.completed_on.key] = "The completion date can't be in the future."
    if errors:
        raise f.invalid(errors)
    changed = session.execute(update(StrategicAction).where(
        StrategicAction.id == row.id, StrategicAction.status == OPEN).values(
        status=COMPLETED, completed_on=done_on, completion_evidence=evidence, completed_by=actor.user_id,
        last_update_on=today, updated_at=now).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise WorkflowError(f"Strategic action {ref(row)} was already marked complete; nothing changed.")
    session.add(StrategicUpdate(strategic_action_id=row.id, kind=COMPLETED, text=evidence, by=actor.user_id, at=now))
    audit(session, actor.user_id, "strategic.action_completed", now, action_id=row.id)
    session.refresh(row)
    return row


def verify(session: Session, row: StrategicAction, actor: Actor, *, env_admins: tuple[str, ...],
           now: datetime) -> StrategicAction:
    _require_lead(session, actor, env_admins, "verify a strategic action")
    changed = session.execute(update(StrategicAction).where(
        StrategicAction.id == row.id, StrategicAction.status == COMPLETED).values(
        status=VERIFIED, verified_by=actor.user_id, verified_at=now, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise WorkflowError(f"Strategic action {ref(row)} is not awaiting verification (not marked complete, or "
                            "verified already); nothing changed.")
    session.add(StrategicUpdate(strategic_action_id=row.id, kind=VERIFIED, by=actor.user_id, at=now))
    linked = plan.verify_linked(session, row.id, actor, now=now)
    audit(session, actor.user_id, "strategic.action_verified", now, action_id=row.id, reviews=len(linked))
    session.refresh(row)
    return row


def send_back(session: Session, row: StrategicAction, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
              now: datetime) -> StrategicAction:
    """A lead sends a completion back to its owner with a reason: the action is open again."""
    check_strategic(session, actor, env_admins, "send a strategic action back")
    reason, error = fields.text(StrategicReturnForm.reason.of(raw), label="reason for sending it back",
                                max_len=TEXT_MAX)
    if error:
        raise StrategicReturnForm.invalid({StrategicReturnForm.reason.key: error})
    changed = session.execute(update(StrategicAction).where(
        StrategicAction.id == row.id, StrategicAction.status == COMPLETED).values(
        status=OPEN, completed_on=None, updated_at=now).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise WorkflowError(f"Strategic action {ref(row)} is not awaiting verification; nothing changed.")
    session.add(StrategicUpdate(strategic_action_id=row.id, kind="returned", text=reason, by=actor.user_id, at=now))
    audit(session, actor.user_id, "strategic.action_returned", now, action_id=row.id)
    session.refresh(row)
    return row


def check_awaiting(row: StrategicAction) -> None:
    if row.status != COMPLETED:
        raise WorkflowError(f"Strategic action {ref(row)} is not awaiting verification.")


# ---------------------------------------------------------------- the plan as rows (listing and board export)

@dataclass(frozen=True)
class StrategicRow:
    action_id: int
    ref: str
    action: str
    answers: str            # "DHR-2026-01 rec 2; DHR-2026-02 rec 1"
    owner_agency: str
    owner: str
    outcome_measure: str
    milestones: str
    target_on: date
    rag: str
    status: str
    completion: str
    latest_update: str


def plan_rows(session: Session, platform: str, tenant_id: str, today: date,
              calendar: WorkingCalendar) -> list[StrategicRow]:
    actions = session.exec(select(StrategicAction).where(
        StrategicAction.platform == platform, StrategicAction.tenant_id == tenant_id)
        .order_by(StrategicAction.number)).all()
    ids = [a.id for a in actions]
    cited: dict[int, list[str]] = {}
    latest: dict[int, str] = {}
    if ids:
        for sa_id, number, reference in session.exec(
                select(StrategicCitation.strategic_action_id, Recommendation.number, Review.reference)
                .join(Recommendation, Recommendation.id == StrategicCitation.recommendation_id)
                .join(Review, Review.id == Recommendation.review_id)
                .where(StrategicCitation.strategic_action_id.in_(ids))
                .order_by(Review.reference, Recommendation.number)):
            cited.setdefault(sa_id, []).append(f"{reference} rec {number}")
        for u in session.exec(select(StrategicUpdate).where(StrategicUpdate.strategic_action_id.in_(ids),
                                                            StrategicUpdate.kind == "progress")
                              .order_by(StrategicUpdate.id)):
            latest[u.strategic_action_id] = f"{u.at:%d %b %Y}: {u.text}"
    return [StrategicRow(a.id, ref(a), a.action, "; ".join(cited.get(a.id, [])), a.owner_agency, a.owner_user,
                         a.outcome_measure, a.milestones or "", a.target_on, plan.rag(a, today, calendar),
                         STATUS_LABELS[a.status],
                         f"{a.completed_on:%d %b %Y}: {a.completion_evidence}" if a.completed_on else "",
                         latest.get(a.id, "")) for a in actions]


def export_filename(today: date, ext: str) -> str:
    return f"strategic-action-plan_{today.isoformat()}.{ext}"


# ---------------------------------------------------------------- reminders, through the review sweep

@due_source("strategic")
def open_strategic(session: Session, window: DueWindow) -> list[DueItem]:
    """Open strategic actions due by the window's end: the owner is reminded, and the strategic leads and
    the CSP admins added with the admins command are told once it is overdue. The sweep's rows belong to a review,
    so each action's reminders are carried by the first live review it cites (its reference names the
    line; no link to that review's space, which the owner may not be in). An action citing no live review
    has no reminders."""
    deleted = select(ReviewClosure.review_id).where(ReviewClosure.content_deleted_at.is_not(None))
    rows = session.exec(
        select(StrategicAction.id, StrategicAction.number, StrategicAction.platform, StrategicAction.tenant_id,
               StrategicAction.owner_user, StrategicAction.target_on, StrategicAction.created_at,
               func.min(Recommendation.review_id).label("carrier"))
        .join(StrategicCitation, StrategicCitation.strategic_action_id == StrategicAction.id)
        .join(Recommendation, Recommendation.id == StrategicCitation.recommendation_id)
        .join(Review, Review.id == Recommendation.review_id)
        .where(is_fixed(StrategicAction.status, OPEN), StrategicAction.target_on <= window.due_until,
               Review.stage != Stage.CONCLUDED.value, Review.id.not_in(deleted))
        .group_by(StrategicAction.id, StrategicAction.number, StrategicAction.platform, StrategicAction.tenant_id,
                  StrategicAction.owner_user, StrategicAction.target_on, StrategicAction.created_at)).all()
    if not rows:
        return []
    carriers = {r.id: r for r in session.exec(select(Review.id, Review.reference).where(
        Review.id.in_({r.carrier for r in rows})))}
    leads: dict[tuple[str, str], set[str]] = {}
    for model in (StrategicLead, WorkspaceAdmin):
        for platform, tenant, user in session.exec(select(model.platform, model.tenant_id, model.user_id)):
            leads.setdefault((platform, tenant), set()).add(user)
    return [DueItem(review_id=r.carrier, reference=carriers[r.carrier].reference, space_id=None, kind="strategic",
                    key=f"strategic-{r.id}", label=f"Strategic action S{r.number} of the CSP's plan", due=r.target_on,
                    owners=(r.owner_user,), escalate_to=tuple(sorted(leads.get((r.platform, r.tenant_id), ()))),
                    since=r.created_at.astimezone(window.tz).date()) for r in rows]
