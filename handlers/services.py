"""What every handler needs, on every platform, handed over at registration (no globals)."""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.panel.redaction_list import Redactions
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    calendar: WorkingCalendar
    redactions: Redactions
    # Work that must outlive an ack's time budget (channel set-up on a slow Slack).
    background: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(8, "dhr-bg"))
