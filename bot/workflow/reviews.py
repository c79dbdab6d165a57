"""Reviews: open one, find one, authorise a user on it, record the decision, describe it."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow import decision as decision_rules
from bot.workflow import intake, suicide
from bot.workflow.errors import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from bot.workflow.notices import DeadlineLine, PanelEntry, SummaryCard
from bot.workflow.permissions import Operation, Role, require
from bot.workflow.stages import Stage, next_step_text, stage_label
from bot.workflow.timescales import PAUSE_KINDS, compute_deadlines, get_preset
from bot.workflow.transitions import ReviewFacts, Transition, apply
from bot.workflow.unreachable import unreachable_in_review
from bot.workflow.workdays import WorkingCalendar
from storage.models import AuditEntry, Decision, Membership, Person, ProcessedEvent, Review, StageChange
from storage.panel import Agency


ACTIVE = "active"


@dataclass(frozen=True)
class Actor:
    team_id: str
    user_id: str


def audit(session: Session, actor: str, action: str, now: datetime, review_id=None, **detail) -> None:
    session.add(AuditEntry(review_id=review_id, actor=actor, action=action, detail=detail, at=now))


def references_in_use(session: Session) -> list[str]:
    return list(session.exec(select(Review.reference)))


def next_reference(session: Session, today: date) -> str:
    return intake.next_reference(today.year, references_in_use(session))


def reference_taken(session: Session, reference: str) -> bool:
    return session.exec(select(Review.id).where(Review.reference == reference)).first() is not None


def person_for(session: Session, team_id: str, user_id: str, now: datetime) -> Person:
    person = session.exec(
        select(Person).where(Person.team_id == team_id, Person.slack_user_id == user_id)
    ).first()
    if person is None:
        person = Person(team_id=team_id, slack_user_id=user_id, created_at=now)
        session.add(person)
        session.flush()
    return person


def open_review(session: Session, data: intake.NewReview, actor: Actor, now: datetime, preset: str) -> Review:
    """Stores the review in stage `notified` with its first coordinator. Set-up on Slack follows."""
    review = Review(
        team_id=actor.team_id, reference=data.reference, stage=Stage.NOTIFIED.value, preset=preset,
        notified_on=data.notified_on, notifying_agency=data.notifying_agency,
        victim_pseudonym=data.victim_pseudonym, perpetrator_pseudonym=data.perpetrator_pseudonym,
        victim_age=data.victim_age, relationship=data.relationship,
        suspected_suicide=data.suspected_suicide, created_by=actor.user_id,
        created_at=now, updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(review)
    except IntegrityError:
        if not reference_taken(session, data.reference):
            raise
        # Two coordinators raced for the same reference; the unique index decided.
        raise ValidationFailed({"reference": f"{data.reference} was just taken by another review; choose another."})
    person = person_for(session, actor.team_id, actor.user_id, now)
    session.add(Membership(review_id=review.id, person_id=person.id, role=Role.COORDINATOR.value,
                           added_by=actor.user_id, added_at=now))
    session.add(StageChange(review_id=review.id, from_stage=None, to_stage=review.stage,
                            transition="notify", by=actor.user_id, at=now))
    audit(session, actor.user_id, "review.opened", now, review.id, reference=review.reference)
    return review


def get_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound("That review no longer exists.")
    return review


def review_in_channel(session: Session, channel_id: str) -> Review:
    review = session.exec(select(Review).where(Review.channel_id == channel_id)).first()
    if review is None:
        raise NotFound("This isn't a review channel. Run the command in the review's own channel.")
    return review


def roles_of(session: Session, review: Review, actor: Actor) -> set[Role]:
    if actor.team_id != review.team_id:
        return set()
    rows = session.exec(
        select(Membership.role).join(Person, Person.id == Membership.person_id).where(
            Membership.review_id == review.id, Membership.status == ACTIVE,
            Person.team_id == actor.team_id, Person.slack_user_id == actor.user_id,
        )
    )
    return {Role(r) for r in rows}


def authorize(session: Session, review: Review, actor: Actor, op: Operation) -> set[Role]:
    roles = roles_of(session, review, actor)
    if not roles:
        raise PermissionDenied("You are not a member of this review.")
    require(roles, op)
    return roles


def reviews_for(session: Session, actor: Actor) -> list[Review]:
    return list(session.exec(
        select(Review).join(Membership, Membership.review_id == Review.id)
        .join(Person, Person.id == Membership.person_id)
        .where(Person.team_id == actor.team_id, Person.slack_user_id == actor.user_id,
               Membership.status == ACTIVE, Review.team_id == actor.team_id)
        .order_by(Review.reference).distinct()
    ))


def _timeline(review: Review):
    from sqlalchemy.orm import object_session

    from bot.workflow.deadlines import Timeline, timeline  # pauses and extensions move deadlines
    session = object_session(review)
    return timeline(session, review.id) if session is not None and review.id else Timeline()


def decision_due(review: Review, today: date, tl=None) -> date:
    tl = tl if tl is not None else _timeline(review)
    deadlines = compute_deadlines(preset=get_preset(review.preset), notified_on=review.notified_on,
                                  pauses=tl.pauses, extensions=tl.extensions, today=today)
    return next(d.due for d in deadlines if d.key == "decision")


ALREADY_DECIDED = ("The decision on this review was already recorded a moment ago by someone else; "
                   "see the pinned summary.")


def record_decision(session: Session, review: Review, raw: dict, actor: Actor, now: datetime, today: date) -> Decision:
    authorize(session, review, actor, Operation.RECORD_DECISION)
    tl = _timeline(review)     # pauses and extensions: the decision's due date, and whether it may move on
    due = decision_due(review, today, tl)
    known = {str(a.id): a.name for a in session.exec(select(Agency).where(Agency.team_id == review.team_id,
                                                                          Agency.active))}   # as the form offers
    data = decision_rules.validate_decision(raw, notified_on=review.notified_on, decision_due=due, today=today,
                                            agencies=known)
    if decision_of(session, review) is not None:   # the other submission of a race that committed first
        raise WorkflowError(ALREADY_DECIDED)
    transition = Transition.DECIDE_REVIEW if data.outcome == "review" else Transition.DECIDE_NO_REVIEW
    facts = _decision_facts(data, review, due)
    new_stage = apply(transition, Stage(review.stage), facts, paused=tl.current_pause is not None)
    row = Decision(review_id=review.id, outcome=data.outcome, decided_on=data.decided_on,
                   agencies_consulted=data.agencies_consulted, concerns=data.concerns,
                   parallel_processes=data.parallel_processes, home_office_told_on=data.home_office_told_on,
                   lscp_told_on=data.lscp_told_on, delay_reason=data.delay_reason,
                   no_review_reasons=data.no_review_reasons,
                   recorded_by=actor.user_id, recorded_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # a second coordinator's submission, a moment later
        raise WorkflowError(ALREADY_DECIDED) from None
    _move(session, review, new_stage, transition, actor, now)
    audit(session, actor.user_id, "decision.recorded", now, review.id, outcome=data.outcome,
          decided_on=data.decided_on.isoformat())
    return row


def _decision_facts(data: decision_rules.DecisionInput, review: Review, due: date) -> ReviewFacts:
    return ReviewFacts(notified_on=review.notified_on, decision_due=due,
                       decision_on=data.decided_on, home_office_told_on=data.home_office_told_on,
                       delay_reason=data.delay_reason, agencies_consulted=len(data.agencies_consulted),
                       no_review_reasons=data.no_review_reasons)


def _move(session, review, new_stage: Stage, transition, actor: Actor, now) -> None:
    session.add(StageChange(review_id=review.id, from_stage=review.stage, to_stage=new_stage.value,
                            transition=transition.value, by=actor.user_id, at=now))
    review.stage = new_stage.value
    review.updated_at = now
    session.add(review)


def decision_of(session: Session, review: Review) -> Decision | None:
    return session.exec(select(Decision).where(Decision.review_id == review.id)).first()


def summary_card(session: Session, review: Review, today: date, calendar: WorkingCalendar) -> SummaryCard:
    from bot.workflow.deadlines import review_deadlines, timeline  # pauses, extensions, met dates
    made = decision_of(session, review)
    preset = get_preset(review.preset)
    tl = timeline(session, review.id, reasons=True)
    deadlines = review_deadlines(session, review, today, made=made, tl=tl)
    stage = Stage(review.stage)
    pause = tl.current_pause
    paused = (f"Paused since {show_date(pause.started_on)} "
              f"({PAUSE_KINDS.get(pause.kind, pause.kind)}): {pause.reason}. The guidance's timescales are "
              "on hold and send no reminders; `/dhr resume` restarts them.") if pause else None
    return SummaryCard(
        review_id=review.id, reference=review.reference, stage=stage.value,
        stage_label=stage_label(stage), next_step=next_step_text(stage),
        victim_pseudonym=review.victim_pseudonym, perpetrator_pseudonym=review.perpetrator_pseudonym,
        notified_on=show_date(review.notified_on), preset_label=preset.label,
        deadlines=[_deadline_line(d, calendar, tl) for d in deadlines],
        decision_lines=_decision_lines(made),
        awaiting=" ".join(x for x in (
            paused, "The Home Office's reply to the decision not to hold a review is awaited."
            if stage == Stage.NOT_COMMISSIONED else None) if x) or None,
        panel=_panel_entries(session, review),
        unreachable=unreachable_in_review(session, review.id),
        suspected_suicide=review.suspected_suicide, suicide_lines=suicide.card_lines(review, made is not None),
        **_evidence_parts(session, review, today),
    )


def _evidence_parts(session: Session, review: Review, today: date) -> dict:
    from bot.workflow.evidence_card import card_parts  # evidence builds on this module
    return card_parts(session, review, today)


def _panel_entries(session: Session, review: Review) -> list[PanelEntry]:
    from bot.workflow.panel import INVITED, panel_lines  # panel builds on this module
    return [PanelEntry(p.user_id, p.role.label, p.agency, p.status == INVITED) for p in panel_lines(session, review)]


def show_date(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _deadline_line(deadline, calendar: WorkingCalendar, tl=None) -> DeadlineLine:
    notes = []
    off = calendar.describe(deadline.due)
    if off and deadline.status in ("due", "overdue"):
        notes.append(f"falls on {off} (not a working day)")
    if tl is not None and tl.current_pause and deadline.status in ("due", "overdue"):
        notes.append("on hold while the review is paused")
    if deadline.shifted_days and not deadline.extended_to:
        notes.append(f"moved {deadline.shifted_days} days by pauses")
    if deadline.extended_to:
        ext = next((e for e in (tl.extensions if tl else []) if e.deadline == deadline.key), None)
        notes.append(f"extended on {show_date(ext.recorded_on)}, agreed by {ext.agreed_by}: {ext.reason}"
                     if ext else "extended")
    return DeadlineLine(label=deadline.label, due=show_date(deadline.due), status=deadline.status,
                        note="; ".join(notes) or None)


def _decision_lines(made: Decision | None) -> list[str]:
    if not made:
        return []
    lines = [f"{decision_rules.OUTCOMES[made.outcome]} (decided {show_date(made.decided_on)})",
             f"Home Office told {show_date(made.home_office_told_on)}"]
    if made.outcome == "no_review" and made.home_office_reply == "review_directed":
        lines.append(f"The Home Office directed a review (received {show_date(made.home_office_reply_on)}); "
                     "its timescales run from that date")
    if made.lscp_told_on:
        lines.append(f"Safeguarding children partnership told {show_date(made.lscp_told_on)}")
    if made.parallel_processes:
        lines.append("Parallel processes: " + ", ".join(
            decision_rules.PARALLEL_PROCESSES[p] for p in made.parallel_processes))
    return lines


def first_delivery(session: Session, event_id: str, now: datetime) -> bool:
    """Slack re-sends an event it thinks we missed; only the first delivery is handled."""
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(event_id=event_id[:64], received_at=now))
        return True
    except IntegrityError:
        return False
