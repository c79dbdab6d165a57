"""Opening a review and recording the decision whether to hold one."""
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.clock.deadlines import timeline_of
from bot.workflow.clock.timescales import compute_deadlines, get_preset
from bot.workflow.clock.transitions import ReviewFacts, Transition, apply
from bot.workflow.core.errors import ValidationFailed, WorkflowError
from bot.workflow.core.kernel import Actor, audit, authorize, move, person_for, reference_taken, references_in_use
from bot.workflow.core.permissions import Operation, Role
from bot.workflow.core.stages import Stage
from bot.workflow.intake import decision as decision_rules
from bot.workflow.intake import intake
from storage.models import Decision, Membership, Review, StageChange
from storage.panel import Agency


def next_reference(session: Session, today: date) -> str:
    return intake.next_reference(today.year, references_in_use(session))


def open_review(session: Session, data: intake.NewReview, actor: Actor, now: datetime, preset: str) -> Review:
    """Stores the review in stage `notified` with its first coordinator. Setting up its space follows."""
    review = Review(
        platform=actor.platform, tenant_id=actor.tenant_id, reference=data.reference, stage=Stage.NOTIFIED.value,
        preset=preset,
        notified_on=data.notified_on, notifying_agency=data.notifying_agency,
        victim_pseudonym=data.victim_pseudonym, perpetrator_pseudonym=data.perpetrator_pseudonym,
        victim_age=data.victim_age, relationship=data.relationship,
        suspected_suicide=data.suspected_suicide, created_by=actor.user_id,
        created_at=now, updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(review)
    except IntegrityError as err:
        if not reference_taken(session, data.reference):
            raise
        # Two coordinators raced for the same reference; the unique index decided.
        raise ValidationFailed({"reference": f"{data.reference} was just taken by another review; "
                                             "choose another."}) from err
    person = person_for(session, actor.tenant_id, actor.user_id, now, actor.platform)
    session.add(Membership(review_id=review.id, person_id=person.id, role=Role.COORDINATOR.value,
                           added_by=actor.user_id, added_at=now))
    session.add(StageChange(review_id=review.id, from_stage=None, to_stage=review.stage,
                            transition="notify", by=actor.user_id, at=now))
    audit(session, actor.user_id, "review.opened", now, review.id, reference=review.reference)
    return review


def decision_due(review: Review, today: date, tl=None) -> date:
    tl = tl if tl is not None else timeline_of(review)
    deadlines = compute_deadlines(preset=get_preset(review.preset), notified_on=review.notified_on,
                                  extensions=tl.extensions, today=today)
    return next(d.due for d in deadlines if d.key == "decision")


ALREADY_DECIDED = ("The decision on this review was already recorded a moment ago by someone else; "
                   "see the pinned summary.")


def record_decision(session: Session, review: Review, raw: dict, actor: Actor, now: datetime, today: date) -> Decision:
    authorize(session, review, actor, Operation.RECORD_DECISION)
    tl = timeline_of(review)     # agreed extensions: the decision's due date
    due = decision_due(review, today, tl)
    known = {str(a.id): a.name for a in session.exec(select(Agency).where(Agency.tenant_id == review.tenant_id,
                                                                          Agency.active))}   # as the form offers
    data = decision_rules.validate_decision(raw, notified_on=review.notified_on, decision_due=due, today=today,
                                            agencies=known)
    if decision_of(session, review) is not None:   # the other submission of a race that committed first
        raise WorkflowError(ALREADY_DECIDED)
    transition = Transition.DECIDE_REVIEW if data.outcome == "review" else Transition.DECIDE_NO_REVIEW
    facts = _decision_facts(data, review, due)
    new_stage = apply(transition, Stage(review.stage), facts)
    row = Decision(review_id=review.id, outcome=data.outcome, decided_on=data.decided_on,
                   agencies_consulted=data.agencies_consulted, concerns=data.concerns,
                   parallel_processes=data.parallel_processes, home_office_told_on=data.home_office_told_on,
                   lscp_told_on=data.lscp_told_on, delay_reason=data.delay_reason,
                   no_review_reasons=data.no_review_reasons, decided_by=data.decided_by,
                   records_secured_on=data.records_secured_on, criteria=data.criteria,
                   usual_residence=data.usual_residence, lead_csp=data.lead_csp, joint_with=data.joint_with,
                   joint_lead=data.joint_lead, recorded_by=actor.user_id, recorded_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # a second coordinator's submission, a moment later
        raise WorkflowError(ALREADY_DECIDED) from None
    move(session, review, new_stage, transition, actor, now)
    audit(session, actor.user_id, "decision.recorded", now, review.id, outcome=data.outcome,
          decided_on=data.decided_on.isoformat())
    return row


def _decision_facts(data: decision_rules.DecisionInput, review: Review, due: date) -> ReviewFacts:
    return ReviewFacts(notified_on=review.notified_on, decision_due=due,
                       decision_on=data.decided_on, home_office_told_on=data.home_office_told_on,
                       delay_reason=data.delay_reason, agencies_consulted=len(data.agencies_consulted),
                       no_review_reasons=data.no_review_reasons)


def decision_of(session: Session, review: Review) -> Decision | None:
    return session.exec(select(Decision).where(Decision.review_id == review.id)).first()

