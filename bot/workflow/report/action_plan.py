"""The action plan: recommendations, SMART actions, progress, completion and verification.

RAG is derived (never stored): green on track; amber when the target is within 10 working days
and nothing was recorded on the action (created or updated) in the last 20 working days; red when
overdue. Completion is one status-guarded UPDATE, so a double click records it once.
Also the "action" and "verification" sources of due items for the reminder sweep (see due.py).
"""
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import update
from sqlmodel import Session, func, select

from bot.workflow.clock.due import DueItem, DueWindow, due_source, is_fixed, leads_by_review, one_of
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import fields
from bot.workflow.core.errors import NotFound, PermissionDenied, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import ACTIVE, Actor, audit, authorize, roles_of, show_date
from bot.workflow.core.notices import ActionAssigned, ActionDetails
from bot.workflow.core.permissions import Operation, require
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, Mention, Text, join, text
from bot.workflow.panel.panel import USER_ID_RE, active_agencies
from bot.workflow.report import national as lifecycle
from storage.learning import StrategicAction, ThemeTag
from storage.models import Membership, Person, Review
from storage.panel import Agency
from storage.report import ActionUpdate, PlanAction, Recommendation

SCOPES = {"local": "Local", "regional": "Regional", "national": "National"}
SOURCES = {"overview": "Overview report", "imr": "An agency's IMR"}
OPEN, COMPLETED, VERIFIED = "open", "completed", "verified"
STATUS_LABELS = {OPEN: "Open", COMPLETED: "Completed, awaiting verification", VERIFIED: "Completed and verified"}
AMBER_WITHIN, STALE_AFTER = 10, 20     # working days
HORIZON_YEARS = 5                      # a target further away than this is not timed (the T of SMART)
TEXT_MAX = 2000
VAGUE_STARTS = ("consider", "look into", "look at", "explore", "think about", "reflect on", "be aware",
                "continue to", "try to", "aim to", "endeavour", "where possible", "as appropriate", "tbc", "tbd")
LETTERS = {"S": "S (specific)", "M": "M (measurable)", "A": "A (achievable)", "R": "R (realistic)",
           "T": "T (timed)"}


# ---------------------------------------------------------------- the forms (messages/report/plan.py lays them out)

class RecommendationForm(FormSpec):
    text = Field("Recommendation", Kind.MULTILINE, max_length=TEXT_MAX)
    scope = Field("Scope", Kind.RADIO, options=SCOPES)
    source = Field("Source", Kind.RADIO, options=SOURCES)
    source_agency = Field("Agency whose IMR made it", Kind.SELECT, required=False,
                          hint="Only for a recommendation from an agency's IMR.")
    # A national recommendation is only drafted here: it goes with the report to the Home Office, and its
    # sending and the department's response are later steps of `stage` (national.py).
    national_body = Field("National: the department it is for", required=False, max_length=200,
                          hint="If known, e.g. the Department of Health and Social Care; it can be named when sent.")
    themes = Field("Themes", Kind.MULTI_SELECT, required=False,
                   hint="The themes of learning it answers, read across reviews by the CSP.")


class ActionForm(FormSpec):
    """Every SMART field is required in the form itself; only the milestones may wait."""

    recommendation = Field("Recommendation", Kind.SELECT)
    action = Field("Action to take", Kind.MULTILINE, max_length=TEXT_MAX, hint="Who does what, for whom.")
    lead_agency = Field("Lead agency", Kind.SELECT)
    owner = Field("Owner (lead person)", Kind.PERSON)
    outcome_measure = Field("Measurable outcome or evidence expected", Kind.MULTILINE, max_length=TEXT_MAX)
    target_on = Field("Target date", Kind.DATE)
    milestones = Field("Key milestones", Kind.MULTILINE, max_length=TEXT_MAX, required=False)


class LinkForm(FormSpec):
    """A review's action answered by a strategic action of the CSP instead of a duplicate of it."""

    recommendation = Field("Recommendation", Kind.SELECT)
    strategic = Field("Answered by strategic action", Kind.SELECT,
                      hint="The action takes its owner, outcome and target, and is verified when it is.")


class ProgressForm(FormSpec):
    update = Field("Progress update", Kind.MULTILINE, max_length=TEXT_MAX)


class CompleteForm(FormSpec):
    completed_on = Field("Date completed", Kind.DATE)
    evidence = Field("Evidence of completion", Kind.MULTILINE, max_length=TEXT_MAX,
                     hint="What shows the measurable outcome was met, and where the evidence is kept.")


class ReturnForm(FormSpec):
    reason = Field("Why it is not complete yet", Kind.MULTILINE, max_length=TEXT_MAX)


# ---------------------------------------------------------------- recommendations

def add_recommendation(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime,
                       today: date, themes: Mapping[str, str] | None = None) -> Recommendation:
    authorize(session, review, actor, Operation.MANAGE_ACTION_PLAN)
    check_plan_open(review)
    f, errors = RecommendationForm, {}
    body_text = _field(raw, f.text.key, "recommendation", errors, required=True)
    scope, e = fields.choice(f.scope.of(raw), SCOPES, label="scope")
    if e:
        errors[f.scope.key] = e
    source, e = fields.choice(f.source.of(raw), SOURCES, label="source")
    if e:
        errors[f.source.key] = e
    agencies = {str(a.id): a for a in active_agencies(session, review.tenant_id)}
    agency_id = f.source_agency.of(raw)
    if source == "imr" and agency_id not in agencies:
        errors[f.source_agency.key] = "Choose the agency whose IMR made this recommendation."
    body = _field(raw, f.national_body.key, "department", errors, max_len=200)
    if body and scope != "national":
        errors[f.national_body.key] = "Only a national recommendation goes to a department: clear this, or choose " \
                                      "the national scope."
    picked = theme_choices(raw.get(f.themes.key), themes or {}, f.themes.key, errors)
    if errors:
        raise f.invalid(errors)
    number = 1 + session.exec(select(func.count()).select_from(Recommendation)
                              .where(Recommendation.review_id == review.id)).one()
    row = Recommendation(review_id=review.id, number=number, text=body_text, scope=scope, source=source,
                         source_agency_id=int(agency_id) if source == "imr" else None,
                         national_body=body if scope == "national" else None,
                         created_by=actor.user_id, created_at=now)
    session.add(row)
    session.flush()
    session.add_all(ThemeTag(review_id=review.id, recommendation_id=row.id, theme=t) for t in picked)
    audit(session, actor.user_id, "plan.recommendation_added", now, review.id, number=number, scope=scope,
          themes=picked)
    return row


def theme_choices(value, themes: Mapping[str, str], key: str, errors: dict) -> list[str]:
    """The theme keys chosen on a form (a multi-select), each one of the configured themes."""
    picked, error = fields.choices([value] if isinstance(value, str) else value, themes, label="themes")
    if error:
        errors[key] = error
    return picked


def recommendations(session: Session, review_id: int) -> list[Recommendation]:
    return list(session.exec(select(Recommendation).where(Recommendation.review_id == review_id)
                             .order_by(Recommendation.number)))


def check_plan_open(review: Review) -> None:
    if review.stage in (Stage.CONCLUDED.value, Stage.NOT_COMMISSIONED.value, Stage.NOTIFIED.value):
        raise WorkflowError(f"The action plan of {review.reference} can't be changed at stage "
                            f"\u201c{Stage(review.stage).label}\u201d.")


def _field(raw, name, label, errors, *, required=False, max_len=TEXT_MAX):
    value, error = fields.text(raw.get(name), label=label, max_len=max_len, required=required)
    if error:
        errors[name] = error
    return value


# ---------------------------------------------------------------- SMART actions

def members_of(session: Session, review_id: int) -> set[str]:
    return set(session.exec(select(Person.user_id).join(Membership, Membership.person_id == Person.id)
                            .where(Membership.review_id == review_id, Membership.status == ACTIVE)))


def smart_errors(raw: dict, *, recommendation_ids: set[str] | None, agency_ids: set[str], members: set[str] | None,
                 today: date) -> dict[str, str | Text]:
    """Field -> message naming the SMART letter that fails. Pure: unit-testable. The Strategic Action
    Plan passes None for what it checks itself: the recommendations (several) and the members (any person)."""
    f, errors = ActionForm, {}
    action = " ".join((f.action.of(raw) or "").split())
    words = re.findall(r"[A-Za-z0-9']+", action)
    if not action:
        errors[f.action.key] = f"{LETTERS['S']}: say what will be done."
    elif len(action) > TEXT_MAX:
        errors[f.action.key] = f"Keep the action to {TEXT_MAX} characters."
    elif len(words) < 5 or action.lower().startswith(VAGUE_STARTS):
        errors[f.action.key] = (f"{LETTERS['S']}: too vague. Say who does what, for whom, e.g. \u201cDeliver DASH "
                                "refresher training to all front-desk staff\u201d.")
    measure = " ".join((f.outcome_measure.of(raw) or "").split())
    if len(re.findall(r"[A-Za-z0-9']+", measure)) < 3:
        errors[f.outcome_measure.key] = (f"{LETTERS['M']}: say how completion will be measured or evidenced, "
                                         "e.g. \u201c95% of staff trained, training records\u201d.")
    elif len(measure) > TEXT_MAX:
        errors[f.outcome_measure.key] = f"Keep the outcome to {TEXT_MAX} characters."
    if f.lead_agency.of(raw) not in agency_ids:
        errors[f.lead_agency.key] = f"{LETTERS['A']}: choose the lead agency that can deliver the action."
    owner = f.owner.of(raw)
    if not owner or not USER_ID_RE.match(str(owner)):
        errors[f.owner.key] = f"{LETTERS['R']}: choose the lead person who will deliver the action."
    elif members is not None and owner not in members:
        errors[f.owner.key] = text(f"{LETTERS['R']}: ", Mention(PersonRef(owner)),
                                   " is not on this review; add them to the panel first.")
    if recommendation_ids is not None and f.recommendation.of(raw) not in recommendation_ids:
        errors[f.recommendation.key] = text("Link the action to one of the review's recommendations", *(
            ["."] if recommendation_ids else ["; add a recommendation first with ", Command("recommend"), "."]))
    target, error = fields.iso_date(f.target_on.of(raw), label="target date")
    if error:
        errors[f.target_on.key] = f"{LETTERS['T']}: choose a target date."
    elif target <= today:
        errors[f.target_on.key] = f"{LETTERS['T']}: the target date must be in the future."
    elif target > today + relativedelta(years=HORIZON_YEARS):
        errors[f.target_on.key] = f"{LETTERS['T']}: choose a target within {HORIZON_YEARS} years."
    if len(f.milestones.of(raw) or "") > TEXT_MAX:
        errors[f.milestones.key] = f"Keep the milestones to {TEXT_MAX} characters."
    return errors


def add_action(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime,
               today: date) -> PlanAction:
    authorize(session, review, actor, Operation.MANAGE_ACTION_PLAN)
    check_plan_open(review)
    recs = {str(r.id): r for r in recommendations(session, review.id)}
    agencies = {str(a.id) for a in active_agencies(session, review.tenant_id)}
    errors = smart_errors(raw, recommendation_ids=set(recs), agency_ids=agencies,
                          members=members_of(session, review.id), today=today)
    if errors:
        raise ActionForm.invalid(errors, text("This action is not SMART yet: ", join(" ", errors.values())))
    f = ActionForm
    rec = recs[f.recommendation.of(raw)]
    number = 1 + session.exec(select(func.count()).select_from(PlanAction)
                              .where(PlanAction.recommendation_id == rec.id)).one()
    row = PlanAction(review_id=review.id, recommendation_id=rec.id, number=number,
                     action=" ".join(f.action.of(raw).split()), lead_agency_id=int(f.lead_agency.of(raw)),
                     owner_user=f.owner.of(raw), outcome_measure=f.outcome_measure.of(raw).strip(),
                     target_on=date.fromisoformat(f.target_on.of(raw)),
                     milestones=(f.milestones.of(raw) or "").strip() or None,
                     created_by=actor.user_id, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "plan.action_added", now, review.id, action_id=row.id, owner=row.owner_user,
          target_on=row.target_on.isoformat())
    return row


def link_action(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime) -> PlanAction:
    """An action of this review's plan that a strategic action answers: it copies the strategic action's
    owner, outcome and target, and is verified when the strategic action is (strategic.verify)."""
    authorize(session, review, actor, Operation.MANAGE_ACTION_PLAN)
    check_plan_open(review)
    f, errors = LinkForm, {}
    recs = {str(r.id): r for r in recommendations(session, review.id)}
    if f.recommendation.of(raw) not in recs:
        errors[f.recommendation.key] = "Choose one of the review's recommendations."
    chosen = str(f.strategic.of(raw) or "")
    strategic = session.get(StrategicAction, int(chosen)) if chosen.isdigit() and len(chosen) < 10 else None
    if strategic is None or (strategic.platform, strategic.tenant_id) != (review.platform, review.tenant_id) \
            or strategic.status == VERIFIED:
        errors[f.strategic.key] = "Choose one of the CSP's strategic actions not yet verified."
    if errors:
        raise f.invalid(errors)
    agency = session.exec(select(Agency.id).where(Agency.platform == review.platform,
                                                  Agency.tenant_id == review.tenant_id,
                                                  Agency.name == strategic.owner_agency)).first()
    if agency is None:
        raise f.invalid({f.strategic.key: f"Its owner agency “{strategic.owner_agency}” is no longer one of "
                                          "the CSP's agencies."})
    rec = recs[f.recommendation.of(raw)]
    number = 1 + session.exec(select(func.count()).select_from(PlanAction)
                              .where(PlanAction.recommendation_id == rec.id)).one()
    row = PlanAction(review_id=review.id, recommendation_id=rec.id, number=number,
                     action=f"Answered by strategic action S{strategic.number}: {strategic.action}",
                     lead_agency_id=agency, owner_user=strategic.owner_user, outcome_measure=strategic.outcome_measure,
                     target_on=strategic.target_on, strategic_action_id=strategic.id, created_by=actor.user_id,
                     created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    audit(session, actor.user_id, "plan.action_linked", now, review.id, action_id=row.id,
          strategic_action_id=strategic.id)
    return row


def verify_linked(session: Session, strategic_action_id: int, actor: Actor, *, now: datetime) -> list[int]:
    """Review actions answered by a verified strategic action are verified with it (on live reviews);
    returns the reviews whose plan changed."""
    rows = session.exec(select(PlanAction).join(Review, Review.id == PlanAction.review_id).where(
        PlanAction.strategic_action_id == strategic_action_id, PlanAction.status != VERIFIED,
        Review.stage != Stage.CONCLUDED.value)).all()
    for row in rows:
        row.status, row.verified_by, row.verified_at, row.updated_at = VERIFIED, actor.user_id, now, now
        row.completed_on = row.completed_on or now.date()
        session.add(row)
        session.add(ActionUpdate(action_id=row.id, review_id=row.review_id, kind=VERIFIED, by=actor.user_id, at=now,
                                 text="Verified with the strategic action that answers it."))
        audit(session, actor.user_id, "plan.action_verified", now, row.review_id, action_id=row.id,
              strategic_action_id=strategic_action_id)
    return sorted({r.review_id for r in rows})


def action_ref(rec_number: int, number: int) -> str:
    return f"{rec_number}.{number}"


# ---------------------------------------------------------------- who may touch an action

def load(session: Session, action_id: int) -> tuple[PlanAction, Review]:
    row = session.get(PlanAction, action_id)
    if row is None:
        raise NotFound("That action no longer exists.")
    return row, session.get(Review, row.review_id)


def details(session: Session, action_ids: Iterable[int]) -> dict[int, ActionDetails]:
    """The action, its recommendation and measurable outcome, for the owner's DM, Home and forms."""
    ids = list(action_ids)
    if not ids:
        return {}
    rows = session.exec(select(PlanAction, Recommendation).join(
        Recommendation, Recommendation.id == PlanAction.recommendation_id).where(one_of(session, PlanAction.id, ids)))
    return {a.id: ActionDetails(action_ref(r.number, a.number), a.action, r.text, a.outcome_measure)
            for a, r in rows}


def assigned(session: Session, row: PlanAction, review: Review, text: str = "") -> ActionAssigned:
    """The owner's DM for an action given to them (or sent back to them), with what the action is."""
    about = details(session, [row.id])[row.id]
    return ActionAssigned(row.id, review.reference, review.space_id, about.ref, show_date(row.target_on), text,
                          about)


def _agencies_of(session: Session, review: Review, actor: Actor) -> set[str]:
    rows = session.exec(select(Membership.agency_id).join(Person, Person.id == Membership.person_id).where(
        Membership.review_id == review.id, Membership.status == ACTIVE, Person.platform == actor.platform,
        Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id, Membership.agency_id.is_not(None)))
    return {str(a) for a in rows}


def authorize_own(session: Session, row: PlanAction, review: Review, actor: Actor) -> None:
    """The owner, the coordinator or chair, or a lead of the action's own agency."""
    roles = roles_of(session, review, actor)
    if not roles:
        raise PermissionDenied("You are not a member of this review.")
    if actor.user_id == row.owner_user:
        return
    require(roles, Operation.UPDATE_OWN_ACTION, actor_agencies=_agencies_of(session, review, actor),
            item_agency=str(row.lead_agency_id))


def check_live(review: Review) -> None:
    if review.stage == Stage.CONCLUDED.value:
        raise WorkflowError(f"{review.reference} is concluded; its actions can no longer change.")


# ---------------------------------------------------------------- progress, completion, verification

def check_open(row: PlanAction, ref: str) -> None:
    """An old DM's *Mark complete* or *Add a progress update* on an action that has moved on: the
    refusal says what is recorded instead of opening a form that could only fail."""
    if row.status == VERIFIED:
        when = f" on {show_date(row.verified_at.date())}" if row.verified_at else ""
        raise WorkflowError(f"Action {ref} was completed on {show_date(row.completed_on)} and verified{when}; "
                            "nothing more to record.")
    if row.status == COMPLETED:
        raise WorkflowError(f"Action {ref} was already marked complete on {show_date(row.completed_on)} and "
                            "awaits verification by the coordinator or chair.")


def progress(session: Session, action_id: int, actor: Actor, raw: dict, *, now: datetime, today: date) -> PlanAction:
    row, review = load(session, action_id)
    authorize_own(session, row, review, actor)
    check_live(review)
    if row.status != OPEN:
        raise WorkflowError("This action is already marked complete; progress updates are for open actions.")
    errors = {}
    update_text = _field(raw, ProgressForm.update.key, "progress update", errors, required=True)
    if errors:
        raise ProgressForm.invalid(errors)
    session.add(ActionUpdate(action_id=row.id, review_id=review.id, kind="progress", text=update_text, by=actor.user_id,
                             at=now))
    row.last_update_on, row.updated_at = today, now
    session.add(row)
    audit(session, actor.user_id, "plan.action_progress", now, review.id, action_id=row.id)
    return row


def complete(session: Session, action_id: int, actor: Actor, raw: dict, *, now: datetime, today: date) -> PlanAction:
    """Marks an action complete with its evidence, once: a second submission (double click, two
    people) finds it no longer open and is refused."""
    row, review = load(session, action_id)
    authorize_own(session, row, review, actor)
    check_live(review)
    f, errors = CompleteForm, {}
    evidence = _field(raw, f.evidence.key, "evidence of completion", errors, required=True)
    done_on, e = fields.iso_date(f.completed_on.of(raw), label="completion date")
    if e:
        errors[f.completed_on.key] = e
    elif done_on > today:
        errors[f.completed_on.key] = "The completion date can't be in the future."
    if errors:
        raise f.invalid(errors)
    changed = session.execute(update(PlanAction).where(PlanAction.id == row.id, PlanAction.status == OPEN).values(
        status=COMPLETED, completed_on=done_on, completion_evidence=evidence, completed_by=actor.user_id,
        last_update_on=today, updated_at=now).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise WorkflowError("This action was already marked complete; nothing changed.")
    session.add(ActionUpdate(action_id=row.id, review_id=review.id, kind=COMPLETED, text=evidence, by=actor.user_id,
                             at=now))
    audit(session, actor.user_id, "plan.action_completed", now, review.id, action_id=row.id,
          completed_on=done_on.isoformat())
    session.refresh(row)
    return row


def verify(session: Session, action_id: int, actor: Actor, *, accept: bool, reason: str | None,
           now: datetime) -> PlanAction:
    """The coordinator or chair verifies a completion, or sends it back with a reason."""
    row, review = load(session, action_id)
    authorize(session, review, actor, Operation.VERIFY_ACTION)
    check_live(review)
    if not accept:
        reason, error = fields.text(reason, label="reason for sending it back", max_len=TEXT_MAX)
        if error:
            raise ReturnForm.invalid({ReturnForm.reason.key: error})
    values = dict(status=VERIFIED, verified_by=actor.user_id, verified_at=now, updated_at=now) if accept else \
        dict(status=OPEN, completed_on=None, updated_at=now)
    changed = session.execute(update(PlanAction).where(PlanAction.id == row.id, PlanAction.status == COMPLETED)
                           .values(**values).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise WorkflowError("This action is not awaiting verification (it was verified or sent back already, "
                            "or not marked complete); nothing changed.")
    kind = VERIFIED if accept else "returned"
    session.add(ActionUpdate(action_id=row.id, review_id=review.id, kind=kind, text=reason, by=actor.user_id, at=now))
    audit(session, actor.user_id, f"plan.action_{kind}", now, review.id, action_id=row.id)
    session.refresh(row)
    return row


# ---------------------------------------------------------------- RAG and the plan as rows

RAG_COLUMNS = (PlanAction.id, PlanAction.review_id, PlanAction.status, PlanAction.target_on,
               PlanAction.last_update_on, PlanAction.created_at)   # no encrypted text: nothing to decrypt


def rag(row, today: date, calendar: WorkingCalendar, created_on: date | None = None) -> str:
    """complete | red | amber | green, for a PlanAction or a row of RAG_COLUMNS."""
    if row.status != OPEN:
        return "complete"
    if row.target_on < today:
        return "red"
    if (row.target_on - today).days > 2 * AMBER_WITHIN + 4:       # more than 10 working days away for sure
        return "green"
    last = row.last_update_on or created_on or row.created_at.date()
    if (today - last).days <= STALE_AFTER:                          # updated within 20 working days for sure
        return "green"
    if calendar.working_days_between(today, row.target_on) <= AMBER_WITHIN and \
            calendar.working_days_between(last, today) > STALE_AFTER:
        return "amber"
    return "green"


RAG_LABELS = {"red": "Red (overdue)", "amber": "Amber (due soon, no recent update)", "green": "Green (on track)",
              "complete": "Complete"}


@dataclass(frozen=True)
class PlanRow:
    action_id: int
    ref: str
    recommendation: str
    scope: str
    source: str
    national: str
    action: str
    lead_agency: str
    milestones: str
    target_on: date
    completion: str
    owner: str
    rag: str
    evidence: str
    verified: str
    status: str


def plan_rows(session: Session, review: Review, today: date, calendar: WorkingCalendar) -> list[PlanRow]:
    """The plan in the Home Office template's order (recommendation, then action)."""
    agencies = {a.id: a.name for a in session.exec(select(Agency).where(Agency.tenant_id == review.tenant_id))}
    recs = recommendations(session, review.id)
    submitted = lifecycle.submitted_on(session, review.id)
    actions = defaultdict(list)
    for a in session.exec(select(PlanAction).where(PlanAction.review_id == review.id).order_by(PlanAction.number)):
        actions[a.recommendation_id].append(a)
    out = []
    for rec in recs:
        source = SOURCES[rec.source] if rec.source == "overview" else f"IMR: {agencies.get(rec.source_agency_id, '')}"
        national = lifecycle.status_text(rec, submitted) if rec.scope == "national" else ""
        for a in actions.get(rec.id, []) or [None]:
            if a is None:
                out.append(PlanRow(0, str(rec.number), rec.text, SCOPES[rec.scope], source, national, "", "", "",
                                   None, "", "", "", "", "", ""))
                continue
            completion = f"{a.completed_on:%d %b %Y}: {a.completion_evidence}" if a.completed_on else ""
            verified = f"{a.verified_by}, {a.verified_at:%d %b %Y}" if a.verified_by else ""
            out.append(PlanRow(a.id, action_ref(rec.number, a.number), rec.text, SCOPES[rec.scope], source, national,
                               a.action, agencies.get(a.lead_agency_id, ""), a.milestones or "", a.target_on,
                               completion, a.owner_user, rag(a, today, calendar), a.completion_evidence or "",
                               verified, STATUS_LABELS[a.status]))
    return out


def export_filename(review: Review, today: date, ext: str) -> str:
    """Reference and date only: never a name."""
    return f"{review.reference}_{today.isoformat()}.{ext}"


# ---------------------------------------------------------------- for App Home and the reminder sweep

@dataclass(frozen=True)
class MyAction:
    action_id: int
    review_id: int
    reference: str
    space_id: str | None
    ref: str
    target_on: date
    status: str
    rag: str


def actions_for(session: Session, user_id: str, tenant_id: str, today: date, calendar: WorkingCalendar,
                *, limit: int = 200) -> list[MyAction]:
    """A person's open or awaiting-verification actions, soonest first; only on reviews they are still on."""
    rows = session.exec(
        select(*RAG_COLUMNS, PlanAction.number.label("action_number"), Recommendation.number, Review.reference,
               Review.space_id)
        .join(Recommendation, Recommendation.id == PlanAction.recommendation_id)
        .join(Review, Review.id == PlanAction.review_id)
        .join(Membership, Membership.review_id == Review.id).join(Person, Person.id == Membership.person_id)
        .where(PlanAction.owner_user == user_id, PlanAction.status != VERIFIED, Review.tenant_id == tenant_id,
               Review.stage != Stage.CONCLUDED.value, Person.user_id == user_id, Person.tenant_id == tenant_id,
               Membership.status == ACTIVE)
        .order_by(PlanAction.target_on, PlanAction.id).distinct().limit(limit)).all()
    return [MyAction(a.id, a.review_id, a.reference, a.space_id, action_ref(a.number, a.action_number),
                     a.target_on, a.status, rag(a, today, calendar)) for a in rows]


def rag_by_review(session: Session, review_ids: Iterable[int], today: date, calendar: WorkingCalendar
                  ) -> dict[int, dict[str, int]]:
    """Count of open actions by RAG, per review, in one query."""
    ids = list(review_ids)
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"red": 0, "amber": 0, "green": 0, "complete": 0})
    if not ids:
        return out
    for a in session.exec(select(*RAG_COLUMNS).where(one_of(session, PlanAction.review_id, ids))):
        out[a.review_id][rag(a, today, calendar)] += 1
    return out


@due_source("action")
def open_actions(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """Open actions due by the window's end, on reviews not concluded: owners are reminded, the
    coordinator and chair are told once an action is overdue."""
    rows = session.exec(
        select(PlanAction.id, PlanAction.review_id, PlanAction.target_on, PlanAction.owner_user,
               PlanAction.created_at, PlanAction.number, Recommendation.number.label("rec"),
               Review.reference, Review.space_id)
        .join(Recommendation, Recommendation.id == PlanAction.recommendation_id)
        .join(Review, Review.id == PlanAction.review_id)
        .where(is_fixed(PlanAction.status, OPEN), PlanAction.target_on <= window.due_until,
               Review.stage != Stage.CONCLUDED.value, window.reviews(PlanAction.review_id))).all()
    leads = leads_by_review(session, {r.review_id for r in rows})
    return [DueItem(review_id=r.review_id, reference=r.reference, space_id=r.space_id, kind="action",
                    key=f"action-{r.id}", label=f"Action {action_ref(r.rec, r.number)} of the action plan",
                    due=r.target_on, owners=(r.owner_user,), escalate_to=leads.get(r.review_id, ()),
                    since=r.created_at.astimezone(window.tz).date()) for r in rows]


VERIFY_WITHIN = 5     # working days after an action is marked complete


@due_source("verification")
def awaiting_verification(session: Session, window: DueWindow) -> Iterable[DueItem]:
    """Actions marked complete but not yet verified: the coordinator and chair are reminded, due
    VERIFY_WITHIN working days after the day it was marked complete (its last recorded day; the
    completion date the owner entered may be earlier). Reviews concluded send none."""
    latest = window.due_until - timedelta(days=VERIFY_WITHIN)   # n working days are at least n days
    rows = session.exec(
        select(PlanAction.id, PlanAction.review_id, PlanAction.last_update_on, PlanAction.completed_on,
               PlanAction.number, Recommendation.number.label("rec"), Review.reference, Review.space_id)
        .join(Recommendation, Recommendation.id == PlanAction.recommendation_id)
        .join(Review, Review.id == PlanAction.review_id)
        .where(is_fixed(PlanAction.status, COMPLETED), Review.stage != Stage.CONCLUDED.value,
               func.coalesce(PlanAction.last_update_on, PlanAction.completed_on) <= latest,
               window.reviews(PlanAction.review_id))).all()
    leads = leads_by_review(session, {r.review_id for r in rows})
    items = []
    for r in rows:
        marked = r.last_update_on or r.completed_on
        due = window.add_working_days(marked, VERIFY_WITHIN)
        if due > window.due_until or not leads.get(r.review_id):
            continue
        items.append(DueItem(review_id=r.review_id, reference=r.reference, space_id=r.space_id,
                             kind="verification", key=f"verify-{r.id}",
                             label=f"Verify action {action_ref(r.rec, r.number)}", due=due,
                             owners=leads[r.review_id], since=marked))
    return items
