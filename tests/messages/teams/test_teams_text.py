"""Neutral text as Teams TextBlock markdown: what people see, and what typed words cannot forge."""
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import Bold, Command, Icon, Italic, Link, Mention, SpaceLink, SpaceWord, text
from messages.teams import render
from messages.teams.text import plain

NAMES = {"29:ann": "Ann Lee", "29:bob": "Bob <b>"}


def test_inline_pieces_become_the_markdown_teams_renders():
    said = text(Icon("warning"), " ", Bold("DHR-1"), " for ", Mention(PersonRef("29:ann")), " in ",
                SpaceLink(SpaceRef("19:x@thread.v2", "dhr-1-review")), ", ", Italic("note"), ", ",
                Link("https://x.test/a b", "guide"), ": type ", Command("recommend"), " or ", Command(""),
                " in the ", SpaceWord(), Icon("no_such_icon"))
    assert render.markdown(said, NAMES) == (
        "⚠️ **DHR-1** for <at>Ann Lee</at> in dhr-1-review, _note_, [guide](https://x.test/a%20b): "
        "type **recommend** or **help** in the chat")


def test_unknown_people_and_unnamed_spaces_still_read_as_words():
    said = text(Mention(PersonRef("29:zed")), " opened ", SpaceLink(SpaceRef("19:y")))
    assert render.markdown(said) == "<at>a panel member</at> opened the review chat"
    assert render.markdown(text(Command("panel", quoted=False))) == "panel"


def test_typed_markup_cannot_make_bold_links_mentions_or_lists():
    typed = "*Jo* _x_ [click](https://evil.test) <at>Ann Lee</at> `code`"
    assert render.markdown(text(typed)) == (
        r"\*Jo\* \_x\_ \[click\]\(https://evil.test\) \<at\>Ann Lee\</at\> \`code\`")
    lines = render.markdown(text("Notes:\n1. first\n- second\n# third\n    indented"))
    assert lines == "Notes:\n\n1\\. first\n\n\\- second\n\n\\# third\n\n\u00a0\u00a0\u00a0\u00a0indented"
    # Mid-line, "1. " is only words; at the start of the text it would open a list.
    assert render.markdown(text(Bold("Ref"), " 1. x")) == "**Ref** 1. x"
    assert render.markdown(text("2. y")) == "2\\. y"


def test_bold_and_italic_hug_their_words_and_nest():
    assert render.markdown(text(Bold("DHR-1 "), "next")) == "**DHR-1** next"
    assert render.markdown(text(Italic(text("see ", Link("https://x.test", "the guide"))))) == (
        "_see [the guide](https://x.test)_")
    assert render.markdown(text(Bold(""), "x")) == "x"


def test_mention_entities_name_each_person_once_and_cannot_close_the_tag_early():
    said = text(Mention(PersonRef("29:ann")), " and ", Bold(text(Mention(PersonRef("29:bob")))), " and ",
                Mention(PersonRef("29:ann")))
    assert render.markdown(said, NAMES) == "<at>Ann Lee</at> and **<at>Bob b</at>** and <at>Ann Lee</at>"
    assert render.mentions(said, names=NAMES) == [
        {"type": "mention", "text": "<at>Ann Lee</at>", "mentioned": {"id": "29:ann", "name": "Ann Lee"}},
        {"type": "mention", "text": "<at>Bob b</at>", "mentioned": {"id": "29:bob", "name": "Bob b"}}]


def test_plain_words_have_no_markup_at_all():
    said = text(Icon("white_check_mark"), " Saved for ", Mention(PersonRef("29:ann")), ": ", Bold("*DHR-1*"))
    assert plain(said, NAMES) == "✅ Saved for Ann Lee: *DHR-1*"
