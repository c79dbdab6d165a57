"""Themes of learning (a configurable list, DHR_THEMES), the lessons of a review, and theme tags on
recommendations and lessons. The coordinator or chair records lessons beside the recommendations,
with the same redaction check (the port refuses a registered name before anything is stored)."""
import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, func, select

from bot.workflow.core import fields
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import Actor, audit, authorize
from bot.workflow.core.permissions import Operation
from bot.workflow.report.action_plan import TEXT_MAX, check_plan_open, theme_choices
from storage.learning import Lesson, ThemeTag
from storage.models import Review
from storage.report import Recommendation


def key_of(label: str) -> str:
    """The stored key of a theme: its label in lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:64]


def catalogue(labels: Iterable[str]) -> dict[str, str]:
    """key -> label, in the configured order."""
    return {key_of(label): label for label in labels if key_of(label)}


def label_of(key: str, themes: dict[str, str]) -> str:
    """A theme taken off the list later keeps its tags; it is shown by its key."""
    return themes.get(key) or key.replace("-", " ").capitalize()


class LessonForm(FormSpec):
    text = Field("Key lesson", Kind.MULTILINE, max_length=TEXT_MAX,
                 hint="Anonymised: no names, pseudonyms or case detail. It is read across reviews.")
    themes = Field("Themes", Kind.MULTI_SELECT, required=False)


class TagsForm(FormSpec):
    item = Field("Recommendation or lesson", Kind.SELECT)
    themes = Field("Themes", Kind.MULTI_SELECT, required=False,
                   hint="Replaces the item's themes; leave empty to clear them.")


def chosen_themes(raw: dict, key: str, themes: dict[str, str], errors: dict) -> list[str]:
    return theme_choices(raw.get(key), themes, key, errors)


def add_lesson(session: Session, review: Review, actor: Actor, raw: dict, *, themes: dict[str, str],
               now: datetime) -> Lesson:
    authorize(session, review, actor, Operation.MANAGE_ACTION_PLAN)
    check_plan_open(review)
    f, errors = LessonForm, {}
    body, error = fields.text(f.text.of(raw), label="lesson", max_len=TEXT_MAX)
    if error:
        errors[f.text.key] = error
    picked = chosen_themes(raw, f.themes.key, themes, errors)
    if errors:
        raise f.invalid(errors)
    number = 1 + session.exec(select(func.count()).select_from(Lesson).where(Lesson.review_id == review.id)).one()
    row = Lesson(review_id=review.id, number=number, text=body, created_by=actor.user_id, created_at=now)
    session.add(row)
    session.flush()
    session.add_all(ThemeTag(review_id=review.id, lesson_id=row.id, theme=t) for t in picked)
    audit(session, actor.user_id, "plan.lesson_added", now, review.id, number=number, themes=picked)
    return row


def lessons(session: Session, review_id: int) -> list[Lesson]:
    return list(session.exec(select(Lesson).where(Lesson.review_id == review_id).order_by(Lesson.number)))


def learning_lines(session: Session, review_id: int, themes: dict[str, str]) -> list[str]:
    """The review's themes (one line) and key lessons, for the one-minute guide's learning points."""
    keys = dict.fromkeys(session.exec(select(ThemeTag.theme).where(ThemeTag.review_id == review_id)
                                      .order_by(ThemeTag.id)))
    lines = [f"Themes: {', '.join(label_of(k, themes) for k in keys)}."] if keys else []
    return lines + [row.text for row in lessons(session, review_id) if row.text]


def tags_of(session: Session, review_id: int) -> dict[str, list[str]]:
    """"r<id>" / "l<id>" -> theme keys, for the tag form and the plan listing."""
    out: dict[str, list[str]] = {}
    for t in session.exec(select(ThemeTag).where(ThemeTag.review_id == review_id).order_by(ThemeTag.id)):
        out.setdefault(f"r{t.recommendation_id}" if t.recommendation_id else f"l{t.lesson_id}", []).append(t.theme)
    return out


def retag(session: Session, review: Review, actor: Actor, raw: dict, *, themes: dict[str, str],
          now: datetime) -> str:
    """Replaces the themes of one recommendation or lesson of this review; returns what it was ("recommendation 2")."""
    authorize(session, review, actor, Operation.MANAGE_ACTION_PLAN)
    check_plan_open(review)
    f, errors = TagsForm, {}
    item = str(f.item.of(raw) or "")
    picked = chosen_themes(raw, f.themes.key, themes, errors)
    kind, number, column, item_id = _item(session, review, item)
    if kind is None:
        errors[f.item.key] = "Choose one of this review's recommendations or lessons."
    if errors:
        raise f.invalid(errors)
    session.execute(delete(ThemeTag).where(column == item_id, ThemeTag.review_id == review.id))
    session.add_all(ThemeTag(review_id=review.id, theme=t, **{column.key: item_id}) for t in picked)
    audit(session, actor.user_id, "plan.themes_changed", now, review.id, item=f"{kind} {number}", themes=picked)
    return f"{kind} {number}"


def _item(session: Session, review: Review, item: str):
    """(kind, number, tag column, id) of "r<id>" or "l<id>" when it is this review's; else Nones."""
    match = re.fullmatch(r"([rl])(\d{1,12})", item)
    if not match:
        return None, None, None, None
    model, column = (Recommendation, ThemeTag.recommendation_id) if match[1] == "r" else (Lesson, ThemeTag.lesson_id)
    row = session.get(model, int(match[2]))
    if row is None or row.review_id != review.id:
        return None, None, None, None
    return ("recommendation" if model is Recommendation else "lesson"), row.number, column, row.id

