"""The request DM, the evidence grid, the family view, the returned IMR, the invitation and the import
notice, built once as the neutral tree, as Slack shows them: the same words, buttons, action ids,
values and block ids as when they were written in Block Kit; and nothing in the tree is Slack's."""
import re
from types import SimpleNamespace

from bot.workflow.core.notices import EvidenceRequest, Invitation, RequestedItem
from bot.workflow.core.text import Bold, Italic, Plain, Text, text
from bot.workflow.evidence.chronology import Imported
from bot.workflow.evidence.evidence_items import GridRow
from bot.workflow.evidence.evidence_use_cases import GridData
from bot.workflow.evidence.family import ContactLine
from bot.workflow.evidence.family_steps import StepLine
from bot.workflow.evidence.family_use_cases import FamilySummary
from bot.workflow.evidence.file_notices import ImrReturned
from messages import tree
from messages.evidence import chronology, evidence, imr
from messages.panel import panel
from messages.render import render_notice
from messages.slack import render

REQUEST = EvidenceRequest("DHR-1", "C1", "Police & Co", "Fri 4 Dec 2026", [
    RequestedItem(1, "scoping", "Scoping answer"), RequestedItem(2, "chronology", "Chronology"),
    RequestedItem(3, "imr", "IMR", "Submitted"), RequestedItem(4, "short_report", "Short report")], "U1")
FAMILY = FamilySummary(5, "DHR-1", [ContactLine(9, "Contact 1: Mother", ["Leaflet sent", "Advocacy <offered>"])],
                       "Interview: not yet held", text("Saved ", Bold("contact 1"), "."),
                       [StepLine("tor", "Asked about the terms (mother)", "U4")], ["Told the publication date"],
                       "perpetrator")


def said(block: dict) -> str:
    return block["text"]["text"]


def buttons(blocks: list[dict]) -> list[tuple[str, str, str | None]]:
    """(label, action id, value) of every button, beside a line or in a row of actions."""
    found = [b.get("accessory") for b in blocks] + [e for b in blocks for e in b.get("elements", [])]
    return [(e["text"]["text"], e["action_id"], e.get("value")) for e in found if e and e.get("type") == "button"]


def test_the_request_dm_lists_each_item_with_the_button_that_answers_it():
    dm = render_notice(REQUEST)
    assert dm["text"] == "Evidence requested for review DHR-1, due Fri 4 Dec 2026"
    assert said(dm["blocks"][0]) == ("<@U1> asked *Police &amp; Co* for evidence for review DHR-1 (<#C1>), "
                                     "due *Fri 4 Dec 2026*.")
    items = dm["blocks"][1:5]
    assert [b["block_id"] for b in items] == ["item-1", "item-2", "item-3", "item-4"]   # the handler reads them
    assert [said(b) for b in items] == ["• *Scoping answer*", "• *Chronology*", "• *IMR*: :white_check_mark: submitted",
                                        "• *Short report*: send it to the review's coordinator."]
    assert buttons(dm["blocks"]) == [("Answer", "dhr.evidence.open_scoping", "1"),
                                     ("Submit chronology", "dhr.evidence.open_chronology", "2")]
    assert dm["blocks"][-1]["elements"][0]["text"] == ("You can also find these with `/dhr evidence` in the "
                                                       "review channel.")


def test_the_grid_shows_each_agency_and_the_readers_own_items_with_buttons():
    rows = [GridRow("Police", {"scoping": "requested", "chronology": "overdue", "imr": ""})]
    own = [(SimpleNamespace(id=7, kind="imr"), "Police")]
    grid = render_notice(GridData("DHR-1", rows, own))
    assert grid["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "DHR-1: evidence",
                                                            "emoji": True}}
    assert said(grid["blocks"][1]) == ("*Police*\nScoping answer: :hourglass_flowing_sand: Requested · "
                                       "Chronology: :red_circle: Overdue")
    assert grid["blocks"][2]["block_id"] == "item-7" and said(grid["blocks"][2]) == "• *IMR for Police*"
    assert buttons(grid["blocks"]) == [("Submit IMR", "dhr.evidence.open_imr", "7")]
    empty = render_notice(GridData("DHR-1", [], []))
    assert said(empty["blocks"][1]).endswith("asks agencies with `/dhr request`.")


def test_a_grid_of_many_agencies_is_split_where_slack_would_cut_it():
    rows = [GridRow(f"Agency {i} " + "x" * 200, {"scoping": "requested", "imr": "submitted"}) for i in range(40)]
    sections = [b for b in render_notice(GridData("DHR-1", rows, []))["blocks"] if b["type"] == "section"]
    assert len(sections) > 1 and all(len(said(b)) <= 3000 and not said(b).endswith("…") for b in sections)
    assert sum(said(b).count("*Agency ") for b in sections) == 40


def test_the_family_view_is_a_form_with_an_update_button_beside_each_contact():
    view = render.modal(evidence.family_view(FAMILY))
    assert (view["callback_id"], view["title"]["text"], view["close"]["text"]) == ("dhr.family", "Family and friends",
                                                                                  "Close")
    assert "submit" not in view and view["private_metadata"] == '{"review_id": 5}'
    texts = [said(b) for b in view["blocks"] if b["type"] == "section"]
    assert texts == ["Saved *contact 1*.",
                     "*DHR-1*: family, friends and colleagues, recorded by relationship only, never by name.",
                     "*Contact 1: Mother*\nLeaflet sent\nAdvocacy &lt;offered&gt;", "Interview: not yet held",
                     "*Involvement steps*\n• Asked about the terms (mother) (recorded by <@U4>)\n"
                     ":hourglass: Told the publication date"]
    assert view["blocks"][2]["block_id"] == "contact-9"
    assert view["blocks"][-1]["block_id"] == "family-actions"
    assert buttons(view["blocks"]) == [("Update", "dhr.family.edit", "9"), ("Add a contact", "dhr.family.add", "5"),
                                       ("Record a step", "dhr.family.open_step", "5"),
                                       ("Perpetrator interview", "dhr.family.open_interview", "5")]
    empty = render.modal(evidence.family_view(FamilySummary(5, "DHR-1", [], "Interview: none", None, [], [],
                                                            "perpetrator")))
    assert "No contacts recorded yet." in [said(b) for b in empty["blocks"] if b["type"] == "section"]
    assert "*Involvement steps*\nNone recorded yet." in [said(b) for b in empty["blocks"] if b["type"] == "section"]


def test_the_summary_cards_evidence_lines():
    card = SimpleNamespace(terms_line="version 2, agreed", evidence_lines=["Police: 1 of 3 in"], family_warning="No "
                           "contact yet", family_steps=[], family_due=["Told the publication date"])
    assert card_text(card) == ("*Evidence*\nTerms of reference: version 2, agreed\nPolice: 1 of 3 in\n"
                               "`/dhr evidence` shows every agency and item.\n:warning: No contact yet\n"
                               "*Family involvement*\n:hourglass: Told the publication date")


def card_text(card) -> str:
    return render.mrkdwn(evidence.card_evidence(card).text)


def test_a_returned_imr_quotes_the_comments_as_written():
    posted = render_notice(ImrReturned("DHR-1", "Police", 2, "U5", "Section 4 is missing\n<!here> see *this*"))
    assert [said(b) for b in posted["blocks"]] == [
        ":leftwards_arrow_with_hook: <@U5> returned *Police*'s IMR version 2 for DHR-1 with comments:",
        ">Section 4 is missing\n>&lt;!here&gt; see *this*"]


def test_the_invitation_asks_for_an_answer_with_two_buttons():
    dm = render_notice(Invitation(11, "DHR-1", "Panel member", "Police & Co", "U6"))
    assert dm["text"] == "You have been invited to join review DHR-1"
    assert said(dm["blocks"][0]) == ("<@U6> has invited you to join review *DHR-1* as *Panel member* for Police "
                                     "&amp; Co.\nBefore you can see anything of the review, please read the "
                                     "statement below and answer.")
    assert said(dm["blocks"][1]).startswith("*Confidentiality statement*\n")
    assert dm["blocks"][2]["block_id"] == "answer"
    assert buttons(dm["blocks"]) == [("I agree", "dhr.agree", "11"), ("I can't take part", "dhr.decline", "11")]
    assert dm["blocks"][2]["elements"][0]["style"] == "primary"


def test_the_import_notice_names_the_command_to_correct_an_entry():
    assert render_notice(Imported("DHR-1", "C1", 1, 4, 4))["text"] == (
        ":white_check_mark: Imported 1 chronology entry into DHR-1 (#4). To correct one: "
        "`/dhr chronology correct &lt;number&gt;` in the review channel.")


def slack_markup(value: Text) -> list[str]:
    """Slack's own syntax written into plain words: a mention, a channel link, an emoji code, the command."""
    pieces = [p.text for p in value.parts if isinstance(p, Plain)]
    pieces += [p.text if isinstance(p.text, str) else "" for p in value.parts if isinstance(p, (Bold, Italic))]
    return [m for piece in pieces for m in re.findall(r"<[@#!][^>]*>|:[a-z_]+:|/dhr\b", piece)]


def texts_of(node) -> list[Text]:
    if isinstance(node, (tree.Message, tree.Form)):
        return ([node.fallback] if isinstance(node, tree.Message) else []) + [t for b in node.blocks
                                                                              for t in texts_of(b)]
    if isinstance(node, tree.Facts):
        return [v for _, v in node.pairs]
    if isinstance(node, tree.Section):
        return [t for b in node.blocks for t in texts_of(b)]
    return [node.text] if isinstance(getattr(node, "text", None), Text) else []


def test_nothing_in_the_converted_trees_is_written_in_slacks_markup():
    card = SimpleNamespace(terms_line="v1", evidence_lines=["x"], family_warning="w",
                           family_steps=[StepLine("tor", "Asked", "U4")], family_due=["Told"])
    built = [evidence.evidence_request(REQUEST), evidence.family_view(FAMILY),
             evidence.grid_message(GridData("DHR-1", [GridRow("Police", {"scoping": "requested"})], [])),
             imr.imr_returned(ImrReturned("DHR-1", "Police", 2, "U5", "Fix it")),
             panel.invitation(Invitation(11, "DHR-1", "Panel member", None, "U6")),
             tree.Message([tree.Paragraph(evidence.card_evidence(card).text),
                           tree.Paragraph(chronology.imported(Imported("DHR-1", "C1", 3, 4, 6)))], "x")]
    for message in built:
        assert [m for t in texts_of(message) for m in slack_markup(t)] == []
