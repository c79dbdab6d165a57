"""Reminder digests, weekly status posts and clock changes, in Block Kit.

Everything that leaves a review channel (the digest DM) says the reference, what is due and
links the channel: no pseudonyms, no other case content.
"""
from bot.workflow.core.notices import ClockChanged, DueLine, ReminderDigest, Undeliverable, WeeklyStatus
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Command, Icon, Italic, Mention, join, text
from messages import tree
from messages.core.text import escape
from messages.report.retention import delete_buttons
from messages.slack import blocks as bk
from messages.views.cards import STATUS_ICONS, unreachable_reason

MAX_BLOCKS = 48
SECTION_BUDGET = 2900

ICONS = {"overdue": ":red_circle:", "today": ":alarm_clock:", "upcoming": ":calendar:"}


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def due_text(line: DueLine) -> str:
    """"Overview report to the Home Office: overdue since Fri 30 Oct 2026 (5 working days)"."""
    off = f" ({escape(line.due_note)}, not a working day)" if line.due_note else ""
    label = escape(line.label) + (f" from <@{line.about}>" if line.about else "")
    if line.state == "overdue":
        text = f"{label}: *overdue*, was due {line.due}{off}, {_days(line.working_days)} late"
    elif line.state == "today":
        text = f"{label}: due *today*" if not line.due_note else \
            f"{label}: due {line.due}{off}; *today is the last working day before it*"
    else:
        text = f"{label}: due {line.due}{off}, in {_days(line.working_days)}"
    if line.instead_of:
        text += f" _(sent to you because <@{line.instead_of}> could not be reached)_"
    elif line.escalated:
        text += " _(escalated to you because it is overdue)_"
    return f"{ICONS[line.state]} {text}"


def _link(space_id: str | None) -> str:
    return f"<#{space_id}>" if space_id else "_(channel not set up yet)_"


def _review_link(lines: list[DueLine]) -> str:
    """The review's channel, unless the reader is not in it yet (an invitation awaiting an answer)."""
    linked = next((ln.space_id for ln in lines if ln.space_id and not ln.outside), None)
    if linked or not any(ln.space_id for ln in lines):
        return _link(linked)
    return "_(you join its channel once you agree to the confidentiality statement)_"


def _sections(groups: list[tuple[str, list[str]]]) -> list:
    """One section per review (split when long), never past Slack's block and text limits."""
    out, dropped = [], 0
    for heading, lines in groups:
        chunk = heading
        for line in lines:
            if len(chunk) + len(line) + 1 > SECTION_BUDGET:
                out.append(chunk)
                chunk = heading + " (continued)"
            chunk += "\n" + line
        out.append(chunk)
    if len(out) > MAX_BLOCKS:
        dropped = sum(s.count("\n") for s in out[MAX_BLOCKS - 1:])
        out = out[:MAX_BLOCKS - 1] + [f"…and {dropped} more: see `/dhr` for your reviews."]
    return [bk.section(s) for s in out]


def digest(notice: ReminderDigest) -> dict:
    groups: dict[str, list[DueLine]] = {}
    for line in notice.lines:
        groups.setdefault(line.reference, []).append(line)     # one heading per review
    blocks = [bk.section(f"*Your review reminders for {notice.day}*")]
    blocks += _sections([(f"*{escape(ref)}* · {_review_link(lines)}", [due_text(ln) for ln in lines])
                         for ref, lines in groups.items()])
    if notice.undeliverable:
        blocks += _sections([(":warning: *Reminders that could not be delivered*",
                              [_undeliverable(u) for u in notice.undeliverable])])
    blocks += delete_buttons(notice.lines)
    blocks.append(bk.context("One message a working day with everything due for you. Deadlines are calendar "
                             "dates; the review channel has the details."))
    refs = sorted({line.reference for line in notice.lines} | {u.reference for u in notice.undeliverable})
    overdue = sum(1 for line in notice.lines if line.state == "overdue")
    summary = f"{len(notice.lines)} due" + (f", {overdue} overdue" if overdue else "")
    if notice.undeliverable:
        summary += f", {len(notice.undeliverable)} not delivered"
    return bk.message(blocks[:50], f"Review reminders for {notice.day}: {summary} ({', '.join(refs[:10])})")


def _undeliverable(u: Undeliverable) -> str:
    who = f"<@{u.target}>" if u.target_kind == "user" else f"<#{u.target}>"
    reason = unreachable_reason(u.reason)
    return f"• *{escape(u.reference)}* · {_link(u.space_id)}: a reminder to {who} could not be sent: {reason}."


def weekly_status(notice: WeeklyStatus) -> dict:
    head = f"*Weekly status: {escape(notice.reference)}* (week of {notice.week_of})"
    lines = []
    if notice.paused_since:
        lines.append(f":double_vertical_bar: Paused since {notice.paused_since}: the guidance's timescales are on "
                     "hold and send no reminders until `/dhr resume`.")
    if notice.lines:
        lines.append(f"Due in the next {_days(notice.lookahead_days)}, and anything overdue:")
        lines += [due_text(line) for line in notice.lines]
    else:
        lines.append(f"Nothing is due in the next {_days(notice.lookahead_days)}.")
    blocks = _sections([(head, lines)])
    blocks.append(bk.context("Posted every week. `/dhr status` shows the pinned summary."))
    return bk.message(blocks, f"Weekly status: {notice.reference}")


def clock_changed(notice: ClockChanged) -> tree.Message:
    by = Mention(PersonRef(notice.actor))
    if notice.what == "paused":
        said = text(Icon("double_vertical_bar"), " ", by, f" paused the review ({notice.detail}). The guidance's "
                    "timescales are on hold and send no reminders until someone runs ", Command("resume"), ".")
    elif notice.what == "resumed":
        said = text(Icon("arrow_forward"), " ", by, f" resumed the review after {notice.detail}.")
    else:
        said = text(Icon("calendar"), " ", by, f" recorded an extension: {notice.detail}.")
    deadlines = [text(f"{STATUS_ICONS.get(d.status, '')} {d.label}: {d.due}",
                      text(" ", Italic(f"({d.note})")) if d.note else "") for d in notice.deadlines]
    body = join("\n", [said, *deadlines])
    return tree.Message([tree.Paragraph(body)], said)
