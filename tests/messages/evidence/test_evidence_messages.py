"""The evidence forms and messages on Slack's wire, as people have always seen them: each form asks
its spec's fields, the terms notices read as before, and the results keep their words and hints."""
from datetime import date

from bot.workflow.core.notices import TermsPosted, TermsToConfirm
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Mention, text
from bot.workflow.evidence import evidence_requests, family, family_steps, scoping_record, terms
from bot.workflow.evidence.evidence_requests import AgencyRequest, Requested
from bot.workflow.evidence.evidence_use_cases import (
    MarkFormData,
    RequestFormData,
    ScopingFormData,
    TermsFormData,
    TermsSaved,
)
from bot.workflow.evidence.family_use_cases import ContactFormData, InterviewFormData, StepFormData
from messages.evidence import evidence as msgs
from messages.render import render_notice
from messages.slack import render


def inputs(form) -> list[str]:
    return [b["block_id"] for b in render.modal(form)["blocks"] if b["type"] == "input"]


def test_each_form_asks_its_specs_fields_in_order():
    assert inputs(msgs.terms_form(TermsFormData(3, "DHR-1", [(1, "Police")], None, None, "A", []))) == [
        f.key for f in terms.TermsForm.fields()]
    assert inputs(msgs.request_form(RequestFormData(3, "DHR-1", [(1, "Police")], [1], "2027-01-05"))) == [
        f.key for f in evidence_requests.RequestForm.fields()]
    assert inputs(msgs.scoping_form(ScopingFormData(7, "DHR-1", "Police", None))) == [
        "victim", "perpetrator", "children"]
    assert inputs(msgs.mark_form(MarkFormData(3, "DHR-1", [(1, "Police: IMR (requested)")]))) == ["item", "status"]
    recorded = scoping_record.RecordedScoping(7, 3, "DHR-1", "Police", "Submitted", None, None)
    assert inputs(msgs.scoping_revise_form(recorded)) == [f.key for f in scoping_record.RevisionForm.fields()]
    assert inputs(msgs.contact_form(ContactFormData(3, "DHR-1", None))) == [f.key for f in family.ContactForm.fields()]
    assert inputs(msgs.step_form(StepFormData(3, "DHR-1", []))) == [
        f.key for f in family_steps.StepForm.fields() if f.key != "contact"]
    assert inputs(msgs.interview_form(InterviewFormData(3, "DHR-1", None, "perpetrator"))) == ["status", "on"]


def test_the_terms_form_without_agencies_says_how_to_add_them():
    view = render.modal(msgs.terms_form(TermsFormData(3, "DHR-1", [], None, None, "A", [])))
    assert view["blocks"][0]["text"]["text"] == ("No agencies are set up yet: a CSP admin adds them with "
                                                 "`/dhr agencies`; then run `/dhr tor` again.")


def test_the_terms_notices_read_as_before():
    dm = render_notice(TermsToConfirm(5, "DHR-1", 2, "1 Dec 2026", "C1", "U9"))
    assert dm["blocks"][0]["text"]["text"] == ("<@U9> recorded version 2 of the terms of reference of review DHR-1 "
                                               "as agreed on 1 Dec 2026. Please read them in <#C1> and confirm here.")
    assert dm["blocks"][1]["block_id"] == "confirm" and dm["blocks"][1]["elements"][0]["value"] == "5"
    post = render_notice(TermsPosted("U1", "DHR-1", 1, None, "1 Jan 2020 to 2 Feb 2025", ["Police & Probation"]))
    assert post["blocks"][0]["text"]["text"] == "<@U1> saved the terms of reference of *DHR-1*."
    assert post["blocks"][1]["fields"][1]["text"] == "*Version*\n1 (draft)"
    assert post["blocks"][2]["text"]["text"] == "*Agencies in scope*\n• Police &amp; Probation"


def test_the_results_keep_their_words_mentions_and_command_hints():
    saved = render.modal(msgs.terms_saved(TermsSaved("DHR-1", 2, True, 3, None)))
    assert saved["blocks"][0]["text"]["text"] == (
        ":white_check_mark: Version 2 of the terms of reference of *DHR-1* is saved as agreed. 3 members were asked "
        "to confirm they have read it; `/dhr tor` shows who has.")
    done = Requested("DHR-1", "C1", date(2026, 12, 14), [AgencyRequest(1, "Police", [(1, "scoping")], ["U2"]),
                                                         AgencyRequest(2, "NHS", [(2, "scoping")], [])])
    lines = render.modal(msgs.request_done(done))["blocks"][0]["text"]["text"].splitlines()
    assert lines[1] == "Agency leads told by DM: Police (<@U2>)"
    assert lines[2].startswith(":warning: *No agency lead yet* for NHS, so nobody there was told. Add one with "
                               "`/dhr panel`")
    readers = text("read by ", Mention(PersonRef("U3")))
    form = render.modal(msgs.terms_form(TermsFormData(3, "DHR-1", [(1, "Police")], None, readers, "A", [])))
    assert form["blocks"][1]["elements"][0]["text"] == "read by <@U3>"
