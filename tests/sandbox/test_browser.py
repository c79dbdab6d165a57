"""The sandbox in a real browser: Playwright for Python driving Debian's chromium (headless; no
browser download). Create a review, add a panel member who agrees to the confidentiality
statement, move the clock on and see the reminder, and keep a screenshot in the test artefacts.

Submitting a chronology entry is left out until the evidence feature (issue 5) is in main.
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
    expect(page.get_by_role("note")).to_have_text("Sandbox — fictional data, not connected to Slack")

    # A CSP admin opens a review.
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
    modal.get_by_role("radio", name="Add someone, or change their role").check()
    modal.get_by_label("Person", exact=True).select_option(label="Jordan Reeve")
    modal.get_by_label("Role (optional)", exact=True).select_option(label="Chair")
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

    # Time passes: the decision deadline comes near and the reminder arrives in the DM.
    page.get_by_label("Days").fill("30")
    page.get_by_role("button", name="Move the clock on").click()
    expect(page.get_by_role("status")).to_contain_text("Bot time is now")
    reminder = page.get_by_text("Your review reminders")
    for _ in range(5):   # a weekend or bank holiday sends nothing until the next working day
        try:
            expect(reminder).to_be_visible(timeout=6_000)
            break
        except AssertionError:
            page.get_by_role("button", name="+1 day").click()
    expect(reminder).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Decision whether to hold a review")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "sandbox-reminder.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
