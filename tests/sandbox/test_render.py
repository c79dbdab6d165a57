"""The page renders whatever Block Kit the bot sends, generically: every block and element type
the bot uses, mrkdwn, confirm dialogs and every modal input, through Flask's test client against
the fake Slack's state (no bot needed for what is only drawing)."""
import html
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.clock import SandboxClock
from bot.sandbox.mrkdwn import Names, to_html
from bot.sandbox.people import PEOPLE
from bot.sandbox.web import BANNER, create_app
from bot.slackfake import FakeSlack
from bot.slackfake.viewstore import open_modal, push_modal
from tests.sandbox.client import ADMIN, CHAIR

BUTTON_WITH_CONFIRM = {
    "type": "button", "action_id": "dhr.remove", "value": "7", "style": "danger",
    "text": {"type": "plain_text", "text": "Remove"},
    "confirm": {"title": {"type": "plain_text", "text": "Remove them?"},
                "text": {"type": "mrkdwn", "text": "They leave the channel at once."},
                "confirm": {"type": "plain_text", "text": "Remove"}, "deny": {"type": "plain_text", "text": "Keep"},
                "style": "danger"},
}
MESSAGE_BLOCKS = [
    {"type": "header", "block_id": "h", "text": {"type": "plain_text", "text": "DHR-2026-07: review summary"}},
    {"type": "section", "block_id": "s",
     "text": {"type": "mrkdwn", "text": "*Stage* _set-up_ <@U0DEMOCHR> in <#CHANNEL>"},
     "fields": [{"type": "mrkdwn", "text": "*Notified*\nTue 17 Nov 2026"},
                {"type": "mrkdwn", "text": "*Victim*\nAdult A"}],
     "accessory": BUTTON_WITH_CONFIRM},
    {"type": "divider", "block_id": "d"},
    {"type": "context", "block_id": "c", "elements": [{"type": "mrkdwn", "text": "Pinned :calendar: `/dhr status`"},
                                                      {"type": "image", "image_url": "https://x.example/i.png",
                                                       "alt_text": "status light"}]},
    {"type": "image", "block_id": "i", "image_url": "https://x.example/chart.png", "alt_text": "deadline chart"},
    {"type": "actions", "block_id": "a", "elements": [
        {"type": "button", "action_id": "dhr.agree", "value": "1", "style": "primary",
         "text": {"type": "plain_text", "text": "I agree"}},
        {"type": "static_select", "action_id": "dhr.pick", "placeholder": {"type": "plain_text", "text": "Pick one"},
         "options": [{"text": {"type": "plain_text", "text": "First"}, "value": "1"}]}]},
]


def _text(label):
    return {"type": "plain_text", "text": label}


def _option(label, value):
    return {"text": _text(label), "value": value}


EVERY_INPUT = {
    "type": "modal", "callback_id": "t.every", "title": _text("Every input"), "submit": _text("Save"),
    "close": _text("Cancel"),
    "blocks": [
        {"type": "input", "block_id": "line", "label": _text("One line"), "element": {
            "type": "plain_text_input", "action_id": "line", "initial_value": "kept"}},
        {"type": "input", "block_id": "many", "label": _text("Many lines"), "hint": _text("Say why"),
         "element": {"type": "plain_text_input", "action_id": "many", "multiline": True}},
        {"type": "input", "block_id": "when", "label": _text("When"), "element": {
            "type": "datepicker", "action_id": "when", "initial_date": "2026-12-01"}},
        {"type": "input", "block_id": "one", "label": _text("One choice"), "element": {
            "type": "static_select", "action_id": "one", "options": [_option("Police", "p"), _option("Health", "h")],
            "initial_option": _option("Health", "h")}},
        {"type": "input", "block_id": "several", "label": _text("Several"), "optional": True, "element": {
            "type": "multi_static_select", "action_id": "several", "options": [_option("A", "a"), _option("B", "b")]}},
        {"type": "input", "block_id": "who", "label": _text("Who"),
         "element": {"type": "users_select", "action_id": "who"}},
        {"type": "input", "block_id": "whom", "label": _text("Whom"), "element": {
            "type": "multi_users_select", "action_id": "whom"}},
        {"type": "input", "block_id": "where", "label": _text("Where"), "element": {
            "type": "conversations_select", "action_id": "where"}},
        {"type": "input", "block_id": "ticks", "label": _text("Ticks"), "element": {
            "type": "checkboxes", "action_id": "ticks", "options": [
                {"text": _text("Agreed"), "value": "agreed", "description": _text("to the statement")}]}},
        {"type": "input", "block_id": "pick", "label": _text("Pick"), "element": {
            "type": "radio_buttons", "action_id": "pick", "options": [_option("Yes", "yes"), _option("No", "no")]}},
    ],
}


@pytest.fixture
def world():
    fake = FakeSlack(manifest_path="manifest.yml")
    for p in PEOPLE:
        fake.add_user(p.id, p.handle, real_name=p.name)
    general = fake.add_channel("general", members=[p.id for p in PEOPLE], bot_member=False)
    review = fake.add_channel("dhr-2026-07", is_private=True, members=[ADMIN])
    sandbox = SimpleNamespace(fake=fake, platform=SimpleNamespace(), clock=SandboxClock(ZoneInfo("Europe/London")),
                              general_id=general.id)
    client = create_app(sandbox).test_client()
    return SimpleNamespace(fake=fake, client=client, general=general, review=review)


def page_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def readable(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def test_a_message_renders_every_block_the_bot_uses(world):
    blocks = [dict(b) for b in MESSAGE_BLOCKS]
    blocks[1] = {**blocks[1],
                 "text": {"type": "mrkdwn", "text": blocks[1]["text"]["text"].replace("CHANNEL", world.review.id)}}
    world.fake.ws.post_as_bot(world.review, text="fallback", blocks=blocks)
    markup = page_of(world.client.get(f"/as/{ADMIN}/c/{world.review.id}"))
    text = readable(markup)
    assert BANNER in text
    assert '<h3 class="b-header">DHR-2026-07: review summary</h3>' in markup
    assert "<strong>Stage</strong> <em>set-up</em>" in markup and "@Jordan Reeve" in text
    assert f'href="/as/{ADMIN}/c/{world.review.id}">#dhr-2026-07</a>' in markup
    assert "Notified Tue 17 Nov 2026" in text and "Victim Adult A" in text
    assert '<hr class="b-divider">' in markup and "📅" in markup and "<code>/dhr status</code>" in markup
    assert "[status light]" in text and "[Image: deadline chart]" in text
    remove = re.search(r'<button[^>]*data-confirm="([^"]+)"[^>]*>\s*Remove', markup)
    assert remove and '"title": "Remove them?"' in html.unescape(remove.group(1))
    assert '"deny": "Keep"' in html.unescape(remove.group(1))
    assert re.search(r'<button type="submit" name="click" value="[^"]*dhr.agree[^"]*" class="btn primary"', markup)
    assert "Pick one" in text and '<option value="1"' in markup


def test_a_channel_the_reader_cannot_see_is_not_linked_or_named(world):
    world.fake.ws.post_as_bot(world.general, text=f"Moved to <#{world.review.id}>")
    markup = page_of(world.client.get(f"/as/{CHAIR}/c/{world.general.id}"))
    assert "#private channel" in readable(markup) and "dhr-2026-07" not in markup


def test_a_modal_renders_every_input_element_with_labels(world):
    with world.fake.ws.lock:
        open_modal(world.fake.ws, ADMIN, dict(EVERY_INPUT))
    markup = page_of(world.client.get(f"/as/{ADMIN}/c/{world.general.id}"))
    modal = re.search(r'<div class="modal".*?</form>', markup, re.S).group(0)
    assert 'role="dialog"' in modal and 'aria-labelledby="modal-title"' in modal
    for block_id in ("line", "many", "when", "one", "several", "who", "whom", "where"):
        assert f'<label for="i-{block_id}">' in modal, block_id
    assert 'id="i-line" name="i.line" type="text" value="kept"' in modal
    assert re.search(r'<textarea id="i-many"[^>]*aria-describedby="i-many-hint"', modal)
    assert 'type="date" value="2026-12-01"' in modal
    assert '<option value="h" selected>' in modal
    assert re.search(r'<select id="i-several" name="i.several" multiple', modal)
    assert '<option value="U0DEMOCHR" >Jordan Reeve</option>' in modal and "UBOT0001" not in modal
    assert re.search(r'<select id="i-whom" name="i.whom" multiple', modal)
    assert "#general" in modal
    assert '<legend>Ticks</legend>' in modal and 'type="checkbox" name="i.ticks" value="agreed"' in modal
    assert "to the statement" in modal and 'type="radio" name="i.pick" value="yes"' in modal
    assert "<span class=\"muted\">(optional)</span>" in modal
    assert re.search(r">Save</button>", modal) and re.search(r">\s*Cancel</button>", modal)


def test_stacked_views_show_the_top_one_with_a_way_back_and_errors_inline(world):
    with world.fake.ws.lock:
        first = open_modal(world.fake.ws, ADMIN, dict(EVERY_INPUT))
        top = push_modal(world.fake.ws, ADMIN, {**EVERY_INPUT, "title": _text("Second form")})
        top.errors = {"line": "That reference is taken."}
    modal = re.search(r'<div class="modal".*?</form>', page_of(world.client.get(f"/as/{ADMIN}/c/{world.general.id}")),
                      re.S).group(0)
    assert "Second form" in modal and first.id not in modal and "form 2 of 2 (stacked)" in modal
    assert re.search(r">\s*Back</button>", modal)
    assert 'id="i-line-err" role="alert">That reference is taken.' in modal
    assert re.search(r'id="i-line"[^>]*aria-describedby="i-line-err" aria-invalid="true"', modal)


def test_file_upload_says_when_it_is_not_available(world):
    markup = page_of(world.client.get(f"/as/{ADMIN}/c/{world.review.id}"))
    assert "File upload not available" in markup
    response = world.client.post(f"/as/{ADMIN}/c/{world.review.id}/upload",
                                 data={"back": f"/as/{ADMIN}/c/{world.review.id}"},
                                 follow_redirects=True)
    assert "File upload is not available" in page_of(response)


@pytest.mark.parametrize("source, shown", [
    ("*bold* and _italic_ and ~gone~", "<strong>bold</strong> and <em>italic</em> and <s>gone</s>"),
    ("<https://gov.uk/x?a=1&amp;b=2|guidance>",
     '<a href="https://gov.uk/x?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">guidance</a>'),
    ("a &lt;b&gt; &amp; c", "a &lt;b&gt; &amp; c"),
    ("<javascript:alert(1)|x>", "javascript:alert(1)|x"),
    ("\"><img src=x onerror=alert(1)>", "\"&gt;img src=x onerror=alert(1)"),
    ("```*not bold*```", "<pre>*not bold*</pre>"),
    ("> quoted\nnext", "<blockquote>quoted</blockquote>"),
    ("<!here> <!date^1700000000^{date}|14 Nov 2023>", "@here</span> 14 Nov 2023"),
    ("<@U0UNKNOWN>", "@U0UNKNOWN"),
    ("`/dhr correct <@U0UNKNOWN>` and `x &lt;n&gt;`",
     "<code>/dhr correct <span class=\"mention\">@U0UNKNOWN</span></code> "
                                                   "and <code>x &lt;n&gt;</code>"),
])
def test_mrkdwn_is_shown_as_slack_shows_it_and_never_as_markup(source, shown):
    names = Names(lambda u: None, lambda c: None)
    out = str(to_html(source, names))
    assert shown in out and "\x00" not in out
    assert "<img" not in out and 'href="javascript' not in out


CODE = re.compile(r":([a-z][a-z0-9_+\-]*):|Icon\(\"([a-z0-9_]+)\"\)")   # `:code:`, or the neutral Icon("code")


def test_every_emoji_code_the_bot_writes_is_shown_as_an_emoji():
    """A new `:code:` in the bot's messages would otherwise reach the page as literal text."""
    from tests.sandbox.client import ROOT
    sources = [p for d in ("messages", "bot/workflow", "handlers") for p in (ROOT / d).rglob("*")
               if p.suffix in (".py", ".j2")]
    found = [m for p in sources for m in CODE.findall(p.read_text())]
    codes = {name for pair in found for name in pair if name}
    names = Names(lambda u: None, lambda c: None)
    shown = {c: str(to_html(f"a :{c}: b", names)) for c in codes}
    assert len(codes) > 10 and {c for c, out in shown.items() if f":{c}:" in out} == set()
