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
from bot.workflow.core.errors import NotFound, WorkflowError
from bot.workflow.core.form_spec import Field, FormSpec, Kind
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


class ContactForm(FormSpec):
    """A contact's answers are filled in when an existing one is updated."""

    relationship = Field("Relationship to the victim", Kind.SELECT, options=RELATIONSHIPS)
    relationship_note = Field("Describe the relationship", required=False, max_length=MAX_NOTE,
                              placeholder="e.g. older sister, victim's manager")
    leaflet = Field("Home Office leaflet sent", Kind.RADIO, required=False, options=LEAFLETS)
    leaflet_sent_on = Field("Date the leaflet was sent", Kind.DATE, required=False)
    advocacy_offered = Field("Specialist advocacy (e.g. AAFDA) offered at the first contact?", Kind.RADIO,
                             options=YES_NO)
    advocacy_accepted = Field("Advocacy accepted?", Kind.RADIO, required=False, options=YES_NO_UNDECIDED)
    wishes_to_take_part = Field("Do they wish to take part in the review?", Kind.RADIO, required=False,
                                options=YES_NO_UNDECIDED)
    meeting_on = Field("Add a meeting held on", Kind.DATE, required=False)
    draft_shared_on = Field("Date the draft report was shared with them", Kind.DATE, required=False)
    comments_received_on = Field("Date their comments were received", Kind.DATE, required=False)
    comments = Field("Their comments on the draft (summary)", Kind.MULTILINE, required=False, max_length=MAX_COMMENTS)


class InterviewForm(FormSpec):
    status = Field("Interview", Kind.RADIO, options=INTERVIEW)
    on = Field("Date (of the request, the interview or the refusal)", Kind.DATE, required=False)


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
    f, errors, out = ContactForm, {}, {}
    rel, err = fields.choice(f.relationship.of(raw), RELATIONSHIPS, label="relationship to the victim")
    errors.update({f.relationship.key: err} if err else {})
    note, err = fields.text(f.relationship_note.of(raw), label="description", max_len=MAX_NOTE, required=False)
    if err:
        errors[f.relationship_note.key] = err
    elif note and looks_like_a_name(note):
        errors[f.relationship_note.key] = ("Describe the relationship only (\u201colder sister\u201d, \u201cvictim's "
                                       "manager\u201d), never a name, place or date.")
    leaflet = f.leaflet.of(raw) or None
    if leaflet and leaflet not in LEAFLETS:
        errors[f.leaflet.key] = "Choose the leaflet from the list."
    sent_on, err = fields.iso_date(f.leaflet_sent_on.of(raw), label="date the leaflet was sent", required=False)
    if err:
        errors[f.leaflet_sent_on.key] = err
    _not_future(sent_on, "date the leaflet was sent", today, errors, f.leaflet_sent_on.key)
    if leaflet and not sent_on and f.leaflet_sent_on.key not in errors:
        errors[f.leaflet_sent_on.key] = "Give the date the leaflet was sent."
    if sent_on and not leaflet:
        errors[f.leaflet.key] = "Say which leaflet was sent."
    offered = f.advocacy_offered.of(raw)
    if offered not in YES_NO:
        errors[f.advocacy_offered.key] = ("Say whether specialist advocacy (for example AAFDA) was offered "
                                      "at the first contact.")
    accepted = f.advocacy_accepted.of(raw) or None
    if accepted and accepted not in YES_NO_UNDECIDED:
        errors[f.advocacy_accepted.key] = "Choose from the list."
    elif accepted and offered == "no":
        errors[f.advocacy_accepted.key] = "Advocacy was not offered, so it can't have been accepted or refused."
    wish = f.wishes_to_take_part.of(raw) or None
    if wish and wish not in YES_NO_UNDECIDED:
        errors[f.wishes_to_take_part.key] = "Choose from the list."
    meeting, err = fields.iso_date(f.meeting_on.of(raw), label="meeting date", required=False)
    if err:
        errors[f.meeting_on.key] = err
    _not_future(meeting, "meeting date", today, errors, f.meeting_on.key)
    shared, err = fields.iso_date(f.draft_shared_on.of(raw), label="date the draft was shared", required=False)
    if err:
        errors[f.draft_shared_on.key] = err
    _not_future(shared, "date the draft was shared", today, errors, f.draft_shared_on.key)
    received, err = fields.iso_date(f.comments_received_on.of(raw), label="date comments were received",
                                    required=False)
    if err:
        errors[f.comments_received_on.key] = err
    _not_future(received, "date comments were received", today, errors, f.comments_received_on.key)
    if received and not shared and f.comments_received_on.key not in errors:
        errors[f.comments_received_on.key] = "Record when the draft was shared first."
    elif received and shared and received < shared:
        errors[f.comments_received_on.key] = "Comments can't arrive before the draft was shared."
    comments, err = fields.text(f.comments.of(raw), label="comments", max_len=MAX_COMMENTS, required=False)
    if err:
        errors[f.comments.key] = err
    if errors:
        raise f.invalid(errors)
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
            raise ContactForm.invalid({ContactForm.relationship.key:
                                       f"A review can record at most {MAX_CONTACTS} contacts."})
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
    f, errors = InterviewForm, {}
    status, err = fields.choice(f.status.of(raw), INTERVIEW, label="state of the interview")
    if err:
        errors[f.status.key] = err
    on, err = fields.iso_date(f.on.of(raw), label="date", required=status not in (None, "not_sought"))
    if err:
        errors[f.on.key] = err
    _not_future(on, "date", today, errors, f.on.key)
    if errors:
        raise f.invalid(errors)
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
