"""The IMR's use cases: the template, the request button, the author's declarations, the chair's
decision. Each checks, records, and returns what should happen (an Outcome); the handler delivers it."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.workflow.core import kernel
from bot.workflow.core import outcome as out
from bot.workflow.core.kernel import Actor
from bot.workflow.core.outcome import Outcome
from bot.workflow.core.permissions import Operation
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Icon, Mention, SpaceLink, text
from bot.workflow.evidence import chronology, imr
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.evidence.file_notices import ImrReturned, ImrSubmitted
from storage.chronology import ImrVersion
from storage.models import Review

Template = Callable[[str, str], bytes]          # (reference, agency) -> the IMR template's bytes
DirectSpace = Callable[[PersonRef], SpaceRef]   # the DM space with a person, where files go to them


@dataclass(frozen=True)
class ImrInfo:
    """How to send the IMR of one agency's request."""

    review_id: int
    reference: str
    agency: str


@dataclass(frozen=True)
class VersionForm:
    """What the declarations and return forms show of one IMR version."""

    version_id: int
    reference: str
    agency: str
    version: int


def me(actor: Actor) -> PersonRef:
    return PersonRef(actor.user_id)


def space_of(review: Review) -> SpaceRef | None:
    return SpaceRef(review.space_id) if review.space_id else None


# ---------------------------------------------------------------- the template

def template_by_command(session: Session, space_id: str, actor: Actor, *, template: Template,
                        dm_space: DirectSpace) -> Outcome:
    review = kernel.review_in_space(session, space_id)
    return _template(session, review, actor, template, dm_space) + out.reply(
        f"I have sent you the IMR template for {review.reference} in our private chat. When the IMR is finished, "
        "send me the .docx there and I will check it.")


def template_by_button(session: Session, review_id: int, actor: Actor, *, template: Template,
                       dm_space: DirectSpace) -> Outcome:
    return _template(session, kernel.get_review(session, review_id), actor, template, dm_space)


def _template(session: Session, review: Review, actor: Actor, template: Template, dm_space: DirectSpace) -> Outcome:
    """Named for the author's agency when they have one; else "[agency]" for them to fill in."""
    who = chronology.submitter(session, review, actor, Operation.SUBMIT_IMR)
    names = list(who.own_agencies.values())
    agency = names[0] if len(names) == 1 else "[agency]"
    return out.upload(dm_space(me(actor)), f"{review.reference}-IMR-template.docx",
                      template(review.reference, agency), f"{review.reference} IMR template")


def info(session: Session, item_id: int, actor: Actor) -> ImrInfo:
    """The request button (request DM, Home): for the agency's own people only."""
    review, item = chronology.evidence_item_for(session, item_id, actor, Kind.IMR)
    return ImrInfo(review.id, review.reference, chronology.agencies_of(session, review).get(item.agency_id, ""))


# ---------------------------------------------------------------- the author's declarations

def declarations_form(session: Session, version_id: int, actor: Actor) -> VersionForm:
    return _form(*imr.version_for_declarations(session, version_id, actor))


def submit(session: Session, version_id: int, actor: Actor, raw: dict, *, now: datetime, today: date) -> Outcome:
    """The chair's buttons go to the review's space; the author is told it went."""
    row = imr.submit(session, version_id, actor, raw, now, today)
    review = kernel.get_review(session, row.review_id)
    agency = chronology.agencies_of(session, review).get(row.agency_id, "")
    return (out.post(space_of(review), ImrSubmitted(review.reference, agency, row.version, row.id, actor.user_id))
            + out.dm(me(actor), f"Your IMR for {review.reference} (version {row.version}) is submitted to the chair."))


# ---------------------------------------------------------------- the chair's decision

def decision_form(session: Session, version_id: int, actor: Actor) -> VersionForm:
    return _form(*imr.for_decision(session, version_id, actor))


def accept(session: Session, version_id: int, actor: Actor, *, now: datetime) -> Outcome:
    """Said in place of the message whose button was pressed."""
    row, review, agency = imr.decide(session, version_id, actor, True, None, now)
    return out.reply(text(Icon("white_check_mark"), " ", Mention(me(actor)), " accepted ", Bold(agency),
                          f"'s IMR version {row.version} for {review.reference}."), replace_source=True)


def send_back(session: Session, version_id: int, actor: Actor, raw: dict, *, now: datetime) -> Outcome:
    """The comments go to the review's space; the author is pointed there."""
    row, review, agency = imr.decide(session, version_id, actor, False, imr.ReturnForm.comments.of(raw), now)
    said = ImrReturned(review.reference, agency, row.version, actor.user_id, row.comments or "")
    told = out.NOTHING
    if row.submitted_by:
        told = out.dm(PersonRef(row.submitted_by), text(
            f"Your IMR for {review.reference} (version {row.version}) was returned with comments: see ",
            SpaceLink(SpaceRef(review.space_id or "")), "."))
    return out.post(space_of(review), said) + told


def _form(row: ImrVersion, review: Review, agency: str) -> VersionForm:
    return VersionForm(row.id, review.reference, agency, row.version)
