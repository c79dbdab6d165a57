"""The sandbox page end to end: the real bot in `python -m bot sandbox`, reached by the page through
Slack's signed request path, with everything a person sees read back from the page's HTML."""
import re
from datetime import date

import pytest

from tests.sandbox.client import (
    ADMIN,
    BANNER,
    CHAIR,
    HEALTH,
    POLICE,
    Browser,
    general_channel,
    start_sandbox,
    stop,
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sandbox")
    proc, base, log = start_sandbox(tmp)
    yield Browser(base)
    stop(proc)


@pytest.fixture(scope="module")
def general(sandbox):
    return general_channel(sandbox)


@pytest.fixture(scope="module")
def review(sandbox, general):
    """A review opened by the CSP admin through the page: (reference, channel id)."""
    sandbox.command(ADMIN, general, "/dhr new")
    page = sandbox.wait_modal(ADMIN, general, "New review")
    reference = re.search(r'name="i.reference"[^>]*value="([^"]+)"', page.modal_html()).group(1)
    page = sandbox.submit(ADMIN, general, page.view_id(), new_review(reference))
    page = sandbox.wait_page(f"/as/{ADMIN}/c/{general}", lambda p: "is open in" in p.modal_html(), "the review to open")
    return reference, page.channel_link("#" + reference.lower())


def new_review(reference, **changes):
    values = {"reference": reference, "notified_on": date.today().isoformat(), "notifying_agency": "Police",
              "victim_pseudonym": "Adult A", "perpetrator_pseudonym": "", "victim_age": "34",
              "relationship": "former_partner", "suspected_suicide": "no", "confidentiality": "agreed"}
    values.update(changes)
    return list(values.items())


def test_every_page_says_it_is_a_sandbox_with_fictional_data(sandbox, general):
    for path in ("/", f"/as/{ADMIN}/c/{general}", f"/as/{ADMIN}/home"):
        page = sandbox.get(path)
        assert page.status == 200 and BANNER in page.text, path
    assert "Alex Morgan" in sandbox.get("/").text and "Independent chair" in sandbox.get("/").text


def test_help_is_shown_only_to_the_person_who_asked(sandbox, general):
    sandbox.command(ADMIN, general, "/dhr help")
    page = sandbox.wait_page(f"/as/{ADMIN}/c/{general}", lambda p: "Only visible to you" in p.text, "the help reply")
    assert "/dhr new" in page.text
    assert "Only visible to you" not in sandbox.conversation(HEALTH, general).text


def test_text_that_is_not_a_command_is_refused_with_a_clear_line(sandbox, general):
    page = sandbox.command(ADMIN, general, "hello everyone")
    assert "slash commands only" in page.text
    page = sandbox.command(ADMIN, general, "/remind me")
    assert "/remind is not a command of this app" in page.text


def test_new_review_form_has_its_inputs_and_shows_errors_inline(sandbox, general):
    sandbox.command(ADMIN, general, "/dhr new")
    page = sandbox.wait_modal(ADMIN, general, "New review")
    modal = page.modal_html()
    assert 'type="date"' in modal and '<select id="i-relationship"' in modal
    assert 'type="radio" name="i.suspected_suicide"' in modal and 'type="checkbox" name="i.confidentiality"' in modal
    view_id = page.view_id()
    reference = re.search(r'name="i.reference"[^>]*value="([^"]+)"', modal).group(1)
    # Slack's client refuses an empty required field itself; the bot is never asked.
    page = sandbox.submit(ADMIN, general, view_id, new_review(reference, victim_pseudonym=""))
    assert "Please complete this required field." in page.modal_html()
    assert 'value="Police"' in page.modal_html()           # what was typed is kept
    # The bot's own validation comes back as response_action=errors, shown under the field.
    page = sandbox.submit(ADMIN, general, view_id, new_review(reference, victim_age="forty"))
    age = re.search(r'data-block="victim_age".*?</div>', page.modal_html(), re.S).group(0)
    assert 'class="error"' in age and 'aria-invalid="true"' in age
    sandbox.post(f"/as/{ADMIN}/view/{view_id}/close", {"back": f"/as/{ADMIN}/c/{general}"})
    assert sandbox.conversation(ADMIN, general).modal_html() == ""


def test_a_new_review_gets_its_private_channel_with_the_pinned_card(sandbox, review):
    reference, channel = review
    assert channel, "the new review channel is listed in the admin's sidebar"
    page = sandbox.wait_page(f"/as/{ADMIN}/c/{channel}", lambda p: "Pinned (1)" in p.text, "the pinned card")
    assert f"{reference}: review summary" in page.text and "Decision whether to hold a review" in page.text
    assert "@Alex Morgan" in page.text                     # <@U..> mentions read as names
    assert sandbox.get(f"/as/{HEALTH}/c/{channel}").status == 404   # private: not for non-members


def test_panel_member_agrees_in_the_dm_and_joins_the_channel(sandbox, review):
    reference, channel = review
    sandbox.command(ADMIN, channel, "/dhr panel")
    page = sandbox.wait_modal(ADMIN, channel, "Review panel")
    assert 'id="i-person_1"' in page.modal_html() and 'value="U0DEMOCHR"' in page.modal_html()  # a users_select
    sandbox.submit(ADMIN, channel, page.view_id(), [("change", "add"), ("person_1", CHAIR), ("role_1", "chair")])
    dm = sandbox.get(f"/as/{CHAIR}/").channel_link("DHR Bot")
    page = sandbox.wait_page(f"/as/{CHAIR}/c/{dm}", lambda p: p.buttons("I agree"), "the invitation")
    assert sandbox.get(f"/as/{CHAIR}/").channel_link("#" + reference.lower()) is None
    sandbox.click(CHAIR, page.buttons("I agree")[0])
    sandbox.wait_page(f"/as/{CHAIR}/c/{dm}", lambda p: p.channel_link("#" + reference.lower()), "the channel to appear")
    page = sandbox.wait_page(f"/as/{CHAIR}/c/{channel}", lambda p: "agreed to the confidentiality statement" in p.text,
                             "the joining notice")
    assert "@Jordan Reeve" in page.text


def test_moving_the_clock_on_sends_the_reminders_that_fall_due(sandbox, review):
    reference, channel = review
    dm = sandbox.get(f"/as/{ADMIN}/").channel_link("DHR Bot")
    assert "Your review reminders" not in sandbox.conversation(ADMIN, dm).text
    page = sandbox.post("/clock", {"days": "30", "back": f"/as/{ADMIN}/c/{dm}"})
    assert "Bot time is now" in page.text
    for _ in range(5):   # landing on a weekend or bank holiday sends nothing until the next working day
        try:
            page = sandbox.wait_page(f"/as/{ADMIN}/c/{dm}", lambda p: "Your review reminders" in p.text,
                                     "the reminder", timeout=6)
            break
        except AssertionError:
            sandbox.post("/clock", {"days": "1", "back": f"/as/{ADMIN}/c/{dm}"})
    assert "Your review reminders" in page.text and reference in page.text
    assert "Decision whether to hold a review" in page.text


def test_exported_audit_log_downloads_for_members_only(sandbox, review):
    reference, channel = review
    sandbox.command(ADMIN, channel, "/dhr audit")
    page = sandbox.wait_page(f"/as/{ADMIN}/c/{channel}", lambda p: p.buttons("Export the full log as CSV"), "the audit")
    sandbox.click(ADMIN, page.buttons("Export the full log as CSV")[-1])
    page = sandbox.wait_page(f"/as/{ADMIN}/c/{channel}", lambda p: "/files/F" in p.html, "the exported file")
    link = re.search(r'href="(/as/[^"]+/files/(F[A-Z0-9]+))"', page.html)
    status, body, headers = sandbox.raw(link.group(1))
    assert status == 200 and "attachment" in headers.get("Content-Disposition", "")
    assert b"review.opened" in body and body.count(b"\n") >= 2
    status, _, _ = sandbox.raw(f"/as/{HEALTH}/files/{link.group(2)}")
    assert status == 404


def test_home_tab_lists_my_reviews(sandbox, review):
    reference, channel = review
    page = sandbox.wait_page(f"/as/{ADMIN}/home", lambda p: reference in p.text, "the Home tab")
    assert BANNER in page.text


def test_a_chronology_uploaded_from_the_page_is_checked_imported_and_exported(sandbox, general, review):
    reference, channel = review
    # The partnership's agencies, and a police lead on the panel who has agreed.
    sandbox.command(ADMIN, general, "/dhr agencies")
    page = sandbox.wait_modal(ADMIN, general, "Agencies")
    sandbox.submit(ADMIN, general, page.view_id(), [("agencies", "Police\nNHS Trust")])
    sandbox.command(ADMIN, channel, "/dhr panel")
    page = sandbox.wait_modal(ADMIN, channel, "Review panel")
    police = re.search(r'<option value="(\d+)" >Police</option>', page.modal_html()).group(1)
    sandbox.submit(ADMIN, channel, page.view_id(), [("change", "add"), ("person_1", POLICE), ("role_1", "agency_lead"),
                                                    ("agency_1", police)])
    dm = sandbox.get(f"/as/{POLICE}/").channel_link("DHR Bot")
    page = sandbox.wait_page(f"/as/{POLICE}/c/{dm}", lambda p: p.buttons("I agree"), "the police lead's invitation")
    sandbox.click(POLICE, page.buttons("I agree")[-1])
    sandbox.wait_page(f"/as/{POLICE}/", lambda p: p.channel_link("#" + reference.lower()), "the police lead to join")

    # The lead uploads a CSV in the review channel: the bot checks it row by row, to them only.
    csv = ("Date,Time,Agency,Source of information,Subject,Event / contact,Action taken / outcome,"
           "Comment / analysis\r\n2025-08-02,14:10,Police,Incident log,Adult A,Welfare check after a missed "
           "appointment,Adult A safe,\r\n31/02/2025,,Police,Incident log,Adult A,Call,,\r\n").encode()
    page = sandbox.upload(POLICE, channel, "police-chronology.csv", csv)
    assert "Uploaded police-chronology.csv." in page.text
    page = sandbox.wait_page(f"/as/{POLICE}/c/{channel}", lambda p: p.buttons("Import 1 valid row"), "the row report")
    assert "2 row(s), 1 valid , 1 with errors" in page.text and "Row 3, Date: Not a date I can read" in page.text
    assert "Only visible to you" in page.text and "police-chronology.csv" in page.text
    coordinator_view = sandbox.conversation(ADMIN, channel)
    assert "police-chronology.csv" in coordinator_view.text and "Import 1 valid row" not in coordinator_view.text
    sandbox.click(POLICE, page.buttons("Import 1 valid row")[-1])
    page = sandbox.wait_page(f"/as/{POLICE}/c/{channel}", lambda p: "Imported 1 chronology entry" in p.text,
                             "the import")
    assert not page.buttons("Import 1 valid row") and "/dhr chronology correct <number>" in page.text

    # The coordinator exports the combined chronology and downloads it from the page.
    sandbox.command(ADMIN, channel, "/dhr chronology")
    page = sandbox.wait_page(f"/as/{ADMIN}/c/{channel}", lambda p: "combined chronology (CSV)" in p.text, "the export")
    link = re.search(r'href="(/as/[^"]+/files/F[A-Z0-9]+)"[^>]*>\s*'
                     + re.escape(f"{reference} combined chronology (CSV)"), page.html).group(1)
    status, body, headers = sandbox.raw(link)
    assert status == 200 and f"{reference}-chronology-" in headers.get("Content-Disposition", "")
    text = body.decode("utf-8-sig")
    assert text.startswith("Date,Time,Agency,Source of information") and "Welfare check after a missed" in text
    assert sandbox.raw(link.replace(ADMIN, HEALTH))[0] == 404


def test_the_page_only_shows_people_and_places_that_exist(sandbox, general):
    assert sandbox.get("/as/U0NOBODY1/").status == 404
    assert sandbox.get(f"/as/{ADMIN}/c/C0NOWHERE1").status == 404
    assert sandbox.raw(f"/as/{ADMIN}/files/F0NOTHING1")[0] == 404
    page = sandbox.post("/clock", {"days": "0", "back": "/"})
    assert "Move the clock on by 1 to 400 days" in page.text


def test_a_person_deletes_a_file_they_shared_and_only_they_can(sandbox, general):
    page = sandbox.upload(ADMIN, general, "notes.pdf", b"%PDF-1.4", "application/pdf")
    form = re.search(r'action="(/as/[^"]+/files/(F[A-Z0-9]+)/delete)"', page.html)
    assert form and "Delete file" in page.text
    file_id = form.group(2)
    assert f"/files/{file_id}/delete" not in sandbox.conversation(CHAIR, general).html
    page = sandbox.post(f"/as/{CHAIR}/files/{file_id}/delete", {"back": f"/as/{CHAIR}/c/{general}"})
    assert "Only the person who shared a file can delete it" in page.text
    page = sandbox.post(form.group(1), {"back": f"/as/{ADMIN}/c/{general}"})
    assert "File deleted." in page.text and "This file was deleted." in page.text
    assert sandbox.raw(f"/as/{ADMIN}/files/{file_id}")[0] == 404
