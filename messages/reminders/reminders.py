"""Reminder digests, weekly status posts and clock changes, as neutral trees.

Everything that leaves a review space (the digest DM) says the reference, what is due and
links the space: no pseudonyms, no other case content.
"""
from bot.workflow.core.notices import ClockChanged, DueLine, ReminderDigest, Undeliverable, WeeklyStatus
from bot.workflow.core.refs import PersonRef, SpaceRef
from bot.workflow.core.text import (
    Bold,
    Command,
    Icon,
    Italic,
    Mention,
    Plain,
    SpaceLink,
    SpaceWord,
    Text,
    join,
    text,
)
from bot.workflow.reminders.board_reminder import BOARD
from messages import tree
from messages.report.retention import delete_buttons
from messages.views.cards import deadline_line, unreachable_reason

MAX_BLOCKS = 48
SECTION_BUDGET = 2900
MARKUP_ALLOWANCE = 30   # what a mention, link or icon may add to a paragraph's length once a platform writes it

ICONS = {"overdue": "red_circle", "today": "alarm_clock", "upcoming": "calendar"}


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def due_text(line: DueLine) -> Text:
    """"Overview report to the Home Office: overdue since Fri 30 Oct 2026 (5 working days)"."""
    if line.kind == BOARD:      # "Quarterly board report for 2026-Q3": no deadline, the command that makes it
        return text(Icon(ICONS["today"]), " ", line.label, ": ", Command(f"board {line.label.rsplit(' ', 1)[-1]}"),
                    " sends it to you privately (charts and tables as a Word file)")
    off = f" ({line.due_note}, not a working day)" if line.due_note else ""
    label = text(line.label, text(" from ", Mention(PersonRef(line.about))) if line.about else "")
    if line.state == "overdue":
        said = text(label, ": ", Bold("overdue"), f", was due {line.due}{off}, {_days(line.working_days)} late")
    elif line.state == "today":
        said = text(label, ": due ", Bold("today")) if not line.due_note else \
            text(label, f": due {line.due}{off}; ", Bold("today is the last working day before it"))
    else:
        said = text(label, f": due {line.due}{off}, in {_days(line.working_days)}")
    if line.instead_of:
        said += text(" ", Italic(text("(sent to you because ", Mention(PersonRef(line.instead_of)),
                                      " could not be reached)")))
    elif line.escalated:
        said += text(" ", Italic("(escalated to you because it is overdue)"))
    return text(Icon(ICONS[line.state]), " ", said)


def _link(space_id: str | None) -> Text:
    return text(SpaceLink(SpaceRef(space_id))) if space_id else text(Italic(text("(", SpaceWord(), " not set up yet)")))


def _review_link(lines: list[DueLine]) -> Text:
    """The review's space, unless the reader is not in it yet (an invitation awaiting an answer)."""
    linked = next((ln.space_id for ln in lines if ln.space_id and not ln.outside), None)
    if linked or not any(ln.space_id for ln in lines):
        return _link(linked)
    return text(Italic(text("(you join its ", SpaceWord(), " once you agree to the confidentiality statement)")))


def _heading(reference: str, lines: list[DueLine]) -> Text:
    """The review's reference and its space; the board report's line belongs to no review."""
    if all(ln.kind == BOARD for ln in lines):
        return text(Bold(reference))
    return text(Bold(reference), " · ", _review_link(lines))


def _size(value: Text) -> int:
    """A paragraph's length as a platform may write it: its words, plus room for each piece of markup."""
    return len(value.words()) + sum(MARKUP_ALLOWANCE for p in value.parts if not isinstance(p, Plain))


def _sections(groups: list[tuple[Text, list[Text]]]) -> list[tree.Paragraph]:
    """One paragraph per review (split when long), never past the platforms' block and text limits."""
    chunks: list[tuple[Text, list[Text]]] = []
    for heading, lines in groups:
        head, chunk, size = heading, [], _size(heading)
        for line in lines:
            if chunk and size + _size(line) + 1 > SECTION_BUDGET:
                chunks.append((head, chunk))
                head, chunk, size = heading + " (continued)", [], _size(heading) + 12
            chunk.append(line)
            size += _size(line) + 1
        chunks.append((head, chunk))
    if len(chunks) > MAX_BLOCKS:
        dropped = sum(len(lines) for _, lines in chunks[MAX_BLOCKS - 1:])
        more = text(f"…and {dropped} more: see ", Command(""), " for your reviews.")
        return [tree.Paragraph(join("\n", [h, *ls])) for h, ls in chunks[:MAX_BLOCKS - 1]] + [tree.Paragraph(more)]
    return [tree.Paragraph(join("\n", [h, *ls])) for h, ls in chunks]


def digest(notice: ReminderDigest) -> tree.Message:
    groups: dict[str, list[DueLine]] = {}
    for line in notice.lines:
        groups.setdefault(line.reference, []).append(line)     # one heading per review
    blocks: list[tree.Block] = [tree.Paragraph(text(Bold(f"Your review reminders for {notice.day}")))]
    blocks += _sections([(_heading(ref, lines), [due_text(ln) for ln in lines]) for ref, lines in groups.items()])
    if notice.undeliverable:
        blocks += _sections([(text(Icon("warning"), " ", Bold("Reminders that could not be delivered")),
                              [_undeliverable(u) for u in notice.undeliverable])])
    blocks += delete_buttons(notice.lines)
    blocks.append(tree.Context(text("One message a working day with everything due for you. Deadlines are calendar "
                                    "dates; the review ", SpaceWord(), " has the details.")))
    refs = sorted({line.reference for line in notice.lines} | {u.reference for u in notice.undeliverable})
    overdue = sum(1 for line in notice.lines if line.state == "overdue")
    summary = f"{len(notice.lines)} due" + (f", {overdue} overdue" if overdue else "")
    if notice.undeliverable:
        summary += f", {len(notice.undeliverable)} not delivered"
    return tree.Message(blocks[:50], f"Review reminders for {notice.day}: {summary} ({', '.join(refs[:10])})")


def _undeliverable(u: Undeliverable) -> Text:
    who = Mention(PersonRef(u.target)) if u.target_kind == "user" else SpaceLink(SpaceRef(u.target))
    return text("• ", Bold(u.reference), " · ", _link(u.space_id), ": a reminder to ", who,
                f" could not be sent: {unreachable_reason(u.reason)}.")


def weekly_status(notice: WeeklyStatus) -> tree.Message:
    head = text(Bold(f"Weekly status: {notice.reference}"), f" (week of {notice.week_of})")
    lines = []
    if notice.holds:
        lines.append(text(Icon("double_vertical_bar"), " On hold (everything else goes on): "
                          + "; ".join(notice.holds) + ". ", Command("lift"), " when a hold is over."))
    if notice.lines:
        lines.append(text(f"Due in the next {_days(notice.lookahead_days)}, and anything overdue:"))
        lines += [due_text(line) for line in notice.lines]
    else:
        lines.append(text(f"Nothing is due in the next {_days(notice.lookahead_days)}."))
    blocks: list[tree.Block] = [*_sections([(head, lines)])]
    blocks.append(tree.Context(text("Posted every week. ", Command("status"), " shows the summary card.")))
    return tree.Message(blocks, f"Weekly status: {notice.reference}")


def clock_changed(notice: ClockChanged) -> tree.Message:
    by = Mention(PersonRef(notice.actor))
    if notice.what == "held":
        said = text(Icon("double_vertical_bar"), " ", by, f" recorded a hold. {notice.detail}. Only this activity "
                    "waits (its reminders and steps); the rest of the review and its deadlines go on. ",
                    Command("lift"), " when it is over.")
    elif notice.what == "lifted":
        said = text(Icon("arrow_forward"), " ", by, f" lifted the hold on {notice.detail.lower()}: it may go ahead, "
                    "and its reminders start again.")
    else:
        said = text(Icon("calendar"), " ", by, f" recorded another timescale, {notice.detail}.")
    body = join("\n", [said, *(deadline_line(d) for d in notice.deadlines)])
    return tree.Message([tree.Paragraph(body)], said)
