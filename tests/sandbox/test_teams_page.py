"""The sandbox's Teams view end to end without a browser's scripts: the real bot in `python -m bot
sandbox`, reached through Teams' signed request path (activities to /api/messages), everything a
person sees read back from the page's HTML: the 1:1 chat, a dialog with Teams' own required-field
errors and the bot's inline errors, the review's group chat and its summary card."""
import html
import re
from urllib.parse import quote

import pytest

from tests.sandbox.client import ADMIN, BANNER, CHAIR, Browser, start_sandbox, stop

MARKUP = "<b>Adult</b> *A*"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    proc, base, _ = start_sandbox(tmp_path_factory.mktemp("teams-page"))
    yield Browser(base)
    stop(proc)


def personal(browser: Browser, user: str) -> str:
    """The path of the person's 1:1 chat with the bot (where the Teams view opens)."""
    page = browser.get(f"/teams/as/{user}/")
    assert page.status == 200, page.text
    return page.url.split(browser.base, 1)[1]


def forms(page, action: str) -> list[tuple[dict, list[tuple[str, str]]]]:
    """Each form posting to `action`: its hidden fields and its buttons (value, label)."""
    out = []
    for body in re.findall(r'<form method="post" action="[^"]*/' + action + r'"[^>]*>(.*?)</form>', page.html, re.S):
        hidden = {k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                                            body)}
        buttons = [(html.unescape(v), re.sub(r"\s+", " ", html.unescape(t)).strip())
                   for v, t in re.findall(r'<button type="submit" name="action" value="([^"]*)"[^>]*>(.*?)</button>',
                                          body, re.S)]
        out.append((hidden, buttons))
    return out


def press(browser: Browser, user: str, page, label: str):
    """Press the newest card button that reads `label`."""
    for hidden, buttons in reversed(forms(page, "press")):
        for value, shown in buttons:
            if shown == label:
                return browser.post(f"/teams/as/{user}/press", {**hidden, "action": value})
    raise AssertionError(f"no button {label!r} on the page:\n{page.text[:2000]}")


def client_errors(form: str) -> list[str]:
    """The Teams client's own messages under fields (not the bot's)."""
    return [html.unescape(e) for e in re.findall(r'<p class="error" id="[^"]+">(.*?)</p>', form)]


def dialog_html(page) -> str:
    found = re.search(r'<div class="modal teams-dialog".*?</form>', page.html, re.S)
    return found.group(0) if found else ""


def shown_values(form: str) -> dict[str, list[str]]:
    """What a browser would send of the dialog's inputs as drawn (values, selected options, checked boxes)."""
    out: dict[str, list[str]] = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name, kind = re.search(r'name="i\.([^"]+)"', tag), re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and kind and (kind.group(1) not in ("radio", "checkbox") or " checked" in tag):
            out.setdefault(name.group(1), []).append(html.unescape(value.group(1) if value else ""))
    for name, text in re.findall(r'<textarea[^>]*name="i\.([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        out[name] = [html.unescape(text)]
    for name, options in re.findall(r'<select[^>]*name="i\.([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        out[name] = [html.unescape(v) for v in re.findall(r'<option value="([^"]*)" selected>', options)]
    return out


def submit_dialog(browser: Browser, user: str, page, values: dict):
    hidden, buttons = forms(page, "dialog/submit")[0]
    sent = {**shown_values(dialog_html(page)), **{k: [v] for k, v in values.items()}}
    fields = [(k, v) for k, v in hidden.items()] + [("action", buttons[-1][0])]
    fields += [(f"i.{k}", v) for k, many in sent.items() for v in many]
    return browser.post(f"/teams/as/{user}/dialog/submit", fields)


def say(browser: Browser, user: str, chat_path: str, text: str):
    chat = chat_path.rsplit("/c/", 1)[1]
    return browser.post(f"/teams/as/{user}/say", {"chat": chat, "text": text, "back": chat_path})


def open_dialog(browser: Browser, user: str, words: str, title: str, where: str | None = None):
    mine = personal(browser, user)
    say(browser, user, where or mine, words)
    page = browser.wait_page(mine, lambda p: f"Open: {title}" in p.text, f"the Open: {title} button")
    page = press(browser, user, page, f"Open: {title}")
    assert title in dialog_html(page), page.text[:2000]
    return page


NEW_REVIEW = {"notifying_agency": "Police", "victim_pseudonym": MARKUP, "victim_age": "34",
              "relationship": "former_partner", "suspected_suicide": "no", "confidentiality": "agreed"}


def test_the_platform_is_chosen_on_the_first_page_and_switched_from_any_page(sandbox):
    first = sandbox.get("/")
    assert BANNER in first.text and 'href="/?platform=teams"' in first.html
    teams = sandbox.get("/?platform=teams")
    assert f'href="/teams/as/{ADMIN}/"' in teams.html and "1:1 chat with DHR Bot" in teams.text
    mine = sandbox.get(personal(sandbox, ADMIN))
    assert BANNER in mine.text and "Microsoft Teams" in mine.text
    # Teams gives a bot files only in the 1:1 chat: the draft reports and the one-minute guide come here too.
    assert "IMR, draft report or one-minute guide .docx" in mine.text
    assert f'href="/as/{ADMIN}/" id="switch-platform">Switch to Slack' in mine.html
    slack = sandbox.get(f"/as/{ADMIN}/")
    assert f'href="/teams/as/{ADMIN}/" id="switch-platform">Switch to Teams' in slack.html


def test_nobody_opens_another_persons_1_1_chat(sandbox):
    theirs = personal(sandbox, ADMIN).rsplit("/c/", 1)[1]
    assert sandbox.get(f"/teams/as/{CHAIR}/c/{quote(theirs)}").status == 404
    assert sandbox.get("/teams/as/U0NOBODY/").status == 404


def test_a_review_opened_in_a_dialog_with_teams_and_bot_errors_inline(sandbox):
    page = open_dialog(sandbox, ADMIN, "new", "New review")
    reference = re.search(r'name="i.reference" type="text" value="([^"]+)"', dialog_html(page)).group(1)

    # Teams' own check: required inputs left empty are named under each field, and nothing is sent.
    page = submit_dialog(sandbox, ADMIN, page, {"victim_age": "34", "notifying_agency": ""})
    shown = dialog_html(page)
    assert client_errors(shown).count("Please fill this in.") >= 2 and 'aria-invalid="true"' in shown
    assert re.search(r'name="i.victim_age" type="text" value="34"', shown), "what was typed is kept"

    # The bot's own check: its error sits under the field it names, in the dialog.
    page = submit_dialog(sandbox, ADMIN, page, {**NEW_REVIEW, "victim_age": "forty"})
    shown = dialog_html(page)
    error = re.search(r'id="d-victim_age".*?<div class="ac-textblock[^"]*ac-color-attention[^"]*"[^>]*>(.*?)</div>',
                      shown, re.S)
    assert error and "age" in html.unescape(re.sub(r"<[^>]+>", "", error.group(1))).lower(), shown[:3000]
    assert client_errors(shown) == []

    page = submit_dialog(sandbox, ADMIN, page, NEW_REVIEW)
    assert "is open in" in dialog_html(page)
    page = sandbox.post(f"/teams/as/{ADMIN}/dialog/close", {"back": personal(sandbox, ADMIN)})
    assert not dialog_html(page)

    # The review's group chat, named for its reference, holds the summary card; typed markup stays words.
    mine = personal(sandbox, ADMIN)
    page = sandbox.wait_page(mine, lambda p: f">{reference.lower()}" in p.html, "the review's group chat")
    chat = html.unescape(re.search(r'href="(/teams/as/[^"]+/c/[^"]+)"[^>]*>' + re.escape(reference.lower()),
                                   page.html).group(1))
    summary = sandbox.get(chat)
    assert f"{reference}: review summary" in summary.text and "Record decision" in summary.text
    assert MARKUP in summary.text and "<b>Adult</b>" not in summary.html

    # Only its members see it.
    assert sandbox.get(chat.replace(ADMIN, CHAIR)).status == 404

    # A command typed in the group chat (after @DHR Bot) is answered privately, in the 1:1 chat.
    before = sandbox.get(chat).text.count("Review panel: the form opens in a dialog")
    page = say(sandbox, ADMIN, chat, "panel")
    assert "DHR Bot answered you in your 1:1 chat" in page.text and page.url.endswith(chat.rsplit("/", 1)[1])
    assert page.text.count("Review panel: the form opens in a dialog") == before
    assert "Open: Review panel" in sandbox.get(personal(sandbox, ADMIN)).text
    # "@DHR Bot" typed out as well is the mention the chat already adds, not part of the command.
    mine = personal(sandbox, ADMIN)
    shown = sandbox.get(mine).text.count("Open: Review panel")
    page = say(sandbox, ADMIN, chat, "@DHR Bot panel")
    assert "DHR Bot answered you in your 1:1 chat" in page.text
    assert sandbox.get(mine).text.count("Open: Review panel") == shown + 1
    assert "That isn't a command I know" not in sandbox.get(mine).text
