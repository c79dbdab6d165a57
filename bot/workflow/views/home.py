"""What a person's home view shows: their own work, and for coordinators their reviews' portfolio.

Only the viewer's own items on reviews they are an active member of; only references, what is
due and when (no case content). Lists are paged so the home view stays inside the platforms' size limits.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, func, select

from bot.workflow.clock.deadlines import local_date, review_deadlines, timelines
from bot.workflow.clock.due import one_of
from bot.workflow.clock.holds import holds_by_review
from bot.workflow.clock.timescales import DECISION, OVERVIEW_REPORT
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.kernel import ACTIVE, Actor
from bot.workflow.core.permissions import Role
from bot.workflow.core.stages import Stage
from bot.workflow.evidence.evidence_items import OPEN as OPEN_EVIDENCE
from bot.workflow.evidence.evidence_items import Kind, shown_status
from bot.workflow.report import action_plan as plan
from bot.workflow.report.strategic_home import StrategicHome, strategic_home
from storage.evidence import EvidenceItem
from storage.learning import StrategicAction, StrategicLead
from storage.models import AuditEntry, Membership, Person, Review, StageChange
from storage.panel import Agreement, WorkspaceAdmin
from storage.report import PlanAction, Recommendation
from storage.terms import TermsConfirmation, TermsOfReference

INVITED = "invited"


@dataclass(frozen=True)
class RequestLine:
    item_id: int
    reference: str
    space_id: str | None
    what: str
    due_on: date | None
    status: str
    kind: str = ""      # scoping | chronology | imr | short_report: which form opens it


@dataclass(frozen=True)
class AgreementLine:
    agreement_id: int
    reference: str
    role_label: str
    asked_on: date


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    size: int

    @property
    def more(self) -> bool:
        return (self.page + 1) * self.size < self.total


def _page(items: list, page: int, size: int) -> Page:
    page = max(0, min(page, max(0, (len(items) - 1) // size)))
    return Page(items[page * size:(page + 1) * size], len(items), page, size)


def my_requests(session: Session, actor: Actor, today: date) -> list[RequestLine]:
    """Evidence still owed by an agency the person leads on a live review; for an IMR author, the IMR."""
    rows = session.exec(
        select(EvidenceItem, Review.reference, Review.space_id)
        .join(Review, Review.id == EvidenceItem.review_id)
        .join(Membership, (Membership.review_id == Review.id) & (Membership.agency_id == EvidenceItem.agency_id))
        .join(Person, Person.id == Membership.person_id)
        .where(Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id,
               Membership.status == ACTIVE,
               (Membership.role == Role.AGENCY_LEAD.value) |
               ((Membership.role == Role.IMR_AUTHOR.value) & (EvidenceItem.kind == Kind.IMR.value)),
               Review.tenant_id == actor.tenant_id, Review.stage != Stage.CONCLUDED.value,
               EvidenceItem.status.in_([s.value for s in OPEN_EVIDENCE]))
        .order_by(EvidenceItem.due_on, EvidenceItem.id).distinct()).all()
    return [RequestLine(i.id, ref, ch, Kind(i.kind).label, i.due_on, shown_status(i, today), i.kind)
            for i, ref, ch in rows]


def my_agreements(session: Session, actor: Actor) -> list[AgreementLine]:
    rows = session.exec(
        select(Agreement.id, Agreement.asked_at, Membership.role, Review.reference)
        .join(Membership, Membership.id == Agreement.membership_id)
        .join(Person, Person.id == Membership.person_id).join(Review, Review.id == Agreement.review_id)
        .where(Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id,
               Agreement.status == "pending", Membership.status == INVITED)
        .order_by(Agreement.asked_at)).all()
    return [AgreementLine(a_id, ref, Role(role).label, local_date(asked)) for a_id, asked, role, ref in rows]


@dataclass(frozen=True)
class PortfolioLine:
    review_id: int
    reference: str
    space_id: str | None
    stage_label: str
    next_deadline: str | None       # "Overview report to the Home Office, Tue 1 Jun 2027"
    days_since_notification: int
    rag: str                        # red | amber | green
    held: list[str]                 # the activities on hold, as in a sentence ("publication of the report")
    stage_days: list[tuple[str, int]]
    decision_met: str               # yes | late | not yet | overdue
    overview_met: str


def coordinated_reviews(session: Session, actor: Actor) -> list[tuple[int, str]]:
    return list(session.exec(
        select(Review.id, Review.reference).join(Membership, Membership.review_id == Review.id)
        .join(Person, Person.id == Membership.person_id)
        .where(Person.platform == actor.platform, Person.tenant_id == actor.tenant_id, Person.user_id == actor.user_id,
               Membership.status == ACTIVE, Membership.role == Role.COORDINATOR.value,
               Review.tenant_id == actor.tenant_id)
        .order_by(Review.reference).distinct()).all())


MET = {"met": "yes", "met_late": "late", "due": "not yet", "overdue": "overdue"}


def portfolio(session: Session, review_ids: list[int], today: date, calendar: WorkingCalendar) -> list[PortfolioLine]:
    """The lines of one page of a coordinator's reviews (a few queries per review on the page)."""
    if not review_ids:
        return []
    reviews = {r.id: r for r in session.exec(select(Review).where(one_of(session, Review.id, review_ids)))}
    tls = timelines(session, review_ids)
    held = holds_by_review(session, review_ids)
    rags = plan.rag_by_review(session, review_ids, today, calendar)
    changes = defaultdict(list)
    for c in session.exec(select(StageChange).where(one_of(session, StageChange.review_id, review_ids))
                          .order_by(StageChange.id)):
        changes[c.review_id].append(c)
    out = []
    for rid in review_ids:
        r = reviews[rid]
        tl = tls.get(rid)
        # A concluded review keeps its deadlines' history (met stays met, missed stays missed); only
        # nothing is open any more.
        deadlines = review_deadlines(session, r, today, tl=tl)
        live = r.stage != Stage.CONCLUDED.value
        open_ = sorted((d for d in deadlines if d.is_open and live), key=lambda d: d.due)
        by_key = {d.key: d for d in deadlines}
        counts = rags[rid]
        rag = "red" if counts["red"] or any(d.status == "overdue" for d in open_) else \
            "amber" if counts["amber"] or any(calendar.working_days_between(today, d.due) <= 10 for d in open_) \
            else "green"
        out.append(PortfolioLine(
            rid, r.reference, r.space_id, Stage(r.stage).label,
            f"{open_[0].label}, {open_[0].due:%a} {open_[0].due.day} {open_[0].due:%b %Y}" if open_ else None,
            (today - r.notified_on).days, rag, [h.in_sentence for h in held.get(rid, [])],
            _stage_days(changes[rid], today),
            (MET.get(by_key[DECISION].status, "n/a") if DECISION in by_key
             else "yes" if r.stage != "notified" else "n/a"),
            MET.get(by_key[OVERVIEW_REPORT].status, "n/a") if OVERVIEW_REPORT in by_key else "n/a"))
    return out


def _stage_days(changes: list[StageChange], today: date) -> list[tuple[str, int]]:
    days: dict[str, int] = {}
    for this, nxt in zip(changes, changes[1:] + [None]):
        end = local_date(nxt.at) if nxt else today
        label = Stage(this.to_stage).label
        days[label] = days.get(label, 0) + max(0, (end - local_date(this.at)).days)
        if nxt is None and this.to_stage == Stage.CONCLUDED.value:
            days.pop(label)
    return list(days.items())


@dataclass(frozen=True)
class VerifyLine:
    action_id: int
    reference: str
    space_id: str | None
    ref: str                 # "1.2"
    owner: str
    completed_on: date | None


@dataclass(frozen=True)
class TermsWaitLine:
    confirmation_id: int
    reference: str
    space_id: str | None
    version: int
    user: str                # who has not confirmed yet
    asked_on: date


def verifications_due(session: Session, review_ids: list[int]) -> list[VerifyLine]:
    """Actions marked complete, awaiting the coordinator's or chair's verification."""
    if not review_ids:
        return []
    rows = session.exec(
        select(PlanAction.id, Review.reference, Review.space_id, Recommendation.number, PlanAction.number,
               PlanAction.owner_user, PlanAction.completed_on)
        .join(Review, Review.id == PlanAction.review_id)
        .join(Recommendation, Recommendation.id == PlanAction.recommendation_id)
        .where(one_of(session, PlanAction.review_id, review_ids), PlanAction.status == "completed",
               Review.stage != Stage.CONCLUDED.value)
        .order_by(PlanAction.completed_on, PlanAction.id)).all()
    return [VerifyLine(a_id, ref, ch, plan.action_ref(rec, num), owner, done)
            for a_id, ref, ch, rec, num, owner, done in rows]


def terms_awaiting(session: Session, review_ids: list[int]) -> list[TermsWaitLine]:
    """Active members asked to confirm an agreed version of the terms who have not yet."""
    if not review_ids:
        return []
    rows = session.exec(
        select(TermsConfirmation.id, Review.reference, Review.space_id, TermsOfReference.version,
               Person.user_id, TermsConfirmation.asked_at)
        .join(TermsOfReference, TermsOfReference.id == TermsConfirmation.terms_id)
        .join(Review, Review.id == TermsConfirmation.review_id)
        .join(Person, Person.id == TermsConfirmation.person_id)
        .join(Membership, (Membership.person_id == Person.id) & (Membership.review_id == Review.id))
        .where(one_of(session, TermsConfirmation.review_id, review_ids), TermsConfirmation.confirmed_at.is_(None),
               Membership.status == ACTIVE, Review.stage != Stage.CONCLUDED.value)
        .order_by(TermsConfirmation.asked_at, TermsConfirmation.id).distinct()).all()
    return [TermsWaitLine(c_id, ref, ch, version, user, local_date(asked))
            for c_id, ref, ch, version, user, asked in rows]


@dataclass(frozen=True)
class HomeData:
    requests: Page
    actions: Page
    agreements: Page
    portfolio: Page | None       # only for coordinators
    reviews_total: int
    action_details: dict = field(default_factory=dict)   # action id -> ActionDetails, for the page shown
    verifications: Page | None = None   # only for coordinators
    terms_waiting: Page | None = None   # only for coordinators
    strategic: StrategicHome | None = None   # the person's strategic actions; a lead's counts of the plan


SIZES = {"requests": 8, "actions": 8, "agreements": 5, "portfolio": 10, "verify": 5, "terms": 5}


def home(session: Session, actor: Actor, today: date, calendar: WorkingCalendar, pages: dict[str, int], *,
         env_admins: tuple[str, ...], withheld) -> HomeData:
    """`withheld`: text -> it holds a registered term of any review (the strategic texts shown)."""
    mine = plan.actions_for(session, actor.user_id, actor.tenant_id, today, calendar, limit=1000)
    coordinated = coordinated_reviews(session, actor)
    portfolio_page = verify_page = terms_page = None
    if coordinated:
        all_ids = [rid for rid, _ in coordinated]
        ids = _page(all_ids, pages.get("portfolio", 0), SIZES["portfolio"])
        portfolio_page = Page(portfolio(session, ids.items, today, calendar), ids.total, ids.page, ids.size)
        verify_page = _page(verifications_due(session, all_ids), pages.get("verify", 0), SIZES["verify"])
        terms_page = _page(terms_awaiting(session, all_ids), pages.get("terms", 0), SIZES["terms"])
    total = session.exec(select(func.count(func.distinct(Membership.review_id))).join(
        Person, Person.id == Membership.person_id).where(Person.platform == actor.platform,
                                                         Person.tenant_id == actor.tenant_id,
                                                         Person.user_id == actor.user_id,
                                                         Membership.status == ACTIVE)).one()
    actions = _page(mine, pages.get("actions", 0), SIZES["actions"])
    return HomeData(_page(my_requests(session, actor, today), pages.get("requests", 0), SIZES["requests"]),
                    actions, _page(my_agreements(session, actor), pages.get("agreements", 0), SIZES["agreements"]),
                    portfolio_page, total, plan.details(session, [a.action_id for a in actions.items]),
                    verify_page, terms_page,
                    strategic_home(session, actor, env_admins, today, calendar, withheld))


# ---------------------------------------------------------------- whose work changed

def audit_mark(session: Session) -> int:
    """The newest audit entry's id: what a request changes is audited after it."""
    return session.exec(select(func.max(AuditEntry.id))).one() or 0


def reviews_changed_since(session: Session, mark: int) -> list[int]:
    """Reviews with an audit entry after `mark` (every change to a review is audited)."""
    return [rid for rid in session.exec(select(AuditEntry.review_id).where(
        AuditEntry.id > mark, AuditEntry.review_id.is_not(None)).distinct()) if rid]   # type: ignore[union-attr]


def strategic_people_since(session: Session, mark: int, platform: str, tenant_id: str) -> set[str]:
    """After a change to the Strategic Action Plan (audited without a review): the owners of the actions
    changed (an edit's previous owner too) and the leads and CSP admins whose counts it changes."""
    entries = session.exec(select(AuditEntry.detail).where(
        AuditEntry.id > mark, AuditEntry.action.startswith("strategic.action_"))).all()   # type: ignore[attr-defined]
    if not entries:
        return set()
    ids = {d.get("action_id") for d in entries if isinstance(d.get("action_id"), int)}
    people = {d["owner_from"] for d in entries if isinstance(d.get("owner_from"), str)}
    people |= set(session.exec(select(StrategicAction.owner_user).where(
        StrategicAction.id.in_(ids), StrategicAction.platform == platform,   # type: ignore[union-attr]
        StrategicAction.tenant_id == tenant_id)))
    people |= set(session.exec(select(StrategicLead.user_id).where(StrategicLead.platform == platform,
                                                                   StrategicLead.tenant_id == tenant_id)))
    return people | set(session.exec(select(WorkspaceAdmin.user_id).where(WorkspaceAdmin.tenant_id == tenant_id)))


def people_of(session: Session, review_ids: list[int], platform: str, tenant_id: str) -> set[str]:
    """Everyone on these reviews' panels, whatever their membership's status: whose work may have changed."""
    if not review_ids:
        return set()
    return set(session.exec(select(Person.user_id).join(Membership, Membership.person_id == Person.id).where(
        one_of(session, Membership.review_id, review_ids), Person.platform == platform,
        Person.tenant_id == tenant_id).distinct()))
