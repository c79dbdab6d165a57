"""Learning across reviews, use cases: a review's lessons and theme tags (its coordinator or chair,
in the review's space), the CSP view of themes, the strategic leads, and the Strategic Action Plan
(CSP admins and strategic leads; the owner updates their own). Everything strategic is answered only
to the person (a reply, their DM): never in a review's space."""
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core import kernel as reviews
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor, audit
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Command, Mention, text
from bot.workflow.panel.panel import check_admin
from bot.workflow.report import learning, strategic, strategic_edit
from bot.workflow.report import themes as learned
from bot.workflow.report.action_plan_use_cases import me, space_of

Withheld = Callable[[str], bool]          # text -> it holds a registered term of some review
DirectSpace = Callable[[PersonRef], SpaceRef]


# ---------------------------------------------------------------- a review's lessons and tags

def add_lesson(session: Session, review_id: int, actor: Actor, raw: dict, *, themes: Mapping[str, str],
               now: datetime) -> Outcome:
    review = reviews.get_review(session, review_id)
    row = learned.add_lesson(session, review, actor, raw, themes=dict(themes), now=now)
    return out.post(space_of(review), text(Mention(me(actor)), f" recorded key lesson {row.number}."))


def retag(session: Session, review_id: int, actor: Actor, raw: dict, *, themes: Mapping[str, str],
          now: datetime) -> Outcome:
    review = reviews.get_review(session, review_id)
    what = learned.retag(session, review, actor, raw, themes=dict(themes), now=now)
    return out.post(space_of(review), text(Mention(me(actor)), f" changed the themes of {what}."))


# ---------------------------------------------------------------- the CSP view and the leads

def show_themes(session: Session, actor: Actor, *, themes: Mapping[str, str], env_admins: tuple[str, ...],
                withheld: Withheld, now: datetime) -> Outcome:
    return out.reply(learning.themes_view(session, actor, themes=dict(themes), env_admins=env_admins,
                                          withheld=withheld, now=now))


def leads_form(session: Session, actor: Actor, env_admins: tuple[str, ...]) -> list[str]:
    check_admin(session, actor, env_admins, "name the strategic leads")
    return learning.lead_ids(session, actor)


def set_leads(session: Session, actor: Actor, raw: dict, env_admins: tuple[str, ...], *, now: datetime) -> Outcome:
    chosen = raw.get(learning.LeadsForm.leads.key) or []
    leads = learning.set_leads(session, actor, [chosen] if isinstance(chosen, str) else list(chosen), env_admins, now)
    return out.reply(text(f"{len(leads)} strategic lead{'s' if len(leads) != 1 else ''} saved."))


# ---------------------------------------------------------------- the Strategic Action Plan

@dataclass(frozen=True)
class StrategicFormData:
    citable: list[strategic.Citable]
    agencies: dict[str, str]


def strategic_form(session: Session, actor: Actor, env_admins: tuple[str, ...], withheld: Withheld
                   ) -> StrategicFormData:
    learning.check_strategic(session, actor, env_admins, "add to the Strategic Action Plan")
    return StrategicFormData(strategic.citable(session, actor, withheld), strategic.agencies_of(session, actor))


def add_strategic(session: Session, actor: Actor, raw: dict, *, env_admins: tuple[str, ...], withheld: Withheld,
                  now: datetime, today: date) -> Outcome:
    row = strategic.add(session, actor, raw, env_admins=env_admins, now=now, today=today, withheld=withheld)
    said = text(f"Strategic action {strategic.ref(row)} added, owned by ", Mention(PersonRef(row.owner_user)),
                f" ({row.owner_agency}), target {reviews.show_date(row.target_on)}.")
    told = text(Mention(me(actor)), f" gave you strategic action {strategic.ref(row)} of the CSP's Strategic Action "
                f"Plan: {row.action} Target date: {reviews.show_date(row.target_on)}. Record progress with ",
                Command(f"strategic update {row.number}"), " and completion with ",
                Command(f"strategic complete {row.number}"), ".")
    owner = PersonRef(row.owner_user)
    return out.reply(said) + (out.dm(owner, told) if row.owner_user != actor.user_id else out.NOTHING)


@dataclass(frozen=True)
class StrategicEditData:
    """The edit form: the add form's choices, and the action's current values to prefill it."""
    action_id: int
    ref: str
    form: StrategicFormData
    current: dict


def edit_form(session: Session, actor: Actor, number: str, env_admins: tuple[str, ...], withheld: Withheld, *,
              action_id: int = 0) -> StrategicEditData:
    """For `strategic edit N` (or, drawn again, the action id of the form)."""
    learning.check_strategic(session, actor, env_admins, "edit a strategic action")
    row = strategic.load(session, actor, action_id) if action_id else strategic.by_number(session, actor, number)
    strategic_edit.check_editable(row)
    f = strategic.StrategicForm
    current = {f.recommendations.key: [str(i) for i in strategic_edit.cited_ids(session, row)],
               f.action.key: row.action, f.lead_agency.key: strategic_edit.initial_agency(session, actor, row),
               f.owner.key: row.owner_user, f.outcome_measure.key: row.outcome_measure,
               f.target_on.key: row.target_on.isoformat(), f.milestones.key: row.milestones}
    data = StrategicFormData(strategic_edit.choices(session, actor, row, withheld),
                             strategic.agencies_of(session, actor))
    return StrategicEditData(row.id, strategic.ref(row), data, current)


def edit_strategic(session: Session, action_id: int, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
                   withheld: Withheld, now: datetime, today: date) -> Outcome:
    """The owner is told by DM when the owner or the target changes (the one it was taken from too)."""
    done = strategic_edit.edit(session, strategic.load(session, actor, action_id), actor, raw,
                               env_admins=env_admins, now=now, today=today, withheld=withheld)
    row, sa = done.row, strategic.ref(done.row)
    said = text(f"Strategic action {sa} saved: owned by ", Mention(PersonRef(row.owner_user)),
                f" ({row.owner_agency}), target {reviews.show_date(row.target_on)}.")
    told = out.NOTHING
    if "owner" in done.changed:
        told += _tell(actor, row.owner_user, text(Mention(me(actor)), f" gave you strategic action {sa} of the CSP's "
                      f"Strategic Action Plan: {row.action} Target date: {reviews.show_date(row.target_on)}. "
                      "Record progress with ", Command(f"strategic update {row.number}"), "."))
        told += _tell(actor, done.old_owner, text(Mention(me(actor)), f" gave strategic action {sa} to ",
                                                  Mention(PersonRef(row.owner_user)), ": it is no longer yours."))
    elif "target_on" in done.changed:
        told += _tell(actor, row.owner_user, text(Mention(me(actor)), f" moved the target date of strategic action "
                      f"{sa} from {reviews.show_date(done.old_target)} to {reviews.show_date(row.target_on)}."))
    return out.reply(said) + told


def _tell(actor: Actor, user: str, said) -> Outcome:
    return out.dm(PersonRef(user), said) if user != actor.user_id else out.NOTHING


@dataclass(frozen=True)
class StrategicListing:
    rows: list[strategic.StrategicRow]


def list_strategic(session: Session, actor: Actor, *, env_admins: tuple[str, ...], today: date,
                   calendar: WorkingCalendar) -> Outcome:
    learning.check_strategic(session, actor, env_admins, "see the Strategic Action Plan")
    return out.reply(StrategicListing(strategic.plan_rows(session, actor.platform, actor.tenant_id, today, calendar)))


@dataclass(frozen=True)
class StrategicOwnerData:
    action_id: int
    ref: str
    action: str


def owner_form(session: Session, actor: Actor, number: str, env_admins: tuple[str, ...], *,
               action_id: int = 0) -> StrategicOwnerData:
    """For `strategic update N` and `strategic complete N` (or, drawn again, the action id of the form)."""
    row = strategic.load(session, actor, action_id) if action_id else strategic.by_number(session, actor, number)
    strategic.authorize_owner(session, row, actor, env_admins)
    strategic.check_open(row)
    return StrategicOwnerData(row.id, strategic.ref(row), row.action)


def record_progress(session: Session, action_id: int, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
                    now: datetime, today: date) -> Outcome:
    row = strategic.progress(session, strategic.load(session, actor, action_id), actor, raw, env_admins=env_admins,
                             now=now, today=today)
    return out.reply(text(f"Progress recorded on strategic action {strategic.ref(row)}."))


def record_completion(session: Session, action_id: int, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
                      now: datetime, today: date) -> Outcome:
    row = strategic.complete(session, strategic.load(session, actor, action_id), actor, raw, env_admins=env_admins,
                             now=now, today=today)
    return out.reply(text(f"Strategic action {strategic.ref(row)} is marked complete; a CSP admin or strategic lead "
                          "verifies it with ", Command(f"strategic verify {row.number}"), "."))


def return_form(session: Session, actor: Actor, number: str, env_admins: tuple[str, ...], *,
                action_id: int = 0) -> StrategicOwnerData:
    learning.check_strategic(session, actor, env_admins, "send a strategic action back")
    row = strategic.load(session, actor, action_id) if action_id else strategic.by_number(session, actor, number)
    strategic.check_awaiting(row)
    return StrategicOwnerData(row.id, strategic.ref(row), row.action)


def send_back(session: Session, action_id: int, actor: Actor, raw: dict, *, env_admins: tuple[str, ...],
              now: datetime) -> Outcome:
    """The owner is told in a DM, with the reason (only to them and the lead)."""
    row = strategic.send_back(session, strategic.load(session, actor, action_id), actor, raw, env_admins=env_admins,
                              now=now)
    reason = (strategic.StrategicReturnForm.reason.of(raw) or "").strip()
    told = text(Mention(me(actor)), f" sent strategic action {strategic.ref(row)} back: {reason} Record it again with ",
                Command(f"strategic complete {row.number}"), ".")
    return out.reply(text(f"Strategic action {strategic.ref(row)} is open again; its owner is told.")) + \
        (out.dm(PersonRef(row.owner_user), told) if row.owner_user != actor.user_id else out.NOTHING)


def verify_strategic(session: Session, actor: Actor, number: str, *, env_admins: tuple[str, ...],
                     now: datetime) -> Outcome:
    learning.check_strategic(session, actor, env_admins, "verify a strategic action")
    row = strategic.verify(session, strategic.by_number(session, actor, number), actor, env_admins=env_admins, now=now)
    told = text(f"Strategic action {strategic.ref(row)} was verified by ", Mention(me(actor)), ".")
    return out.reply(told) + (out.dm(PersonRef(row.owner_user), told) if row.owner_user != actor.user_id
                              else out.NOTHING)


def export_strategic(session: Session, actor: Actor, *, env_admins: tuple[str, ...], today: date, now: datetime,
                     calendar: WorkingCalendar, exporters: Mapping[str, Callable[[list], bytes]],
                     dm_space: DirectSpace, withheld: Withheld) -> Outcome:
    """The board's XLSX and DOCX, to the person's DM only; a text holding a registered name is withheld."""
    learning.check_strategic(session, actor, env_admins, "export the Strategic Action Plan")
    rows = [strategic.StrategicRow(*(learning.WITHHELD if isinstance(v, str) and withheld(v) else v
                                     for v in vars(r).values()))
            for r in strategic.plan_rows(session, actor.platform, actor.tenant_id, today, calendar)]
    dm = dm_space(me(actor))
    files = [out.upload(dm, strategic.export_filename(today, ext), make(rows), "Strategic Action Plan")
             for ext, make in exporters.items()]
    audit(session, actor.user_id, "strategic.exported", now, rows=len(rows))
    count = f"{len(rows)} action{'' if len(rows) == 1 else 's'}"
    return sum(files, out.NOTHING) + out.reply(text(f"The Strategic Action Plan ({count}) is in your "
                                                    "direct messages as XLSX and DOCX."))
