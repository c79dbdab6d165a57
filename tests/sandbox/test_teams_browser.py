"""The sandbox's Teams view in a real browser: Playwright for Python driving Debian's chromium
(headless). A CSP admin opens a review in their 1:1 chat with the bot, its group chat appears with
the summary card, the chair is added and agrees, the card is updated in place, a chronology entry is
typed into a dialog with the keyboard alone (Teams' own required-field errors, then the bot's inline
error, then accepted), the clock moves on and the reminder arrives; screenshots in test-artifacts/.
Every step goes to the bot as Teams sends it: signed activities to /api/messages.
"""
import re

import pytest

from tests.sandbox.client import start_sandbox, stop
from tests.sandbox.test_browser import ARTIFACTS, CHROMIUM, page, sync_api  # noqa: F401 (skips without them)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    proc, url, _ = start_sandbox(tmp_path_factory.mktemp("teams-browser"))
    yield url
    stop(proc)


def be(page, base, name):
    page.goto(base + "/")
    page.get_by_role("navigation", name="Platform").get_by_role("link", name="Microsoft Teams").click()
    page.get_by_role("link", name=name).click()


def say(page, text):
    box = page.locator("#command-text")      # the compose box
    box.fill(text)
    box.press("Enter")


def open_form(page, words, title):
    """Teams opens a dialog only from a card button: the bot answers a typed command in the 1:1 chat
    with "Open: ...", and the person presses it."""
    say(page, words)
    nav = page.get_by_role("navigation", name="Chats")
    nav.get_by_role("link", name="DHR Bot (chat)").click()
    page.get_by_role("button", name=f"Open: {title}").last.click()
    return page.get_by_role("dialog", name=title)


def open_review(page, pseudonym: str, age: str) -> str:
    """As a CSP admin: the partnership's agencies, then `new` and its dialog; returns the case reference."""
    expect = sync_api.expect
    dialog = open_form(page, "agencies", "Agencies")
    dialog.get_by_label("Agencies, one per line").fill("Police\nNHS Trust")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    dialog = open_form(page, "new", "New review")
    dialog.get_by_label("Notifying agency").fill("Police")
    dialog.get_by_label("Victim's pseudonym").fill(pseudonym)
    dialog.get_by_label("Victim's age at death").fill(age)
    dialog.get_by_label("Relationship of the perpetrator to the victim").select_option(label="Former partner")
    dialog.get_by_role("radio", name="No").check()
    dialog.get_by_role("checkbox", name="I agree to the statement above").check()
    reference = dialog.get_by_label("Case reference").input_value()
    dialog.get_by_role("button", name="Open review").click()
    expect(page.get_by_role("dialog")).to_contain_text("is open in")
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    return reference


def add_to_panel(page, person: str, role: str, agency: str | None = None) -> None:
    """From the review's group chat: `panel`, then its dialog with one person added."""
    dialog = open_form(page, "panel", "Review panel")
    dialog.get_by_role("radio", name="Add people, or change their roles").check()
    dialog.get_by_label("Person 1", exact=True).select_option(label=person)
    dialog.get_by_label("Role 1", exact=True).select_option(label=role)
    if agency:
        dialog.get_by_label("Agency 1", exact=True).select_option(label=agency)
    dialog.get_by_role("button", name="Save").click()
    sync_api.expect(page.get_by_role("dialog")).to_have_count(0)


def test_a_review_in_the_teams_view_of_a_real_browser(page, base):
    sync_api.expect.set_options(timeout=20_000)
    expect = sync_api.expect
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    be(page, base, "Alex Morgan")
    expect(page.get_by_role("banner")).to_contain_text("Microsoft Teams")
    nav = page.get_by_role("navigation", name="Chats")

    # A CSP admin lists the agencies and opens a review, in dialogs.
    reference = open_review(page, "Adult A", "34")

    # Its group chat appears, named for the case reference, with the summary card.
    chat = nav.get_by_role("link", name=re.compile("^" + re.escape(reference.lower())))
    chat.click()
    messages = page.get_by_role("list", name="Messages")
    expect(messages).to_contain_text(f"{reference}")
    page.screenshot(path=str(ARTIFACTS / "sandbox-teams-review-chat.png"), full_page=True)

    # The chair goes on the panel (the form opens from the 1:1 chat).
    add_to_panel(page, "Jordan Reeve", "Chair")

    # The chair agrees in their 1:1 chat and the review's group chat appears for them.
    page.get_by_role("link", name="Be someone else").click()
    page.get_by_role("link", name="Jordan Reeve").click()
    expect(nav.get_by_role("link", name=re.compile("^" + re.escape(reference.lower())))).to_have_count(0)
    page.get_by_role("button", name="I agree").last.click()
    chat = nav.get_by_role("link", name=re.compile("^" + re.escape(reference.lower())))
    expect(chat).to_be_visible()

    # The summary card is updated in place: one card, marked Edited, naming the chair.
    chat.click()
    card = messages.get_by_role("listitem").filter(has_text="review summary").first
    expect(card).to_contain_text("Jordan Reeve")
    expect(card).to_contain_text("Edited")

    # A chronology entry, by keyboard alone: Enter on an empty form shows Teams' own errors inline ...
    dialog = open_form(page, "chronology add", "Chronology entry")
    date = dialog.get_by_role("textbox", name="Date (required)", exact=True)
    expect(date).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_text("Please fill this in.").first).to_be_visible()
    expect(date).to_be_focused()
    expect(date).to_have_attribute("aria-invalid", "true")
    # ... then the bot's own error, under the field it names ...
    page.keyboard.type("the thirty-first of nowhere")
    dialog.get_by_role("combobox", name="Agency (required)", exact=True).select_option(label="Police")
    dialog.get_by_role("textbox", name="Source of information (required)", exact=True).focus()
    page.keyboard.type("Incident log")
    dialog.get_by_role("textbox", name="Event / contact (required)", exact=True).focus()
    page.keyboard.type("A neighbour called about shouting at the flat; officers attended.")
    dialog.get_by_role("textbox", name="Source of information (required)", exact=True).press("Enter")
    expect(dialog.get_by_role("alert").first).to_be_visible()
    source = dialog.get_by_role("textbox", name="Source of information (required)", exact=True)
    expect(source).to_have_value("Incident log")          # what was typed is kept
    page.screenshot(path=str(ARTIFACTS / "sandbox-teams-dialog-error.png"), full_page=True)
    # ... then accepted.
    date.fill("March 2025")
    date.press("Enter")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("DHR Bot:")

    # Escape closes a dialog, as in Teams.
    dialog = open_form(page, "chronology add", "Chronology entry")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    # Time passes: the reminder arrives in the 1:1 chat, at the bot's time.
    page.get_by_label("Days").fill("30")
    page.get_by_role("button", name="Move the clock on").click()
    expect(page.get_by_role("status")).to_contain_text("Bot time is now")
    nav.get_by_role("link", name="DHR Bot (chat)").click()
    reminder = messages.get_by_text("Your review reminders")
    for _ in range(5):   # a weekend or bank holiday sends nothing until the next working day
        try:
            expect(reminder).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            page.get_by_role("button", name="+1 day").click()
    expect(reminder).to_be_visible()
    expect(messages).to_contain_text("Decision whether to hold a review")
    page.screenshot(path=str(ARTIFACTS / "sandbox-teams-reminder.png"), full_page=True)


def test_a_chronology_csv_uploaded_in_the_1_1_chat_is_imported(page, base):
    """The police lead joins a review, sends a CSV to the bot in their 1:1 chat (the only place Teams gives a
    bot files), sees the row-by-row report there, and imports the valid rows; then asks for the chronology
    template and allows its file consent card."""
    sync_api.expect.set_options(timeout=20_000)
    expect = sync_api.expect
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    be(page, base, "Alex Morgan")
    reference = open_review(page, "Adult C", "52")
    nav = page.get_by_role("navigation", name="Chats")
    nav.get_by_role("link", name=re.compile("^" + re.escape(reference.lower()))).click()
    add_to_panel(page, "Chris Taylor", "Agency lead", agency="Police")

    page.get_by_role("link", name="Be someone else").click()
    page.get_by_role("link", name="Chris Taylor").click()
    page.get_by_role("button", name="I agree").last.click()
    expect(nav.get_by_role("link", name=re.compile("^" + re.escape(reference.lower())))).to_be_visible()

    # A file in the review's group chat is not read: the page says where files go.
    nav.get_by_role("link", name=re.compile("^" + re.escape(reference.lower()))).click()
    expect(page.get_by_text("Files for a review go in your 1:1 chat with DHR Bot")).to_be_visible()

    # In the 1:1 chat: one good row, one without a date.
    nav.get_by_role("link", name="DHR Bot (chat)").click()
    page.get_by_text("Attach a file").click()
    page.get_by_label("File", exact=True).set_input_files(files=[{
        "name": "police-chronology.csv", "mimeType": "text/csv",
        "buffer": ("Date,Time,Agency,Source of information,Subject,Event / contact,Action taken / outcome,"
                   "Comment / analysis\n2025-03-01,09:00,,Incident log,Adult C,Call from a neighbour,Attended,\n"
                   ",,,Incident log,Adult C,Undated note,,\n").encode()}])
    page.get_by_role("button", name="Send file").click()
    messages = page.get_by_role("list", name="Messages")
    expect(messages).to_contain_text("2 row(s)")
    expect(messages).to_contain_text("Row 3, Date")
    page.screenshot(path=str(ARTIFACTS / "sandbox-teams-upload-report.png"), full_page=True)
    page.get_by_role("button", name="Import 1 valid row").last.click()
    expect(messages).to_contain_text("Imported 1 chronology entry")

    # The chronology template comes as a file consent card in the 1:1 chat; Allow puts it in OneDrive.
    say(page, "chronology template")
    allow = page.get_by_role("button", name="Allow").last
    expect(allow).to_be_visible()
    allow.click()
    expect(messages).to_contain_text(".xlsx")
    page.screenshot(path=str(ARTIFACTS / "sandbox-teams-file-consent.png"), full_page=True)


def test_a_card_drawn_by_microsofts_renderer_beside_the_sandboxs_own(page, base):
    """Microsoft's Adaptive Cards renderer (npm `adaptivecards`, installed by run.sh into var/sandbox-js) is the
    reference: the same card, drawn by it, reads the same."""
    from bot.sandbox.teams_web import REFERENCE_RENDERER
    if not REFERENCE_RENDERER.is_file():
        pytest.skip("Microsoft's Adaptive Cards renderer is not installed (./run.sh installs it with npm)")
    expect = sync_api.expect
    be(page, base, "Sam Patel")
    say(page, "new")
    ours = page.get_by_role("list", name="Messages").get_by_role("listitem").last
    expect(ours.locator(".ac-card")).to_contain_text("the form opens in a dialog")
    ours.get_by_text("Compare with Microsoft's Adaptive Cards renderer").click()
    theirs = ours.locator(".ac-reference-out .ac-adaptiveCard")
    expect(theirs).to_contain_text("New review: the form opens in a dialog.")
    expect(theirs.get_by_role("button", name="Open: New review")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sandbox-teams-reference-renderer.png"), full_page=True)
