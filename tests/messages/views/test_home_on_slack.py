"""The Home view and its forms as Slack shows them: pagers, per-item buttons and the block ids handlers read."""
import json
from datetime import date

from bot.workflow.core.notices import ActionDetails
from bot.workflow.core.text import Bold, text
from bot.workflow.report.action_plan import MyAction
from bot.workflow.report.strategic_home import MyStrategic, StrategicHome
from bot.workflow.views.home import (
    AgreementLine,
    HomeData,
    Page,
    PortfolioLine,
    RequestLine,
    TermsWaitLine,
    VerifyLine,
)
from messages.slack import render
from messages.teams import render as teams_render
from messages.views import home

MONDAY = date(2026, 1, 5)


def data(**kw) -> HomeData:
    base = dict(
        requests=Page([RequestLine(1, "DHR-1", "C1", "IMR", MONDAY, "overdue", "imr")], 9, 1, 3),
        actions=Page([MyAction(8, 1, "DHR-1", "C1", "1.2", MONDAY, "open", "red")], 1, 0, 8),
        agreements=Page([AgreementLine(4, "DHR-5", "Chair", MONDAY)], 1, 0, 5), portfolio=None, reviews_total=1,
        action_details={8: ActionDetails("1.2", "Train staff", "Share risk", "95% trained")})
    return HomeData(**{**base, **kw})


def view(d: HomeData) -> dict:
    return render.home(home.home_view(d, text(Bold("Your reviews"))))


def by_id(shown: dict, block_id: str) -> dict:
    return next(b for b in shown["blocks"] if b.get("block_id") == block_id)


def buttons(block: dict) -> list[tuple[str, str, str]]:
    return [(e["text"]["text"], e["action_id"], e["value"]) for e in block["elements"]]


def test_my_work_lists_each_item_with_its_button_and_pages_through_the_rest():
    shown = view(data())
    assert shown["type"] == "home" and shown["blocks"][0]["text"]["text"] == "DHR Bot"
    request = shown["blocks"][4]
    assert request["text"]["text"] == "*DHR-1* in <#C1>: IMR, :red_circle: overdue, due Mon 5 Jan 2026"
    assert (request["accessory"]["action_id"], request["accessory"]["value"]) == ("dhr.home_request", "1")
    assert buttons(by_id(shown, "pager_requests")) == [("Previous", "dhr.home_page_back", "requests:0"),
                                                       ("Show more (3 more)", "dhr.home_page", "requests:2")]
    assert buttons(by_id(shown, "action_8")) == [("Add a progress update", "dhr.action_progress", "8"),
                                                 ("Mark complete", "dhr.action_complete", "8")]
    texts = [b["text"]["text"] for b in shown["blocks"] if b["type"] == "section"]
    assert (":red_circle: *DHR-1* in <#C1>: action 1.2, target Mon 5 Jan 2026\n*Action 1.2*: Train staff\n"
            "*Recommendation 1*: Share risk\n*Measurable outcome*: 95% trained") in texts
    assert "*DHR-5*: invited as chair on Mon 5 Jan 2026" in texts
    assert shown["blocks"][-1]["elements"][0]["text"] == "*DHR Bot commands* (/dhr)"


def test_nothing_open_says_so_and_a_coordinator_sees_the_portfolio_verifications_and_terms():
    shown = view(data(
        requests=Page([], 0, 0, 8), actions=Page([], 0, 0, 8), agreements=Page([], 0, 0, 5),
        portfolio=Page([PortfolioLine(1, "DHR-1", "C1", "Drafting", "Overview report, Tue 1 Jun 2027", 40, "amber",
                                      ["publication of the report"], [("Notified", 3), ("Drafting", 9)], "yes",
                                      "not yet")], 1, 0, 10),
        verifications=Page([VerifyLine(8, "DHR-1", "C1", "1.2", "U4", MONDAY)], 1, 0, 5),
        terms_waiting=Page([TermsWaitLine(11, "DHR-1", "C1", 2, "U6", MONDAY)], 6, 0, 5)))
    texts = [b["text"]["text"] for b in shown["blocks"] if b["type"] == "section"]
    assert texts[1:3] == ["*Evidence requests to your agency*: none open.", "*Actions you own*: none open."]
    assert (":large_orange_circle: *DHR-1* <#C1>: Drafting :double_vertical_bar: on hold: publication of the report\n"
            "next: Overview report, Tue 1 Jun 2027 · 40 days since notification") in texts
    assert "*DHR-1* in <#C1>: action 1.2, marked complete by <@U4> on Mon 5 Jan 2026" in texts
    assert buttons(by_id(shown, "verify_8")) == [("Verify", "dhr.action_verify", "8"),
                                                 ("Send back", "dhr.action_return", "8")]
    terms = by_id(shown, "terms_11")
    assert terms["text"]["text"] == ("*DHR-1* in <#C1>: <@U6> has not yet confirmed reading version 2 "
                                     "(asked Mon 5 Jan 2026)")
    assert (terms["accessory"]["action_id"], terms["accessory"]["value"]) == ("dhr.home_remind_terms", "11")
    assert buttons(by_id(shown, "pager_terms")) == [("Show more (1 more)", "dhr.home_page", "terms:1")]


def test_the_confidentiality_form_asks_for_an_answer_and_remembers_the_agreement():
    shown = render.modal(home.agreement_form(4, "DHR-1", "*Confidentiality statement*\nUse it only for the review."))
    assert (shown["title"]["text"], shown["submit"]["text"], shown["callback_id"]) == (
        "Confidentiality", "Answer", "dhr.home_agreement")
    assert shown["private_metadata"] == '{"agreement_id": 4}'
    assert shown["blocks"][0]["text"]["text"] == "You have been invited to review *DHR-1*."
    (answer,) = [b for b in shown["blocks"] if b["type"] == "input"]
    assert answer["block_id"] == "answer"
    assert [o["value"] for o in answer["element"]["options"]] == ["agree", "decline"]
    assert render.mrkdwn(home.terms_reminded("U1", 2, "DHR-1")) == (
        "<@U1> was asked again, by DM, to confirm reading version 2 of the terms of reference of DHR-1.")


def test_the_strategic_section_lists_the_owners_actions_with_a_button_and_a_leads_counts():
    mine = [MyStrategic(40 + n, f"S{n}", "Joint training " + "t" * 400, MONDAY, "red" if n == 1 else "green",
                        "completed" if n == 5 else "open") for n in range(1, 6)]
    shown = view(data(strategic=StrategicHome(mine, 9, True, {"red": 2, "amber": 1, "green": 6}, 3)))
    first = by_id(shown, "strategic_41")
    said = first["text"]["text"]
    assert said.startswith(":red_circle: *S1*: Joint training ttt") and len(said) < 250
    assert (first["accessory"]["action_id"], first["accessory"]["value"]) == ("dhr.strategic.open_progress", "41")
    assert "accessory" not in by_id(shown, "strategic_45")                 # awaiting verification: nothing to add
    texts = [b["text"]["text"] for b in shown["blocks"] if b["type"] == "section"]
    assert any("The CSP's plan" in t and "2 red" in t and "3 awaiting verification" in t for t in texts), texts
    said = json.dumps(shown)
    assert "and 4 more: " in said and "/dhr strategic list" in said
    owner_only = view(data(strategic=StrategicHome(mine, 9, False, {"red": 0, "amber": 0, "green": 0}, 0)))
    assert "The CSP's plan" not in json.dumps(owner_only) and "strategic update N" in json.dumps(owner_only)


def test_the_fullest_home_with_the_strategic_section_stays_inside_both_platforms_limits():
    full = lambda items, size: Page(items * size, 100, 1, size)  # noqa: E731
    fullest = data(
        requests=full([RequestLine(1, "DHR-1", "C1", "IMR", MONDAY, "overdue", "imr")], 8),
        actions=full([MyAction(8, 1, "DHR-1", "C1", "1.2", MONDAY, "open", "red")], 8),
        agreements=full([AgreementLine(4, "DHR-5", "Chair", MONDAY)], 5),
        portfolio=full([PortfolioLine(1, "DHR-1", "C1", "Drafting", "Overview report, Tue 1 Jun 2027", 40, "amber",
                                      [], [("Notified", 3)], "yes", "not yet")], 10),
        verifications=full([VerifyLine(8, "DHR-1", "C1", "1.2", "U4", MONDAY)], 5),
        terms_waiting=full([TermsWaitLine(11, "DHR-1", "C1", 2, "U6", MONDAY)], 5),
        strategic=StrategicHome([MyStrategic(n, f"S{n}", "x" * 3000, MONDAY, "amber", "open") for n in range(5)],
                                50, True, {"red": 1, "amber": 1, "green": 1}, 1))
    shown = view(fullest)
    assert len(shown["blocks"]) <= 100
    card = teams_render.card(home.home_view(fullest, text(Bold("Your reviews"))))
    assert len(json.dumps(card)) < 28_000
