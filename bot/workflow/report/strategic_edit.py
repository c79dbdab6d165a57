"""Editing a strategic action (`strategic edit N`): CSP admins and strategic leads change what creation
set, under the same SMART checks. A settled action (verified) is never edited; one awaiting verification
is sent back first. A moved target is recorded (who, when, old and new date), and the review actions
linked to it (`action link`) follow its owner, outcome and target as linking copied them."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, select

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.kernel import Actor, audit, show_date
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, join, text
from bot.workflow.report import action_plan as plan
from bot.workflow.report.action_plan import COMPLETED, OPEN, VERIFIED
from bot.workflow.report.learning import WITHHELD, check_strategic
from bot.workflow.report.strategic import Citable, StrategicForm, agencies_of, citable, ref
from storage.learning import StrategicAction, StrategicCitation, StrategicUpdate
from storage.models import Review
from storage.panel import Agency
from storage.report import PlanAction, Recommendation

RETARGETED = "retargeted"       # a StrategicUpdate's kind: the target moved (its text: the two dates)


@dataclass(frozen=True)
class Edited:
    row: StrategicAction
    old_owner: str
    old_target: date
    changed: list[str]          # the form's keys that changed


def check_editable(row: StrategicAction) -> None:
    if row.status == VERIFIED:
        raise WorkflowError(f"Strategic action {ref(row)} was completed and verified, so it is settled: it can't be "
                            "edited. Add a new strategic action if more is needed.")
    if row.status == COMPLETED:
        raise WorkflowError(text(f"Strategic action {ref(row)} is marked complete and awaits verification: send it "
                                 "back first with ", Command(f"strategic return {row.number}"), ", then edit it."))


def cited_ids(session: Session, row: StrategicAction) -> list[int]:
    return sorted(session.exec(select(StrategicCitation.recommendation_id).where(
        StrategicCitation.strategic_action_id == row.id)))


def choices(session: Session, actor: Actor, row: StrategicAction, withheld) -> list[Citable]:
    """The form's recommendations: the newest citable ones and those the action already cites."""
    offered = citable(session, actor, withheld)
    missing = set(cited_ids(session, row)) - {c.recommendation_id for c in offered}
    if missing:
        rows = session.exec(select(Recommendation.id, Recommendation.number, Recommendation.text, Review.reference)
                            .join(Review, Review.id == Recommendation.review_id)
                            .where(Recommendation.id.in_(missing))).all()   # type: ignore[attr-defined]
        offered += [Citable(r.id, f"{r.reference} rec {r.number}: {WITHHELD if withheld(r.text) else r.text}"[:75])
                    for r in rows]
    return offered


def initial_agency(session: Session, actor: Actor, row: StrategicAction) -> str | None:
    """The owner agency's id, if it is still one of the CSP's agencies (stored by name, as the board reads it)."""
    return next((i for i, name in agencies_of(session, actor).items() if name == row.owner_agency), None)


def edit(session: Session, row: StrategicAction, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
         now: datetime, today: date, withheld) -> Edited:
    check_strategic(session, actor, env_admins, "edit a strategic action")
    check_editable(row)
    old, new = _values(session, row), _validated(session, row, actor, raw, today, withheld)
    changed = [k for k in new if new[k] != old[k]]
    if not changed:
        raise WorkflowError(f"Nothing changed: strategic action {ref(row)} already says that.")
    written = session.execute(update(StrategicAction).where(        # not if it was completed meanwhile
        StrategicAction.id == row.id, StrategicAction.status == OPEN).values(
        action=new["action"], owner_agency=new["lead_agency"], owner_user=new["owner"],
        outcome_measure=new["outcome_measure"], target_on=new["target_on"], milestones=new["milestones"],
        updated_at=now).execution_options(synchronize_session=False)).rowcount
    if written != 1:
        raise WorkflowError(f"Strategic action {ref(row)} was marked complete meanwhile; nothing changed.")
    session.refresh(row)
    _recite(session, row, set(old["recommendations"]), set(new["recommendations"]))
    moved = {}
    if "target_on" in changed:
        moved = {"target_from": old["target_on"].isoformat(), "target_to": row.target_on.isoformat()}
        session.add(StrategicUpdate(strategic_action_id=row.id, kind=RETARGETED, by=actor.user_id, at=now,
                                    text=f"Target moved from {show_date(old['target_on'])} to "
                                         f"{show_date(row.target_on)}."))
    owner = {"owner_from": old["owner"], "owner_to": row.owner_user} if "owner" in changed else {}
    audit(session, actor.user_id, "strategic.action_edited", now, action_id=row.id, number=row.number,
          changed=changed, **moved, **owner)
    follow_linked(session, row, actor, now=now)
    return Edited(row, old["owner"], old["target_on"], changed)


def _values(session: Session, row: StrategicAction) -> dict:
    """The action as the form's keys hold it (the agency by name), to tell what an edit changes."""
    return {"action": row.action, "lead_agency": row.owner_agency, "owner": row.owner_user,
            "outcome_measure": row.outcome_measure, "target_on": row.target_on, "milestones": row.milestones,
            "recommendations": cited_ids(session, row)}


def _validated(session: Session, row: StrategicAction, actor: Actor, raw: dict, today: date, withheld) -> dict:
    """The creation checks on the edited values (refusals name the SMART letter, on the form's fields)."""
    f = StrategicForm
    agencies = agencies_of(session, actor)
    errors = plan.smart_errors(raw, recommendation_ids=None, agency_ids=set(agencies), members=None, today=today)
    if f.target_on.of(raw) == row.target_on.isoformat():
        errors.pop(f.target_on.key, None)       # an overdue action keeps its target unless it is moved
    offered = {str(c.recommendation_id) for c in choices(session, actor, row, withheld)}
    cited = raw.get(f.recommendations.key)
    cited = [cited] if isinstance(cited, str) else list(cited or [])
    if not cited or any(str(c) not in offered for c in cited):
        errors[f.recommendations.key] = "Choose the review recommendations this action answers, from the list."
    if errors:
        raise f.invalid(errors, text(f"Strategic action {ref(row)} would not be SMART: ", join(" ", errors.values())))
    return {"action": " ".join(f.action.of(raw).split()), "lead_agency": agencies[f.lead_agency.of(raw)],
            "owner": f.owner.of(raw), "outcome_measure": f.outcome_measure.of(raw).strip(),
            "target_on": date.fromisoformat(f.target_on.of(raw)),
            "milestones": (f.milestones.of(raw) or "").strip() or None,
            "recommendations": sorted({int(c) for c in cited})}


def _recite(session: Session, row: StrategicAction, had: set[int], wanted: set[int]) -> None:
    for citation in session.exec(select(StrategicCitation).where(StrategicCitation.strategic_action_id == row.id)):
        if citation.recommendation_id not in wanted:
            session.delete(citation)
    session.add_all(StrategicCitation(strategic_action_id=row.id, recommendation_id=r) for r in sorted(wanted - had))


def follow_linked(session: Session, row: StrategicAction, actor: Actor, *, now: datetime) -> list[int]:
    """The review actions answered by this strategic action take its new words, owner, outcome and target,
    as `action link` copied them (open ones on live reviews; a verified one keeps its record).
    Returns the reviews whose plan changed."""
    agency = session.exec(select(Agency.id).where(Agency.platform == row.platform, Agency.tenant_id == row.tenant_id,
                                                  Agency.name == row.owner_agency)).first()
    linked = session.exec(select(PlanAction).join(Review, Review.id == PlanAction.review_id).where(
        PlanAction.strategic_action_id == row.id, PlanAction.status != VERIFIED,
        Review.stage != Stage.CONCLUDED.value)).all()
    for action in linked:
        action.action = f"Answered by strategic action {ref(row)}: {row.action}"
        action.owner_user, action.outcome_measure, action.target_on = row.owner_user, row.outcome_measure, row.target_on
        action.lead_agency_id = agency or action.lead_agency_id
        action.updated_at = now
        session.add(action)
        audit(session, actor.user_id, "plan.action_followed", now, action.review_id, action_id=action.id,
              strategic_action_id=row.id)
    return sorted({a.review_id for a in linked})
