"""The action plan's use cases: each checks, records, and returns what should happen (an Outcome);
the handler delivers it. Recommendations and actions are added by the coordinator or chair; an
action's owner records progress and completion; the coordinator or chair verifies or sends back.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import kernel as reviews
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor, audit
from bot.workflow.core.notices import ActionDetails, ActionToVerify
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation, may
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Mention, text
from bot.workflow.panel.panel import active_agencies
from bot.workflow.report import action_plan as plan
from bot.workflow.report import national as lifecycle
from bot.workflow.report import themes as learned
from storage.learning import StrategicAction
from storage.models import Review
from storage.report import PlanAction, Recommendation

Exporter = Callable[[str, list[plan.PlanRow]], bytes]     # (reference, rows) -> the file's bytes
TableExporter = Callable[[list[str], list[list[str]]], bytes]   # (header, rows) -> the file's bytes


@dataclass(frozen=True)
class PlanFormData:
    """What the recommendation and action forms offer."""

    review_id: int
    reference: str
    agencies: list[tuple[int, str]]
    recommendations: list[tuple[int, int, str]]      # (id, number, text)
    themes: Mapping[str, str] = field(default_factory=dict)     # key -> label, for the theme tags
    lessons: list[tuple[int, int, str]] = field(default_factory=list)   # (id, number, text)
    tags: Mapping[str, list[str]] = field(default_factory=dict)  # "r<id>" / "l<id>" -> theme keys
    strategic: list[tuple[int, str]] = field(default_factory=list)   # (id, "S1: action"), not yet verified


@dataclass(frozen=True)
class OwnerFormData:
    action_id: int
    reference: str
    about: ActionDetails


@dataclass(frozen=True)
class PlanListing:
    """The plan as a member reads it, only to them; `exported_to` the space it was exported to."""

    reference: str
    rows: list[plan.PlanRow]
    exported_to: SpaceRef | None = None
    national_exported: bool = False      # the national recommendations exported too (CSV and XLSX)


def space_of(review: Review) -> SpaceRef | None:
    return SpaceRef(review.space_id) if review.space_id else None


def me(actor: Actor) -> PersonRef:
    return PersonRef(actor.user_id)


# ---------------------------------------------------------------- the coordinator or chair: recommendations, actions

def plan_form(session: Session, space_id: str, actor: Actor, themes: Mapping[str, str] | None = None) -> PlanFormData:
    review = reviews.review_in_space(session, space_id)
    reviews.authorize(session, review, actor, Operation.MANAGE_ACTION_PLAN)
    plan.check_plan_open(review)
    agencies = [(a.id, a.name) for a in active_agencies(session, review.tenant_id)]
    return PlanFormData(review.id, review.reference, agencies,
                        [(r.id, r.number, r.text) for r in plan.recommendations(session, review.id)],
                        dict(themes or {}),
                        [(r.id, r.number, r.text) for r in learned.lessons(session, review.id)],
                        learned.tags_of(session, review.id), _strategic_choices(session, review))


def _strategic_choices(session: Session, review: Review) -> list[tuple[int, str]]:
    rows = session.exec(select(StrategicAction).where(
        StrategicAction.platform == review.platform, StrategicAction.tenant_id == review.tenant_id,
        StrategicAction.status != plan.VERIFIED).order_by(StrategicAction.number).limit(100))
    return [(a.id, f"S{a.number}: {a.action}") for a in rows]


def recommend(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime, today: date,
              themes: Mapping[str, str] | None = None) -> Outcome:
    review = reviews.get_review(session, review_id)
    rec = plan.add_recommendation(session, review, actor, raw, now=now, today=today, themes=themes)
    scope = plan.SCOPES[rec.scope].lower()
    return out.post(space_of(review), text(Mention(me(actor)),
                                           f" added recommendation {rec.number} ({scope}) to the action plan."))


def add_action(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime, today: date) -> Outcome:
    """Posted in the review's space; the owner is told in a DM, with the action and its buttons."""
    review = reviews.get_review(session, review_id)
    row = plan.add_action(session, review, actor, raw, now=now, today=today)
    ref = _ref(session, row)
    owner = PersonRef(row.owner_user)
    return (out.post(space_of(review), text(Mention(me(actor)), f" added action {ref}, owned by ", Mention(owner),
                                            f", target {reviews.show_date(row.target_on)}."))
            + out.dm(owner, plan.assigned(session, row, review)))


def link_action(session: Session, review_id: int, actor: Actor, raw: dict, *, now: datetime) -> Outcome:
    review = reviews.get_review(session, review_id)
    row = plan.link_action(session, review, actor, raw, now=now)
    return out.post(space_of(review), text(Mention(me(actor)), f" linked action {_ref(session, row)} to the CSP's "
                                           "strategic action that answers it; it is verified when that is."))


def show_plan(session: Session, space_id: str, actor: Actor, *, today: date, now: datetime,
              calendar: WorkingCalendar, exporters: Mapping[str, Exporter],
              national_exporters: Mapping[str, TableExporter] | None = None) -> Outcome:
    """Every member reads the plan; for the coordinator and chair it is also exported to the space
    (where the platform has exporters: none on Teams yet)."""
    review = reviews.review_in_space(session, space_id)
    roles = reviews.authorize(session, review, actor, Operation.VIEW_ACTION_PLAN)
    rows = plan.plan_rows(session, review, today, calendar)
    space = space_of(review)
    if not (space and exporters and may(roles, Operation.MANAGE_ACTION_PLAN)):
        return out.reply(PlanListing(review.reference, rows))
    files = [out.upload(space, plan.export_filename(review, today, ext), export(review.reference, rows),
                        f"{review.reference} action plan") for ext, export in exporters.items()]
    # The national recommendations, one row each with their lifecycle, for the Commissioner's oversight.
    national_rows = lifecycle.export_rows(session, review)
    if national_rows:
        files += [out.upload(space, lifecycle.export_filename(review, today, ext),
                             export(lifecycle.EXPORT_HEADER, national_rows),
                             f"{review.reference} national recommendations")
                  for ext, export in (national_exporters or {}).items()]
    audit(session, actor.user_id, "plan.exported", now, review.id, rows=len(rows), national=len(national_rows))
    return sum(files, out.NOTHING) + out.reply(PlanListing(review.reference, rows, space,
                                                           bool(national_rows and national_exporters)))


# ---------------------------------------------------------------- the owner: progress and completion

def owner_form(session: Session, action_id: int, actor: Actor) -> OwnerFormData:
    """For the owner's *Add a progress update* and *Mark complete*: refused (saying what is recorded)
    when the action has moved on."""
    row, review = plan.load(session, action_id)
    plan.authorize_own(session, row, review, actor)
    plan.check_live(review)
    plan.check_open(row, _ref(session, row))
    return OwnerFormData(row.id, review.reference, plan.details(session, [row.id])[row.id])


def record_progress(session: Session, action_id: int, actor: Actor, raw: dict, *, now: datetime,
                    today: date) -> Outcome:
    row = plan.progress(session, action_id, actor, raw, now=now, today=today)
    review = reviews.get_review(session, row.review_id)
    return out.post(space_of(review), text(Mention(me(actor)),
                                           f" added a progress update to action {_ref(session, row)}."))


def record_completion(session: Session, action_id: int, actor: Actor, raw: dict, *, now: datetime,
                      today: date) -> Outcome:
    """Posted in the review's space with the coordinator's or chair's buttons (verify, send back)."""
    row = plan.complete(session, action_id, actor, raw, now=now, today=today)
    review = reviews.get_review(session, row.review_id)
    return out.post(space_of(review), ActionToVerify(row.id, _ref(session, row), actor.user_id))


# ---------------------------------------------------------------- the coordinator or chair: verification

def verify(session: Session, action_id: int, actor: Actor, *, now: datetime, from_home: bool) -> Outcome:
    """Pressed on the message asking for it, the message says so instead; pressed on Home (no
    message to replace), the review's space is told."""
    row = plan.verify(session, action_id, actor, accept=True, reason=None, now=now)
    said = text(f"Action {_ref(session, row)} was completed and verified by ", Mention(me(actor)), ".")
    if from_home:
        return out.post(space_of(reviews.get_review(session, row.review_id)), said)
    return out.reply(said, replace_source=True)


def return_form(session: Session, action_id: int, actor: Actor) -> tuple[int, str]:
    """(action id, its reference) for the *Send back* form."""
    row, review = plan.load(session, action_id)
    reviews.authorize(session, review, actor, Operation.VERIFY_ACTION)
    return row.id, _ref(session, row)


def send_back(session: Session, action_id: int, actor: Actor, raw: dict, *, now: datetime) -> Outcome:
    """The reason goes to the review's space; the owner gets a DM pointing there, with the buttons."""
    reason = plan.ReturnForm.reason.of(raw)
    row = plan.verify(session, action_id, actor, accept=False, reason=reason, now=now)
    review, ref = reviews.get_review(session, row.review_id), _ref(session, row)
    told = plan.assigned(session, row, review, text=f"Action {ref} was sent back; the reason is in the review's space.")
    return (out.post(space_of(review), text(Mention(me(actor)), f" sent action {ref} back: {(reason or '').strip()}"))
            + out.dm(PersonRef(row.owner_user), told))


def _ref(session: Session, row: PlanAction) -> str:
    rec = session.get(Recommendation, row.recommendation_id)
    return plan.action_ref(rec.number, row.number)
