"""Neutral notices the workflow sends; messages/ renders them for each platform.

Only the summary card, which lives inside the private review channel, carries case
facts. Everything that leaves the channel (DMs, Home, reminders) carries at most the
reference and a link.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeadlineLine:
    label: str
    due: str            # "Tue 22 Dec 2026"
    status: str         # due | overdue | met | met_late
    note: str | None = None   # "falls on a Sunday (not a working day)", "moved 12 days by a pause"


@dataclass(frozen=True)
class SummaryCard:
    review_id: int
    reference: str
    stage: str
    stage_label: str
    next_step: str
    victim_pseudonym: str
    perpetrator_pseudonym: str | None
    notified_on: str
    preset_label: str
    deadlines: list[DeadlineLine] = field(default_factory=list)
    decision_lines: list[str] = field(default_factory=list)
    awaiting: str | None = None


@dataclass(frozen=True)
class ChannelReady:
    """DM to the coordinator: a link, no case content."""

    channel_id: str


@dataclass(frozen=True)
class DecisionRecorded:
    outcome_label: str
    actor: str
    stage_label: str


@dataclass(frozen=True)
class SetupFailed:
    review_id: int
    reason: str
