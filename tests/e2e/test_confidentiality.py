"""Proof of confidentiality: registered real details never reach the chat platform, the logs or the
database in clear."""
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from storage.models import Decision, Review
from tests.e2e.chronology_steps import add_entry, csv_file, entries, text_of
from tests.e2e.driver import CHAIR, COORDINATOR, POLICE
from tests.e2e.journey import create_review, initial_value, new_review_values, open_view, start_new_review, today, wait
from tests.e2e.panel_steps import join, set_agencies

pytestmark = pytest.mark.e2e

CANARY_NAME = "Jolene Marchbanks"
CANARY_DOB = "14/07/1979"
LEAKS = ("jolene", "marchbanks", "14/07/1979", "1979-07-14", "14 july 1979")


@pytest.fixture(scope="module")
def general(driver):
    return driver.add_space("general-conf", [COORDINATOR, CHAIR, POLICE])


def register(driver, user, space, kind, term):
    driver.command(user, "redact", space=space)
    return open_view(driver, user, "dhr.redaction").submit({"kind": kind, "term": term})


def everything_stored(driver) -> str:
    """Every value in every table, read raw (encrypted columns stay encrypted)."""
    out = []
    with driver.db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            out.extend(str(row) for row in conn.execute(text(f'SELECT * FROM "{table}"')))
    return "\n".join(out).casefold()


def sqlite_files(driver) -> bytes:
    url = driver.db.engine.url
    if url.get_backend_name() != "sqlite":
        return b""
    return b"".join(p.read_bytes() for p in Path(url.database).parent.glob(Path(url.database).name + "*"))


@pytest.mark.teams_needs("tor", "audit", "chronology", "hold")
def test_canary_real_details_never_leave_or_rest_in_clear(driver, general):
    set_agencies(driver, COORDINATOR, general, ["Northshire Police"])
    reference, space = create_review(driver, COORDINATOR, general)
    assert register(driver, COORDINATOR, space, "name", CANARY_NAME).kind == "notice"
    assert register(driver, COORDINATOR, space, "date_of_birth", CANARY_DOB).kind == "notice"

    # The canary typed into forms is refused inline, naming the field, and nothing is stored.
    view = start_new_review(driver, COORDINATOR, general)
    result = view.submit(new_review_values(initial_value(view, "reference"), victim_pseudonym="jolene MARCHBANKS"))
    assert "redaction list" in result.errors["victim_pseudonym"]
    driver.command(COORDINATOR, "decide", space=space)
    decide = open_view(driver, COORDINATOR, "dhr.decide")
    values = {"outcome": "review", "decided_on": today().isoformat(), "agencies_consulted_other": "Police",
              "home_office_told_on": today().isoformat(), "delay_reason": "She was born 14 July 1979 in Leeds",
              "decided_by": COORDINATOR, "records_secured_on": today().isoformat()}
    assert list(decide.submit(values).errors) == ["delay_reason"]

    # The rest of the journey goes on normally.
    values["delay_reason"] = "Police file arrived late"
    assert decide.submit(values).kind == "closed"
    response = driver.command(COORDINATOR, "hold trial of jolene marchbanks", space=space)
    assert "redaction list" in response.text
    join(driver, space, POLICE, "agency_lead", "Northshire Police", by=COORDINATOR)
    driver.command(COORDINATOR, "audit", space=space)
    reply = wait(lambda: [m for m in driver.ephemerals(COORDINATOR, space) if m.sections], what="audit reply")[-1]
    driver.press(COORDINATOR, reply, "dhr.export_audit")
    exported = wait(lambda: driver.shared_files(), what="the exported log")[0]
    assert exported.name == f"{reference.lower()}-audit-{today().isoformat()}.csv"
    assert b"review.opened" in exported.content and b"redaction.added" in exported.content
    evidence_with_the_canary_is_refused(driver, reference, space)
    driver.command(COORDINATOR, "status", space=space)

    seen, stored, files, log = (driver.traffic().casefold(), everything_stored(driver), sqlite_files(driver),
                                driver.log_text())
    for leak in LEAKS:
        assert leak not in seen, f"{leak} reached the platform"
        assert leak not in stored, f"{leak} stored in clear"
        assert leak.encode() not in files.lower(), f"{leak} in the database file"
        assert leak not in log.casefold(), f"{leak} in the log"
        for f in driver.shared_files():   # what the bot sent
            assert leak.encode() not in (f.content or b"").lower(), f"{leak} in the file {f.name}"
    with driver.db.session() as s:
        made = s.exec(select(Decision).join(Review).where(Review.reference == reference)).one()
    assert made.delay_reason == "Police file arrived late"  # readable through the app...
    assert "police file arrived late" not in stored  # ...but encrypted at rest


def test_a_message_carrying_a_registered_term_is_not_sent(driver, general):
    # A pseudonym chosen before someone noticed it is a real name.
    reference, space = create_review(driver, COORDINATOR, general, victim_pseudonym="Ottoline Quarrie")
    register(driver, COORDINATOR, space, "name", "Ottoline Quarrie")
    before, replies = driver.traffic_count(), len(driver.replies(COORDINATOR))
    driver.command(COORDINATOR, "status", space=space)
    reply = wait(lambda: driver.replies(COORDINATOR)[replies:], what="reply")[-1]
    assert "Not sent" in reply.preview
    assert "ottoline" not in driver.traffic(before).casefold()


def test_redaction_terms_are_validated_and_never_echoed(driver, general):
    reference, space = create_review(driver, COORDINATOR, general)
    assert "term" in register(driver, COORDINATOR, space, "name", "Al").errors
    errors = register(driver, COORDINATOR, space, "date_of_birth", "sometime in 1980").errors
    assert "term" in errors and "1980" not in errors["term"]
    result = register(driver, COORDINATOR, space, "name", "Peregrine Oduya")
    assert "peregrine" not in result.answer.casefold()
    assert "already" in register(driver, COORDINATOR, space, "name", "peregrine  ODUYA").errors["term"]


def evidence_with_the_canary_is_refused(driver, reference, space):
    """Terms of reference, a chronology entry, an uploaded file and the family form: the canary is
    refused wherever it is typed or uploaded; the rest goes in and is exported."""
    driver.command(COORDINATOR, "tor", space=space)
    tor = open_view(driver, COORDINATOR, "dhr.tor")
    values = {"scope_from": "2021-01-01", "scope_to": today().isoformat(), "lines": ["coercive_control"],
              "agencies": [value for _, value in tor.field("agencies").options],
              "other_lines": "Contact between Jolene Marchbanks and the housing office"}
    errors = tor.submit(values).errors
    assert list(errors) == ["other_lines"] and "redaction list" in errors["other_lines"]
    values["other_lines"] = "Contact with the housing office"
    assert tor.submit(values).kind == "notice"

    entry = {"date": "2023-05", "source": "Incident log", "event": "Call from jolene marchbanks about Adult B"}
    _view, result = add_entry(driver, POLICE, space, entry)
    assert list(result.errors) == ["event"]
    _view, result = add_entry(driver, POLICE, space, {**entry, "event": "Call from Adult A about Adult B"})
    assert result.kind == "closed", result.pair()

    before = len(driver.ephemerals(POLICE, space))
    driver.share_file(POLICE, "police.csv", csv_file([
        ["2023-06-01", "", "Northshire Police", "Incident log", "Adult A", "Visit; DOB 14/07/1979 noted", "", ""],
        ["2023-06-02", "", "Northshire Police", "Incident log", "Adult A", "Follow-up visit", "", ""]]),
        space=space if driver.files_in_spaces else None)
    said = wait(lambda: driver.ephemerals(POLICE, space)[before:] if len(driver.ephemerals(POLICE, space)) >= before + 2
                else None, what="the warning and the report")
    assert "Please delete it now" in text_of(said[0])   # the file itself holds the date of birth
    report = said[1]
    assert "*1 valid*" in text_of(report) and "redaction list" in text_of(report)
    driver.press(POLICE, report, "dhr.chronology.import")
    wait(lambda: len(entries(driver, reference)) == 2, what="the valid row imported")

    files_before = len(driver.shared_files())
    driver.command(COORDINATOR, "chronology", space=space)
    wait(lambda: len(driver.shared_files()) >= files_before + 2, what="the chronology export")
