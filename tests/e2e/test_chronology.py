"""The chronology end to end: the entry form, corrections, uploads with their report, the export."""
import io
import threading

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from storage.chronology import ChronologyEntryVersion, ChronologyUpload
from storage.evidence import EvidenceItem
from storage.models import AuditEntry
from tests.e2e import panel_steps
from tests.e2e.chronology_steps import (
    HEADER,
    HEALTH_AGENCY,
    POLICE_AGENCY,
    add_entry,
    bot_dm_count,
    csv_file,
    dm_reply,
    entries,
    ephemeral_reply,
    ready_review,
    review_id,
    text_of,
)
from tests.e2e.driver import AUTHOR, CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, POLICE, InputRefused, NotShown
from tests.e2e.journey import open_view, wait

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def review(driver):
    general = driver.add_space("general-chronology", [COORDINATOR, CHAIR, OUTSIDER, POLICE, HEALTH])
    return ready_review(driver, general)


def test_an_agency_lead_adds_an_entry_with_an_approximate_date_and_it_is_encrypted(driver, review):
    reference, channel = review
    before = bot_dm_count(driver, POLICE)
    view, response = add_entry(driver, POLICE, channel, {
        "date": "March 2025", "time": "", "source": "Custody record", "subject": "Adult B",
        "event": "Arrested after a call from a neighbour", "action": "Released on bail", "comment": ""})
    assert response.kind == "closed", response.pair()
    assert "Agency*: Northshire Police" in view.text   # a lead's own agency, nobody else's
    reply = dm_reply(driver, POLICE, before)
    assert "Chronology entry #" in text_of(reply) and "added" in text_of(reply)
    entry = entries(driver, reference)[-1]
    assert (entry.date_start.isoformat(), entry.date_precision, entry.source) == ("2025-03-01", "month", "Custody record")
    with driver.db.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT narrative FROM chronologyentry WHERE id = ?" if "sqlite" in driver.db.url else
                                   "SELECT narrative FROM chronologyentry WHERE id = %s", (entry.id,)).scalar()
    assert "neighbour" not in raw
    with driver.db.session() as s:
        cell = s.exec(select(EvidenceItem).where(EvidenceItem.review_id == review_id(driver, reference),
                                                 EvidenceItem.kind == "chronology")).one()
    assert cell.status == "submitted"


def test_the_form_refuses_an_unreadable_date_and_a_missing_source_inline(driver, review):
    _, channel = review
    view, response = add_entry(driver, POLICE, channel, {"date": "sometime in spring", "source": "Log",
                                                      "event": "Call to 999"})
    assert "Not a date I can read" in response.errors["date"]
    with pytest.raises(InputRefused):   # the person's client itself insists on the required source
        add_entry(driver, POLICE, channel, {"date": "2025", "source": "", "event": "Call to 999"})
    view, response = add_entry(driver, POLICE, channel, {"date": "2025", "source": " ", "event": "Call to 999"})
    assert "source of information" in response.errors["source"]


def test_a_correction_keeps_every_version_and_is_audited(driver, review):
    reference, channel = review
    _view, _ = add_entry(driver, HEALTH, channel, {"date": "2025-04-02", "time": "9:05", "source": "GP notes",
                                                "event": "Consultation about low mood"})
    entry = wait(lambda: [e for e in entries(driver, reference) if e.source == "GP notes"] or None)[-1]
    driver.command(HEALTH, f"chronology correct {entry.id}", space=channel)
    view = open_view(driver, HEALTH, "dhr.chronology.correct")
    assert "Consultation about low mood" in view.all_text
    response = view.submit({"date": "2025-04-03", "time": "09:05", "source": "GP notes",
                                                       "event": "Consultation about low mood and sleep",
                                                       "change_reason": "Date misread from the notes"})
    assert response.kind == "closed", response.pair()
    with driver.db.session() as s:
        rows = s.exec(select(ChronologyEntryVersion).where(ChronologyEntryVersion.entry_id == entry.id)
                      .order_by(ChronologyEntryVersion.version)).all()
        audited = s.exec(select(AuditEntry).where(AuditEntry.action == "chronology.entry_corrected")).all()
    assert [(r.version, r.date_start.isoformat(), r.event) for r in rows] == [
        (1, "2025-04-02", "Consultation about low mood"), (2, "2025-04-03", "Consultation about low mood and sleep")]
    assert rows[1].change_reason == "Date misread from the notes" and audited


def test_the_coordinator_may_correct_any_agencys_entry(driver, review):
    reference, channel = review
    add_entry(driver, HEALTH, channel, {"date": "2025-04-05", "source": "Walk-in centre", "event": "Seen for a cut"})
    entry = wait(lambda: [e for e in entries(driver, reference) if e.source == "Walk-in centre"] or None)[-1]
    driver.command(COORDINATOR, f"chronology correct #{entry.id}", space=channel)
    view = open_view(driver, COORDINATOR, "dhr.chronology.correct")
    agency = view.field("agency")
    assert dict((v, k) for k, v in agency.options)[agency.initial] == HEALTH_AGENCY and len(agency.options) == 2


def test_an_imr_author_has_no_chronology_rights_for_their_agency(driver, review):
    _, channel = review
    driver.command(AUTHOR, "chronology add", space=channel)
    assert "Only the review's coordinator, chair or agency leads can submit" in open_view(driver, AUTHOR).text


def test_another_agencys_lead_cannot_correct_an_entry(driver, review):
    reference, channel = review
    add_entry(driver, POLICE, channel, {"date": "2025-05", "source": "Stop record", "event": "Stop and search"})
    police_entry = wait(lambda: [e for e in entries(driver, reference) if e.source == "Stop record"] or None)[-1]
    driver.command(HEALTH, f"chronology correct {police_entry.id}", space=channel)
    assert "only submit an agency's scoping answer or chronology for your own agency" in open_view(driver, HEALTH).text


def upload(driver, user, space, name, content):
    """A person shares a file in a space, or in their DM with the bot (space=None)."""
    return driver.share_file(user, name, content, space=space)


def evidence_place(driver, space):
    """Where a lead shares a chronology: the review's space where the bot reads files there, else its DM."""
    return space if driver.files_in_spaces else None


def test_an_upload_is_checked_row_by_row_and_imported_only_when_the_lead_confirms(driver, review):
    reference, channel = review
    before_entries, before = len(entries(driver, reference)), len(driver.ephemerals(POLICE, channel))
    content = csv_file([
        ["2025-05-01", "10:00", POLICE_AGENCY, "Incident log", "Adult A", "=HYPERLINK(\"http://x\")", "", ""],
        ["31/02/2025", "", POLICE_AGENCY, "Incident log", "Adult A", "Call", "", ""],          # no such date
        ["2025-04-01", "25:00", "", "Incident log", "Adult A", "Call", "", ""],                # bad time
        ["2025-03", "", HEALTH_AGENCY, "Incident log", "Adult A", "Call", "", ""],             # not their agency
        ["2024-12-24", "", "", "", "Adult A", "Call", "", ""],                                 # no source
        ["2024", "", "", "Incident log", "Adult A", "Earlier call", "", ""],                   # out of order: warn
    ])
    upload(driver, POLICE, evidence_place(driver, channel), "police-chronology.csv", content)
    report = ephemeral_reply(driver, channel, POLICE, before)
    text = text_of(report)
    assert "6 row(s), *2 valid*, 4 with errors" in text
    assert "Row 3, Date: Not a date I can read" in text and "Row 4, Time" in text
    assert "Row 5, Agency: You can only submit your own agency's entries" in text
    assert "Row 6, Source of information" in text and "Row(s) 7 are dated earlier" in text
    assert len(entries(driver, reference)) == before_entries   # nothing imported yet
    assert not [m for m in driver.messages(channel) if "row(s)" in m.preview]   # not echoed to the space

    driver.press(POLICE, report, "dhr.chronology.import")
    wait(lambda: len(entries(driver, reference)) == before_entries + 2, what="import")
    imported = entries(driver, reference)[-2:]
    assert imported[0].event == "=HYPERLINK(\"http://x\")"   # stored as text
    done = wait(lambda: "Imported 2 chronology entries" in (m := driver.reread(report)).preview and m,
                what="the report replaced")
    with pytest.raises(NotShown):   # the button is gone, so the same rows can't be imported twice
        driver.press(POLICE, done, "dhr.chronology.import")


def test_an_xlsx_upload_in_the_dm_with_a_formula_cell_and_a_date_cell(driver, review):
    reference, _ = review
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    from datetime import date
    sheet.append([date(2025, 6, 1), "08:15", "", "Response log", "Adult A", "Welfare check", "=1+1", "@risk"])
    out = io.BytesIO()
    book.save(out)
    before = bot_dm_count(driver, POLICE)
    upload(driver, POLICE, None, "log.xlsx", out.getvalue())
    report = dm_reply(driver, POLICE, before)
    assert "1 row(s), *1 valid*" in text_of(report)
    driver.press(POLICE, report, "dhr.chronology.import")
    wait(lambda: any(e.source == "Response log" for e in entries(driver, reference)), what="xlsx import")


@pytest.mark.parametrize("name, content, expected", [
    ("chronology.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "not a CSV file"),
    ("chronology.csv", b"When,What\n2025,call\n", "missing “Date”"),
    ("chronology.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
    ("notes.pdf", b"%PDF-1.4", "none of these"),
])
def test_files_that_cannot_be_used_are_refused_with_a_reason(driver, review, name, content, expected):
    reference, _ = review
    before, before_uploads = bot_dm_count(driver, POLICE), _uploads(driver)
    upload(driver, POLICE, None, name, content)
    assert expected in text_of(dm_reply(driver, POLICE, before))
    assert _uploads(driver) == before_uploads


def _uploads(driver) -> int:
    with driver.db.session() as s:
        return len(s.exec(select(ChronologyUpload)).all())


def test_a_30_mb_file_is_refused_before_it_is_downloaded(driver, review):
    before, downloads = bot_dm_count(driver, POLICE), len(driver.reads())
    upload(driver, POLICE, None, "huge.csv", b"x" * (30 * 1024 * 1024))
    assert "30.0 MB" in text_of(dm_reply(driver, POLICE, before))
    assert len(driver.reads()) == downloads


def test_a_file_of_100000_rows_is_refused_with_the_limit(driver, review):
    rows = [["2025-01-01", "", "", "Log", "", "x", "", ""]] * 100_000
    before = bot_dm_count(driver, POLICE)
    upload(driver, POLICE, None, "big.csv", csv_file(rows))
    assert "more than 20,000 rows" in text_of(dm_reply(driver, POLICE, before, what="the row limit"))


def test_a_long_error_report_is_summarised_and_sent_in_full_as_a_file(driver, review):
    reference, _ = review
    before, files_before = bot_dm_count(driver, POLICE), len(driver.shared_files())
    upload(driver, POLICE, None, "bad.csv", csv_file([["not a date", "", "", "Log", "", "x", "", ""]] * 60))
    report = text_of(dm_reply(driver, POLICE, before))
    assert "…and 40 more error(s): the full report is in the file" in report and len(report) < 4000
    sent = wait(lambda: [f for f in driver.shared_files()[files_before:] if "errors" in f.name] or None)
    assert sent[0].name.startswith(f"{reference}-chronology-errors-") and sent[0].content.count(b"\n") == 61


def test_an_upload_from_outside_the_review_is_refused_and_nothing_is_kept(driver, review):
    _, channel = review
    before, uploads, in_channel = bot_dm_count(driver, OUTSIDER), _uploads(driver), len(driver.messages(channel))
    file_id = upload(driver, OUTSIDER, None, "chronology.csv", csv_file([["2025", "", "", "Log", "", "x", "", ""]]))
    assert "I read chronologies and IMRs only from" in text_of(dm_reply(driver, OUTSIDER, before))
    assert _uploads(driver) == uploads and len(driver.messages(channel)) == in_channel
    assert file_id not in driver.reads()   # never even read


def test_a_panel_member_without_an_agency_role_is_refused_only_to_themselves(driver, review):
    reference, channel = review
    panel_steps.join(driver, channel, OBSERVER, "observer", by=COORDINATOR)
    before, in_channel = len(driver.ephemerals(OBSERVER, channel)), len(driver.messages(channel))
    upload(driver, OBSERVER, evidence_place(driver, channel), "chronology.csv",
           csv_file([["2025", "", "", "Log", "", "x", "", ""]]))
    refusal = text_of(ephemeral_reply(driver, channel, OBSERVER, before))
    assert "Only the review's coordinator, chair or agency leads can submit" in refusal
    if driver.files_in_spaces:
        first = driver.messages(channel)[in_channel:][0]
        assert first.author == driver.person(OBSERVER) and first.files == ["chronology.csv"]   # only their own upload
    assert not [m for m in driver.messages(channel)[in_channel:] if m.author_is_bot]   # nothing said in the space


def test_two_leads_importing_at_once_both_land_complete(driver, review):
    reference, channel = review
    reports = []
    for user, agency in ((POLICE, POLICE_AGENCY), (HEALTH, HEALTH_AGENCY)):
        before = bot_dm_count(driver, user)
        rows = [[f"2025-07-{d:02d}", "", agency, "Log", "", f"{agency} event {d}", "", ""] for d in range(1, 31)]
        upload(driver, user, None, "mine.csv", csv_file(rows))
        reports.append((user, dm_reply(driver, user, before)))
    before_entries = len(entries(driver, reference))
    def press(user, message):
        try:
            driver.press(user, message, "dhr.chronology.import")
        except NotShown:   # the first press already replaced the message
            pass
    threads = [threading.Thread(target=press, args=(user, r)) for user, r in reports for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait(lambda: len(entries(driver, reference)) >= before_entries + 60, what="both imports")
    assert len(entries(driver, reference)) == before_entries + 60   # double clicks imported nothing twice


def test_the_export_merges_sorts_marks_and_neutralises(driver, review):
    reference, channel = review
    add_entry(driver, POLICE, channel, {"date": "March 2025", "source": "Custody record", "event": "Arrest"})
    add_entry(driver, HEALTH, channel, {"date": "2025-04-03", "time": "09:05", "source": "GP notes",
                                     "event": "Consultation"})
    before = bot_dm_count(driver, POLICE)
    upload(driver, POLICE, None, "x.csv", csv_file([["2024", "", "", "Log", "", "=HYPERLINK(\"http://x\")", "", ""]]))
    report = dm_reply(driver, POLICE, before)
    count = len(entries(driver, reference))
    driver.press(POLICE, report, "dhr.chronology.import")
    wait(lambda: len(entries(driver, reference)) > count, what="import")
    files_before = len(driver.shared_files())
    driver.command(CHAIR, "chronology", space=channel)
    sent = wait(lambda: driver.shared_files()[files_before:][:2] if len(driver.shared_files()[files_before:]) >= 2
                else None, what="two exports")
    names = sorted(f.name for f in sent)
    assert names[0].startswith(f"{reference}-chronology-") and names[0].endswith(".csv")
    to = channel if driver.files_in_spaces else driver.dm(CHAIR)   # Teams: to the one who asked, never the group
    assert names[1].endswith(".xlsx") and all(f.spaces == [to] for f in sent)
    csv_text = next(f for f in sent if f.name.endswith(".csv")).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(HEADER).replace("Event / contact", "Event / contact")
    assert "2025-03 (month)" in csv_text and "2024 (year)" in csv_text
    assert "'=HYPERLINK" in csv_text and "\n=" not in csv_text
    book = load_workbook(io.BytesIO(next(f for f in sent if f.name.endswith(".xlsx")).content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    dates = [r[0] for r in rows[1:]]
    assert dates.index("2024 (year)") < dates.index("2025-03 (month)") < dates.index("2025-04-03")
    assert all(not str(c).startswith(("=", "+", "-", "@")) for r in rows for c in r if c)


def test_observers_and_leads_cannot_export(driver, review):
    _, channel = review
    before = len(driver.replies(POLICE))
    driver.command(POLICE, "chronology", space=channel)
    text = wait(lambda: " ".join(r.preview for r in driver.replies(POLICE)[before:]) or None)
    assert "Only the review's coordinator or chair can export the combined chronology" in text


def test_a_term_registered_after_an_entry_stops_the_export_until_the_entry_is_corrected(driver, review):
    """Registers a redaction term: later tests in this module must not use "Zebedee Quill"."""
    reference, channel = review
    add_entry(driver, POLICE, channel, {"date": "2025-08-01", "source": "PNC", "event": "Stopped with Zebedee Quill"})
    entry = wait(lambda: [e for e in entries(driver, reference) if "Zebedee" in e.event] or None)[-1]
    driver.command(COORDINATOR, "redact", space=channel)
    view = open_view(driver, COORDINATOR, "dhr.redaction")
    view.submit({"kind": "name", "term": "Zebedee Quill"})

    files_before, before = len(driver.shared_files()), len(driver.replies(CHAIR))
    driver.command(CHAIR, "chronology", space=channel)
    refusal = wait(lambda: " ".join(r.preview for r in driver.replies(CHAIR)[before:]) or None)
    assert "Not exported: the Northshire Police entry dated 2025-08-01 contains a term" in refusal
    assert "Zebedee" not in refusal and len(driver.shared_files()) == files_before

    dm_before = bot_dm_count(driver, POLICE)
    upload(driver, POLICE, None, "more.csv", csv_file([["2025-08-02", "", "", "PNC", "", "Zebedee Quill again", "", ""]]))
    assert "in row 2" in text_of(dm_reply(driver, POLICE, dm_before, what="the warning"))
    report = text_of(dm_reply(driver, POLICE, dm_before + 1, what="the row report"))
    assert "Row 2, Event / contact: Contains a term on the review's redaction list" in report and "Zebedee" not in report

    driver.command(POLICE, f"chronology correct {entry.id}", space=channel)
    view = open_view(driver, POLICE, "dhr.chronology.correct")
    assert "Zebedee" not in view.all_text and "type them again using pseudonyms" in view.text
    response = view.submit({"event": "Stopped with Adult B", "change_reason": "Pseudonym"})
    assert response.kind == "closed", response.pair()
    driver.command(CHAIR, "chronology", space=channel)
    wait(lambda: len(driver.shared_files()[files_before:]) >= 2, what="export")


def test_the_template_command_sends_both_templates_with_the_standard_columns(driver, review):
    _, channel = review
    files_before = len(driver.shared_files())
    driver.command(HEALTH, "chronology template", space=channel)
    def templates():   # another test's file (an error report) may land meanwhile
        done = [f for f in driver.shared_files()[files_before:] if "template" in f.name]
        return done if len(done) >= 2 else None
    sent = wait(templates, what="both templates")
    dm = driver.dm(HEALTH)
    assert sorted(f.name for f in sent) == ["chronology-template.csv", "chronology-template.xlsx"]
    assert all(f.spaces == [dm] for f in sent)
    header = next(f for f in sent if f.name.endswith(".csv")).content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith(",".join(HEADER))
    book = load_workbook(io.BytesIO(next(f for f in sent if f.name.endswith(".xlsx")).content), read_only=True)
    assert list(next(book.worksheets[0].iter_rows(values_only=True)))[:8] == HEADER


def test_a_forged_import_of_someone_elses_upload_changes_nothing(driver, review):
    reference, _ = review
    theirs_before = bot_dm_count(driver, POLICE)
    upload(driver, POLICE, None, "p.csv", csv_file([["2025-09-01", "", "", "Log", "", "Police only", "", ""]]))
    theirs = dm_reply(driver, POLICE, theirs_before)
    upload_id = theirs.button("dhr.chronology.import").value
    mine_before = bot_dm_count(driver, HEALTH)
    upload(driver, HEALTH, None, "h.csv", csv_file([["2025-09-02", "", "", "Log", "", "Health only", "", ""]]))
    mine = dm_reply(driver, HEALTH, mine_before)
    count, before = len(entries(driver, reference)), len(driver.replies(HEALTH))
    driver.press(HEALTH, mine, "dhr.chronology.import", forged_value=upload_id)
    text = wait(lambda: " ".join(r.preview for r in driver.replies(HEALTH)[before:]) or None)
    assert "Only the person who uploaded a file can import it" in text
    assert len(entries(driver, reference)) == count


def test_a_date_outside_the_agreed_scoping_period_needs_a_reason(driver, review):
    reference, channel = review
    driver.command(COORDINATOR, "tor", space=channel)
    view = open_view(driver, COORDINATOR, "dhr.tor")
    response = view.submit({
        "scope_from": "2021-01-01", "scope_to": "2025-12-31", "lines": ["coercive_control"],
        "agencies": [value for _, value in view.field("agencies").options]})
    assert response.kind == "notice"   # saved (a draft also sets the period)
    before = len(entries(driver, reference))
    _view, response = add_entry(driver, POLICE, channel, {"date": "2019-05", "source": "Call log",
                                                       "event": "Call to 101"})
    assert "scoping period" in response.errors["outside_reason"]
    assert len(entries(driver, reference)) == before
    _view, response = add_entry(driver, POLICE, channel, {"date": "2019-05", "source": "Call log", "event": "Call to 101",
                                                       "outside_reason": "First report of abuse by Adult B"})
    assert response.kind == "closed", response.pair()
    wait(lambda: len(entries(driver, reference)) == before + 1, what="the entry")
