"""The audit listing and the person's reviews, as Slack shows them."""
from datetime import datetime

from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Mention, text
from bot.workflow.views.audit_log import RichLine
from bot.workflow.views.audit_use_cases import AuditListing
from bot.workflow.views.status_use_cases import MyReviews, ReviewRow
from messages.render import render_notice


def test_the_audit_listing_mentions_people_names_the_bot_and_offers_the_csv():
    shown = render_notice(AuditListing(3, "DHR-1", [
        RichLine(datetime(2026, 1, 2, 3, 4), "U1", text("added ", Mention(PersonRef("U2")), " as <chair>")),
        RichLine(datetime(2026, 1, 2, 5, 6), "reminders", text("sent the reminders"))]))
    assert shown["text"] == "Audit log of DHR-1"
    assert shown["blocks"][0]["text"]["text"] == ("*Audit log of DHR-1* (latest 2)\n"
                                                  "02 Jan 03:04 <@U1>: added <@U2> as &lt;chair&gt;\n"
                                                  "02 Jan 05:06 DHR Bot: sent the reminders")
    (button,) = shown["blocks"][1]["elements"]
    assert (button["text"]["text"], button["action_id"], button["value"]) == (
        "Export the full log as CSV", "dhr.export_audit", "3")
    assert render_notice(AuditListing(3, "DHR-1", []))["blocks"][0]["text"]["text"].endswith("\nNo entries yet.")


def test_my_reviews_link_each_space_and_say_how_to_finish_a_set_up():
    shown = render_notice(MyReviews([ReviewRow("DHR-1", "Evidence", "C1", True),
                                     ReviewRow("DHR-2", "Notified", None, False)], [], False))
    assert shown["text"] == ("*Your reviews*\n• DHR-1: Evidence in <#C1>\n"
                             "• DHR-2: Notified (set-up not finished: `/dhr retry DHR-2`)")


def test_with_no_reviews_an_admin_is_told_how_to_open_one_and_anyone_else_whom_to_ask():
    admin = render_notice(MyReviews([], ["U1"], True))["text"]
    assert "type `/dhr new`: the bot asks for the notification details, opens a private channel" in admin
    member = render_notice(MyReviews([], ["U1", "U2"], False))["text"]
    assert "Reviews are opened by the CSP admins (<@U1>, <@U2>), who become" in member
    assert member.endswith("ask its coordinator to add you. `/dhr help` lists every command.")
