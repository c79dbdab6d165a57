"""Slack's mrkdwn, turned into safe HTML the way the Slack client shows it: *bold*, _italics_,
~strike~, `code`, ```blocks```, > quotes, <url|links>, <#C..> and <@U..> mentions shown as names,
<!date^..|fallback>, and the emoji codes the bot uses."""
import re
from html import escape
from typing import Callable

from markupsafe import Markup

EMOJI = {
    "white_check_mark": "✅", "wastebasket": "🗑️", "calendar": "📅", "warning": "⚠️", "red_circle": "🔴",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳", "double_vertical_bar": "⏸️", "white_circle": "⚪", "lock": "🔒",
    "large_orange_circle": "🟠", "large_green_circle": "🟢", "large_yellow_circle": "🟡", "arrow_forward": "▶️",
    "alarm_clock": "⏰", "pushpin": "📌", "x": "❌", "information_source": "ℹ️", "page_facing_up": "📄",
    "bell": "🔔", "tada": "🎉", "heavy_check_mark": "✔️", "memo": "📝", "clipboard": "📋", "bust_in_silhouette": "👤",
    "inbox_tray": "📥", "leftwards_arrow_with_hook": "↩️", "white_small_square": "▫️", "heavy_minus_sign": "➖",
    "checkered_flag": "🏁",
}

_ANGLE = re.compile(r"<([^<>]+)>")
_CODE_BLOCK = re.compile(r"```(.*?)```", re.S)
_INLINE = [
    (re.compile(r"`([^`\n]+)`"), "code"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"), "strong"),
    (re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])"), "em"),
    (re.compile(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])"), "s"),
]
_EMOJI = re.compile(r":([a-z0-9_+\-]+):")


class Names:
    """How mentions are shown to the person looking: user ids as names, channel ids as #names."""

    def __init__(self, user: Callable[[str], str | None], channel: Callable[[str], tuple[str, str] | None]):
        self.user, self.channel = user, channel


def to_html(text: str | None, names: Names | None = None, *, plain: bool = False) -> Markup:
    """`plain`: a plain_text object (only emoji are converted, like Slack's emoji: true)."""
    if not text:
        return Markup("")
    if plain:
        return Markup(_emoji(escape(text)).replace("\n", "<br>"))
    stash: list[str] = []

    def keep(html: str) -> str:
        stash.append(html)
        return f"\x00{len(stash) - 1}\x00"

    text = _CODE_BLOCK.sub(lambda m: keep(f"<pre>{escape(_unescape(m.group(1)).strip(chr(10)))}</pre>"), text)
    text = _ANGLE.sub(lambda m: keep(_angle(m.group(1), names)), text)
    html = escape(_unescape(text), quote=False)
    for pattern, tag in _INLINE:
        if tag == "code":
            html = pattern.sub(lambda m: keep(f"<code>{m.group(1)}</code>"), html)
        else:
            html = pattern.sub(lambda m, t=tag: f"<{t}>{m.group(1)}</{t}>", html)
    html = _quotes(_emoji(html))
    html = html.replace("\n", "<br>")
    while "\x00" in html:   # a kept piece may hold another (a <token> inside `code`)
        html = re.sub("\x00(\\d+)\x00", lambda m: stash[int(m.group(1))], html)
    return Markup(html)


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _emoji(html: str) -> str:
    return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), html)


def _quotes(html: str) -> str:
    lines, out, quote = html.split("\n"), [], []
    for line in lines:
        if line.startswith("&gt; ") or line == "&gt;":
            quote.append(line[5:])
            continue
        if quote:
            out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
            quote = []
        out.append(line)
    if quote:
        out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
    return "\n".join(out)


def _angle(inner: str, names: Names | None) -> str:
    target, _, label = inner.partition("|")
    label = _unescape(label)
    if target.startswith("@"):
        uid = target[1:]
        name = (names.user(uid) if names else None) or label or uid
        return f'<span class="mention">@{escape(name)}</span>'
    if target.startswith("#"):
        cid = target[1:]
        found = names.channel(cid) if names else None
        if found:
            cname, href = found
            return f'<a class="mention" href="{escape(href)}">#{escape(cname)}</a>'
        return f'<span class="mention">#{escape(label or "private channel")}</span>'
    if target.startswith("!"):
        special = target[1:].split("^")[0]
        if special in ("here", "channel", "everyone"):
            return f'<span class="mention">@{special}</span>'
        return escape(label or special)
    url = _unescape(target)
    if not re.match(r"^(https?|mailto):", url):
        return escape(inner)
    return f'<a href="{escape(url)}" rel="noopener noreferrer" target="_blank">{escape(label or url)}</a>'
