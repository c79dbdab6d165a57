"""Starting the sandbox: plain `python -m bot` without Slack credentials, `--demo`, and never the
deployment's database; `serve` never falls into the sandbox."""
import html
import os
import re
import subprocess
import sys

import pytest

from tests.sandbox.client import (
    ADMIN,
    BANNER,
    CHAIR,
    COORDINATOR,
    HEALTH,
    POLICE,
    ROOT,
    Browser,
    start_sandbox,
    stop,
)


def test_plain_python_m_bot_without_a_token_starts_the_sandbox_on_its_own_database(tmp_path):
    production = tmp_path / "production.sqlite3"
    proc, base, log = start_sandbox(tmp_path, argv=(), env_extra={"DATABASE_URL": f"sqlite:///{production}"})
    try:
        assert "fictional data, not connected to Slack" in log.read_text()
        assert base.startswith("http://127.0.0.1:")
        assert BANNER in Browser(base).get("/").text
        assert (tmp_path / ".sandbox" / "dhr-sandbox.db").exists()
        assert not production.exists()
    finally:
        stop(proc)


def test_serve_without_credentials_fails_with_one_line_and_names_the_sandbox(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_", "DATABASE_URL", "PORT"))}
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.strip().count("\n") == 0
    assert "SLACK_BOT_TOKEN is not set" in result.stderr and "python -m bot sandbox" in result.stderr


def test_a_taken_port_is_named_in_one_line(tmp_path):
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DHR_", "DATABASE_URL", "PORT"))}
        result = subprocess.run([sys.executable, "-m", "bot", "sandbox", "--port", str(port), "--data-dir",
                                 str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and f"port {port}" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`--demo` with no platform named loads the demo reviews in Slack and in Teams."""
    proc, base, log = start_sandbox(tmp_path_factory.mktemp("demo"), "--demo")
    yield base, log.read_text().splitlines()
    stop(proc)


def ready_in(lines: list[str], platform: str) -> list[str]:
    ready = [line for line in lines if line.startswith("Demo review") and line.endswith(f"is ready in {platform}.")]
    assert len(ready) == 2 and "(evidence gathering)" in ready[0] and "(drafting)" in ready[1], lines
    return [line.split()[2] for line in ready]


def test_demo_loads_a_review_half_way_through_and_one_further_on(demo):
    base, lines = demo
    browser = Browser(base)
    first, later = ready_in(lines, "Slack")
    home = browser.get(f"/as/{COORDINATOR}/")
    channel = home.channel_link("#" + first.lower())
    assert channel, "the coordinator sits on the demo review"
    page = browser.conversation(COORDINATOR, channel)
    assert "Stage Evidence" in page.text and "Hold a review" in page.text
    assert "Awaiting agreement to the confidentiality statement: @Priya Shah" in page.text
    assert "saved the terms of reference" in page.text and "requested evidence from 2 agencies" in page.text
    assert "Police answered the scoping questions" in page.text
    dm = browser.get(f"/as/{HEALTH}/").channel_link("DHR Bot")
    assert browser.conversation(HEALTH, dm).buttons("I agree")
    assert browser.get(f"/as/{ADMIN}/").channel_link("#" + first.lower())

    police_dm = browser.conversation(POLICE, browser.get(f"/as/{POLICE}/").channel_link("DHR Bot")).text
    assert f"Chronology entry #1 on {first} added" in police_dm
    assert f"Chronology entry #2 on {first} added" in police_dm
    assert f"{later} in #{later.lower()} : action 1.1 of the action plan is yours" in police_dm
    page = browser.conversation(COORDINATOR, home.channel_link("#" + later.lower()))
    assert "Stage Drafting" in page.text and "Victim (pseudonym) Adult C" in page.text

    # The family contact and the chronology are there for those who may see them.
    browser.command(CHAIR, channel, "/dhr family")
    modal = browser.wait_modal(CHAIR, channel, "Family and friends")
    assert "Contact 1: Sister (older sister)" in modal.text and "Advocacy offered at first contact" in modal.text
    browser.command(COORDINATOR, channel, "/dhr chronology")
    page = browser.wait_page(f"/as/{COORDINATOR}/c/{channel}", lambda p: "combined chronology (CSV)" in p.text,
                             "the export")
    link = re.search(r'href="(/as/[^"]+/files/F[A-Z0-9]+)"[^>]*>\s*'
                     + re.escape(f"{first} combined chronology (CSV)"), page.html).group(1)
    exported = browser.raw(link)[1].decode("utf-8-sig")
    assert exported.count("Police,") == 2 and "(month)" in exported and "22:40" in exported


def teams_chat_link(page, topic: str) -> str | None:
    found = re.search(r'href="(/teams/as/[^"]+/c/[^"]+)"[^>]*>\s*' + re.escape(topic) + r"\s*<", page.html)
    return html.unescape(found.group(1)) if found else None


def test_demo_loads_the_same_reviews_in_teams_each_in_its_group_chat(demo):
    base, lines = demo
    browser = Browser(base)
    first, later = ready_in(lines, "Teams")
    assert {first, later}.isdisjoint(ready_in(lines, "Slack")), "a review belongs to one platform"
    home = browser.get(f"/teams/as/{COORDINATOR}/")
    chat = teams_chat_link(home, first.lower())
    assert chat, "the coordinator is in the demo review's group chat"
    page = browser.get(chat)
    assert f"{first}: review summary" in page.text and "Stage Evidence" in page.text
    assert "Awaiting agreement to the confidentiality statement: Priya Shah" in page.text
    assert "Edited" in page.text, "the summary card is updated in place"
    health = browser.get(f"/teams/as/{HEALTH}/")
    assert teams_chat_link(health, first.lower()) is None, "the health lead has not agreed yet"
    assert f"{first}" in health.text and ">I agree<" in health.html
    police = browser.get(f"/teams/as/{POLICE}/").text
    assert "action 1.1 of the action plan is yours" in police
    page = browser.get(teams_chat_link(home, later.lower()))
    assert "Stage Drafting" in page.text and "Adult C" in page.text
