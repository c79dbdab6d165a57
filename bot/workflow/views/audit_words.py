"""The audit log in words: what happened, with the item ("Requested chronology from Northshire
Police, due 12 Jan"), rather than the event code it is stored under.

Only what the entry's details hold, plus names looked up from ids (agencies, actions); no case
narrative is stored in the log, so none is shown. A code this module doesn't know yet still
reads as words.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from bot.workflow.clock.holds import ACTIVITIES
from bot.workflow.clock.timescales import DEADLINE_LABELS
from bot.workflow.core.permissions import Role
from bot.workflow.core.stages import Stage
from bot.workflow.evidence import family
from bot.workflow.evidence.evidence_items import Kind
from bot.workflow.intake import decision
from bot.workflow.report import report
from bot.workflow.report.report_check import KIND_LABELS
from storage.models import AuditEntry
from storage.panel import Agency
from storage.report import PlanAction, Recommendation


@dataclass
class Names:
    """What ids in the details stand for; `person` shows a person (the chat layer decides how)."""
    person: Callable[[str], str] = str
    agencies: dict[int, str] = field(default_factory=dict)
    actions: dict[int, str] = field(default_factory=dict)     # action id -> "1.2"

    def agency(self, agency_id) -> str:
        return self.agencies.get(agency_id, "an agency")

    def action(self, action_id) -> str:
        ref = self.actions.get(action_id)
        return f"action {ref}" if ref else "an action"


def names_for(session: Session, entries: list[AuditEntry], person: Callable[[str], str] = str) -> Names:
    agency_ids = {e.detail.get("agency_id") for e in entries} - {None}
    action_ids = {e.detail.get("action_id") for e in entries} - {None}
    agencies = dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids))).all()) \
        if agency_ids else {}
    actions = {}
    if action_ids:
        rows = session.exec(select(PlanAction.id, Recommendation.number, PlanAction.number)
                            .join(Recommendation, Recommendation.id == PlanAction.recommendation_id)
                            .where(PlanAction.id.in_(action_ids))).all()
        actions = {a_id: f"{rec}.{num}" for a_id, rec, num in rows}
    return Names(person, agencies, actions)


def describe(action: str, detail: dict, names: Names) -> str:
    """One entry as a sentence without its full stop; the actor is shown beside it."""
    d = detail or {}
    family_, _, what = action.partition(".")
    try:
        phrase = _PHRASES.get(action) or _FAMILIES.get(family_)
        text = phrase(d, names, what) if phrase else None
    except (KeyError, ValueError, TypeError):     # an older entry with other details: still words
        text = None
    return text or _fallback(action)


def _day(value) -> str:
    try:
        d = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{d.day} {d:%b %Y}"


def _kind(value) -> str:
    try:
        return Kind(value).phrase
    except ValueError:
        return str(value).replace("_", " ")


def _role(value) -> str:
    try:
        label = Role(value).label
    except ValueError:
        return str(value).replace("_", " ")
    return label if label[:3].isupper() else label.lower()


def _plural(n, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _fallback(action: str) -> str:
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _evidence(d, n, status) -> str:
    item = f"{_kind(d['kind'])} from {n.agency(d.get('agency_id'))}"
    if status == "requested":
        return f"Requested {item}, due {_day(d['due_on'])}"
    return {"submitted": f"Received {item}", "accepted": f"Accepted {item}",
            "returned": f"Returned {item} to the agency", "not_required": f"Marked {item} not required"}[status]


def _imr(d, n, status) -> str:
    whose = f"{n.agency(d.get('agency_id'))}'s IMR"
    if status == "upload_incomplete":
        return f"An upload of {whose} was missing {_plural(d['missing'], 'section')}"
    version = f"version {d['version']} of {whose}"
    return {"uploaded": f"Uploaded {version}", "submitted": f"Submitted {version}",
            "accepted": f"Accepted {version}", "returned": f"Returned {version} with comments"}[status]


def _report(d, n, key) -> str:
    if key == "checked":
        label = KIND_LABELS.get(d.get("kind"), "a draft")
        found = (d.get("terms") or 0) + (d.get("missing") or 0)
        said = "passed" if d.get("passed") else f"{found} finding{'s' if found != 1 else ''}"
        return f"Checked the {label}: {said}"
    step = report.STEPS[key]
    when = f" ({_day(d['on'])})" if d.get("on") else ""
    if key == "qa_outcome" and d.get("outcome") in report.QA_OUTCOMES:
        return f"Recorded the QA panel's outcome: {report.QA_OUTCOMES[d['outcome']].lower()}{when}"
    if key == "home_office_reply" and d.get("outcome") in report.HO_REPLIES:
        return f"Recorded: {report.HO_REPLIES[d['outcome']][:1].lower()}{report.HO_REPLIES[d['outcome']][1:]}{when}"
    if key == "send_for_sign_off":
        return "Sent the report for sign-off" + (f" (draft shared with the family {_day(d['on'])})"
                                                 if d.get("on") else "")
    anyway = " without a passing check of the drafts (the reason is on the card)" if d.get("without_check") else ""
    return f"Recorded: {step.done}{when}{anyway}"


def _plan(d, n, what) -> str:
    if what == "recommendation_added":
        return f"Added recommendation {d['number']} ({d['scope']})"
    act = n.action(d.get("action_id"))
    return {"action_added": lambda: f"Added {act}, owned by {n.person(d['owner'])}, target {_day(d['target_on'])}",
            "action_progress": lambda: f"Added a progress update to {act}",
            "action_completed": lambda: f"Marked {act} complete ({_day(d['completed_on'])})",
            "action_verified": lambda: f"Verified {act} as completed" + (
                " with the strategic action that answers it" if d.get("strategic_action_id") else ""),
            "action_linked": lambda: f"Added {act}, answered by a strategic action of the CSP",
            "action_followed": lambda: f"Changed {act} with the strategic action that answers it",
            "lesson_added": lambda: f"Recorded key lesson {d['number']}" + (
                f" ({_plural(len(d['themes']), 'theme')})" if d.get("themes") else ""),
            "themes_changed": lambda: f"Changed the themes of {d['item']}",
            "action_returned": lambda: f"Sent {act} back to its owner",
            "exported": lambda: "Exported the action plan"}[what]()


def _member(d, n, what) -> str:
    agency = f" for {n.agency(d['agency_id'])}" if d.get("agency_id") else ""
    return {"invited": lambda: f"Added {n.person(d['user'])} as {_role(d['role'])}{agency}",
            "role_changed": lambda: f"Changed a member's role from {_role(d['old_role'])} to "
                                    f"{_role(d['new_role'])}{agency}",
            "removed": lambda: f"Removed {n.person(d['user'])} ({_role(d['role'])}) from the review"}[what]()


def _terms(d, n, what) -> str:
    version = f"version {d['version']} of the terms of reference"
    if what == "saved":
        return f"Saved {version}" + (f", agreed {_day(d['agreed_on'])}" if d.get("agreed_on") else " as a draft")
    if what == "reminded":
        return f"Reminded {n.person(d['user'])} to confirm they have read {version}"
    if what == "confirmation_requested":
        return f"Asked {_plural(d['asked'], 'member')} to confirm they have read {version}"
    return f"Confirmed reading {version}"


def _chronology(d, n, what) -> str:
    return {"entry_added": lambda: f"Added chronology entry {d['entry_id']} for {n.agency(d.get('agency_id'))}",
            "entry_corrected": lambda: f"Corrected chronology entry {d['entry_id']} (version {d['version']})",
            "upload_checked": lambda: f"Checked a chronology upload: {_plural(d['valid_rows'], 'valid row')}, "
                                      f"{_plural(d['error_rows'], 'row')} with problems",
            "upload_imported": lambda: "Imported "
                                       f"{_plural(d['entries'], 'chronology entry', 'chronology entries')} "
                                       "from an upload",
            "exported": lambda: "Exported the combined chronology "
                                f"({_plural(d['entries'], 'entry', 'entries')})"}[what]()


def _family(d, n, what) -> str:
    if what == "interview_recorded":
        return f"Recorded the perpetrator interview: {family.INTERVIEW[d['status']].lower()}" + (
            f" ({_day(d['on'])})" if d.get("on") else "")
    relation = family.RELATIONSHIPS.get(d.get("relationship"), "contact").lower()
    verb = "Added" if what == "contact_added" else "Updated"
    return f"{verb} family contact {d['contact']} ({relation})"


OLD_PAUSE_KINDS = {"criminal_proceedings": "Criminal proceedings", "inquest": "Inquest", "iopc": "IOPC investigation",
                   "mental_health_review": "Mental health homicide review", "other": "Other parallel process"}


def _hold(d, n, what) -> str:
    activity = ACTIVITIES.get(d.get("activity"), str(d.get("activity")))
    if d.get("agency_id"):
        activity += f" ({n.agency(d['agency_id'])})"
    if what == "recorded":
        until = _day(d["until"]) if _is_iso_day(d.get("until")) else d.get("until")
        return (f"Held “{activity}”, agreed by {d['agreed_by']} on {_day(d['agreed_on'])}, "
                f"until {until}")
    return f"Lifted the hold on “{activity}”"


def _is_iso_day(value) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _review(d, n, what) -> str:
    return {"opened": lambda: f"Opened the review {d['reference']}",
            "channel_ready": lambda: "Set up the review's private space",
            "setup_failed": lambda: "Could not finish setting up the review's space "
                                    f"({str(d['error']).replace('_', ' ')})",
            # before holds replaced them (0020), a review was paused as a whole: the log keeps those entries
            "paused": lambda: f"Paused the review: {report.sentence_start(OLD_PAUSE_KINDS.get(d['kind'], d['kind']))}",
            "resumed": lambda: f"Resumed the review after {_plural(d['paused_days'], 'day')} paused",
            "concluded": lambda: f"Concluded the review; its records are kept until {_day(d['retain_until'])}"}[what]()


def _flagged_file(d) -> str:
    done = "the bot removed it" if d.get("deleted") else "they were asked to delete it"
    return f"Shared a file with a term from the redaction list in {d['where']}; {done}"


def _undeliverable(d, n) -> str:
    whom = n.person(d["recipient"]) if d.get("recipient_kind") == "user" else "the review's space"
    reason = str(d.get("reason") or "refused").replace("_", " ")
    to = ", ".join(n.person(u) for u in d.get("handed_to") or [])
    return (f"Could not deliver {_plural(d['reminders'], 'reminder')} to {whom} ({reason}); "
            + (f"sent on to {to}" if to else "nobody else could be reached"))


_FAMILIES = {"evidence": _evidence, "imr": _imr, "report": _report, "plan": _plan, "member": _member,
             "terms": _terms, "chronology": _chronology, "family": _family, "review": _review, "hold": _hold}
_PHRASES = {
    "guide.approved": lambda d, n, _: "Approved the one-minute guide for sharing",
    "decision.recorded": lambda d, n, _: f"Recorded the decision: {decision.OUTCOMES[d['outcome']].lower()} "
                                         f"(decided {_day(d['decided_on'])})",
    "stage.moved": lambda d, n, _: f"The review moved to \u201c{Stage(d['to']).label}\u201d",
    "scoping.answered": lambda d, n, _: f"{n.agency(d.get('agency_id'))} answered the scoping questions",
    "agreement.agreed": lambda d, n, _: "Agreed to the confidentiality statement",
    "agreement.declined": lambda d, n, _: "Declined the confidentiality statement",
    "deadline.extended": lambda d, n, _: f"Recorded an agreed new date for \u201c"
                                         f"{DEADLINE_LABELS.get(d['deadline'], d['deadline'])}\u201d: "
                                         f"{_day(d['new_due'])} (was {_day(d['previous_due'])})"
                                         + (f", agreed by {d['agreed_by']} on {_day(d['agreed_on'])}"
                                            if d.get("agreed_on") else ""),
    "file.redacted_term_shared": lambda d, n, _: _flagged_file(d),
    "reminder.undeliverable": lambda d, n, _: _undeliverable(d, n),
    "review.content_deleted": lambda d, n, _: "Deleted the review's content at the end of its retention period, "
                                              "keeping the reference, dates, stage history and audit log",
    "redaction.added": lambda d, n, _: f"Added a {str(d['kind']).replace('_', ' ')} to the redaction list",
    "audit.exported": lambda d, n, _: f"Exported the audit log ({_plural(d['rows'], 'entry', 'entries')})",
}
