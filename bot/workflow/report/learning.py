"""Learning across reviews: who may read it (CSP admins and strategic leads), and the CSP view of
themes built from every review's tags in a few queries.

Only anonymised texts are shown (recommendations and lessons), never pseudonyms or narrative; a text
that holds a term on any review's redaction list is withheld, and a review whose content was deleted
under the retention policy shows nothing.
"""
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, func, select

from bot.workflow.core.errors import PermissionDenied
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Mention, join, text
from bot.workflow.panel.panel import USER_ID_RE, admin_ids, check_admin
from bot.workflow.report.action_plan import VERIFIED
from bot.workflow.report.themes import label_of
from storage.learning import Lesson, StrategicLead, ThemeTag
from storage.models import Review
from storage.panel import Agency
from storage.report import PlanAction, Recommendation, ReviewClosure

WITHHELD = "[withheld: contains a registered name]"
MAX_LEADS = 50


class LeadsForm(FormSpec):
    leads = Field("Strategic leads", Kind.PEOPLE, required=False,
                  hint="They see the themes across reviews and run the Strategic Action Plan.")


def lead_ids(session: Session, actor: Actor) -> list[str]:
    return sorted(session.exec(select(StrategicLead.user_id).where(
        StrategicLead.platform == actor.platform, StrategicLead.tenant_id == actor.tenant_id)))


def is_strategic(session: Session, actor: Actor, env_admins: tuple[str, ...]) -> bool:
    return actor.user_id in admin_ids(session, actor.tenant_id, env_admins) or actor.user_id in lead_ids(session, actor)


def check_strategic(session: Session, actor: Actor, env_admins: tuple[str, ...], doing: str) -> None:
    """Refused to everyone but CSP admins and strategic leads, members of a review included."""
    if not is_strategic(session, actor, env_admins):
        admins = admin_ids(session, actor.tenant_id, env_admins)
        who = join(", ", [Mention(PersonRef(a)) for a in admins[:5]]) or text("your CSP's community safety team")
        raise PermissionDenied(text(f"Only CSP admins and strategic leads can {doing}. Ask ", who,
                                    " if you need to."))


def set_leads(session: Session, actor: Actor, user_ids: list[str], env_admins: tuple[str, ...],
              now: datetime) -> list[str]:
    """A CSP admin names the strategic leads (the whole list); each change is audited."""
    check_admin(session, actor, env_admins, "name the strategic leads")
    wanted = set(user_ids)
    if len(wanted) > MAX_LEADS or not all(USER_ID_RE.match(u) for u in wanted):
        raise LeadsForm.invalid({LeadsForm.leads.key: f"Choose at most {MAX_LEADS} people."})
    rows = session.exec(select(StrategicLead).where(StrategicLead.platform == actor.platform,
                                                    StrategicLead.tenant_id == actor.tenant_id)).all()
    for row in rows:
        if row.user_id not in wanted:
            session.delete(row)
            audit(session, actor.user_id, "strategic.lead_removed", now, user=row.user_id)
    for user in sorted(wanted - {r.user_id for r in rows}):
        session.add(StrategicLead(platform=actor.platform, tenant_id=actor.tenant_id, user_id=user,
                                  added_by=actor.user_id, added_at=now))
        audit(session, actor.user_id, "strategic.lead_added", now, user=user)
    return sorted(wanted)


# ---------------------------------------------------------------- the CSP view

@dataclass(frozen=True)
class LearningItem:
    reference: str
    kind: str                 # recommendation | lesson
    number: int
    text: str                 # the anonymised text, or WITHHELD
    agencies: tuple[str, ...] = ()
    done: int = 0             # actions verified
    total: int = 0


@dataclass
class ThemeSummary:
    key: str
    label: str
    reviews: set[str] = field(default_factory=set)
    recommendations: list[LearningItem] = field(default_factory=list)
    lessons: list[LearningItem] = field(default_factory=list)


@dataclass(frozen=True)
class ThemesView:
    themes: list[ThemeSummary]
    reviews: int               # reviews with at least one tag


def themes_view(session: Session, actor: Actor, *, themes: dict[str, str], env_admins: tuple[str, ...],
                withheld: Callable[[str], bool], now: datetime | None = None) -> ThemesView:
    check_strategic(session, actor, env_admins, "see the themes across reviews")
    view = build_view(session, actor.platform, actor.tenant_id, themes=themes, withheld=withheld)
    if now is not None:
        audit(session, actor.user_id, "learning.themes_viewed", now, themes=len(view.themes))
    return view


def build_view(session: Session, platform: str, tenant_id: str, *, themes: dict[str, str],
               withheld: Callable[[str], bool]) -> ThemesView:
    """Five queries whatever the number of reviews: tags, recommendations, lessons, action counts, agencies."""
    deleted = select(ReviewClosure.review_id).where(ReviewClosure.content_deleted_at.is_not(None))
    tags = session.exec(
        select(ThemeTag.theme, ThemeTag.recommendation_id, ThemeTag.lesson_id, Review.reference)
        .join(Review, Review.id == ThemeTag.review_id)
        .where(Review.platform == platform, Review.tenant_id == tenant_id, ThemeTag.review_id.not_in(deleted))).all()
    rec_ids = {t.recommendation_id for t in tags if t.recommendation_id}
    lesson_ids = {t.lesson_id for t in tags if t.lesson_id}
    recs = _texts(session, Recommendation, rec_ids)
    lessons = _texts(session, Lesson, lesson_ids)
    counts, agencies = _actions_of(session, rec_ids)
    clean = _checked({*(r.text for r in recs.values()), *(r.text for r in lessons.values())}, withheld)
    by_theme: dict[str, ThemeSummary] = {}
    for t in tags:
        summary = by_theme.setdefault(t.theme, ThemeSummary(t.theme, label_of(t.theme, themes)))
        summary.reviews.add(t.reference)
        if t.recommendation_id in recs:
            r = recs[t.recommendation_id]
            done, total = counts.get(r.id, (0, 0))
            summary.recommendations.append(LearningItem(
                t.reference, "recommendation", r.number, r.text if clean[r.text] else WITHHELD,
                tuple(sorted(agencies.get(r.id, ()))), done, total))
        elif t.lesson_id in lessons:
            row = lessons[t.lesson_id]
            summary.lessons.append(LearningItem(t.reference, "lesson", row.number,
                                                row.text if clean[row.text] else WITHHELD))
    order = list(themes)
    ranked = sorted(by_theme.values(), key=lambda s: (-len(s.reviews), order.index(s.key) if s.key in order
                                                      else len(order), s.label))
    for s in ranked:
        s.recommendations.sort(key=lambda i: (i.reference, i.number))
        s.lessons.sort(key=lambda i: (i.reference, i.number))
    return ThemesView(ranked, len({t.reference for t in tags}))


def _texts(session: Session, model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {r.id: r for r in session.exec(select(model.id, model.number, model.text).where(model.id.in_(ids)))}


def _actions_of(session: Session, rec_ids: set[int]) -> tuple[dict[int, tuple[int, int]], dict[int, set[str]]]:
    """(done, total) actions and the lead agencies' names, per recommendation, without decrypting anything."""
    if not rec_ids:
        return {}, {}
    rows = session.exec(
        select(PlanAction.recommendation_id, PlanAction.status, Agency.name, func.count())
        .join(Agency, Agency.id == PlanAction.lead_agency_id)
        .where(PlanAction.recommendation_id.in_(rec_ids))
        .group_by(PlanAction.recommendation_id, PlanAction.status, Agency.name)).all()
    done: Counter = Counter()
    total: Counter = Counter()
    names: dict[int, set[str]] = defaultdict(set)
    for rec_id, status, name, n in rows:
        total[rec_id] += n
        done[rec_id] += n if status == VERIFIED else 0
        names[rec_id].add(name)
    return {r: (done[r], total[r]) for r in total}, names


def _checked(texts: Iterable[str], withheld: Callable[[str], bool]) -> dict[str, bool]:
    """text -> True when it may be shown (no registered term of any review in it)."""
    return {t: not withheld(t) for t in texts}
