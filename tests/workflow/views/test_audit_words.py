"""Every event the bot audits reads as words with its item, never as its code."""
import pytest

from bot.workflow.views.audit_words import Names, describe

NAMES = Names(person=lambda u: f"@{u}", agencies={7: "Northshire Police"}, actions={3: "1.2"})
# (code, details) as the workflow stores them
EVENTS = [
    ("review.opened", {"reference": "DHR-2026-01"}), ("review.channel_ready", {"channel": "C1"}),
    ("review.setup_failed", {"error": "name_taken"}),
    ("decision.recorded", {"outcome": "review", "decided_on": "2026-01-05"}),
    ("member.invited", {"user": "U1", "role": "agency_lead", "agency_id": 7}),
    ("member.role_changed", {"membership": 1, "old_role": "panel_member", "new_role": "chair", "agency_id": None}),
    ("member.removed", {"user": "U1", "role": "imr_author"}),
    ("agreement.agreed", {"membership": 1}), ("agreement.declined", {"membership": 1}),
    ("terms.saved", {"version": 2, "agreed_on": "2026-02-01"}),
    ("terms.confirmation_requested", {"version": 2, "asked": 3}), ("terms.confirmed", {"version": 2}),
    ("terms.reminded", {"version": 2, "user": "U2"}),
    ("stage.moved", {"transition": "start_drafting", "to": "drafting"}),
    ("evidence.requested", {"agency_id": 7, "kind": "chronology", "due_on": "2027-01-12"}),
    ("evidence.submitted", {"agency_id": 7, "kind": "imr"}), ("evidence.accepted", {"agency_id": 7, "kind": "scoping"}),
    ("evidence.returned", {"agency_id": 7, "kind": "short_report"}),
    ("evidence.not_required", {"agency_id": 7, "kind": "imr"}),
    ("scoping.answered", {"agency_id": 7, "victim": True, "perpetrator": False, "children": False}),
    ("chronology.entry_added", {"entry_id": 4, "agency_id": 7}),
    ("chronology.entry_corrected", {"entry_id": 4, "version": 2}),
    ("chronology.upload_checked", {"upload_id": 1, "valid_rows": 10, "error_rows": 1}),
    ("chronology.upload_imported", {"upload_id": 1, "entries": 10}), ("chronology.exported", {"entries": 1}),
    ("imr.upload_incomplete", {"agency_id": 7, "missing": 2}), ("imr.uploaded", {"agency_id": 7, "version": 1}),
    ("imr.submitted", {"agency_id": 7, "version": 1}), ("imr.accepted", {"agency_id": 7, "version": 1}),
    ("imr.returned", {"agency_id": 7, "version": 1}),
    ("family.contact_added", {"contact": 1, "relationship": "mother"}),
    ("family.contact_updated", {"contact": 1, "relationship": "employer"}),
    ("family.interview_recorded", {"status": "held", "on": "2026-03-01"}),
    ("report.panel_sign_off", {"on": "2026-04-01", "outcome": None, "round": 1}),
    ("report.send_for_sign_off", {"on": None, "outcome": None, "round": 1}),
    ("report.qa_outcome", {"on": "2026-05-01", "outcome": "revise_and_resubmit", "round": 1}),
    ("report.home_office_reply", {"on": "2026-05-01", "outcome": "accepted", "round": 1}),
    ("plan.recommendation_added", {"number": 1, "scope": "local"}),
    ("plan.action_added", {"action_id": 3, "owner": "U3", "target_on": "2026-09-01"}),
    ("plan.action_progress", {"action_id": 3}),
    ("plan.action_completed", {"action_id": 3, "completed_on": "2026-08-01"}),
    ("plan.action_verified", {"action_id": 3}), ("plan.action_returned", {"action_id": 3}),
    ("plan.exported", {"rows": 2}),
    ("review.paused", {"kind": "iopc", "started_on": "2026-02-01"}),
    ("review.resumed", {"paused_days": 1, "started_on": "2026-02-01", "ended_on": "2026-02-02"}),
    ("deadline.extended", {"deadline": "overview_report", "previous_due": "2026-07-05", "new_due": "2026-09-05"}),
    ("hold.recorded", {"activity": "agency_evidence", "agency_id": 7, "agreed_by": "the CPS",
                       "agreed_on": "2026-02-01", "until": "the end of the trial"}),
    ("hold.lifted", {"activity": "publication", "agency_id": 0, "agreed_on": "2026-02-01", "lifted_on": "2026-03-01"}),
    ("review.concluded", {"reminders_stopped": 0, "retain_until": "2032-10-01"}),
    ("redaction.added", {"kind": "name"}), ("audit.exported", {"rows": 1}),
    ("file.redacted_term_shared", {"file_id": "F1", "where": "its name and row 2", "deleted": False}),
    ("reminder.undeliverable", {"recipient": "U1", "recipient_kind": "user", "reason": "user_not_found",
                                "handed_to": ["U2"], "reminders": 2}),
    ("reminder.undeliverable", {"recipient": "C1", "recipient_kind": "channel", "reason": "is_archived",
                                "handed_to": [], "reminders": 1}),
    ("review.content_deleted", {"reference": "DHR-2026-01", "retain_until": "2032-10-01", "rows": 40}),
]


# The drafts' check and the one-minute guide (kept apart: the tests below name events by position)
DRAFTS = [
    ("report.checked", {"kind": "overview_report", "passed": False, "terms": 1, "missing": 0, "warnings": 0}),
    ("report.submit", {"on": "2026-06-01", "outcome": None, "round": 1, "without_check": True}),
    ("guide.approved", {"sha256": "ab" * 32}),
]


@pytest.mark.parametrize("code,detail", EVENTS + DRAFTS, ids=[c for c, _ in EVENTS + DRAFTS])
def test_each_event_reads_as_words(code, detail):
    words = describe(code, detail, NAMES)
    assert code not in words and "_" not in words and words[:1].isupper(), words


def event(code: str) -> tuple[str, dict]:
    return next(e for e in EVENTS if e[0] == code)


def test_the_item_is_named():
    assert describe("evidence.requested", EVENTS[14][1], NAMES) == \
        "Requested chronology from Northshire Police, due 12 Jan 2027"
    assert describe("plan.action_added", EVENTS[38][1], NAMES) == "Added action 1.2, owned by @U3, target 1 Sep 2026"
    assert "IMR" in describe("evidence.submitted", {"agency_id": 7, "kind": "imr"}, NAMES)
    assert "IOPC" in describe("review.paused", {"kind": "iopc"}, NAMES)     # entries from before holds
    held = event("hold.recorded")
    assert describe(*held, NAMES) == ("Held \u201cOne agency's chronology and IMR (Northshire Police)\u201d, "
                                      "agreed by the CPS on 1 Feb 2026, until the end of the trial")
    assert describe(held[0], {**held[1], "until": "2026-06-30"}, NAMES).endswith("until 30 Jun 2026")
    assert describe(*event("hold.lifted"), NAMES) == "Lifted the hold on \u201cPublication of the report\u201d"
    agreed = {**event("deadline.extended")[1], "agreed_by": "the CSP chair", "agreed_on": "2026-06-01"}
    assert describe("deadline.extended", agreed, NAMES).endswith("agreed by the CSP chair on 1 Jun 2026")
    assert describe(*EVENTS[-3], NAMES) == "Could not deliver 2 reminders to @U1 (user not found); sent on to @U2"
    assert describe(*EVENTS[-2], NAMES) == ("Could not deliver 1 reminder to the review's space (is archived); "
                                            "nobody else could be reached")


def test_an_unknown_or_older_entry_still_reads_as_words():
    assert describe("file.flagged", {}, NAMES) == "File flagged"
    assert describe("evidence.requested", {}, NAMES) == "Evidence requested"


def test_learning_entries_read_as_words():
    names = Names(actions={7: "1.2"})
    assert describe("plan.lesson_added", {"number": 2, "themes": ["marac", "suicide"]}, names) == \
        "Recorded key lesson 2 (2 themes)"
    assert describe("plan.themes_changed", {"item": "recommendation 1", "themes": []}, names) == \
        "Changed the themes of recommendation 1"
    assert describe("plan.action_linked", {"action_id": 7, "strategic_action_id": 1}, names) == \
        "Added action 1.2, answered by a strategic action of the CSP"
    assert describe("plan.action_verified", {"action_id": 7, "strategic_action_id": 1}, names) == \
        "Verified action 1.2 as completed with the strategic action that answers it"
    assert describe("plan.action_followed", {"action_id": 7, "strategic_action_id": 1}, names) == \
        "Changed action 1.2 with the strategic action that answers it"


def test_the_drafts_check_and_a_submission_without_it_are_said():
    assert describe(*DRAFTS[0], NAMES) == "Checked the overview report: 1 finding"
    assert "without a passing check" in describe(*DRAFTS[1], NAMES)
