"""What is due, from wherever it lives: a small registry of due-item sources for the reminder sweep.

A source is a function (session, window) -> iterable of DueItem. It reads its own tables, returns
only *open* items due on or before `window.due_until` (overdue ones included, for as long as they
stay open) and must not query per row. The sweep turns items into reminders (reminders.py) and
the ledger makes each one go once (sweep.py).

Adding a source is one function, tagged with its kind, and one line in reminders/sources.py:

    @due_source("agreement")
    def unanswered_agreements(session, window):
        for row in session.exec(select(...).where(<open>, <due date column> <= window.due_until)):
            yield DueItem(review_id=..., reference=..., space_id=..., kind="agreement",
                          key=str(row.membership_id), label="Confidentiality agreement",
                          due=row.due_on, owners=(row.user_id,),
                          escalate_to=leads[row.review_id], since=row.asked_on)

A source whose items fall due in working days uses window.add_working_days (the sweep's calendar).
`label` is what the reminder says is due: never case content (no names, no pseudonyms).
"""
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import true
from sqlmodel import Session, select

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.permissions import Role
from storage.models import Membership, Person

ACTIVE = "active"


@dataclass(frozen=True)
class DueItem:
    review_id: int
    reference: str
    space_id: str | None          # the review's space, linked from every reminder
    kind: str                       # milestone | agreement | request | action ...
    key: str                        # unique within (review, kind), e.g. "decision", "membership-12"
    label: str                      # what is due, no case content, <= 120 characters
    due: date
    owners: tuple[str, ...]         # people's ids, reminded before, on and after the due date
    escalate_to: tuple[str, ...] = ()   # also told once it is overdue (coordinator, chair, panel member)
    since: date | None = None       # no reminder for a day before this (the item, or its due date, began)
    about: str | None = None        # whose part it is (an invitee's answer): named to the others it reaches
    owners_outside: bool = False    # the owners are not in the review's space yet (invited, not agreed)
    once: bool = False              # one reminder only, on the due date or the first sweep after it


@dataclass(frozen=True)
class DueWindow:
    today: date
    due_until: date     # items due after this day have nothing to send yet
    tz: ZoneInfo
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)   # the sweep passes the bot's own
    index: Any = None   # optional faster working-day index with .add(d, n) (reminders.WorkdayIndex), same answers
    only_reviews: frozenset[int] | None = None   # re-planning after changes to these reviews only (None: all)

    def reviews(self, review_id_column: Any) -> Any:
        """A WHERE clause keeping the reviews this window is about (every review when not narrowed)."""
        return true() if self.only_reviews is None else review_id_column.in_(sorted(self.only_reviews))

    def add_working_days(self, d: date, n: int) -> date:
        """For sources whose items fall due in working days (workdays.py's rules)."""
        return self.index.add(d, n) if self.index is not None else self.calendar.add_working_days(d, n)


DueSource = Callable[[Session, DueWindow], Iterable[DueItem]]


def due_source(kind: str) -> Callable[[DueSource], DueSource]:
    """Tags a source with its kind name (also the default DueItem.kind it produces); the sweep's
    list of sources is reminders/sources.py."""
    def tag(fn: DueSource) -> DueSource:
        fn.due_kind = kind
        return fn
    return tag


MEMBERS_CACHE = "due.members_by_review"   # set by reminders/sources.collect while the sources run


# ---------------------------------------------------------------- one parameter for a long list of values

def one_of(session: Session, column: Any, values: Iterable[Any], sql_type: Any = None) -> Any:
    """`column IN values` with the whole list as one parameter (a PostgreSQL array, a JSON text on
    SQLite), so a sweep asking about thousands of keys sends one short, cached statement instead
    of compiling thousands of placeholders."""
    values = list(values)
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import any_, bindparam
        from sqlalchemy.dialects.postgresql import ARRAY
        return column == any_(bindparam(None, values, type_=ARRAY(sql_type or column.type)))
    import json

    from sqlalchemy import func, literal_column
    return column.in_(select(literal_column("value")).select_from(func.json_each(json.dumps(values, default=str))))


def is_fixed(column: Any, *values: Any) -> Any:
    """`column = value` (or IN values) with the constants written into the SQL at execution instead
    of bound: the planner then sees them and can use a partial index whose WHERE names them
    (ix_planaction_open_target, ix_evidenceitem_open_due, ix_agreement_pending_asked). Only for
    fixed values of our own, never for input."""
    from sqlalchemy import literal
    if len(values) == 1:
        return column == literal(values[0], literal_execute=True)
    return column.in_([literal(v, literal_execute=True) for v in values])


# ---------------------------------------------------------------- who to tell, for many reviews at once

def members_by_review(session: Session, review_ids: Iterable[int], roles: Iterable[Role | str]
                      ) -> dict[int, tuple[str, ...]]:
    """The ids of the active members holding one of `roles`, per review, in one query."""
    ids = sorted(set(review_ids))
    if not ids:
        return {}
    wanted = [Role(r).value for r in roles]
    cache = session.info.get(MEMBERS_CACHE)
    if cache is None:
        return _members_by_review(session, ids, wanted)
    known = cache.setdefault(tuple(sorted(wanted)), {})
    missing = [i for i in ids if i not in known]
    if missing:
        found = _members_by_review(session, missing, wanted)
        for i in missing:
            known[i] = found.get(i, ())
    return {i: known[i] for i in ids if known[i]}


def _members_by_review(session: Session, ids: list[int], wanted: list[str]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = session.exec(
        select(Membership.review_id, Person.user_id)
        .join(Person, Person.id == Membership.person_id)
        .where(one_of(session, Membership.review_id, ids), Membership.role.in_(wanted),
               Membership.status == ACTIVE, Membership.removed_at.is_(None))
        .order_by(Membership.review_id, Membership.id))
    for review_id, user in rows:
        if user not in out[review_id]:
            out[review_id].append(user)
    return {k: tuple(v) for k, v in out.items()}


def leads_by_review(session: Session, review_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Coordinators and chairs: they get every statutory reminder and every escalation."""
    return members_by_review(session, review_ids, (Role.COORDINATOR, Role.CHAIR))


def coordinators_by_review(session: Session, review_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    return members_by_review(session, review_ids, (Role.COORDINATOR,))
