"""Family, friends and colleagues: each contact by relationship only, never by name;
the Home Office leaflet; specialist advocacy offered at the first contact; whether they wish to
take part; meetings; the draft shared and their comments; and the chair's interview with the
perpetrator (requested, held, declined). Chair and coordinator only (permissions.py)."""
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.workflow.core import fields
from bot.workflow.core.errors import NotFound, ValidationFailed, WorkflowError
from bot.workflow.core.kernel import Actor, audit, authorize, show_date
from bot.workflow.core.permissions import Operation
from bot.workflow.core.text import Command, text
from storage.family import FamilyContact, PerpetratorInterview
from storage.models import Review

RELATIONSHIPS = {
    "mother": "Mother", "father": "Father", "parent": "Parent (other)", "sister": "Sister", "brother": "Brother",
    "daughter": "Daughter", "son": "Son", "child": "Child (other)", "grandparent": "Grandparent",
    "grandchild": "Grandchild", "aunt_uncle": "Aunt or uncle", "cousin": "Cousin", "partner": "Partner",
    "former_partner": "Former partner", "other_relative": "Other relative", "friend": "Friend",
    "neighbour": "Neighbour", "employer": "Employer", "colleague": "Colleague", "other": "Other",
}
LEAFLETS = {"family": "Family leaflet", "friends": "Friends leaflet", "employers": "Employers and colleagues leaflet"}
YES_NO = {"yes": "Yes", "no": "No"}
YES_NO_UNDECIDED = {"yes": "Yes", "no": "No", "undecided": "Not yet decided"}
INTERVIEW = {"requested": "Requested", "held": "Held", "declined": "Declined", "not_sought": "Not sought"}
MAX_NOTE = 60
MAX_COMMENTS = 3000
MAX_CONTACTS = 40
_WORD = re.compile(r"[A-Za-z']+")
# Words a relationship description may start with; any other capitalised word looks like a name.
_DESCRIBING = frozenset("""older younger elder eldest youngest step half twin adoptive foster paternal maternal
great best close former ex new victim's victim her his their the a an family work line adult partner's mother's
father's sister's brother's mum dad nan gran grandma grandad auntie""".split()) | {
    w.lower() for label in RELATIONSHIPS.values() for w in _WORD.findall(label)}


def looks_like_a_name(note: str) -> bool:
    """A capitalised word other than a describing first word ("Older sister" is fine, "Jane" is not),
    or a digit (dates, house numbers)."""
    words = _WORD.findall(note)
    if any(ch.isdigit() for ch in note):
        return True
    return any(w[0].isupper() and (i > 0 or w.lower() not in _DESCRIBING) for i, w in enumerate(words))


def _not_future(d: date | None, label: str, today: date, errors: dict, key: str) -> None:
    if d and d > today:
        errors[key] = f"The {label} can't be in the future."


def validate_contact(raw: dict, *, today: date, existing: FamilyContact | None) -> dict:
    """The changes to store, or ValidationFailed naming each field."""
    errors, out = {}, {}
    rel, err = fields.choice(raw.get("relationship"), RELATIONSHIPS, label="relationship to the victim")
    errors.update({"relationship": err} if err else {})
    note, err = fields.text(raw.get("relationship_note"), label="description", max_len=MAX_NOTE, required=False)
    if err:
        errors["relationship_note"] = err
    elif note and looks_like_a_name(note):
        errors["relationship_note"] = ("Describe the relationship only (\u201colder sister\u201d, \u201cvictim's "
                                       "manager\u201d), never a name, place or date.")
    leaflet = raw.get("leaflet") or None
    if leaflet and leaflet not in LEAFLETS:
        errors["leaflet"] = "Choose the leaflet from the list."
    sent_on, err = fields.iso_date(raw.get("leaflet_sent_on"), label="date the leaflet was sent", required=False)
    if err:
        errors["leaflet_sent_on"] = err
    _not_future(sent_on, "date the leaflet was sent", today, errors, "leaflet_sent_on")
    if leaflet and not sent_on and "leaflet_sent_on" not in errors:
        errors["leaflet_sent_on"] = "Give the date the leaflet was sent."
    if sent_on and not leaflet:
        errors["leaflet"] = "Say which leaflet was sent."
    offered = raw.get("advocacy_offered")
    if offered not in YES_NO:
        errors["advocacy_offered"] = ("Say whether specialist advocacy (for example AAFDA) was offered "
                                      "at the first contact.")
    accepted = raw.get("advocacy_accepted") or None
    if accepted and accepted not in YES_NO_UNDECIDED:
        errors["advocacy_accepted"] = "Choose from the list."
    elif accepted and offered == "no":
        errors["advocacy_accepted"] = "Advocacy was not offered, so it can't have been accepted or refused."
    wish = raw.get("wishes_to_take_part") or None
    if wish and wish not in YES_NO_UNDECIDED:
        errors["wishes_to_take_part"] = "Choose from the list."
    meeting, err = fields.iso_date(raw.get("meeting_on"), label="meeting date", required=False)
    if err:
        errors["meeting_on"] = err
    _not_future(meeting, "meeting date", today, errors, "meeting_on")
    shared, err = fields.iso_date(raw.get("draft_shared_on"), label="date the draft was shared", required=False)
    if err:
        errors["draft_shared_on"] = err
    _not_future(shared, "date the draft was shared", today, errors, "draft_shared_on")
    received, err = fields.iso_date(raw.get("comments_received_on"), label="date comments were received",
                                    required=False)
    if err:
        errors["comments_received_on"] = err
    _not_future(received, "date comments were received", today, errors, "comments_received_on")
    if received and not shared and "comments_received_on" not in errors:
        errors["comments_received_on"] = "Record when the draft was shared first."
    elif received and shared and received < shared:
        errors["comments_received_on"] = "Comments can't arrive before the draft was shared."
    comments, err = fields.text(raw.get("comments"), label="comments", max_len=MAX_COMMENTS, required=False)
    if err:
        errors["comments"] = err
    if errors:
        raise ValidationFailed(errors)
    meetings = list(existing.meetings) if existing else []
    if meeting and meeting.isoformat() not in meetings:
        meetings = sorted(meetings + [meeting.isoformat()])
    out.update(relationship=rel, relationship_note=note, leaflet=leaflet, leaflet_sent_on=sent_on,
               advocacy_offered=offered == "yes", advocacy_accepted=accepted, wishes_to_take_part=wish,
               meetings=meetings, draft_shared_on=shared, comments_received_on=received, comments=comments)
    return out


def contacts(session: Session, review_id: int) -> list[FamilyContact]:
    return list(session.exec(select(FamilyContact).where(FamilyContact.review_id == review_id)
                             .order_by(FamilyContact.number)))


def contact_for(session: Session, review: Review, contact_id: int | None) -> FamilyContact | None:
    """A contact of *this* review (an id copied from another review is refused)."""
    if contact_id is None:
        return None
    row = session.get(FamilyContact, contact_id)
    if row is None or row.review_id != review.id:
        raise NotFound("That family contact isn't part of this review.")
    return row


def save_contact(session: Session, review: Review, actor: Actor, contact_id: int | None, raw: dict, *,
                 now: datetime, today: date) -> FamilyContact:
    authorize(session, review, actor, Operation.RECORD_FAMILY_CONTACT)
    row = contact_for(session, review, contact_id)
    values = validate_contact(raw, today=today, existing=row)
    if row is None:
        count = session.exec(select(func.count()).select_from(FamilyContact)
                             .where(FamilyContact.review_id == review.id)).one()
        if count >= MAX_CONTACTS:
            raise ValidationFailed({"relationship": f"A review can record at most {MAX_CONTACTS} contacts."})
        number = (session.exec(select(func.max(FamilyContact.number))
                               .where(FamilyContact.review_id == review.id)).one() or 0) + 1
        row = FamilyContact(review_id=review.id, number=number, updated_by=actor.user_id, updated_at=now, **values)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:   # another contact took that number a moment ago
            raise WorkflowError(text("Someone else added a contact to this review a moment ago. Open ",
                                     Command("family"), " again and add yours; nothing was saved.")) from None
        action = "family.contact_added"
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_by, row.updated_at = actor.user_id, now
        action = "family.contact_updated"
    session.add(row)
    session.flush()
    audit(session, actor.user_id, action, now, review.id, contact=row.number, relationship=row.relationship,
          advocacy_offered=row.advocacy_offered, meetings=len(row.meetings))
    return row


def interview(session: Session, review_id: int) -> PerpetratorInterview | None:
    return session.exec(select(PerpetratorInterview).where(PerpetratorInterview.review_id == review_id)).first()


def save_interview(session: Session, review: Review, actor: Actor, raw: dict, *, now: datetime,
                   today: date) -> PerpetratorInterview:
    authorize(session, review, actor, Operation.RECORD_FAMILY_CONTACT)
    errors = {}
    status, err = fields.choice(raw.get("status"), INTERVIEW, label="state of the interview")
    if err:
        errors["status"] = err
    on, err = fields.iso_date(raw.get("on"), label="date", required=status not in (None, "not_sought"))
    if err:
        errors["on"] = err
    _not_future(on, "date", today, errors, "on")
    if errors:
        raise ValidationFailed(errors)
    row = interview(session, review.id) or PerpetratorInterview(review_id=review.id, status=status,
                                                                updated_by=actor.user_id, updated_at=now)
    row.status, row.updated_by, row.updated_at = status, actor.user_id, now
    if status in ("requested", "held", "declined"):
        setattr(row, f"{status}_on", on)
    session.add(row)
    audit(session, actor.user_id, "family.interview_recorded", now, review.id, status=status,
          on=on.isoformat() if on else None)
    return row


def relationship_label(row: FamilyContact) -> str:
    return RELATIONSHIPS.get(row.relationship, row.relationship)


@dataclass(frozen=True)
class ContactLine:
    contact_id: int
    title: str          # "Contact 2: Mother (older sister)"
    facts: list[str]


def contact_lines(rows: list[FamilyContact]) -> list[ContactLine]:
    out = []
    for r in rows:
        note = f" ({r.relationship_note})" if r.relationship_note else ""
        title = f"Contact {r.number}: {relationship_label(r)}{note}"
        facts = [
            f"{LEAFLETS[r.leaflet]} sent {show_date(r.leaflet_sent_on)}" if r.leaflet and r.leaflet_sent_on
            else "No leaflet sent yet",
            ("Advocacy offered at first contact" + (f", {YES_NO_UNDECIDED[r.advocacy_accepted].lower()}"
                                                     if r.advocacy_accepted else "")
             if r.advocacy_offered else ":warning: Specialist advocacy not offered yet"),
            f"Wishes to take part: {YES_NO_UNDECIDED[r.wishes_to_take_part].lower()}" if r.wishes_to_take_part
            else "Wish to take part not yet known",
        ]
        if r.meetings:
            facts.append("Meetings: " + ", ".join(show_date(date.fromisoformat(m)) for m in r.meetings))
        if r.draft_shared_on:
            facts.append(f"Draft shared {show_date(r.draft_shared_on)}" + (
                f", comments received {show_date(r.comments_received_on)}" if r.comments_received_on else
                ", no comments yet"))
        out.append(ContactLine(r.id, title, facts))
    return out


def interview_line(row: PerpetratorInterview | None, word: str = "perpetrator") -> str:
    lead = f"{word.capitalize()} interview"
    if row is None:
        return f"{lead}: nothing recorded yet."
    dates = [f"{label.lower()} {show_date(d)}" for label, d in (("Requested", row.requested_on),
                                                                 ("Held", row.held_on),
                                                                 ("Declined", row.declined_on)) if d]
    return f"{lead}: {INTERVIEW[row.status].lower()}" + (f" ({', '.join(dates)})" if dates else "") + "."


def advocacy_warning(session: Session, review_id: int) -> str | None:
    """For the card: family contacts not yet offered specialist advocacy."""
    waiting = [r for r in contacts(session, review_id) if not r.advocacy_offered]
    if not waiting:
        return None
    who = ", ".join(f"contact {r.number} ({relationship_label(r).lower()})" for r in waiting[:10])
    return f"Specialist advocacy not yet offered to {who}."
