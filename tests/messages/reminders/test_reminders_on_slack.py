"""The daily digest, the weekly status post and the retention messages, as Slack shows them."""
from bot.workflow.core.notices import ClockChanged, DeadlineLine, DueLine, ReminderDigest, Undeliverable, WeeklyStatus
from bot.workflow.report.retention import KIND, ContentDeleted, Deleted
from messages.render import render_notice
from messages.report import retention
from messages.slack import render


def sections(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


LINES = [DueLine("DHR-1", "C1", "Overview report", "Fri 13 Nov 2026", "overdue", 5, "Sunday", escalated=True),
         DueLine("DHR-1", "C1", "Answer to the invitation", "Fri 13 Nov 2026", "today", 0, about="U2"),
         DueLine("DHR-1", "C1", "IMR", "Fri 25 Dec 2026", "today", 0, "Christmas Day", instead_of="U3"),
         DueLine("DHR-2", "C2", "Retention period over", "Mon 16 Nov 2026", "upcoming", 1, kind=KIND),
         DueLine("DHR-3", "C3", "Answer to the invitation", "Mon 16 Nov 2026", "upcoming", 3, outside=True)]


def test_the_digest_has_a_heading_per_review_and_a_line_per_thing_due():
    shown = render_notice(ReminderDigest("Mon 9 Nov 2026", LINES, [Undeliverable("DHR-1", "C1", "U5", "user",
                                                                                 "user_disabled")]))
    assert shown["text"] == ("Review reminders for Mon 9 Nov 2026: 5 due, 1 overdue, 1 not delivered "
                             "(DHR-1, DHR-2, DHR-3)")
    assert sections(shown) == [
        "*Your review reminders for Mon 9 Nov 2026*",
        "*DHR-1* · <#C1>\n"
        ":red_circle: Overview report: *overdue*, was due Fri 13 Nov 2026 (Sunday, not a working day), 5 working days "
        "late _(escalated to you because it is overdue)_\n"
        ":alarm_clock: Answer to the invitation from <@U2>: due *today*\n"
        ":alarm_clock: IMR: due Fri 25 Dec 2026 (Christmas Day, not a working day); *today is the last working day "
        "before it* _(sent to you because <@U3> could not be reached)_",
        "*DHR-2* · <#C2>\n:calendar: Retention period over: due Mon 16 Nov 2026, in 1 working day",
        "*DHR-3* · _(you join its channel once you agree to the confidentiality statement)_\n"
        ":calendar: Answer to the invitation: due Mon 16 Nov 2026, in 3 working days",
        ":warning: *Reminders that could not be delivered*\n"
        "• *DHR-1* · <#C1>: a reminder to <@U5> could not be sent: their account is deactivated."]
    assert shown["blocks"][-1]["elements"][0]["text"].endswith("the review channel has the details.")


def test_a_review_past_retention_gets_a_delete_button_that_asks_first():
    (actions,) = [b for b in render_notice(ReminderDigest("Mon", LINES))["blocks"] if b["type"] == "actions"]
    (button,) = actions["elements"]
    assert actions["block_id"] == "retention"
    assert (button["text"]["text"], button["action_id"], button["value"], button["style"]) == (
        "Delete DHR-2's content", "dhr.retention.confirm", "DHR-2", "danger")
    confirm = button["confirm"]
    assert (confirm["title"]["text"], confirm["confirm"]["text"], confirm["deny"]["text"], confirm["style"]) == (
        "Delete the content?", "Delete", "Keep it", "danger")
    assert confirm["text"]["text"].startswith("This deletes DHR-2's case content for good")


def test_a_long_digest_stays_inside_slacks_limits_and_says_how_many_more():
    many = [DueLine(f"DHR-{i}", "C1", "x" * 150, "Mon", "upcoming", 2) for i in range(80)]
    shown = render_notice(ReminderDigest("Mon", many))
    assert len(shown["blocks"]) <= 50
    assert all(len(s) <= 3000 for s in sections(shown))
    assert any(s.startswith("…and ") and s.endswith("more: see `/dhr` for your reviews.") for s in sections(shown))


def test_the_weekly_status_names_what_is_held_and_how_to_lift_it():
    shown = render_notice(WeeklyStatus("DHR-1", "Mon 9 Nov 2026", 5, LINES[:1],
                                       holds=["Publication of the report (until the end of the trial)"]))
    assert shown["text"] == "Weekly status: DHR-1"
    assert sections(shown)[0].split("\n")[:3] == [
        "*Weekly status: DHR-1* (week of Mon 9 Nov 2026)",
        ":double_vertical_bar: On hold (everything else goes on): Publication of the report (until the end of the "
        "trial). `/dhr lift` when a hold is over.",
        "Due in the next 5 working days, and anything overdue:"]
    assert shown["blocks"][-1]["elements"][0]["text"] == "Posted every week. `/dhr status` shows the summary card."
    empty = render_notice(WeeklyStatus("DHR-1", "Mon 9 Nov 2026", 1))
    assert sections(empty) == ["*Weekly status: DHR-1* (week of Mon 9 Nov 2026)\nNothing is due in the next 1 "
                               "working day."]


def test_a_clock_change_lists_the_moved_deadlines():
    shown = render_notice(ClockChanged("U1", "extended", "Overview report", [
        DeadlineLine("Overview report", "Tue 1 Jun 2027", "due", "moved 12 days")]))
    assert sections(shown) == [":calendar: <@U1> recorded another timescale, Overview report.\n"
                               ":calendar: Overview report: Tue 1 Jun 2027 _(moved 12 days)_"]


def test_what_is_left_after_deletion_and_the_reply_to_whoever_deleted_it():
    shown = render_notice(ContentDeleted("DHR-1", "Concluded", "Mon 2 Nov 2026", "Tue 1 Jun 2027", "Thu 1 Jun 2034",
                                         "Fri 2 Jun 2034", "U1", [("Mon 2 Nov 2026", "Notified")]))
    assert sections(shown) == [
        "*DHR-1* · Concluded\nThe content of this review was deleted under the retention policy on Fri 2 Jun 2034 by "
        "<@U1> (kept until Thu 1 Jun 2034). What remains is the audit skeleton: notified Mon 2 Nov 2026, concluded "
        "Tue 1 Jun 2027, and the stage history:\n• Mon 2 Nov 2026: Notified"]
    reply = render.mrkdwn(retention.deleted_reply(Deleted(1, "DHR-1", "C1", 40), "is_archived"))
    assert reply == (":wastebasket: The content of DHR-1 is deleted under the retention policy. Its reference, dates, "
                     "stage history and audit log remain (`/dhr status DHR-1`). Slack could not archive its channel "
                     "(is_archived): archive it by hand.")
