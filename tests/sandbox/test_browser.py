"""The sandbox in a real browser: Playwright for Python driving Debian's chromium (headless; no
browser download). Create a review, add a panel member who agrees to the confidentiality
statement, submit a chronology entry through the form, move the clock on and see the reminder, and
keep a screenshot in the test artefacts.
"""
import os
import shutil
from pathlib import Path

import pytest

from tests.sandbox.client import ROOT, start_sandbox, stop

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR") or ROOT / "test-artifacts")

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                               "(it comes with the test extra: pip install -e '.[test]')")
if not Path(CHROMIUM).exists():
    pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install -y chromium; .ci/run does)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    proc, url, _ = start_sandbox(tmp_path_factory.mktemp("browser"))
    yield url
    stop(proc)


@pytest.fixture
def page(base):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox"] if os.geteuid() == 0 else [])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.set_default_timeout(20_000)
        yield tab
        browser.close()


def be(page, base, name):
    page.goto(base + "/")
    page.get_by_role("link", name=name).click()


def command(page, text):
    box = page.get_by_label("Command in")
    box.fill(text)
    box.press("Enter")


def test_review_panel_agreement_and_reminder_in_a_real_browser(page, base):
    sync_api.expect.set_options(timeout=20_000)
    expect = sync_api.expect
    be(page, base, "Alex Morgan")
    expect(page.get_by_role("note")).to_have_text("Sandbox — fictional data, not connected to Slack or Teams")

    # A CSP admin lists the partnership's agencies (the chronology form offers them) ...
    command(page, "/dhr agencies")
    modal = page.get_by_role("dialog", name="Agencies")
    modal.get_by_label("Agencies, one per line").fill("Police\nNHS Trust")
    modal.get_by_role("button", name="Save").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # ... and opens a review.
    command(page, "/dhr new")
    modal = page.get_by_role("dialog", name="New review")
    modal.get_by_label("Notifying agency").fill("Police")
    modal.get_by_label("Victim's pseudonym").fill("Adult A")
    modal.get_by_label("Victim's age at death").fill("34")
    modal.get_by_label("Relationship of the perpetrator to the victim").select_option(label="Former partner")
    modal.get_by_role("radio", name="No").check()
    modal.get_by_role("checkbox", name="I agree to the statement above").check()
    reference = modal.get_by_label("Case reference").input_value()
    modal.get_by_role("button", name="Open review").click()
    expect(page.get_by_role("dialog")).to_contain_text("is open in")
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # ... and puts the chair on its panel.
    channel = "#" + reference.lower()
    page.get_by_role("navigation").get_by_role("link", name=channel).click()
    expect(page.get_by_role("list", name="Messages").get_by_text(f"{reference}: review summary")).to_be_visible()
    command(page, "/dhr panel")
    modal = page.get_by_role("dialog", name="Review panel")
    modal.get_by_role("radio", name="Add people, or change their roles").check()
    modal.get_by_label("Person 1 (optional)", exact=True).select_option(label="Jordan Reeve")
    modal.get_by_label("Role 1 (optional)", exact=True).select_option(label="Chair")
    modal.get_by_role("button", name="Save").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # The chair agrees to the confidentiality statement in the bot's DM and joins the channel.
    page.get_by_role("link", name="Be someone else").click()
    page.get_by_role("link", name="Jordan Reeve").click()
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name=channel)).to_have_count(0)
    nav.get_by_role("link", name="DHR Bot (messages)").click()
    page.get_by_role("button", name="I agree").click()
    expect(nav.get_by_role("link", name=channel)).to_be_visible()

    # The chair adds a chronology entry with an approximate date through the form in the page.
    nav.get_by_role("link", name=channel).click()
    command(page, "/dhr chronology add")
    modal = page.get_by_role("dialog", name="Chronology entry")
    modal.get_by_label("Date", exact=True).fill("March 2025")
    modal.get_by_label("Agency", exact=True).select_option(label="Police")
    modal.get_by_label("Source of information").fill("Incident log")
    modal.get_by_label("Subject (optional)").fill("Adult A")
    modal.get_by_label("Event / contact").fill("A neighbour called about shouting at the flat; officers attended.")
    modal.get_by_role("button", name="Add").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    nav.get_by_role("link", name="DHR Bot (messages)").click()
    expect(page.get_by_role("main")).to_contain_text(f"Chronology entry #1 on {reference} added.")

    # Time passes: the decision deadline comes near and the reminder arrives in the DM.
    page.get_by_label("Days").fill("30")
    page.get_by_role("button", name="Move the clock on").click()
    expect(page.get_by_role("status")).to_contain_text("Bot time is now")
    reminder = page.get_by_text("Your review reminders")
    for _ in range(5):   # a weekend or bank holiday sends nothing until the next working day
        try:
            expect(reminder).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            page.get_by_role("button", name="+1 day").click()
    expect(reminder).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Decision whether to hold a review")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "sandbox-reminder.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_confirm_dialogs_and_modals_work_from_the_keyboard(tmp_path):
    """The page's own behaviour, on the fake's state with a recording platform (no bot needed)."""
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from waitress import create_server

    from bot.sandbox.clock import SandboxClock
    from bot.sandbox.people import PEOPLE
    from bot.sandbox.web import create_app
    from bot.slackfake import FakeSlack
    from bot.slackfake.viewstore import open_modal
    from tests.sandbox.client import ADMIN
    from tests.sandbox.test_render import BUTTON_WITH_CONFIRM, EVERY_INPUT

    fake = FakeSlack(manifest_path=str(ROOT / "manifest.yml"))
    for p in PEOPLE:
        fake.add_user(p.id, p.handle, real_name=p.name)
    general = fake.add_channel("general", members=[p.id for p in PEOPLE], bot_member=False)
    fake.ws.post_as_bot(general, text="x",
                        blocks=[{"type": "actions", "block_id": "a", "elements": [BUTTON_WITH_CONFIRM]}])
    clicks, closed = [], []

    def close_view(user, view_id):
        with fake.ws.lock:
            fake.ws.close_view(fake.views[view_id])
        closed.append(view_id)

    platform = SimpleNamespace(click=lambda user, action_id, **kw: clicks.append(action_id) or
                               SimpleNamespace(status=200, too_slow=False), close_view=close_view)
    sandbox = SimpleNamespace(fake=fake, platform=platform, clock=SandboxClock(ZoneInfo("Europe/London")),
                              general_id=general.id, dm_read_only=True)
    server = create_server(create_app(sandbox), host="127.0.0.1", port=0)
    import threading
    threading.Thread(target=server.run, daemon=True).start()
    expect = sync_api.expect
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox"] if os.geteuid() == 0 else [])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.effective_port}/as/{ADMIN}/c/{general.id}")
            expect(page.get_by_label("Command in #general")).to_be_focused()
            remove = page.get_by_role("button", name="Remove")
            remove.focus()
            page.keyboard.press("Enter")
            dialog = page.get_by_role("dialog", name="Remove them?")
            expect(dialog).to_contain_text("They leave the channel at once.")
            expect(dialog.get_by_role("button", name="Keep")).to_be_focused()
            page.keyboard.press("Enter")                       # Keep: nothing is sent
            expect(dialog).to_have_count(0)
            expect(remove).to_be_focused()
            assert clicks == []
            page.keyboard.press("Enter")
            page.get_by_role("dialog", name="Remove them?").get_by_role("button", name="Remove").click()
            page.wait_for_load_state()
            assert clicks == ["dhr.remove"]

            with fake.ws.lock:
                view = open_modal(fake.ws, ADMIN, dict(EVERY_INPUT))
            modal = page.get_by_role("dialog", name="Every input")
            expect(modal).to_be_visible()          # appears by itself (the page polls)
            expect(modal.get_by_label("One line")).to_be_focused()
            page.keyboard.press("Tab")
            expect(modal.get_by_label("Many lines")).to_be_focused()
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog")).to_have_count(0)
            assert closed == [view.id]
            browser.close()
    finally:
        server.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    proc, url, _ = start_sandbox(tmp_path_factory.mktemp("browser-demo"), "--demo")
    yield url
    stop(proc)


def test_an_imr_author_uploads_the_docx_in_the_bots_messages_tab_and_reads_its_check(demo, tmp_path):
    """As the bot's messages ask: "upload the .docx in a DM to me"."""
    from tests.e2e.test_imr import complete_imr
    document = tmp_path / "police-imr.docx"
    document.write_bytes(complete_imr())
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox"] if os.geteuid() == 0 else [])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        expect = sync_api.expect
        be(page, demo, "Robin Ellis")
        page.get_by_role("navigation").get_by_role("link", name="DHR Bot (messages)").click()
        page.get_by_text("Upload a file to").click()
        page.get_by_label("File", exact=True).set_input_files(str(document))
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page.get_by_role("main")).to_contain_text("police-imr.docx")
        expect(page.get_by_role("main")).to_contain_text("IMR version 1 has every section", timeout=30_000)
        expect(page.get_by_role("button", name="Declarations and submit")).to_be_visible()
        browser.close()


def test_after_an_inline_error_focus_is_on_the_field_in_error(page, base):
    """Not the form's first field: the keyboard lands where the person has to correct something."""
    sync_api.expect.set_options(timeout=20_000)
    expect = sync_api.expect
    be(page, base, "Alex Morgan")
    command(page, "/dhr new")
    modal = page.get_by_role("dialog", name="New review")
    modal.get_by_label("Notifying agency").fill("Police")
    modal.get_by_label("Victim's pseudonym").fill("Adult A")
    modal.get_by_label("Victim's age at death").fill("thirty")
    modal.get_by_label("Relationship of the perpetrator to the victim").select_option(label="Former partner")
    modal.get_by_role("radio", name="No").check()
    modal.get_by_role("checkbox", name="I agree to the statement above").check()
    modal.get_by_role("button", name="Open review").click()
    age = page.get_by_role("dialog", name="New review").get_by_label("Victim's age at death")
    expect(age).to_have_attribute("aria-invalid", "true")
    expect(age).to_be_focused()
    expect(page.get_by_role("dialog", name="New review").get_by_label("Case reference")).not_to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_an_unanswered_radio_question_gets_the_focus_after_the_error(page, base):
    """A required choice left empty: the keyboard lands on its first option, not on the form's first field."""
    sync_api.expect.set_options(timeout=20_000)
    expect = sync_api.expect
    be(page, base, "Alex Morgan")
    command(page, "/dhr new")
    modal = page.get_by_role("dialog", name="New review")
    modal.get_by_label("Notifying agency").fill("Police")
    modal.get_by_label("Victim's pseudonym").fill("Adult B")
    modal.get_by_label("Victim's age at death").fill("40")
    modal.get_by_label("Relationship of the perpetrator to the victim").select_option(label="Former partner")
    modal.get_by_role("checkbox", name="I agree to the statement above").check()
    modal.get_by_role("button", name="Open review").click()
    question = page.get_by_role("dialog", name="New review").get_by_role("group",
                                                                         name="Is the death a suspected suicide?")
    expect(question.get_by_role("alert")).to_be_visible()
    expect(question.get_by_role("radio", name="Yes")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
