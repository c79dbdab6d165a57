"""TextBlock markdown as the Teams client draws it, in HTML: the subset Adaptive Cards support
(**bold**, _italic_, [label](url), bulleted and numbered lists, paragraphs) plus `<at>Name</at>`
mentions. Backslash escapes stay literal, so words people typed never become markup. Everything
else is text, escaped: nothing the bot sends can inject HTML into the page.
"""
import re

from markupsafe import Markup, escape

_ESCAPED = re.compile(r"\\([\\`*_\[\]()<>~#+=.\-!])")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w\\])_(.+?)_(?!\w)", re.S)
_MENTION = re.compile(r"&lt;at&gt;(.*?)&lt;/at&gt;")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
_NUMBERED = re.compile(r"^[ \t]*\d+\.[ \t]+(.*)$")
_HOLD = "\ue000{}\ue001"          # a placeholder for an escaped character, private-use code points


def to_html(markdown: str | None) -> Markup:
    text = str(markdown or "")
    held: list[str] = []

    def hold(m: re.Match) -> str:
        held.append(m.group(1))
        return _HOLD.format(len(held) - 1)
    text = _ESCAPED.sub(hold, text)
    out: list[str] = []
    for para in re.split(r"\n[ \t]*\n+", text.strip()):
        out.append(_paragraph(para))
    html = "".join(out)
    html = re.sub("\ue000(\\d+)\ue001", lambda m: str(escape(held[int(m.group(1))])), html)
    return Markup(html)


def _paragraph(para: str) -> str:
    lines = para.split("\n")
    for pattern, tag in ((_BULLET, "ul"), (_NUMBERED, "ol")):
        items = [pattern.match(x) for x in lines if x.strip()]
        if items and all(items):
            return f"<{tag}>" + "".join(f"<li>{_inline(m.group(1))}</li>" for m in items if m) + f"</{tag}>"
    # Outside lists a single newline runs on, as in a TextBlock.
    return f"<p>{_inline(' '.join(x.strip() for x in lines))}</p>"


def _inline(text: str) -> str:
    html = str(escape(text))
    html = _MENTION.sub(r'<span class="mention">\1</span>', html)
    html = _LINK.sub(_link, html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


def _link(m: re.Match) -> str:
    url = m.group(2)
    if not url.startswith(("https://", "http://")):      # Teams opens web links only
        return m.group(1)
    return f'<a href="{url}" target="_blank" rel="noopener noreferrer">{m.group(1)}</a>'
