"""The summary card and the set-up and decision notices, as Slack shows them: words, buttons, action ids."""
from bot.workflow.core.notices import (
    CoronerLiaison,
    DeadlineLine,
    DecisionRecorded,
    PanelEntry,
    SetupFailed,
    SpaceReady,
    SummaryCard,
)
from bot.workflow.core.text import text
from bot.workflow.evidence.family_steps import StepLine
from messages.render import render_notice


def card(stage: str = "notified", **kw) -> SummaryCard:
    return SummaryCard(7, "DHR-2026-01", stage, "Notified", text("Record the decision."), "Ann <@U9> & co", None,
                       "Mon 2 Nov 2026", "Statutory", **kw)


def buttons(message: dict) -> list[tuple[str, str, str]]:
    return [(e["text"]["text"], e["action_id"], e.get("value")) for b in message["blocks"] if b["type"] == "actions"
            for e in b["elements"]]


def sections(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section" and "text" in b]


def test_a_new_reviews_card_offers_the_decision_and_the_panel_and_says_how_to_see_it_again():
    shown = render_notice(card())
    assert shown["text"] == "DHR-2026-01 summary: Notified"
    assert shown["blocks"][0]["text"]["text"] == "DHR-2026-01: review summary"
    assert buttons(shown) == [("Record decision", "dhr.open_decide", "7"), ("Manage panel", "dhr.open_panel", "7")]
    facts = [f["text"] for f in shown["blocks"][1]["fields"]]
    assert facts[2] == "*Victim (pseudonym)*\nAnn &lt;@U9&gt; &amp; co"      # a pseudonym cannot mention anyone
    assert facts[3] == "*Perpetrator (pseudonym)*\nnot yet agreed"
    assert shown["blocks"][-1]["elements"][0]["text"] == ("The bot keeps this summary up to date. "
                                                          "`/dhr status` shows it again.")


def test_later_the_card_opens_the_reports_next_step_and_no_longer_the_decision():
    assert buttons(render_notice(card("drafting"))) == [("Send for sign-off", "dhr.open_stage", "7"),
                                                        ("Manage panel", "dhr.open_panel", "7")]


def test_deadlines_decision_panel_and_unreachable_people_read_as_lines():
    shown = sections(render_notice(card(
        suspected_suicide=True, suicide_lines=["Apply the guidance's test."],
        deadlines=[DeadlineLine("Decision", "Tue 1 Dec 2026", "met"),
                   DeadlineLine("Overview report", "Wed 2 Jun 2027", "overdue", "moved by agreement")],
        decision_lines=["A review will be held"], awaiting=text("the chair's answer"),
        panel=[PanelEntry("U1", "Chair", "Police", False), PanelEntry("U3", "Member", None, True)],
        unreachable=[("U5", "user_disabled"), ("U6", "http_503")])))
    assert shown[0] == ("*Deadlines*\n:white_check_mark: Decision: Tue 1 Dec 2026 (met)\n"
                        ":red_circle: Overview report: Wed 2 Jun 2027 *(overdue)* _(moved by agreement)_")
    assert shown[1] == "*Decision*\n• A review will be held"
    assert shown[2] == ":information_source: Apply the guidance's test."
    assert shown[3] == "*What happens next*\nRecord the decision.\n:hourglass: the chair's answer"
    assert shown[4] == ("*Panel*\n• <@U1>: Chair (Police)\n"
                        ":hourglass: Awaiting agreement to the confidentiality statement: <@U3>")
    assert shown[5] == (":warning: Reminders could not reach <@U5>: their account is deactivated.\n"
                        ":warning: Reminders could not reach <@U6>: the platform kept failing.")


def test_the_evidence_part_names_the_terms_the_grid_and_the_familys_involvement():
    shown = sections(render_notice(card(terms_line="version 2, agreed", evidence_lines=["2 of 3 items in"],
                                        family_warning="1 contact not offered advocacy",
                                        family_steps=[StepLine("told", "Told the date (mother)", "U8")],
                                        family_due=["Offer an advocate"])))
    assert shown[-1] == ("*Evidence*\nTerms of reference: version 2, agreed\n2 of 3 items in\n"
                         "`/dhr evidence` shows every agency and item.\n:warning: 1 contact not offered advocacy\n"
                         "*Family involvement*\n• Told the date (mother) (recorded by <@U8>)\n"
                         ":hourglass: Offer an advocate")


def test_a_failed_set_up_says_why_and_offers_try_again():
    shown = render_notice(SetupFailed(5, "busy"))
    assert sections(shown) == ["The review channel could not be set up. Slack is busy and asked the bot to slow "
                               "down. Press Try again in a minute."]
    assert shown["blocks"][1]["elements"][0]["style"] == "primary"
    assert buttons(shown) == [("Try again", "dhr.retry_setup", "5")]


def test_the_short_notices_link_the_space_and_mention_the_person():
    assert render_notice(SpaceReady("C1"))["text"] == ("Your new review channel is ready: <#C1>. The summary card "
                                                       "with the next steps is there.")
    assert render_notice(DecisionRecorded("Hold a review", "U1", "Evidence"))["text"] == (
        "<@U1> recorded the decision: *Hold a review*. The review is now at *Evidence*; the summary card is up "
        "to date.")
    assert render_notice(CoronerLiaison("DHR-1", "C9"))["text"].endswith("Details on the summary card in <#C9>.")
