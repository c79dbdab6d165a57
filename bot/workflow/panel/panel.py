"""Who is on a review: CSP admins, agencies, panel memberships and confidentiality agreements."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from bot.workflow.core import fields
from bot.workflow.core import outcome as out
from bot.workflow.core.errors import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from bot.workflow.core.errors import joined as joined_errors
from bot.workflow.core.form_spec import Field, FormSpec, Kind
from bot.workflow.core.kernel import ACTIVE, Actor, audit, authorize, person_for
from bot.workflow.core.notices import Invitation
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation, Role
from bot.workflow.core.refs import PERSON_ID_RE, PersonRef
from bot.workflow.core.stages import Stage
from bot.workflow.core.text import Command, Mention, join, text
from bot.workflow.evidence import joined
from storage.models import Membership, Person, Review
from storage.panel import Agency, Agreement, WorkspaceAdmin

INVITED, DECLINED, REMOVED = "invited", "declined", "removed"
NEEDS_AGENCY = {Role.PANEL_MEMBER, Role.AGENCY_LEAD, Role.IMR_AUTHOR}
USER_ID_RE = PERSON_ID_RE
MAX_AGENCIES = 100  # a form's menu holds at most 100 options on the platforms we serve
MAX_ADMINS = 50
MAX_ROWS = 6        # people added in one panel form
ROW_KEYS = ("person", "role", "agency")


class AdminsForm(FormSpec):
    admins = Field("Admins", Kind.PEOPLE, required=False)


class AgenciesForm(FormSpec):
    agencies = Field("Agencies, one per line", Kind.MULTILINE, max_length=3000)


class PanelForm(FormSpec):
    """The change, then MAX_ROWS rows of person, role and agency: person_1, role_1, agency_1, ...
    (the agency fields are shown only once agencies exist; their options come from the database)."""

    change = Field("What do you want to do?", Kind.RADIO, options={"add": "Add people, or change their roles",
                                                                    "remove": "Remove people from the review"})

    @staticmethod
    def key(name: str, n: int) -> str:
        return f"{name}_{n}"

    @classmethod
    def row(cls, n: int) -> tuple[Field, Field, Field]:
        person, role, agency = (getattr(cls, cls.key(name, n)) for name in ROW_KEYS)
        return person, role, agency


def _row_fields(n: int) -> dict[str, Field]:
    fields_ = {"person": Field(f"Person {n}", Kind.PERSON, required=False),
               "role": Field(f"Role {n}", Kind.SELECT, required=False, options={r.value: r.label for r in Role}),
               "agency": Field(f"Agency {n}", Kind.SELECT, required=False)}
    return {PanelForm.key(name, n): f for name, f in fields_.items()}


for _n in range(1, MAX_ROWS + 1):
    for _key, _field in _row_fields(_n).items():
        _field.__set_name__(PanelForm, _key)
        setattr(PanelForm, _key, _field)


@dataclass(frozen=True)
class PanelLine:
    user_id: str
    role: Role
    agency: str | None
    status: str


# ---------------------------------------------------------------- admins

def admin_ids(session: Session, tenant_id: str, env_admins: tuple[str, ...]) -> list[str]:
    stored = session.exec(select(WorkspaceAdmin.user_id).where(WorkspaceAdmin.tenant_id == tenant_id))
    return sorted(set(env_admins) | set(stored))


def check_admin(session: Session, actor: Actor, env_admins: tuple[str, ...], doing: str) -> None:
    """Refused (naming up to five admins to ask) unless the actor is a CSP admin."""
    admins = admin_ids(session, actor.tenant_id, env_admins)
    if actor.user_id not in admins:
        who = join(", ", [Mention(PersonRef(a)) for a in admins[:5]]) or text("your CSP's community safety team")
        raise PermissionDenied(text(f"Only CSP admins can {doing}. Ask ", who, " to help."))


def require_admin(session: Session, actor: Actor, env_admins: tuple[str, ...], doing: str) -> None:
    """check_admin for the new-review form, which still shows the plain `.message` of a refusal:
    delete once it shows the neutral one (`.rich`) and call check_admin instead."""
    try:
        check_admin(session, actor, env_admins, doing)
    except PermissionDenied as err:
        admins = admin_ids(session, actor.tenant_id, env_admins)
        who = join(", ", [text(Mention(PersonRef(a))) for a in admins[:5]]) if admins else \
            text("your CSP's community safety team")
        raise PermissionDenied(text(f"Only CSP admins can {doing}. Ask ", who, " to help.")) from err


def set_admins(session: Session, actor: Actor, user_ids: list[str], env_admins: tuple[str, ...],
               now: datetime) -> list[str]:
    check_admin(session, actor, env_admins, "change the admins")
    wanted = {u for u in user_ids if u not in env_admins}
    if len(wanted) > MAX_ADMINS or not all(USER_ID_RE.match(u) for u in wanted):
        raise AdminsForm.invalid({AdminsForm.admins.key: f"Choose at most {MAX_ADMINS} people."})
    rows = session.exec(select(WorkspaceAdmin).where(WorkspaceAdmin.tenant_id == actor.tenant_id)).all()
    for row in rows:
        if row.user_id not in wanted:
            session.delete(row)
            audit(session, actor.user_id, "admin.removed", now, user=row.user_id)
    for user in wanted - {r.user_id for r in rows}:
        session.add(WorkspaceAdmin(platform=actor.platform, tenant_id=actor.tenant_id, user_id=user,
                                   added_by=actor.user_id, added_at=now))
        audit(session, actor.user_id, "admin.added", now, user=user)
    return sorted(wanted)


# ---------------------------------------------------------------- agencies

def active_agencies(session: Session, tenant_id: str) -> list[Agency]:
    return list(session.exec(select(Agency).where(Agency.tenant_id == tenant_id, Agency.active)
                             .order_by(Agency.name)))


@dataclass(frozen=True)
class AgenciesChanged:
    """What a save of the agency list changed, told back to the admin who saved it."""
    added: list[str]
    retired: list[str]
    total: int


def set_agencies(session: Session, actor: Actor, raw: str, env_admins, now: datetime) -> AgenciesChanged:
    """The admin edits the whole list; removed agencies are retired, never deleted (history refers to them)."""
    check_admin(session, actor, env_admins, "change the list of agencies")
    names, error = fields.lines(raw, label="agencies", max_items=MAX_AGENCIES, max_len=75)
    if error:
        raise AgenciesForm.invalid({AgenciesForm.agencies.key: error})
    wanted = {n.casefold() for n in names}
    if len(wanted) != len(names):
        raise AgenciesForm.invalid({AgenciesForm.agencies.key: "Each agency should appear once."})
    rows = {a.name.casefold(): a for a in session.exec(select(Agency).where(Agency.tenant_id == actor.tenant_id))}
    was_active = {key for key, row in rows.items() if row.active}
    added, retired = [], []
    for name in names:
        row = rows.get(name.casefold())
        if row is None:
            session.add(Agency(platform=actor.platform, tenant_id=actor.tenant_id, name=name, created_by=actor.user_id,
                               created_at=now))
        else:
            row.active = True
        if name.casefold() not in was_active:
            added.append(name)
    for key, row in rows.items():
        if key in was_active and key not in wanted:
            row.active = False
            retired.append(row.name)
    audit(session, actor.user_id, "agencies.changed", now, count=len(names))
    return AgenciesChanged(added, sorted(retired), len(names))


# ---------------------------------------------------------------- panel

def _membership(session: Session, review: Review, user_id: str) -> Membership | None:
    return session.exec(
        select(Membership).join(Person, Person.id == Membership.person_id)
        .where(Membership.review_id == review.id, Person.user_id == user_id,
               Membership.status.in_([ACTIVE, INVITED]))
    ).first()


def current_role(session: Session, review: Review, user_id: str | None) -> tuple[str, int | None] | None:
    """(role, agency id) of someone active or invited on the review, or None."""
    member = _membership(session, review, user_id) if user_id else None
    return (member.role, member.agency_id) if member else None


def validate_member(raw: dict, agencies: list[Agency]) -> tuple[str, Role, int | None]:
    errors = {}
    user = raw.get("person")
    if not user or not USER_ID_RE.match(str(user)):
        errors["person"] = "Choose the person to add."
    role = raw.get("role")
    if role not in {r.value for r in Role}:
        errors["role"] = "Choose a role from the list."
    agency_id = raw.get("agency")
    known = {str(a.id): a.id for a in agencies}
    if agency_id and agency_id not in known:
        errors["agency"] = "Choose an agency from the list."
    elif role in {r.value for r in NEEDS_AGENCY} and not agency_id:
        if agencies:
            errors["agency"] = "Choose the person's agency."
        else:   # the form has no agency field then: say it beside the role
            errors["role"] = "This role needs an agency, and none is set up yet: ask a CSP admin to add them."
    if errors:
        raise ValidationFailed(errors)
    return user, Role(role), known.get(agency_id) if agency_id else None


@dataclass(frozen=True)
class PanelChange:
    """One person's change from the panel form, and what they must be told."""
    user_id: str
    member: Membership
    invitation: Invitation | None = None     # newly invited: their own confidentiality DM
    told: Outcome = out.NOTHING              # a role change: what their new role finds waiting

    @property
    def removed(self) -> bool:
        return self.member.status == REMOVED


def form_rows(raw: dict) -> list[tuple[int, dict]]:
    """The panel form's filled rows, numbered as the form numbers them (person_1, role_1, agency_1...)."""
    rows = []
    for n in range(1, MAX_ROWS + 1):
        row = {key: raw.get(PanelForm.key(key, n)) for key in ROW_KEYS}
        if any(row.values()):
            rows.append((n, row))
    return rows


def authorize_panel_change(session: Session, review: Review, actor: Actor) -> None:
    """A concluded review's space is archived: nobody new could join it or see anything."""
    authorize(session, review, actor, Operation.MANAGE_PANEL)
    if review.stage == Stage.CONCLUDED.value:
        raise WorkflowError(f"{review.reference} is concluded, so its panel no longer changes.")


def change_panel(session: Session, review: Review, actor: Actor, raw: dict, *, is_admin: bool,
                 statement_sha: str, now: datetime) -> list[PanelChange]:
    """Adds, re-roles or removes everyone on the form's rows, or nobody: each bad row gets its own
    errors (keyed by that row's fields) and the caller's transaction is rolled back."""
    authorize_panel_change(session, review, actor)
    rows = form_rows(raw)
    if not rows:
        raise PanelForm.invalid({PanelForm.key("person", 1): "Choose at least one person."})
    errors, changes, seen = {}, [], set()
    for n, row in rows:
        try:
            if row["person"] and row["person"] in seen:
                raise ValidationFailed({"person": "This person is already on another row."})
            seen.add(row["person"])
            changes.append(_change_one(session, review, actor, row, remove_them=PanelForm.change.of(raw) == "remove",
                                       is_admin=is_admin, statement_sha=statement_sha, now=now))
        except ValidationFailed as err:
            errors.update({PanelForm.key(key, n): said for key, said in err.field_errors.items()})
    if errors:
        raise _refusal(raw, errors)
    return changes


def _refusal(raw: dict, errors: dict) -> ValidationFailed:
    """The errors beside the rows' fields; when the form was opened before any agency existed (it has
    no agency fields) and a row now needs one, a message saying how to get a form that offers them."""
    refused = PanelForm.invalid(errors)
    agency_keys = {PanelForm.key("agency", n) for n in range(1, MAX_ROWS + 1)}
    if agency_keys & set(raw) or not agency_keys & set(errors):
        return refused
    others = [said for key, said in errors.items() if key not in agency_keys]
    return ValidationFailed(errors, joined_errors([text(
        "Agencies have been set up since this form opened, so it has none to choose from: close it and run ",
        Command("panel"), " again."), *others]))


def _change_one(session, review, actor, row: dict, *, remove_them: bool, is_admin: bool, statement_sha: str,
                now: datetime) -> PanelChange:
    if remove_them:
        if not row["person"]:
            raise ValidationFailed({"person": "Choose the person to remove."})
        return PanelChange(row["person"], remove(session, review, actor, row["person"], now))
    before = current_role(session, review, row["person"])
    member, agreement = add_or_change(session, review, actor, row, is_admin=is_admin,
                                      statement_sha=statement_sha, now=now)
    if agreement is not None:
        return PanelChange(row["person"], member, invitation=invitation(session, review, member, agreement))
    told = joined.on_active(session, review, member, now, by=actor.user_id,
                            became_lead=before != (member.role, member.agency_id))
    return PanelChange(row["person"], member, told=told)


def invitation(session: Session, review: Review, member: Membership, agreement: Agreement) -> Invitation:
    """The confidentiality DM for exactly this membership: its own role and agency."""
    agency = session.get(Agency, member.agency_id).name if member.agency_id else None
    return Invitation(agreement.id, review.reference, Role(member.role).label, agency, member.added_by)


def add_or_change(session: Session, review: Review, actor: Actor, raw: dict, *, is_admin: bool,
                  statement_sha: str, now: datetime) -> tuple[Membership, Agreement | None]:
    """Adds a person (invited until they agree) or changes the role of someone already on the panel."""
    authorize_panel_change(session, review, actor)
    user, role, agency_id = validate_member(raw, active_agencies(session, review.tenant_id))
    if role == Role.COORDINATOR and not is_admin:
        raise ValidationFailed({"role": "Only a CSP admin can appoint a coordinator."})
    existing = _membership(session, review, user)
    if existing:
        return _change_role(session, review, actor, existing, role, agency_id, now), None
    person = person_for(session, review.tenant_id, user, now, review.platform)
    member = Membership(review_id=review.id, person_id=person.id, role=role.value, agency_id=agency_id,
                        status=INVITED, added_by=actor.user_id, added_at=now)
    session.add(member)
    session.flush()
    agreement = Agreement(review_id=review.id, membership_id=member.id, statement_sha256=statement_sha, asked_at=now)
    session.add(agreement)
    session.flush()
    audit(session, actor.user_id, "member.invited", now, review.id, user=user, role=role.value, agency_id=agency_id)
    return member, agreement


def _change_role(session, review, actor, member: Membership, role: Role, agency_id, now) -> Membership:
    if member.role == role.value and member.agency_id == agency_id:
        raise ValidationFailed({"role": "They already have that role on this review."})
    if member.role == Role.COORDINATOR.value and role != Role.COORDINATOR:
        _keep_a_coordinator(session, review, member)
    audit(session, actor.user_id, "member.role_changed", now, review.id, membership=member.id,
          old_role=member.role, new_role=role.value, agency_id=agency_id)
    same_agency = (Membership.agency_id.is_(None) if member.agency_id is None
                   else Membership.agency_id == member.agency_id)
    changed = session.execute(update(Membership).where(Membership.id == member.id, Membership.role == member.role,
                                                       same_agency).values(role=role.value, agency_id=agency_id)
                              .execution_options(synchronize_session=False)).rowcount
    if changed != 1:   # two people changed the same role at the same moment: the first one counts
        raise WorkflowError("Someone changed this person's role a moment ago; nothing changed. Open the panel again.")
    session.refresh(member)
    return member


def _keep_a_coordinator(session, review, leaving: Membership) -> None:
    others = session.exec(select(Membership.id).where(
        Membership.review_id == review.id, Membership.role == Role.COORDINATOR.value,
        Membership.status == ACTIVE, Membership.id != leaving.id)).first()
    if others is None:
        raise ValidationFailed({"person": "A review always needs a coordinator: appoint another one first."})


def remove(session: Session, review: Review, actor: Actor, user_id: str | None, now: datetime) -> Membership:
    authorize_panel_change(session, review, actor)
    member = _membership(session, review, user_id) if user_id else None
    if member is None:
        raise ValidationFailed({"person": "That person is not on this review."})
    if member.role == Role.COORDINATOR.value:
        _keep_a_coordinator(session, review, member)
    member.status, member.removed_at = REMOVED, now
    session.add(member)
    audit(session, actor.user_id, "member.removed", now, review.id, user=user_id, role=member.role)
    return member


def answer(session: Session, agreement_id: int, actor: Actor, agree: bool, now: datetime):
    """The invited person answers the confidentiality statement; only they can."""
    agreement = session.get(Agreement, agreement_id)
    member = session.get(Membership, agreement.membership_id) if agreement else None
    person = session.get(Person, member.person_id) if member else None
    if person is None or (person.platform, person.tenant_id, person.user_id) != (actor.platform, actor.tenant_id,
                                                                                 actor.user_id):
        raise PermissionDenied("This invitation is for someone else.")
    if agreement.status != "pending" or member.status != INVITED:
        raise WorkflowError("You have already answered this invitation, or it was withdrawn.")
    status = "agreed" if agree else "declined"
    changed = session.execute(update(Agreement).where(Agreement.id == agreement.id, Agreement.status == "pending")
                              .values(status=status, answered_at=now)
                              .execution_options(synchronize_session=False)).rowcount
    if changed != 1:   # a double click: the first answer counts, once
        raise WorkflowError("You have already answered this invitation, or it was withdrawn.")
    session.refresh(agreement)
    member.status = ACTIVE if agree else DECLINED
    session.add(member)
    audit(session, actor.user_id, "agreement." + agreement.status, now, agreement.review_id, membership=member.id)
    return session.get(Review, agreement.review_id), member


def record_creator_agreement(session: Session, review: Review, actor: Actor, statement_sha: str, now) -> None:
    member = _membership(session, review, actor.user_id)
    session.add(Agreement(review_id=review.id, membership_id=member.id, status="agreed",
                          statement_sha256=statement_sha, asked_at=now, answered_at=now))
    audit(session, actor.user_id, "agreement.agreed", now, review.id, membership=member.id)


def panel_lines(session: Session, review: Review) -> list[PanelLine]:
    rows = session.exec(
        select(Membership, Person.user_id, Agency.name)
        .join(Person, Person.id == Membership.person_id)
        .join(Agency, Agency.id == Membership.agency_id, isouter=True)
        .where(Membership.review_id == review.id, Membership.status.in_([ACTIVE, INVITED]))
        .order_by(Membership.added_at)
    ).all()
    return [PanelLine(user, Role(m.role), agency, m.status) for m, user, agency in rows]


def get_agreement_review(session: Session, agreement_id: int) -> Review:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound("That invitation no longer exists.")
    return session.get(Review, agreement.review_id)
