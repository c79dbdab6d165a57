"""Messages as Adaptive Cards 1.5: what a Teams user sees, what each button sends, and what Teams accepts."""
import json
from datetime import date

from bot.teamsfake.cards import validate_card
from bot.workflow.core.notices import ActionToVerify, SpaceClosing
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Bold, Mention, join, text
from bot.workflow.report.action_plan import PlanRow
from bot.workflow.report.action_plan_use_cases import PlanListing
from messages import tree
from messages.report import closing, plan
from messages.slack.ids import PlanActionId
from messages.teams import render

NAMES = {"29:ann": "Ann Lee", "29:owner": "Olu Owner"}


def valid(card: dict) -> dict:
    assert validate_card(card) == []
    return card


def test_each_block_becomes_the_element_teams_shows():
    msg = tree.Message([
        tree.Header("DHR-1 *status*"),
        tree.Section([tree.Paragraph("On track."), tree.Context("Updated today")], title="Timescales"),
        tree.Divider(),
        tree.Quote("The chair's comments"),
        tree.Facts([("Stage", text(Bold("Scoping"))), ("Coordinator", text(Mention(PersonRef("29:ann"))))]),
        tree.Paragraph("Item 1", button=tree.Button("Open", "dhr.open", "1")),
    ], fallback="DHR-1 status")
    body = valid(render.card(msg, NAMES))["body"]
    assert [e["type"] for e in body] == ["TextBlock", "TextBlock", "TextBlock", "TextBlock", "Container", "FactSet",
                                         "ColumnSet"]
    header, title, para, context, quote, facts, row = body
    assert header == {"type": "TextBlock", "text": r"DHR-1 \*status\*", "wrap": True, "size": "Large",
                      "weight": "Bolder"}
    assert title["text"] == "Timescales" and title["weight"] == "Bolder" and para["text"] == "On track."
    assert context["isSubtle"] is True and context["size"] == "Small"
    assert quote["style"] == "emphasis" and quote["items"][0]["text"] == "The chair's comments"
    assert quote["separator"] is True                       # the divider draws its line above what follows
    assert facts["facts"] == [{"title": "Stage", "value": "**Scoping**"},
                              {"title": "Coordinator", "value": "<at>Ann Lee</at>"}]
    words, beside = row["columns"]
    assert words["items"][0]["text"] == "Item 1" and words["width"] == "stretch" and beside["width"] == "auto"
    assert beside["items"][0]["actions"][0]["data"]["dhr"] == {"action": "dhr.open", "value": "1"}


def test_buttons_open_a_dialog_carrying_their_action_and_a_menu_sends_its_choice():
    msg = tree.Message([tree.Actions([
        tree.Button("Verify", "dhr.verify", "5", "primary"), tree.Button("Delete", "dhr.delete", "5", "danger"),
        tree.Select("dhr.pick", (("a", "Alpha"), ("b", "Beta")), placeholder="Pick one", initial="b"),
        tree.Button("Later", "dhr.later")])], "x")
    body = valid(render.card(msg))["body"]
    assert [e["type"] for e in body] == ["ActionSet", "Input.ChoiceSet", "ActionSet", "ActionSet"]
    verify, delete = body[0]["actions"]
    assert verify == {"type": "Action.Submit", "title": "Verify", "style": "positive",
                      "data": {"msteams": {"type": "task/fetch"}, "dhr": {"action": "dhr.verify", "value": "5"}}}
    assert delete["style"] == "destructive"
    menu, go = body[1], body[2]["actions"][0]
    assert menu["id"] == "dhr_select_dhr.pick" and menu["style"] == "compact" and menu["value"] == "b"
    assert menu["placeholder"] == "Pick one" and [c["title"] for c in menu["choices"]] == ["Alpha", "Beta"]
    assert go["title"] == "Go" and go["data"]["dhr"] == {"action": "dhr.pick", "select": "dhr_select_dhr.pick"}
    assert go["data"]["msteams"] == {"type": "task/fetch"}
    assert body[3]["actions"][0]["data"]["dhr"] == {"action": "dhr.later", "value": ""}


def test_a_real_notice_with_a_mention_names_the_person_in_the_cards_entities():
    msg = plan.action_to_verify(ActionToVerify(9, "2.1", "29:owner"))
    card = valid(render.card(msg, NAMES))
    assert card["body"][0]["text"].startswith("<at>Olu Owner</at> marked action 2.1 complete.")
    assert card["msteams"] == {"width": "Full", "entities": [
        {"type": "mention", "text": "<at>Olu Owner</at>", "mentioned": {"id": "29:owner", "name": "Olu Owner"}}]}
    buttons = card["body"][1]["actions"]
    assert [(b["title"], b["data"]["dhr"]["action"], b["data"]["dhr"]["value"]) for b in buttons] == [
        ("Verify", PlanActionId.ACTION_VERIFY, "9"), ("Send back", PlanActionId.ACTION_RETURN, "9")]
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"


def test_an_activity_carries_the_card_with_its_preview_line_and_bare_text_stays_text():
    posted = render.activity(closing.space_closing(SpaceClosing("DHR-1", "29:ann", "dhr-1-closed")), NAMES)
    assert posted["type"] == "message" and posted["textFormat"] == "markdown" and posted["text"]
    (attached,) = posted["attachments"]
    assert attached["contentType"] == "application/vnd.microsoft.card.adaptive"
    valid(attached["content"])
    said = text(Mention(PersonRef("29:ann")), " removed ", Mention(PersonRef("29:zed")), " from the review.")
    assert render.activity(said, NAMES) == {
        "type": "message", "textFormat": "markdown",
        "text": "<at>Ann Lee</at> removed <at>a panel member</at> from the review.",
        "entities": [
            {"type": "mention", "text": "<at>Ann Lee</at>", "mentioned": {"id": "29:ann", "name": "Ann Lee"}},
            {"type": "mention", "text": "<at>a panel member</at>",
             "mentioned": {"id": "29:zed", "name": "a panel member"}}]}
    assert "entities" not in render.activity(text("Saved."))


def test_text_and_a_home_view_are_cards_too():
    assert valid(render.card(text(Bold("Hello"))))["body"] == [{"type": "TextBlock", "text": "**Hello**",
                                                                "wrap": True}]
    home = valid(render.card(tree.HomeView([tree.Header("Your reviews"), tree.Paragraph("None yet.")])))
    assert [e["text"] for e in home["body"]] == ["Your reviews", "None yet."]


def test_a_200_line_listing_is_cut_to_what_teams_accepts_keeping_only_the_mentions_still_shown():
    lines = [text(f"{n}. ", Mention(PersonRef(f"29:p{n}")), " owns action ", Bold(f"{n}.1"), " " + "x" * 60)
             for n in range(200)]
    names = {f"29:p{n}": f"Person {n}" for n in range(200)}
    listing = join("\n", lines)
    for shown in (render.card(listing, names), render.card(tree.Message([tree.Paragraph(listing)], "plan"), names)):
        assert len(json.dumps(shown)) < 28_000
        valid(shown)
        said = shown["body"][0]["text"]
        assert said.startswith("0\\. <at>Person 0</at> owns action **0.1**") and said.endswith("…")
        kept = [e["mentioned"]["id"] for e in shown["msteams"]["entities"]]
        assert 50 < len(kept) < 200 and all(f"<at>Person {i[4:]}</at>" in said for i in kept)
    activity = render.activity(listing, names)
    assert len(json.dumps(activity)) < 28_000


def test_too_many_blocks_lose_the_last_ones_but_never_the_buttons():
    rows = [tree.Paragraph(f"Row {n} " + "y" * 250) for n in range(150)]
    msg = tree.Message([*rows, tree.Actions([tree.Button("More", "dhr.more")])], "rows")
    card = valid(render.card(msg))
    assert len(json.dumps(card)) < 28_000
    assert card["body"][0]["text"].startswith("Row 0") and card["body"][-1]["type"] == "ActionSet"
    assert card["body"][-2]["text"].startswith("… more than fits")


def test_a_real_action_plan_listing_fits_and_validates():
    rows = [PlanRow(n, f"{n}.1", "Recommendation " + "r" * 300, "local", "", "", "Action " + "a" * 300, "Police", "",
                    date(2027, 1, 1), "", "29:owner", "amber", "", "", "open") for n in range(1, 61)]
    card = valid(render.card(plan.plan_listing(PlanListing("DHR-1", rows)), NAMES))
    said = card["body"][0]["text"]
    assert said.startswith("**DHR-1 action plan**\n\n**1.** Recommendation rrr") and said.endswith("…")
    assert "🟠 1.1 Action aaa" in said and len(json.dumps(card)) < 28_000
    assert card["msteams"]["entities"][0]["mentioned"]["id"] == "29:owner"
