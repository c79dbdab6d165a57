"""The chronology's, the IMR's and shared files' forms and messages on Slack's wire, as people have
always seen them (typed text escaped)."""
from datetime import date
from types import SimpleNamespace

from bot.workflow.core.text import Command, text
from bot.workflow.evidence.chronology import CorrectionForm, EntryForm, Imported
from bot.workflow.evidence.chronology_rows import FileCheck, RowError
from bot.workflow.evidence.chronology_use_cases import EntryFormData, _initial
from bot.workflow.evidence.file_notices import (
    EntrySaved,
    ImrReady,
    ImrReturned,
    ImrSubmitted,
    TermInFile,
    TermInFileShared,
    UploadChecked,
)
from bot.workflow.evidence.imr import DeclarationsForm
from bot.workflow.evidence.imr_use_cases import VersionForm
from messages.evidence import chronology as msgs
from messages.evidence import imr
from messages.render import render_notice
from messages.slack import render

PERIOD = (date(2025, 1, 1), date(2025, 12, 31))


def inputs(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def test_the_entry_form_asks_the_columns_and_chooses_an_agency_only_among_several():
    one = render.modal(msgs.entry_form(EntryFormData(7, "DHR-1", {3: "Police"}, PERIOD)))
    assert one["callback_id"] == "dhr.chronology.entry" and one["submit"]["text"] == "Add"
    assert inputs(one) == ["date", "time", "source", "subject", "event", "action", "comment", "outside_reason"]
    assert one["blocks"][0]["text"]["text"] == ("*DHR-1*: one entry of the chronology. Scoping period: "
                                                "01 Jan 2025 to 31 Dec 2025. Pseudonyms only.")
    assert one["private_metadata"] == '{"review_id": 7, "agency": "3"}'
    several = msgs.entry_form(EntryFormData(7, "DHR-1", {3: "Police", 4: "Health"}, None))
    assert several.keys == EntryForm.keys()


def test_a_correction_leaves_out_what_holds_a_registered_term_and_asks_why():
    entry = SimpleNamespace(date_start=date(2025, 3, 1), date_precision="month", time="14:30", source="GP notes",
                            subject="Adult A", event="Visit by Hollis", action=None, comment=None,
                            outside_reason=None, agency_id=4)
    initial, blanked = _initial(entry, lambda t: "Hollis" in t)
    view = render.modal(msgs.entry_form(EntryFormData(7, "DHR-1", {3: "Police", 4: "Health"}, PERIOD, 9, 4,
                                                      initial, blanked)))
    assert view["callback_id"] == "dhr.chronology.correct" and set(inputs(view)) == CorrectionForm.keys()
    assert "Some fields held a term on the redaction list" in view["blocks"][1]["text"]["text"]
    by_id = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert by_id["date"]["initial_value"] == "2025-03" and "initial_value" not in by_id["event"]
    assert by_id["agency"]["initial_option"]["value"] == "4"
    assert '"entry_id": 9' in view["private_metadata"]


def test_the_entry_dm_and_the_import_answer():
    dm = render_notice(EntrySaved("DHR-1", 9, 2))
    assert dm["text"] == "Chronology entry #9 corrected (version 2; earlier versions are kept)"
    assert dm["blocks"][1]["elements"][0]["action_id"] == "dhr.chronology.open_correct"
    said = render_notice(Imported("DHR-1", None, 3, 4, 6))["text"]
    assert said == (":white_check_mark: Imported 3 chronology entries into DHR-1 (#4–#6). To correct one: "
                    "`/dhr chronology correct &lt;number&gt;` in the review channel.")


def test_the_upload_report_lists_errors_with_command_hints_and_offers_import_only_for_valid_rows():
    hint = text("Not an agency of this review: use the agency's name as listed by ", Command("agencies"), ".")
    check = FileCheck(rows=[(3, None)], errors=[RowError(2, "Agency", hint)], data_rows=2)
    message = render_notice(UploadChecked("DHR-1", check, 5, False))
    assert "• Row 2, Agency: Not an agency of this review: use the agency's name as listed by `/dhr agencies`." in [
        b.get("text", {}).get("text") for b in message["blocks"]]
    assert message["blocks"][-1]["elements"][0] == {"type": "button", "action_id": "dhr.chronology.import",
                                                    "value": "5", "style": "primary",
                                                    "text": {"type": "plain_text", "text": "Import 1 valid row",
                                                             "emoji": True}}
    assert "dhr.chronology.import" not in str(render_notice(UploadChecked("DHR-1", FileCheck(), None, False)))
    assert b"`/dhr agencies`" in msgs.error_report_csv(check, render.field_error)


def test_the_imr_forms_and_the_chairs_notice():
    form = render.modal(imr.declarations_form(VersionForm(4, "DHR-1", "Police & Co", 2), "2026-01-02"))
    assert inputs(form) == ["declarations", "senior_manager", "feedback_held", "feedback_on"]
    assert set(inputs(form)) == DeclarationsForm.keys() and form["private_metadata"] == '{"version_id": 4}'
    assert form["blocks"][0]["text"]["text"] == "*DHR-1*: IMR version 2 for *Police &amp; Co*."
    posted = render_notice(ImrSubmitted("DHR-1", "Police", 2, 4, "U1"))
    assert posted["blocks"][0]["text"]["text"] == ":inbox_tray: <@U1> submitted *Police*'s IMR, version 2, for DHR-1."
    assert [e["action_id"] for e in posted["blocks"][1]["elements"]] == ["dhr.imr.accept", "dhr.imr.open_return"]
    ready = render_notice(ImrReady("DHR-1", 4, 2))
    assert ready["blocks"][1]["elements"][0]["action_id"] == "dhr.imr.open_declare"


def test_returned_comments_are_quoted_line_by_line_and_cannot_forge_a_mention():
    said = render_notice(ImrReturned("DHR-1", "Police", 1, "U2", "Look again\n<!channel> at MARAC"))
    assert [b["text"]["text"] for b in said["blocks"]] == [
        ":leftwards_arrow_with_hook: <@U2> returned *Police*'s IMR version 1 for DHR-1 with comments:",
        ">Look again\n>&lt;!channel&gt; at MARAC"]
    assert said["text"] == "DHR-1: Police's IMR version 1 returned with comments"


def test_a_flagged_file_is_described_by_where_the_term_is():
    uploader = render_notice(TermInFile("DHR-1", "its name", False, False, True))
    assert "*Please delete it now*: everyone in the channel can open it." in uploader["blocks"][1]["text"]["text"]
    told = render_notice(TermInFileShared("DHR-1", "U1", "C9", "row 2", True))
    assert told["blocks"][0]["text"]["text"] == (":warning: *DHR-1*: <@U1> shared a file in <#C9> that contains a "
                                                 "term on the redaction list, in row 2. I have deleted it. It is "
                                                 "recorded in the audit log.")
