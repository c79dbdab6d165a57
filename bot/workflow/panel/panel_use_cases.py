"""The panel's use cases: CSP admins keep the admins and the agencies; the coordinator adds, re-roles
and removes people; an invited person answers the confidentiality statement. Each checks, records
and returns what should happen; the handler carries it out.

Besides messages, a panel change moves people in or out of the review's space: a `SpaceChange`
carries them beside the Outcome, and `carry_out` applies them before the outcome is delivered.
"""
import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.chat_port import ChatPort
from bot.workflow.core.deliver import Delivered
from bot.workflow.core.kernel import Actor
from bot.workflow.core.notices import Invitation, InvitationAnswered, PanelChanged, PanelEntry
from bot.workflow.core.outcome import DirectMessage, Outcome, Post
from bot.workflow.core.permissions import Role
from bot.workflow.core.ports import ChatError
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Mention, Text, join, text
from bot.workflow.evidence import joined
from bot.workflow.panel import panel
from storage.models import Review


@dataclass(frozen=True)
class PanelFormData:
    review_id: int
    reference: str
    agencies: list[tuple[int, str]]
    members: list[PanelEntry]


@dataclass(frozen=True)
class AdminsFormData:
    always: tuple[str, ...]         # set by the deployment, not changed from the form
    stored: list[str]


@dataclass(frozen=True)
class SpaceChange:
    """An outcome, and who joins or leaves the review's space first."""

    outcome: Outcome
    space: SpaceRef | None = None
    joining: tuple[PersonRef, ...] = ()
    leaving: tuple[PersonRef, ...] = ()

    def without_reply(self) -> "SpaceChange":
        return dataclasses.replace(self, outcome=dataclasses.replace(self.outcome, reply=None))


def space_of(review: Review) -> SpaceRef | None:
    return SpaceRef(review.space_id) if review.space_id else None


def me(actor: Actor) -> PersonRef:
    return PersonRef(actor.user_id)


# ---------------------------------------------------------------- CSP admins: admins and agencies

def admins_form(session: Session, actor: Actor, always: tuple[str, ...]) -> AdminsFormData:
    panel.check_admin(session, actor, always, "change the admins")
    return AdminsFormData(always, [u for u in panel.admin_ids(session, actor.tenant_id, ()) if u not in always])


def set_admins(session: Session, actor: Actor, raw: dict, always: tuple[str, ...], *, now: datetime) -> Outcome:
    panel.set_admins(session, actor, panel.AdminsForm.admins.of(raw) or [], always, now)
    return out.NOTHING


def agencies_form(session: Session, actor: Actor, always: tuple[str, ...]) -> list[str]:
    """The names of the active agencies, for the admin to edit."""
    panel.check_admin(session, actor, always, "change the list of agencies")
    return [a.name for a in panel.active_agencies(session, actor.tenant_id)]


def set_agencies(session: Session, actor: Actor, raw: dict, always: tuple[str, ...], *, now: datetime) -> Outcome:
    """What changed is told only to the admin who saved the list."""
    return out.reply(panel.set_agencies(session, actor, panel.AgenciesForm.agencies.of(raw), always, now))


# ---------------------------------------------------------------- the coordinator: the panel

def panel_form(session: Session, actor: Actor, *, space_id: str | None = None,
               review_id: int | None = None) -> PanelFormData:
    """From the review's space (the command) or its id (the summary card's button)."""
    review = (kernel.review_in_space(session, space_id) if space_id is not None
              else kernel.get_review(session, review_id or 0))
    panel.authorize_panel_change(session, review, actor)
    agencies = [(a.id, a.name) for a in panel.active_agencies(session, review.tenant_id)]
    members = [PanelEntry(p.user_id, p.role.label, p.agency, p.status == panel.INVITED)
               for p in panel.panel_lines(session, review)]
    return PanelFormData(review.id, review.reference, agencies, members)


def change_panel(session: Session, review_id: int, actor: Actor, raw: dict, *, admins: tuple[str, ...],
                 statement_sha: str, now: datetime) -> SpaceChange:
    """Each new person gets their own invitation; the space hears of removals and role changes at once."""
    review = kernel.get_review(session, review_id)
    is_admin = actor.user_id in panel.admin_ids(session, actor.tenant_id, admins)
    changes = panel.change_panel(session, review, actor, raw, is_admin=is_admin, statement_sha=statement_sha,
                                 now=now)
    lines: list[Text] = []
    told, leaving = out.NOTHING, []
    for change in changes:
        person = PersonRef(change.user_id)
        if change.removed:
            leaving.append(person)
            lines.append(text(Mention(me(actor)), " removed ", Mention(person), " from the review."))
        elif change.invitation:
            told += out.dm(person, change.invitation)
        else:
            lines.append(text(Mention(me(actor)), " made ", Mention(person),
                              f" {Role(change.member.role).label.lower()} on this review."))
            told += change.told
    space = space_of(review)
    posted = out.post(space, PanelChanged(join("\n", lines))) if lines else out.NOTHING
    return SpaceChange(posted + told + out.refresh(review.id), space, leaving=tuple(leaving))


# ---------------------------------------------------------------- the invited person

def answer_invitation(session: Session, agreement_id: int, actor: Actor, agreed: bool, *,
                      now: datetime) -> SpaceChange:
    """Stores the answer (once). Agreeing brings them into the space and sends what waits for them
    there; either way the space is told, and the invitation they answered says so."""
    review, member = panel.answer(session, agreement_id, actor, agreed, now)
    label = Role(member.role).label
    role = label if label.startswith("IMR") else label.lower()
    space = space_of(review)
    if agreed:
        said = text(Mention(me(actor)), f" agreed to the confidentiality statement and joined as {role}.")
        waiting = joined.on_active(session, review, member, now, by=actor.user_id)
    else:
        said, waiting = text(Mention(me(actor)), f" can't take part (invited as {role})."), out.NOTHING
    answered = InvitationAnswered(agreed, review.reference, review.space_id if agreed else None)
    return SpaceChange(out.post(space, PanelChanged(said)) + waiting + out.refresh(review.id)
                       + out.reply(answered, replace_source=True), space, joining=(me(actor),) if agreed else ())


# ---------------------------------------------------------------- carrying out

def carry_out(change: SpaceChange, chat: ChatPort) -> list[ChatError]:
    """Brings people into the space (a failure stops here: nobody is told they joined) and takes
    people out of it (each on its own: one account the platform refuses does not keep the others
    in). The failures to take people out, for the caller to report after delivering the rest."""
    if change.space is None:
        return []
    if change.joining:
        chat.invite(change.space, change.joining)
    failed = []
    for person in change.leaving:
        try:
            chat.remove(change.space, person)
        except ChatError as err:
            failed.append(err)
    return failed


def to_report(done: Delivered) -> list[Exception]:
    """The failed deliveries whoever saved the panel is told of: the post in the space, and an
    invitation (the invitee would never know of it). What waits for someone whose role changed is
    only logged, as the evidence request DMs are."""
    return [err for what, err in done.failures
            if isinstance(what, Post) or (isinstance(what, DirectMessage) and isinstance(what.body, Invitation))]
